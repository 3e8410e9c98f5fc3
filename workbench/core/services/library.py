"""The claim library: search everything, find earlier checks, reuse their evidence."""

from __future__ import annotations

from workbench.core.errors import UserInputError
from workbench.core.model import Changes, Claim, SearchHit, SimilarClaim
from workbench.core.nlp.similarity import MIN_SIMILARITY, features, key_terms, similarity
from workbench.core.services import operations
from workbench.core.services.operations import OpContext
from workbench.core.storage import Store

__all__ = ["MIN_SIMILARITY", "copy_evidence", "search", "similar_claims"]


def search(store: Store, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Full-text search over claims, rationales, article titles and source snapshots."""
    if not query.strip():
        raise UserInputError("the search query is empty", hint="type some words to look for")
    return store.search.search(query, limit=limit)


def similar_claims(store: Store, claim_id: int, *, limit: int = 10) -> list[SimilarClaim]:
    """Claims from other articles that state the same thing, best first.

    Candidates come from the full-text index (shared names, numbers, dates and
    rare words), then are ranked by :mod:`workbench.core.nlp.similarity`.
    """
    claim = store.claims.get(claim_id)
    ids = store.search.claim_candidates(
        key_terms(claim), exclude_article=claim.article_id, limit=200
    )
    candidates = store.claims.get_many(ids)
    mine = features(claim)
    scored: list[tuple[float, tuple[str, ...], Claim]] = []
    for other in candidates:
        sim, reasons = similarity(claim, other, mine=mine)
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
    One operation: undo removes exactly the rows it added.
    """
    if from_claim == to_claim:
        raise UserInputError("a claim cannot copy evidence from itself")

    def work(op: OpContext) -> None:
        store.claims.get(from_claim)  # NotFoundError: "copied 0" would hide a typo
        target = store.claims.get(to_claim)
        have = {v.source.id for v in store.evidence.for_claim(to_claim)}
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
            op.changes.evidence.add(new.id)
            op.changes.sources.add(e.source_id)
        n = len(op.changes.evidence)
        op.describe(
            f"copy {n} evidence from claim {from_claim} to claim {to_claim}",
            article_id=target.article_id,
            claim_ids=[to_claim],
        )
        op.changes.claims.add(to_claim)
        op.changes.articles.add(target.article_id)

    return operations.run(store, "copy-evidence", work).changes
