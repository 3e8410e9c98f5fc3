"""The cue layer must not wreck debate scores: dev F1 of the shipped combination.

ct24_en_dev.tsv lives outside the repository (../shared/data); without it
these tests are skipped, since the figures cannot be measured.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import pytest

from workbench.core.nlp.cues import analyze
from workbench.core.nlp.scoring import THRESHOLD, combine, get_scorer

DEV = Path(__file__).resolve().parents[4] / "shared" / "data" / "checkworthy" / "ct24_en_dev.tsv"

pytestmark = pytest.mark.skipif(not DEV.exists(), reason=f"{DEV} not present")


def load_dev() -> tuple[list[str], list[int]]:
    with DEV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))[1:]
    return [r[1] for r in rows], [int(r[2]) for r in rows]


def f1(scores: Sequence[float], labels: Sequence[int]) -> float:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= THRESHOLD and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= THRESHOLD and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < THRESHOLD and y)
    return 2 * tp / (2 * tp + fp + fn)


def test_cue_only_scoring_is_useful_on_debates() -> None:
    texts, labels = load_dev()
    assert f1([combine(None, analyze(t)) for t in texts], labels) >= 0.75


@pytest.mark.slow
def test_shipped_combination_keeps_dev_f1() -> None:
    scorer = get_scorer("auto")
    if scorer.model is None:
        pytest.skip(f"no trained scorer installed: {scorer.missing_reason}")
    texts, labels = load_dev()
    raw = scorer.model_probabilities(texts)
    assert raw is not None
    combined = [combine(p, analyze(t)) for p, t in zip(raw, texts, strict=True)]
    assert combined[:20] == scorer.score(texts[:20])  # the same function the CLI runs
    assert f1(combined, labels) >= 0.85
    # The cue layer may move single sentences, but must not cost the model F1.
    assert f1(combined, labels) >= f1(raw, labels) - 0.01
