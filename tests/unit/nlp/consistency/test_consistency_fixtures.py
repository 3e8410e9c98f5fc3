"""The fixture corpus: consistent articles stay quiet, inconsistent ones flag."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from workbench.core.nlp.consistency import check_article

FIXTURES = Path(__file__).parents[3] / "fixtures" / "consistency"
MANIFEST: list[dict[str, Any]] = json.loads((FIXTURES / "manifest.json").read_text("utf-8"))[
    "articles"
]


def test_corpus_size_and_balance() -> None:
    assert len(MANIFEST) >= 15
    consistent = [a for a in MANIFEST if not a["expected"]]
    assert len(consistent) >= 8
    assert len(MANIFEST) - len(consistent) >= 8
    for a in MANIFEST:
        assert (FIXTURES / a["file"]).is_file()


@pytest.mark.parametrize("article", MANIFEST, ids=[a["file"] for a in MANIFEST])
def test_fixture(article: dict[str, Any]) -> None:
    text = (FIXTURES / article["file"]).read_text("utf-8")
    dateline = date.fromisoformat(article["dateline"]) if article["dateline"] else None
    report = check_article(text, dateline=dateline)
    got = Counter(f.kind for f in report.findings)
    assert got == Counter(article["expected"]), [f.message for f in report.findings]
    for f in report.findings:
        assert f.spans
        for s, e in f.spans:
            assert 0 <= s < e <= len(text)
        assert 0.0 < f.confidence <= 1.0
        assert f.fingerprint.startswith(f.kind + ":")


def test_consistent_fixtures_are_checked_against_a_dateline() -> None:
    """A quiet result only means something if the date rules actually ran."""
    with_dateline = 0
    for article in MANIFEST:
        if article["expected"]:
            continue
        text = (FIXTURES / article["file"]).read_text("utf-8")
        dateline = date.fromisoformat(article["dateline"]) if article["dateline"] else None
        if check_article(text, dateline=dateline).dateline is not None:
            with_dateline += 1
    assert with_dateline >= 10
