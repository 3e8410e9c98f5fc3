"""The memo's verdicts as schema.org ClaimReview JSON-LD.

One ClaimReview per claim that has a verdict, in a single ``@graph`` so the
file can be published as is in a ``<script type="application/ld+json">``
block.  ``<``, ``>`` and ``&`` are written as ``\\u003c``-style escapes: still
the same JSON, but a rationale holding ``</script>`` cannot close that block.
"""

from __future__ import annotations

import json
from typing import Any

from workbench.core.export.escape import one_line, safe_url
from workbench.core.export.memo import Memo, MemoClaim
from workbench.core.model import RATING_BEST, RATING_WORST, Verdict

_SCRIPT_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def claimreview_graph(memo: Memo) -> dict[str, Any]:
    """The JSON-LD document as a Python object."""
    return {
        "@context": "https://schema.org",
        "@graph": [
            _review(memo, claim, claim.verdict)
            for claim in memo.claims
            if claim.verdict is not None
        ],
    }


def render_claimreview(memo: Memo) -> bytes:
    """Deterministic, script-safe UTF-8 JSON."""
    text = json.dumps(claimreview_graph(memo), ensure_ascii=False, indent=2, sort_keys=False)
    return (text.translate(_SCRIPT_SAFE) + "\n").encode("utf-8")


def _review(memo: Memo, claim: MemoClaim, verdict: Verdict) -> dict[str, Any]:
    h = memo.header
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "claimReviewed": one_line(claim.text),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": verdict.rating_value,
            "bestRating": RATING_BEST,
            "worstRating": RATING_WORST,
            "alternateName": verdict.label,
        },
        "itemReviewed": _item_reviewed(memo),
        "datePublished": h.memo_date.isoformat(),
    }
    if verdict.rating_value < RATING_WORST:
        # "Unverifiable" has no place on the 1..5 scale; a number outside
        # worstRating..bestRating would be invalid, so the rating is carried
        # by alternateName alone, as ClaimReview allows.
        del review["reviewRating"]["ratingValue"]
    author = _reviewer(memo)
    if author is not None:
        review["author"] = author
    url = safe_url(memo.review_url)
    if url is not None:
        review["url"] = f"{url.split('#', 1)[0]}#claim-{claim.claim_id}"
    return review


def _reviewer(memo: Memo) -> dict[str, Any] | None:
    """The fact-checking organization when set, else the checker as a person."""
    h = memo.header
    if h.organization and one_line(h.organization):
        org: dict[str, Any] = {"@type": "Organization", "name": one_line(h.organization)}
        if h.checker and one_line(h.checker):
            org["employee"] = {"@type": "Person", "name": one_line(h.checker)}
        return org
    if h.checker and one_line(h.checker):
        return {"@type": "Person", "name": one_line(h.checker)}
    return None


def _item_reviewed(memo: Memo) -> dict[str, Any]:
    h = memo.header
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    url = safe_url(h.url)
    if url is not None:
        appearance["url"] = url
    if h.title and one_line(h.title):
        appearance["headline"] = one_line(h.title)
    if h.outlet and one_line(h.outlet):
        appearance["publisher"] = {"@type": "Organization", "name": one_line(h.outlet)}
    item: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if h.dateline is not None:
        item["datePublished"] = h.dateline.isoformat()
        appearance["datePublished"] = h.dateline.isoformat()
    if h.author and one_line(h.author):
        item["author"] = {"@type": "Person", "name": one_line(h.author)}
    elif h.outlet and one_line(h.outlet):
        item["author"] = {"@type": "Organization", "name": one_line(h.outlet)}
    return item
