"""The claims model and its filter proxy, on a real store."""

from __future__ import annotations

from PySide6.QtCore import Qt

from workbench.core.model import Changes, Origin, Stance, Status, Verdict
from workbench.core.services import claims as claim_service
from workbench.ui.models.claims_model import (
    CLAIM_ID_ROLE,
    ClaimsFilterProxy,
    ClaimsModel,
    Column,
    ReviewState,
    claim_state,
)


def _seed(store, n: int = 12):
    words = [f"Claim number {i} says {i * 3} percent rose." for i in range(n)]
    text = " ".join(words)
    article = store.articles.add(title="Many claims", text=text)
    pos = 0
    for i, sentence in enumerate(words):
        start = text.index(sentence, pos)
        pos = start + len(sentence)
        store.claims.add(
            article.id,
            start=start,
            end=pos,
            text=sentence,
            score=(i % 10) / 10,
            types=("quantity",) if i % 2 else ("event",),
            origin=Origin.AUTO,
        )
    return article


def test_model_passes_qtmodeltester_and_filters(qtmodeltester, store) -> None:
    article = _seed(store)
    model = ClaimsModel(store)
    model.set_article(article.id)
    proxy = ClaimsFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 12

    proxy.set_filters(type_="quantity")
    assert proxy.rowCount() == 6
    proxy.set_filters(min_score=0.5)
    assert all(
        model.row_at(proxy.mapToSource(proxy.index(r, 0)).row()).score >= 0.5
        for r in range(proxy.rowCount())
    )
    assert proxy.rowCount() == 5
    proxy.set_filters(text="  SAYS 3 percent ")
    assert [proxy.index(r, Column.TEXT).data() for r in range(proxy.rowCount())] == [
        "Claim number 1 says 3 percent rose."
    ]
    first = model.claim_ids()[0]
    claim_service.set_verdict(store, first, Verdict.FALSE)
    model.apply_changes(Changes(claims={first}))
    proxy.set_filters(verdict=Verdict.FALSE.value)
    assert proxy.rowCount() == 1
    assert proxy.index(0, 0).data(CLAIM_ID_ROLE) == first
    proxy.set_filters(verdict=ClaimsFilterProxy.NO_VERDICT, status=Status.UNCHECKED)
    assert proxy.rowCount() == 11
    qtmodeltester.check(proxy)


def test_sort_by_score_and_back_to_position(store) -> None:
    article = _seed(store)
    model = ClaimsModel(store)
    model.set_article(article.id)
    model.sort(Column.SCORE, Qt.SortOrder.DescendingOrder)
    scores = [model.row_at(r).score for r in range(model.rowCount())]
    assert scores == sorted(scores, reverse=True)
    model.sort(Column.POSITION, Qt.SortOrder.AscendingOrder)
    starts = [model.row_at(r).start for r in range(model.rowCount())]
    assert starts == sorted(starts)


def test_changes_update_insert_and_remove_rows(qtmodeltester, store) -> None:
    article = _seed(store, 4)
    model = ClaimsModel(store)
    model.set_article(article.id)
    qtmodeltester.check(model)
    ids = model.claim_ids()
    changes = claim_service.delete_claim(store, ids[1])
    model.apply_changes(changes)
    assert model.claim_ids() == [ids[0], ids[2], ids[3]]
    claim, changes = claim_service.add_claim(store, article.id, 0, 5)
    model.apply_changes(changes)
    assert claim.id in model.claim_ids()
    rows = [model.row_at(r) for r in range(model.rowCount())]
    assert [(r.start, r.position) for r in rows] == sorted((r.start, r.position) for r in rows)
    claim_service.set_status(store, ids[0], Status.IN_PROGRESS)
    model.apply_changes(Changes(claims={ids[0]}))
    assert model.cached(ids[0]).state is ReviewState.IN_PROGRESS
    model.apply_changes(Changes(deleted_articles={article.id}))
    assert model.rowCount() == 0


def test_evidence_counts_shown(store) -> None:
    article = _seed(store, 2)
    model = ClaimsModel(store)
    model.set_article(article.id)
    cid = model.claim_ids()[0]
    source, _ = store.sources.get_or_create("https://example.org/a", "https://example.org/a")
    evidence, _ = store.evidence.attach(cid, source.id, stance=Stance.REFUTES)
    model.apply_changes(Changes(evidence={evidence.id}))
    row = model.row_of(cid)
    assert model.index(row, Column.REFUTES).data() == "1"
    assert model.index(row, Column.SUPPORTS).data() == "0"


def test_state_from_verdict(store) -> None:
    article = _seed(store, 1)
    cid = store.claims.for_article(article.id)[0].id
    expected = {
        Verdict.TRUE: ReviewState.SUPPORTED,
        Verdict.MOSTLY_TRUE: ReviewState.SUPPORTED,
        Verdict.HALF_TRUE: ReviewState.MIXED,
        Verdict.MOSTLY_FALSE: ReviewState.REFUTED,
        Verdict.FALSE: ReviewState.REFUTED,
        Verdict.MISLEADING: ReviewState.REFUTED,
        Verdict.UNVERIFIABLE: ReviewState.UNVERIFIABLE,
    }
    assert claim_state(store.claims.get(cid)) is ReviewState.UNCHECKED
    for verdict, state in expected.items():
        claim, _ = claim_service.set_verdict(store, cid, verdict)
        assert claim_state(claim) is state
