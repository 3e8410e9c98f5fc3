"""Undo commands on a real store, with a QUndoStack and no widgets."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QUndoStack

from workbench.core.errors import NotFoundError, UserInputError
from workbench.core.model import Changes, FlagFinding, Stance, Status, Verdict
from workbench.ui import commands as cmd

TEXT = (
    "The city spent $4 million on roads in 2023. "
    "Officials said crime fell by 12 percent last year. "
    "The mayor was elected in 2019."
)


class Recorder:
    def __init__(self) -> None:
        self.changes: list[Changes] = []

    def __call__(self, changes: Changes) -> None:
        self.changes.append(changes)

    def last(self) -> Changes:
        return self.changes[-1]


@pytest.fixture
def world(store: Any) -> dict[str, Any]:
    article = store.articles.add(title="Roads", text=TEXT)
    first_end = TEXT.index(".") + 1
    c1 = store.claims.add(article.id, start=0, end=first_end, text=TEXT[:first_end], score=0.8)
    s2 = TEXT.index("Officials")
    e2 = TEXT.index("year.") + 5
    c2 = store.claims.add(article.id, start=s2, end=e2, text=TEXT[s2:e2], score=0.6)
    return {"article": article, "c1": c1, "c2": c2}


@pytest.fixture
def stack(qapp: object) -> QUndoStack:
    return QUndoStack()


def test_verdict_status_text_undo_redo(
    store: Any, world: dict[str, Any], stack: QUndoStack
) -> None:
    rec = Recorder()
    c1 = world["c1"]
    stack.push(cmd.SetVerdictCommand(store, c1.id, Verdict.FALSE, rec))
    claim = store.claims.get(c1.id)
    assert claim.verdict is Verdict.FALSE
    assert claim.status is Status.IN_PROGRESS
    assert rec.last().claims == {c1.id}
    stack.push(cmd.SetStatusCommand(store, c1.id, Status.CHECKED, rec))
    stack.push(cmd.EditClaimTextCommand(store, c1.id, "The city spent $4m on roads.", rec))
    assert store.claims.get(c1.id).text == "The city spent $4m on roads."
    assert store.claims.get(c1.id).text_extracted == c1.text_extracted
    assert stack.count() == 3

    stack.undo()
    assert store.claims.get(c1.id).text_edited is None
    stack.undo()
    assert store.claims.get(c1.id).status is Status.IN_PROGRESS
    stack.undo()
    claim = store.claims.get(c1.id)
    assert claim.verdict is None
    assert claim.status is Status.UNCHECKED
    stack.redo()
    stack.redo()
    stack.redo()
    claim = store.claims.get(c1.id)
    assert (claim.verdict, claim.status, claim.text) == (
        Verdict.FALSE,
        Status.CHECKED,
        "The city spent $4m on roads.",
    )


def test_invalid_edit_raises_and_pushes_nothing(
    store: Any, world: dict[str, Any], stack: QUndoStack
) -> None:
    rec = Recorder()
    with pytest.raises(UserInputError):
        stack.push(cmd.EditClaimTextCommand(store, world["c1"].id, "   ", rec))
    with pytest.raises(UserInputError):
        stack.push(
            cmd.AddEvidenceCommand(
                store, world["c1"].id, "javascript:alert(1)", Stance.SUPPORTS, "", "", rec
            )
        )
    assert stack.count() == 0
    assert rec.changes == []
    assert store.evidence.for_claim(world["c1"].id) == []


def test_rationale_typing_burst_is_one_undo_step(
    store: Any, world: dict[str, Any], stack: QUndoStack
) -> None:
    rec = Recorder()
    cid = world["c1"].id
    for text in ("Bud", "Budget", "Budget docs show $3.1m."):
        stack.push(cmd.SetRationaleCommand(store, cid, text, rec, burst=1))
    assert stack.count() == 1
    assert store.claims.get(cid).rationale == "Budget docs show $3.1m."
    # a second burst is a second step
    stack.push(cmd.SetRationaleCommand(store, cid, "Budget docs show $3.1m. See p.4", rec, burst=2))
    assert stack.count() == 2
    stack.undo()
    assert store.claims.get(cid).rationale == "Budget docs show $3.1m."
    stack.undo()
    assert store.claims.get(cid).rationale == ""
    stack.redo()
    assert store.claims.get(cid).rationale == "Budget docs show $3.1m."


def test_rationale_on_other_claim_does_not_merge(
    store: Any, world: dict[str, Any], stack: QUndoStack
) -> None:
    rec = Recorder()
    stack.push(cmd.SetRationaleCommand(store, world["c1"].id, "one", rec, burst=1))
    stack.push(cmd.SetRationaleCommand(store, world["c2"].id, "two", rec, burst=1))
    assert stack.count() == 2


def test_add_edit_remove_evidence(store: Any, world: dict[str, Any], stack: QUndoStack) -> None:
    rec = Recorder()
    cid = world["c1"].id
    add = cmd.AddEvidenceCommand(
        store,
        cid,
        "https://Example.org/budget?utm_source=x",
        Stance.SUPPORTS,
        "spent $4 million",
        "city budget",
        rec,
    )
    stack.push(add)
    views = store.evidence.for_claim(cid)
    assert len(views) == 1
    assert views[0].source.normalized_url == "https://example.org/budget"
    assert views[0].evidence.id == add.evidence_id
    assert add.source_id == views[0].source.id
    assert rec.last().evidence == {add.evidence_id}

    stack.push(
        cmd.EditEvidenceCommand(store, add.evidence_id, stance=Stance.REFUTES, on_changes=rec)
    )
    assert store.evidence.get(add.evidence_id).stance is Stance.REFUTES
    stack.push(cmd.RemoveEvidenceCommand(store, add.evidence_id, rec))
    assert store.evidence.for_claim(cid) == []
    assert add.evidence_id in rec.last().deleted_evidence

    stack.undo()  # remove
    views = store.evidence.for_claim(cid)
    assert len(views) == 1
    assert views[0].evidence.stance is Stance.REFUTES
    assert views[0].evidence.note == "city budget"
    assert views[0].evidence.id == add.evidence_id  # remapped to the new row
    stack.undo()  # edit
    assert store.evidence.get(add.evidence_id).stance is Stance.SUPPORTS
    stack.undo()  # add
    assert store.evidence.for_claim(cid) == []
    stack.redo()
    stack.redo()
    stack.redo()
    assert store.evidence.for_claim(cid) == []
    stack.undo()
    (view,) = store.evidence.for_claim(cid)
    assert (view.evidence.stance, view.evidence.excerpt) == (Stance.REFUTES, "spent $4 million")


def test_attaching_same_source_again_undoes_to_previous_fields(
    store: Any, world: dict[str, Any], stack: QUndoStack
) -> None:
    rec = Recorder()
    cid = world["c1"].id
    stack.push(cmd.AddEvidenceCommand(store, cid, "https://a.example/x", "supports", "", "n1", rec))
    stack.push(
        cmd.AddEvidenceCommand(store, cid, "https://a.example/x#frag", "refutes", "", "n2", rec)
    )
    (view,) = store.evidence.for_claim(cid)
    assert (view.evidence.stance, view.evidence.note) == (Stance.REFUTES, "n2")
    stack.undo()
    (view,) = store.evidence.for_claim(cid)
    assert (view.evidence.stance, view.evidence.note) == (Stance.SUPPORTS, "n1")


def test_delete_claim_undo_restores_claim_and_all_evidence(
    store: Any, world: dict[str, Any], stack: QUndoStack
) -> None:
    rec = Recorder()
    cid = world["c2"].id
    stack.push(cmd.SetVerdictCommand(store, cid, Verdict.MOSTLY_TRUE, rec))
    stack.push(cmd.SetRationaleCommand(store, cid, "Police data", rec, burst=1))
    a = cmd.AddEvidenceCommand(
        store, cid, "https://police.example/stats", "supports", "12", "", rec
    )
    stack.push(a)
    stack.push(cmd.AddEvidenceCommand(store, cid, "https://news.example/c", "refutes", "", "", rec))
    stack.push(cmd.DeleteClaimCommand(store, cid, rec))
    with pytest.raises(NotFoundError):
        store.claims.get(cid)
    assert rec.last().deleted_claims == {cid}
    assert len(rec.last().deleted_evidence) == 2

    stack.undo()
    new_id = cmd.current_claim_id(store, cid)  # SQLite may or may not reuse the id
    assert rec.last().claims == {new_id}
    claim = store.claims.get(new_id)
    assert (claim.verdict, claim.rationale) == (Verdict.MOSTLY_TRUE, "Police data")
    assert claim.text == world["c2"].text
    stances = sorted(v.evidence.stance.value for v in store.evidence.for_claim(new_id))
    assert stances == ["refutes", "supports"]
    # older commands still find their rows through the new ids
    stack.undo()  # second evidence
    stack.undo()  # first evidence
    assert store.evidence.for_claim(new_id) == []
    stack.undo()  # rationale
    stack.undo()  # verdict
    claim = store.claims.get(new_id)
    assert (claim.verdict, claim.rationale, claim.status) == (None, "", Status.UNCHECKED)
    for _ in range(5):
        stack.redo()
    latest = cmd.current_claim_id(store, cid)
    with pytest.raises(NotFoundError):
        store.claims.get(latest)  # the delete was redone
    stack.undo()
    restored = cmd.current_claim_id(store, cid)
    assert len(store.evidence.for_claim(restored)) == 2
    assert store.claims.get(restored).verdict is Verdict.MOSTLY_TRUE


def test_add_claim_undo_redo(store: Any, world: dict[str, Any], stack: QUndoStack) -> None:
    rec = Recorder()
    start = TEXT.index("The mayor")
    add = cmd.AddClaimCommand(store, world["article"].id, start, len(TEXT), rec)
    stack.push(add)
    claim = store.claims.get(add.claim_id)
    assert claim.text == "The mayor was elected in 2019."
    assert rec.last().claims == {claim.id}
    stack.undo()
    assert [c.id for c in store.claims.for_article(world["article"].id)] == [
        world["c1"].id,
        world["c2"].id,
    ]
    stack.redo()
    assert store.claims.get(add.claim_id).text == "The mayor was elected in 2019."
    with pytest.raises(UserInputError):
        cmd.AddClaimCommand(store, world["article"].id, 5, 5, rec)


def test_split_and_merge_undo(store: Any, world: dict[str, Any], stack: QUndoStack) -> None:
    rec = Recorder()
    c1, c2 = world["c1"], world["c2"]
    at = TEXT.index("on roads")
    split = cmd.SplitClaimCommand(store, c1.id, at, rec)
    stack.push(split)
    first, second = (store.claims.get(i) for i in split.claim_ids)
    assert first.text == "The city spent $4 million"
    assert second.text == "on roads in 2023."
    stack.undo()
    assert store.claims.get(c1.id).text == c1.text
    assert len(store.claims.for_article(c1.article_id)) == 2
    stack.redo()
    assert len(store.claims.for_article(c1.article_id)) == 3
    stack.undo()

    stack.push(cmd.AddEvidenceCommand(store, c2.id, "https://p.example/1", "supports", "", "", rec))
    stack.push(cmd.SetVerdictCommand(store, c2.id, Verdict.TRUE, rec))
    merge = cmd.MergeClaimsCommand(store, [c1.id, c2.id], rec)
    stack.push(merge)
    (merged,) = store.claims.for_article(c1.article_id)
    assert merged.id == c1.id
    assert merged.verdict is Verdict.TRUE
    assert len(store.evidence.for_claim(c1.id)) == 1
    assert rec.last().deleted_claims == {c2.id}
    stack.undo()
    claims = store.claims.for_article(c1.article_id)
    assert [c.text for c in claims] == [c1.text, c2.text]
    assert claims[0].verdict is None
    assert store.evidence.for_claim(c1.id) == []
    new_c2 = cmd.current_claim_id(store, c2.id)
    assert claims[1].id == new_c2
    assert claims[1].verdict is Verdict.TRUE
    assert len(store.evidence.for_claim(new_c2)) == 1
    # the verdict and evidence commands still undo on the restored claim
    stack.undo()
    stack.undo()
    assert store.claims.get(new_c2).verdict is None
    assert store.evidence.for_claim(new_c2) == []


def test_dismiss_flag_survives_recheck_by_fingerprint(
    store: Any, world: dict[str, Any], stack: QUndoStack
) -> None:
    rec = Recorder()
    aid = world["article"].id
    finding = FlagFinding("weekday", "Monday was not the 3rd", ((0, 10),), 0.9, None, "fp-1")
    (flag,) = store.flags.replace_for_article(aid, [finding])
    stack.push(cmd.DismissFlagCommand(store, flag.id, rec))
    assert store.flags.for_article(aid)[0].dismissed
    assert rec.last().flags == {flag.id}
    other = FlagFinding("numbers", "12 percent vs 21 percent", ((50, 60),), 0.7, None, "fp-2")
    # the checker re-runs: rows are re-created, and the old id now names another finding
    first, again = store.flags.replace_for_article(aid, [other, finding])
    assert again.dismissed
    assert not first.dismissed

    def dismissed() -> dict[str, bool]:
        return {f.fingerprint: f.dismissed for f in store.flags.for_article(aid)}

    stack.undo()
    assert dismissed() == {"fp-1": False, "fp-2": False}
    stack.redo()
    assert dismissed() == {"fp-1": True, "fp-2": False}


def test_command_on_vanished_row_becomes_obsolete(
    store: Any, world: dict[str, Any], stack: QUndoStack
) -> None:
    rec = Recorder()
    stack.push(cmd.SetVerdictCommand(store, world["c1"].id, Verdict.TRUE, rec))
    store.claims.delete(world["c1"].id)  # outside the stack
    stack.undo()
    assert stack.count() == 0


def test_claim_text_burst_merges(store: Any, world: dict[str, Any], stack: QUndoStack) -> None:
    rec = Recorder()
    cid = world["c1"].id
    for text in ("The city", "The city spent", "The city spent $4m."):
        stack.push(cmd.EditClaimTextCommand(store, cid, text, rec, burst=7))
    assert stack.count() == 1
    assert store.claims.get(cid).text == "The city spent $4m."
    stack.undo()
    assert store.claims.get(cid).text_edited is None


def test_undoing_a_verdict_change_restores_when_the_old_verdict_was_set(
    store: Any, world: dict[str, Any], stack: QUndoStack
) -> None:
    """The memo cites the snapshot current at verdict time, so undo must restore that time."""
    rec = Recorder()
    c1 = world["c1"]
    stack.push(cmd.SetVerdictCommand(store, c1.id, Verdict.FALSE, rec))
    first_time = store.claims.get(c1.id).verdict_set_at
    assert first_time is not None
    stack.push(cmd.SetVerdictCommand(store, c1.id, Verdict.TRUE, rec))
    assert store.claims.get(c1.id).verdict_set_at != first_time
    stack.undo()
    restored = store.claims.get(c1.id)
    assert restored.verdict is Verdict.FALSE
    assert restored.verdict_set_at == first_time
    stack.undo()
    assert store.claims.get(c1.id).verdict_set_at is None
