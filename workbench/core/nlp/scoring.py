"""Check-worthiness scores: a trained model, corrected by the news cue layer.

Why a combination: the trained models (MiniLM or spaCy textcat, see
:mod:`workbench.core.nlp.models`) learned from debate transcripts and score
sentence *style*; the cue layer (:mod:`.cues`) reads what a fact-checker
reads in news prose.  The combination works in log-odds:

1. ``z = logit(p_model) + framing_adjustment(cues)``: small, news-specific
   nudges (named sources and quotes up, framing and evaluation down).
2. A *floor*: a sentence carrying a hard fact (a figure with a unit, an
   explicit date, a quote with a speaker, a named source, a named actor doing
   something), no strong framing and the reporter's voice (no I/we/you
   outside quotes) scores at least :data:`FACT_FLOOR`.  A news fact must
   never be missed because it does not sound like a debate; a speaker's
   "I'm going to give them $5,000" is left to the trained model, which knows
   debate talk far better than any cue.
3. A *ceiling*: a sentence whose main clause is strong framing ("Analysts
   are closely monitoring ...", "As the world watches ...") scores at most
   :data:`FRAMING_CEILING` unless it quotes someone.  The extractor splits
   out any checkable clause buried in such a sentence, so nothing is lost.

Cue-only scoring (no weights installed, or chosen in settings) is
``sigmoid(cue_logit(cues))``.  The dev-set figures for every mode are in
bench/results/extract.md; the floor and ceiling rarely fire on debate
sentences, which is why dev F1 holds.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from workbench.core.nlp.cues import Cues, analyze, cue_logit, framing_adjustment

if TYPE_CHECKING:
    from workbench.core.nlp.models import ProbabilityModel

THRESHOLD = 0.5
"""At or above this a sentence is check-worthy (``workbench score`` and the UI)."""

FACT_FLOOR = 0.6
FRAMING_CEILING = 0.3
CUES_NAME = "cues"


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def logit(p: float) -> float:
    p = min(max(p, 1e-4), 1.0 - 1e-4)
    return math.log(p / (1.0 - p))


def combine(p_model: float | None, cues: Cues) -> float:
    """One sentence's score from a model probability (or None) and its cues."""
    if p_model is None or math.isnan(p_model):
        score = sigmoid(cue_logit(cues))
    else:
        score = sigmoid(logit(p_model) + framing_adjustment(cues))
    reporter_voice = not (cues.personal or cues.question)
    if cues.has_hard_fact and not cues.strong_framing and reporter_voice:
        score = max(score, FACT_FLOOR)
    if cues.strong_framing and not cues.quote_attributed:
        score = min(score, FRAMING_CEILING)
    return round(min(max(score, 0.0), 1.0), 4)


class ClaimScorer:
    """Scores sentences in [0, 1]; ``name`` says which model produced them.

    ``missing_reason`` is set when a trained model was wanted but could not
    be loaded, so the UI, the CLI and the memo can say scores are cue-only.
    """

    def __init__(
        self,
        model: ProbabilityModel | None,
        *,
        missing_reason: str | None = None,
    ) -> None:
        self.model = model
        self.missing_reason = missing_reason
        if model is None:
            self.name = CUES_NAME
            self.description = (
                "Cue-only scoring: figures, dates, quotes with speakers, named sources "
                "and events count for a sentence; framing and opinion count against it."
            )
        else:
            self.name = f"{model.name}+{CUES_NAME}"
            self.description = f"{model.description} Corrected by the news cue and opinion layer."

    def score(self, sentences: Sequence[str]) -> list[float]:
        """Scores in [0, 1], one per sentence, in order."""
        return self.score_with_cues(sentences, [analyze(s) for s in sentences])

    def score_with_cues(self, sentences: Sequence[str], cues: Sequence[Cues]) -> list[float]:
        """Like :meth:`score` when the caller has already analysed the cues."""
        if len(sentences) != len(cues):
            raise ValueError("one Cues per sentence expected")
        if not sentences:
            return []
        probabilities: Sequence[float | None]
        if self.model is None:
            probabilities = [None] * len(sentences)
        else:
            probabilities = self.model.predict(list(sentences))
            if len(probabilities) != len(sentences):
                raise ValueError(
                    f"scorer {self.model.name} returned {len(probabilities)} scores "
                    f"for {len(sentences)} sentences"
                )
        return [combine(p, c) for p, c in zip(probabilities, cues, strict=True)]

    def model_probabilities(self, sentences: Sequence[str]) -> list[float] | None:
        """The trained model's raw probabilities, for benchmarks; None in cue-only mode."""
        if self.model is None:
            return None
        return list(self.model.predict(list(sentences)))


_lock = threading.Lock()
_scorers: dict[str, ClaimScorer] = {}
# Keyed by preference and the environment variables that steer model choice.


def get_scorer(preference: str = "auto") -> ClaimScorer:
    """The scorer for a settings preference ("auto", "transformer", "textcat", "cues").

    Cached per preference: loading ONNX or spaCy weights is slow and the
    scorer is stateless.  Never raises for missing weights; it falls back to
    cue-only scoring and says why in ``missing_reason``.
    """
    key = _cache_key(preference)
    with _lock:
        cached = _scorers.get(key)
        if cached is not None:
            return cached
        scorer = _build_scorer(preference)
        _scorers[key] = scorer
        return scorer


def _cache_key(preference: str) -> str:
    """The preference plus the environment that changes what it resolves to."""
    import os

    scorer_env = os.environ.get("WORKBENCH_SCORER", "")
    models_env = os.environ.get("WORKBENCH_MODELS_DIR", "")
    return f"{preference}|{scorer_env}|{models_env}"


def clear_cache() -> None:
    """Forget loaded scorers (tests, or after the user changes the weights directory)."""
    with _lock:
        _scorers.clear()


def _build_scorer(preference: str) -> ClaimScorer:
    if preference == CUES_NAME:
        return ClaimScorer(None)
    try:
        from workbench.core.nlp import models
    except ImportError:
        return ClaimScorer(
            None, missing_reason="trained scorer is not installed; using cue-only scoring"
        )
    if models.resolve_preference(preference) == CUES_NAME:
        return ClaimScorer(None)  # chosen in settings or $WORKBENCH_SCORER: nothing is missing
    model = models.load_model(preference)
    if model is not None:
        return ClaimScorer(model)
    detail = ""
    try:
        status = models.model_status()
        detail = "; ".join(f"{k}: {v}" for k, v in status.items())
    except Exception:
        detail = ""
    reason = "trained scorer weights not found; using cue-only scoring"
    if detail:
        reason = f"{reason} ({detail})"
    return ClaimScorer(None, missing_reason=reason)
