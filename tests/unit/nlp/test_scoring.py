"""The scorer: cue-only fallback, the model + cue combination, and its guarantees."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from workbench.core.nlp import scoring
from workbench.core.nlp.cues import analyze
from workbench.core.nlp.scoring import FACT_FLOOR, FRAMING_CEILING, ClaimScorer, get_scorer

FACTS = [
    "This unprecedented meeting, held on October 17, 2023, is set to reshape the region.",
    "The event is expected to attract around 50,000 spectators.",
    "South Korea’s intelligence agency estimates that around 600 North Korean soldiers have died.",
    "Authorities are preparing to release more than 80,000 peace doves during the ceremony.",
]
FRAMING = [
    "As the world watches, the impending parade is not just a display of military might.",
    "Analysts are closely monitoring these developments.",
    "As these developments unfold, the global community remains on high alert.",
    "His comments highlight the growing solidarity among nations that feel marginalized.",
]


class FixedModel:
    """A real ProbabilityModel implementation returning given probabilities.

    It stands for a trained model that is wrong in the way the data README
    describes (debate-trained models score news framing high), to show the
    cue layer corrects it.
    """

    name = "fixed"
    description = "Fixed probabilities."

    def __init__(self, p: float) -> None:
        self.p = p

    def predict(self, sentences: Sequence[str]) -> list[float]:
        return [self.p for _ in sentences]


@pytest.fixture
def no_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    empty = tmp_path / "models"
    empty.mkdir()
    monkeypatch.setenv("WORKBENCH_MODELS_DIR", str(empty))
    monkeypatch.delenv("WORKBENCH_SCORER", raising=False)
    scoring.clear_cache()
    from workbench.core.nlp import models

    models.clear_cache()
    yield
    scoring.clear_cache()
    models.clear_cache()


@pytest.mark.usefixtures("no_weights")
def test_falls_back_to_cues_without_weights() -> None:
    scorer = get_scorer("auto")
    assert scorer.name == "cues"
    assert scorer.missing_reason is not None
    assert "cue-only" in scorer.missing_reason
    assert get_scorer("auto") is scorer  # cached
    scores = scorer.score(FACTS + FRAMING)
    assert all(s >= 0.5 for s in scores[: len(FACTS)])
    assert all(s < 0.5 for s in scores[len(FACTS) :])


@pytest.mark.usefixtures("no_weights")
def test_cues_preference_is_not_a_missing_model() -> None:
    scorer = get_scorer("cues")
    assert scorer.name == "cues"
    assert scorer.missing_reason is None


def test_scores_are_probabilities(cue_scorer: ClaimScorer) -> None:
    odd = ["", "   ", "?", "😀" * 50, "我们 必须 继续", "x" * 5000, "שלום עולם"]
    for score in cue_scorer.score(odd):
        assert 0.0 <= score <= 1.0
    assert cue_scorer.score([]) == []


def test_cue_layer_corrects_an_overconfident_model() -> None:
    scorer = ClaimScorer(FixedModel(0.9))
    assert scorer.name == "fixed+cues"
    assert all(s <= FRAMING_CEILING for s in scorer.score(FRAMING))
    low = ClaimScorer(FixedModel(0.05))
    assert all(s >= FACT_FLOOR for s in low.score(FACTS))


def test_model_score_passes_through_without_cues() -> None:
    plain = "The committee discussed the agenda."
    assert abs(ClaimScorer(FixedModel(0.42)).score([plain])[0] - 0.42) < 0.1


def test_model_must_return_one_score_per_sentence() -> None:
    class Broken(FixedModel):
        def predict(self, sentences: Sequence[str]) -> list[float]:
            return [0.5]

    with pytest.raises(ValueError, match="returned 1 scores"):
        ClaimScorer(Broken(0.5)).score(["a", "b"])


def test_opinion_inside_a_quote_is_not_the_reporters_opinion() -> None:
    cues = analyze("Xi said, “We must continue to take a clear stand against hegemonism.”")
    assert not cues.first_person
    assert cues.quote_attributed
    assert analyze("I think we must do better.").first_person
