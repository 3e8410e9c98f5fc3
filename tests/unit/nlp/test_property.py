"""Property: extract_claims never raises and keeps valid offsets on any string."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.nlp.extract import extract_claims
from workbench.core.nlp.facts.quantities import find_quantities
from workbench.core.nlp.scoring import ClaimScorer

NEWSY = st.sampled_from(
    [
        "around 50,000",
        "“old friend”",
        "June 2024",
        "—",
        "😀",
        "北京",
        "שלום",
        "\n\n",
        "over 15,000",
        " said ",
        ".",
        "  ",
        "\u200b",
        "e\u0301",
        "$2.5bn",
        "Wednesday",
        "according to",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), NEWSY), max_size=25).map("".join)

_SCORER = ClaimScorer(None)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=TEXT)
def test_extract_never_raises_and_offsets_hold(nlp: Any, text: str) -> None:
    result = extract_claims(text, nlp=nlp, scorer=_SCORER, min_score=0.0)
    last = 0
    for c in result.claims:
        assert last <= c.start < c.end <= len(text)
        assert text[c.start : c.end] == c.text == c.text.strip()
        last = c.end
        for f in c.facts:
            assert c.start <= f["start"] <= f["end"] <= c.end
        for e in c.entities:
            assert text[e.start : e.end] == e.text


@settings(max_examples=200, deadline=None)
@given(text=TEXT)
def test_quantities_offsets_hold(text: str) -> None:
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
        assert q.hedge in ("exact", "approx", "gt", "gte", "lt", "lte", "range")
