"""Trained check-worthiness probability models and their lazy, cached loaders.

:func:`load_model` picks the best model present: the fine-tuned MiniLM (int8
ONNX) when its files and onnxruntime are installed, else the spaCy
TextCatEnsemble, else ``None`` (the caller falls back to cue-only scoring and
says so).  :func:`model_status` tells the UI and the CLI why a model is not
used.  Models load once per process, lazily, behind a lock, so two workers
racing to score do not load the weights twice; nothing heavy is imported
until a model is asked for.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from workbench.core.errors import UserInputError
from workbench.core.nlp.models.base import (
    MODELS_DIR_ENV,
    PREFERENCES,
    SCORER_ENV,
    TEXTCAT_DIRNAME,
    TEXTCAT_NAME,
    TRANSFORMER_DIRNAME,
    TRANSFORMER_NAME,
    ProbabilityModel,
    models_dir,
)

__all__ = [
    "MODELS_DIR_ENV",
    "PREFERENCES",
    "SCORER_ENV",
    "TEXTCAT_NAME",
    "TRANSFORMER_NAME",
    "ProbabilityModel",
    "clear_cache",
    "load_model",
    "model_status",
    "models_dir",
    "resolve_preference",
]

AVAILABLE = "available"

_lock = threading.Lock()
# (model name, weights dir) -> the loaded model, or the reason it failed to load.
_cache: dict[tuple[str, str], ProbabilityModel | str] = {}


def resolve_preference(preference: str = "auto") -> str:
    """The effective preference: ``"auto"`` yields to ``$WORKBENCH_SCORER`` when set."""
    pref = (preference or "auto").strip().lower()
    if pref == "auto":
        pref = os.environ.get(SCORER_ENV, "").strip().lower() or "auto"
        source = f"${SCORER_ENV}"
    else:
        source = "scorer preference"
    if pref not in PREFERENCES:
        raise UserInputError(
            f"Unknown {source} {pref!r}",
            hint=f"use one of: {', '.join(PREFERENCES)}",
        )
    return pref


def load_model(preference: str = "auto") -> ProbabilityModel | None:
    """The model to score with, or ``None`` for cue-only scoring.

    ``"auto"`` and ``"transformer"`` try the transformer, then the spaCy
    classifier; ``"textcat"`` tries only the spaCy classifier; ``"cues"``
    returns ``None``.  A missing or broken model is never an error here: it
    is reported by :func:`model_status` and the next model is tried, because
    the app must keep working without the (replaceable) weights.
    """
    pref = resolve_preference(preference)
    order: tuple[str, ...]
    if pref in ("auto", "transformer"):
        order = (TRANSFORMER_NAME, TEXTCAT_NAME)
    elif pref == "textcat":
        order = (TEXTCAT_NAME,)
    else:
        order = ()
    for name in order:
        model = _load(name)
        if not isinstance(model, str):
            return model
    return None


def model_status() -> dict[str, str]:
    """Each model name -> ``"available"`` or the reason it cannot be used.

    Models already loaded (or already failed) report that outcome; the others
    are judged from their files and installed packages without loading them,
    so this stays cheap enough for a settings page.
    """
    base = models_dir()
    status: dict[str, str] = {}
    for name in (TRANSFORMER_NAME, TEXTCAT_NAME):
        with _lock:
            cached = _cache.get((name, str(base)))
        if cached is None:
            reason = _file_reason(name, base)
            status[name] = reason or AVAILABLE
        elif isinstance(cached, str):
            status[name] = cached
        else:
            status[name] = AVAILABLE
    return status


def clear_cache() -> None:
    """Forget loaded models (tests, or after the user replaces the weights)."""
    with _lock:
        _cache.clear()


def _file_reason(name: str, base: Path) -> str | None:
    if name == TRANSFORMER_NAME:
        from workbench.core.nlp.models import transformer

        return transformer.unavailable_reason(base / TRANSFORMER_DIRNAME)
    from workbench.core.nlp.models import textcat

    return textcat.unavailable_reason(base / TEXTCAT_DIRNAME)


def _load(name: str) -> ProbabilityModel | str:
    """The cached model, loading it on first use; a string is the failure reason."""
    base = models_dir()
    key = (name, str(base))
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        reason = _file_reason(name, base)
        result: ProbabilityModel | str
        if reason is not None:
            result = reason
        else:
            try:
                result = _construct(name, base)
            except Exception as exc:
                # Broad on purpose: onnxruntime raises its own exception types
                # straight from Exception (InvalidProtobuf, Fail, ...), spaCy
                # raises OSError/ValueError/KeyError for bad pipelines.  A bad
                # weight file must degrade to the next scorer, never crash the
                # app; the reason (with the exception) goes to model_status().
                result = f"failed to load: {type(exc).__name__}: {exc}".strip()
        _cache[key] = result
        return result


def _construct(name: str, base: Path) -> ProbabilityModel:
    if name == TRANSFORMER_NAME:
        from workbench.core.nlp.models.transformer import TransformerModel

        return TransformerModel.load(base / TRANSFORMER_DIRNAME)
    from workbench.core.nlp.models.textcat import TextcatModel

    return TextcatModel.load(base / TEXTCAT_DIRNAME)
