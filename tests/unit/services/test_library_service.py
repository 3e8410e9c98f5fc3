"""Search and earlier checks on a real store with real rows."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workbench.core.errors import UserInputError
from workbench.core.model import Entity, Stance, Verdict
from workbench.core.services import library
from workbench.core.storage import Store

A1 = (
    "Over 15,000 North Korean troops have been deployed to Russia. "
    "Xi described Putin as his old friend. The parade drew 50,000 spectators."
)
A2 = "Intelligence reports say more than 15,000 North Korean troops were sent to Russia in 2024."
A3 = "The city council approved a new budget for parks and libraries."


def _seed(store: Store) -> dict[str, int]:
    a1 = store.articles.add(title="Beijing summit", text=A1)
    a2 = store.articles.add(title="Troops abroad", text=A2)
    a3 = store.articles.add(title="Council news", text=A3)
    nk = Entity("NORP", 5, 18, "North Korean")
    c1 = store.claims.add(
        a1.id,
        start=0,
        end=61,
        text=A1[:61],
        entities=(nk,),
        facts=({"kind": "quantity", "value": 15000, "unit": "troops"},),
    )
    c2 = store.claims.add(a1.id, start=62, end=99, text=A1[62:99])
    c3 = store.claims.add(
        a2.id,
        start=0,
        end=len(A2),
        text=A2,
        entities=(nk,),
        facts=({"kind": "quantity", "value": 15000, "unit": "troops"},),
    )
    c4 = store.claims.add(a3.id, start=0, end=len(A3), text=A3)
    store.claims.update(c3.id, verdict=Verdict.MOSTLY_TRUE, rationale="Seoul's NIS confirmed it.")
    src, _ = store.sources.get_or_create("https://nis.example/report", "https://nis.example/report")
    store.sources.add_snapshot(
        src.id,
        fetched_at=datetime(2026, 1, 5, tzinfo=UTC),
        final_url=src.url,
        http_status=200,
        content_type="text/html",
        raw=b"<p>x</p>",
        text="The spy agency counted deployments.",
        title="NIS briefing",
    )
    store.evidence.attach(c3.id, src.id, stance=Stance.SUPPORTS, excerpt="counted deployments")
    return {
        "a1": a1.id,
        "a2": a2.id,
        "c1": c1.id,
        "c2": c2.id,
        "c3": c3.id,
        "c4": c4.id,
        "src": src.id,
    }


def test_search_finds_claims_rationales_titles_and_snapshots(store: Store) -> None:
    ids = _seed(store)
    hits = library.search(store, "troops")
    assert {h.claim_id for h in hits if h.kind == "claim"} == {ids["c1"], ids["c3"]}
    assert all("\x02" in h.snippet for h in hits if h.kind == "claim")
    (rationale_hit,) = library.search(store, "NIS confirmed")
    assert rationale_hit.claim_id == ids["c3"] and rationale_hit.verdict is Verdict.MOSTLY_TRUE
    assert [h.article_id for h in library.search(store, "council news") if h.kind == "article"]
    (snap,) = library.search(store, "spy agency")
    assert snap.kind == "source" and snap.source_id == ids["src"]


def test_search_prefix_phrase_and_hostile_syntax(store: Store) -> None:
    ids = _seed(store)
    assert {h.claim_id for h in library.search(store, "descri")} == {ids["c2"]}
    assert library.search(store, '"old friend"')[0].claim_id == ids["c2"]
    assert library.search(store, '"friend old"') == []
    for hostile in ["AND OR (", "troops NEAR(", '"', "*", "body:troops", "-troops"]:
        library.search(store, hostile)  # never raises
    with pytest.raises(UserInputError):
        library.search(store, "   ")


def test_index_follows_edits_and_deletes(store: Store) -> None:
    ids = _seed(store)
    store.claims.update(ids["c4"], text_edited="Parks get a record budget of 3 million")
    assert [h.claim_id for h in library.search(store, "record budget")] == [ids["c4"]]
    store.claims.delete(ids["c4"])
    assert library.search(store, "record budget") == []
    store.articles.delete(ids["a2"])
    assert ids["c3"] not in {h.claim_id for h in library.search(store, "troops")}


def test_similar_claims_ranks_the_same_claim_first(store: Store) -> None:
    ids = _seed(store)
    similar = library.similar_claims(store, ids["c1"])
    assert similar, "the same troop claim in another article must be found"
    top = similar[0]
    assert top.claim.id == ids["c3"]
    assert top.claim.verdict is Verdict.MOSTLY_TRUE
    assert top.evidence and top.evidence[0].source.id == ids["src"]
    assert any("15000" in r for r in top.reasons)
    assert ids["c4"] not in {s.claim.id for s in similar}
    assert ids["c2"] not in {s.claim.id for s in similar}  # same article is excluded


def test_copy_evidence_from_an_earlier_check(store: Store) -> None:
    ids = _seed(store)
    changes = library.copy_evidence(store, ids["c3"], ids["c1"])
    (view,) = store.evidence.for_claim(ids["c1"])
    assert view.source.id == ids["src"] and view.evidence.stance is Stance.SUPPORTS
    assert "copied from claim" in view.evidence.note
    assert changes.evidence == {view.evidence.id}
    again = library.copy_evidence(store, ids["c3"], ids["c1"])  # idempotent
    assert again.evidence == set()
    assert len(store.evidence.for_claim(ids["c1"])) == 1
