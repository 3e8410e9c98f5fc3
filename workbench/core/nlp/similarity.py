"""How alike two claims are: shared names, numbers and dates, and fuzzy wording.

The claim library ranks its "earlier checks" with this; the services only
fetch candidates and attach evidence.  Kept in nlp, with the other text
analysis, so the rule is written once and can be tuned (and tested) without
a database.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from workbench.core.model import Claim

MIN_SIMILARITY = 0.35
"""Below this, a 'similar' claim is more often a different claim on the same topic."""

_STOP = frozenset(
    """about above after again against also although among another because been before
    being between both could during each either every from further have having here
    into itself just more most much must other over same should since some such than
    that their them then there these they this those through under until very what
    when where which while will with would your said says according""".split()
)

_NUM = re.compile(r"\d[\d,.]*\d|\d")
_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")


def key_terms(claim: Claim) -> list[str]:
    """Words worth looking up: entities, numbers, then the rarer-looking content words."""
    text = claim.text
    terms: list[str] = [e.text for e in claim.entities if e.label not in {"CARDINAL", "ORDINAL"}]
    terms += [n.replace(",", " ").replace(".", " ") for n in _NUM.findall(text)]
    words = [w for w in _WORD.findall(text) if w.lower() not in _STOP]
    words.sort(key=lambda w: (not w[0].isupper(), -len(w)))
    terms += words[:8]
    seen: set[str] = set()
    unique = []
    for t in terms:
        key = t.lower().strip()
        if key and key not in seen and re.search(r"\w", key):
            seen.add(key)
            unique.append(t)
    return unique[:16]


def features(claim: Claim) -> set[str]:
    """What a claim is about, as comparable tokens: ``ent:``, ``num:`` and ``date:``."""
    feats: set[str] = {f"ent:{e.text.lower()}" for e in claim.entities}
    for fact in claim.facts:
        kind = fact.get("kind")
        if kind == "quantity" and fact.get("value") is not None:
            feats.add(f"num:{float(fact['value']):g}")
        elif kind == "date" and fact.get("iso"):
            feats.add(f"date:{fact['iso']}")
    feats |= {f"num:{_as_number(n):g}" for n in _NUM.findall(claim.text) if _as_number(n)}
    return feats


def _as_number(token: str) -> float:
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return 0.0


def similarity(
    claim: Claim, other: Claim, *, mine: set[str] | None = None
) -> tuple[float, tuple[str, ...]]:
    """(0..1 similarity, the reasons to show) of ``other`` to ``claim``.

    ``mine`` is ``features(claim)``, passed in when one claim is compared
    with many.
    """
    from rapidfuzz import fuzz

    ours = features(claim) if mine is None else mine
    theirs = features(other)
    shared = ours & theirs
    union = ours | theirs
    overlap = len(shared) / len(union) if union else 0.0
    text_sim = fuzz.token_set_ratio(claim.text.lower(), other.text.lower()) / 100.0
    # Shared names, numbers and dates count only when either claim has some:
    # two plain sentences are compared on their wording alone.
    score = 0.65 * text_sim + 0.35 * overlap if union else text_sim
    reasons = [f"text {round(text_sim * 100)}%"]
    reasons += _describe(shared)
    return score, tuple(reasons)


def _describe(shared: Iterable[str]) -> list[str]:
    groups: dict[str, list[str]] = {}
    for f in sorted(shared):
        kind, _, value = f.partition(":")
        groups.setdefault(kind, []).append(value)
    names = {"ent": "shared names", "num": "shared numbers", "date": "shared dates"}
    return [f"{names[k]}: {', '.join(v[:5])}" for k, v in groups.items() if k in names]
