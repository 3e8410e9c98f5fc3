"""Fixtures for the NLP tests: spaCy loads once per session, scorers are explicit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workbench.core.nlp.scoring import ClaimScorer

SAMPLE_PATH = (
    Path(__file__).resolve().parents[3] / "resources" / "samples" / "beijing-summit-article.txt"
)


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The real English pipeline, loaded once for the whole session."""
    from workbench.core.nlp.loader import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def cue_scorer() -> ClaimScorer:
    """Cue-only scoring: what the app does when no trained weights are installed."""
    return ClaimScorer(None)
