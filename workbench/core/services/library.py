"""The claim library: search everything, find earlier checks, reuse their evidence."""

from __future__ import annotations

import re
from collections.abc import Iterable

from workbench.core.errors import UserInputError
from workbench.core.model import Changes, Claim, SearchHit, SimilarClaim
from workbench.core.storage import Store

MIN_SIMILARITY = 0.35
"""Below this, a 'similar' claim is more often a different claim on the same topic."""

_STOP = frozenset(
    """about above after again against also although among another because been before
    being between both could during each either every from further have having here
    into itself just more most much must other over same should since some such than
    that their them then there these they this those through under until very what
    when where which while will with would your said says according""".split()
)


def search(store: Store, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Full-text search over claims, rationales, article titles and source snapshots."""
    if not query.strip():
        raise UserInputError("the search query is empty", hint="type some words to look for")
    return store.search.search(query, limit=limit)


def similar_claims(store: Store, claim_id: int, *, limit: int = 10) -> list[SimilarClaim]:
    """Claims from other articles that state the same thing, best first.

    Candidates come from the full-text index (shared names, numbers, dates and
    rare words), then are ranked by what they share: entities, numbers and
    dates from the structured facts, and fuzzy text similarity (rapidfuzz).
    """
    claim = store.claims.get(claim_id)
    terms = _key_terms(claim)
    ids = store.search.claim_candidates(terms, exclude_article=claim.article_id, limit=200)
    candidates = store.claims.get_many(ids)
    mine = _features(claim)
    scored: list[tuple[float, tuple[str, ...], Claim]] = []
    for other in candidates:
        sim, reasons = _similarity(claim, mine, other)
        if sim >= MIN_SIMILARITY:
            scored.append((sim, reasons, other))
    scored.sort(key=lambda t: (-t[0], t[2].id))
    best = scored[:limit]
    titles = store.articles.titles(sorted({c.article_id for _, _, c in best}))
    evidence = store.evidence.for_claims([c.id for _, _, c in best])
    return [
        SimilarClaim(
            claim=other,
            article_title=titles.get(other.article_id, ""),
            similarity=round(sim, 3),
            reasons=reasons,
            evidence=tuple(evidence.get(other.id, ())),
        )
        for sim, reasons, other in best
    ]


def copy_evidence(store: Store, from_claim: int, to_claim: int) -> Changes:
    """Attach every source of an earlier claim to this one, with stance, excerpt and note.

    A source already on the target keeps the target's own stance and notes.
    """
    if from_claim == to_claim:
        raise UserInputError("a claim cannot copy evidence from itself")
    store.claims.get(from_claim)  # NotFoundError: "copied 0" would hide a typo
    target = store.claims.get(to_claim)
    have = {v.source.id for v in store.evidence.for_claim(to_claim)}
    changes = Changes(claims={to_claim}, articles={target.article_id})
    for view in store.evidence.for_claim(from_claim):
        if view.source.id in have:
            continue
        e = view.evidence
        note = e.note or ""
        copied_note = f"{note}\n(copied from claim {from_claim})".strip()
        new, _ = store.evidence.attach(
            to_claim, e.source_id, stance=e.stance, excerpt=e.excerpt, note=copied_note
        )
        if e.excerpt_found is not None:
            store.evidence.set_excerpt_found(new.id, e.excerpt_found)
        changes.evidence.add(new.id)
    return changes


_NUM = re.compile(r"\d[\d,.]*\d|\d")
_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")


def _key_terms(claim: Claim) -> list[str]:
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


def _features(claim: Claim) -> set[str]:
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


def _similarity(claim: Claim, mine: set[str], other: Claim) -> tuple[float, tuple[str, ...]]:
    from rapidfuzz import fuzz

    theirs = _features(other)
    shared = mine & theirs
    union = mine | theirs
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
