"""Excerpt matching ignores whitespace, quote style, dashes and case, not words."""

from __future__ import annotations

import pytest

from workbench.core.sources.excerpt import FoldedText, excerpt_found, find_excerpt

PAGE = (
    "The minister said: \u201cWe agreed on 12\u00a0points\u201d \u2014 adding that\n"
    "trade would grow by 5% next year.\n\nIt\u2019s the first such deal since 2019."
)


@pytest.mark.parametrize(
    "excerpt",
    [
        '"We agreed on 12 points"',
        "\u201cWe agreed on 12 points\u201d",
        "we   agreed on\n12 points",
        '"We agreed on 12 points" - adding that trade would grow',
        "points\u201d \u2013 adding that trade",
        "It's the first such deal",
        "It\u2018s the first such deal",
        "The minister said ... trade would grow",
        "The minister said [\u2026] first such deal since 2019.",
        "THE MINISTER SAID",
    ],
)
def test_found_despite_form(excerpt: str) -> None:
    assert find_excerpt(excerpt, PAGE) is not None
    assert excerpt_found(excerpt, PAGE) is True


@pytest.mark.parametrize(
    "excerpt",
    [
        "We agreed on 13 points",
        "trade would shrink",
        "first such deal since 2018",
        # parts of an elided excerpt must appear in order
        "first such deal ... The minister said",
    ],
)
def test_not_found_when_words_differ(excerpt: str) -> None:
    assert find_excerpt(excerpt, PAGE) is None
    assert excerpt_found(excerpt, PAGE) is False


def test_match_maps_back_to_original_offsets() -> None:
    match = find_excerpt('"we agreed on 12 points"', PAGE)
    assert match is not None
    assert PAGE[match.start : match.end] == "\u201cWe agreed on 12\u00a0points\u201d"


def test_elided_match_has_one_span_per_part() -> None:
    match = find_excerpt("minister said ... grow by 5%", PAGE)
    assert match is not None
    assert [PAGE[a:b] for a, b in match.spans] == ["minister said", "grow by 5%"]


def test_cannot_tell_without_excerpt_or_text() -> None:
    assert excerpt_found("", PAGE) is None
    assert excerpt_found("   ", PAGE) is None
    assert excerpt_found("anything", None) is None
    assert find_excerpt("...", PAGE) is None


def test_folded_text_gives_the_same_answers() -> None:
    folded = FoldedText.of(PAGE)
    for excerpt in ("we agreed on 12 points", "minister said ... grow by 5%", "13 points"):
        assert find_excerpt(excerpt, folded) == find_excerpt(excerpt, PAGE)
    assert excerpt_found("first such deal", folded) is True
