from __future__ import annotations

import json

import pytest

from tests.unit.export.memo_factory import INJECTIONS, make_memo
from workbench.core.export.claimreview import render_claimreview
from workbench.core.export.memo import MemoOptions
from workbench.core.model import RATING_BEST, RATING_WORST, Verdict


def _load(payload: str = "plain words", **kwargs: object) -> dict[str, object]:
    data = render_claimreview(make_memo(payload, **kwargs))  # type: ignore[arg-type]
    doc = json.loads(data)
    assert isinstance(doc, dict)
    return doc


def test_one_claimreview_per_claim_with_a_verdict() -> None:
    doc = _load()
    assert doc["@context"] == "https://schema.org"
    graph = doc["@graph"]
    assert isinstance(graph, list)
    assert [r["claimReviewed"] for r in graph] == [
        "Leaders met in Beijing on October 17, 2023.",
        "Edited plain words claim",
        "Officials said 80,000 doves flew.",
    ]
    verdicts = [Verdict.TRUE, Verdict.FALSE, Verdict.MOSTLY_TRUE]
    for review, verdict in zip(graph, verdicts, strict=True):
        assert review["@type"] == "ClaimReview"
        assert review["datePublished"] == "2024-03-01"
        rating = review["reviewRating"]
        assert rating == {
            "@type": "Rating",
            "ratingValue": verdict.rating_value,
            "bestRating": RATING_BEST,
            "worstRating": RATING_WORST,
            "alternateName": verdict.label,
        }
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["datePublished"] == "2023-10-17"
        assert item["author"] == {"@type": "Person", "name": "Jane plain words"}
        appearance = item["appearance"]
        assert appearance["@type"] == "CreativeWork"
        assert appearance["url"] == "https://news.example/summit?a=1&b=2"
        assert appearance["headline"] == "Summit report plain words"
        assert review["author"]["@type"] == "Organization"
        assert review["author"]["name"] == "Example Checks"
        assert review["url"].startswith("https://checks.example/memo#claim-")


def test_options_limit_the_reviews() -> None:
    doc = _load(options=MemoOptions(min_score=0.85))
    assert len(doc["@graph"]) == 1  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(INJECTIONS))
def test_claimreview_survives_injection(name: str) -> None:
    raw = render_claimreview(make_memo(INJECTIONS[name])).decode()
    assert "</script" not in raw.lower()
    assert "<" not in raw
    doc = json.loads(raw)
    graph = doc["@graph"]
    assert len(graph) == 3
    for review in graph:
        assert set(review) == {
            "@type",
            "claimReviewed",
            "reviewRating",
            "itemReviewed",
            "datePublished",
            "author",
            "url",
        }
        assert review["reviewRating"]["ratingValue"] in (1, 4, 5)
        assert "\u202e" not in json.dumps(review, ensure_ascii=False)


def test_claimreview_is_deterministic() -> None:
    assert render_claimreview(make_memo()) == render_claimreview(make_memo())


def test_unverifiable_has_no_number_outside_the_scale() -> None:
    from workbench.core.export.claimreview import _review

    doc = _load()
    memo_claim_review = doc["@graph"][0]  # type: ignore[index]
    assert RATING_WORST <= memo_claim_review["reviewRating"]["ratingValue"] <= RATING_BEST
    memo = make_memo("plain words")
    rating = _review(memo, memo.claims[0], Verdict.UNVERIFIABLE)["reviewRating"]
    assert "ratingValue" not in rating
    assert rating["alternateName"] == "Unverifiable"
    assert rating["worstRating"] == RATING_WORST
