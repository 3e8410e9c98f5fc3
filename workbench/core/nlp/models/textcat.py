"""The spaCy TextCatEnsemble check-worthiness classifier (the fallback scorer).

It is a small two-component pipeline (``tok2vec`` + ``textcat``) trained by
``training/train_textcat.py``.  Slower and less accurate than the MiniLM
model, but it needs only spaCy, which the app installs anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.nlp.models.base import TEXTCAT_NAME

if TYPE_CHECKING:
    from spacy.language import Language

POSITIVE_LABEL = "CHECKWORTHY"
REQUIRED_FILES: tuple[str, ...] = ("config.cfg", "meta.json")


def unavailable_reason(path: Path) -> str | None:
    """Why the pipeline at ``path`` cannot load, judged from its files; None if it looks fine."""
    if not path.is_dir():
        return f"weights not found: {path} is missing"
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        return f"weights incomplete: {', '.join(missing)} missing in {path}"
    return None


class TextcatModel:
    """P(check-worthy) from the ``textcat`` component's positive-label score."""

    name = TEXTCAT_NAME
    description = "spaCy check-worthiness classifier (TextCatEnsemble)"

    def __init__(self, nlp: Language, *, path: Path) -> None:
        self._nlp = nlp
        self.path = path
        # spaCy pipelines are not documented as thread-safe for concurrent
        # calls; scoring is cheap next to extraction, so serialise it.
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path) -> TextcatModel:
        """Load the pipeline from ``path``; raises OSError/ValueError when unusable."""
        import spacy

        nlp = spacy.load(path)
        if "textcat" not in nlp.pipe_names:
            raise ValueError(f"{path} has no textcat component")
        labels = getattr(nlp.get_pipe("textcat"), "labels", ())
        if POSITIVE_LABEL not in labels:
            raise ValueError(f"{path} textcat lacks the {POSITIVE_LABEL} label")
        return cls(nlp, path=path)

    def predict(self, sentences: Sequence[str]) -> list[float]:
        """One probability per sentence (each sentence is its own doc)."""
        scores = [0.0] * len(sentences)
        # Blank text holds no claim; spaCy also scores an empty doc differently
        # alone than inside a batch, so it never reaches the model.
        todo = [i for i, s in enumerate(sentences) if s.strip()]
        if not todo:
            return scores
        with self._lock:
            docs = self._nlp.pipe([sentences[i] for i in todo], batch_size=64)
            for i, doc in zip(todo, docs, strict=True):
                scores[i] = _clip(doc.cats.get(POSITIVE_LABEL, 0.0))
        return scores


def _clip(value: float) -> float:
    return min(1.0, max(0.0, float(value)))
