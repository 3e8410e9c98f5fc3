"""Shared vocabulary of the check-worthiness probability models.

The scorer layer (``workbench.core.nlp.scoring``) codes against
:class:`ProbabilityModel` only, so a model is replaceable: the weights are
research-licensed data products that a deployment may have to remove, and the
app must keep working (cue-only) without them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

TRANSFORMER_NAME = "minilm-cw-int8"
TEXTCAT_NAME = "spacy-textcat"

TRANSFORMER_DIRNAME = "minilm-cw"
TEXTCAT_DIRNAME = "textcat"

MODELS_DIR_ENV = "WORKBENCH_MODELS_DIR"
"""Directory holding ``minilm-cw/`` and ``textcat/``; tests point it at an empty dir."""

SCORER_ENV = "WORKBENCH_SCORER"
"""Overrides the ``"auto"`` preference: ``transformer``, ``textcat`` or ``cues``."""

THREADS_ENV = "WORKBENCH_SCORER_THREADS"
"""Intra-op threads for the transformer (default 1: leaves a core to the UI and spaCy)."""

PREFERENCES: tuple[str, ...] = ("auto", "transformer", "textcat", "cues")


@runtime_checkable
class ProbabilityModel(Protocol):
    """A trained model giving P(check-worthy) for each sentence, in [0, 1]."""

    name: str
    """Stable id stored alongside scores, e.g. ``"minilm-cw-int8"``."""
    description: str
    """Human text for the UI and the memo."""

    def predict(self, sentences: Sequence[str]) -> list[float]:
        """One probability per sentence, in order; a sentence always gets the same score."""
        ...


def models_dir() -> Path:
    """Where the shipped weights live: ``$WORKBENCH_MODELS_DIR`` or the package's resources."""
    override = os.environ.get(MODELS_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import workbench.resources

    return Path(workbench.resources.__file__).resolve().parent / "models"
