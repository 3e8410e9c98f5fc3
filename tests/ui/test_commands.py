"""Undoable edits on a real store, with a QUndoStack, the task runner and no widgets.

Every edit is an operation on the database lane; its undo step is pushed
once it has committed, and undo/redo are operations too.  Each test waits
for the lane (``settle``) where the app would simply go on.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QUndoStack
from ui_helpers import make_edits, settle

from workbench.core.errors import ConflictError, NotFoundError, UserInputError
from workbench.core.model import Changes, FlagFinding, Stance, Status, Verdict
from workbench.core.services import claims as claim_service
from workbench.ui.bus import ChangeBus

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


class Env:
    """A store, a stack and the edit machinery; ``run`` waits for the lane."""

    def __init__(self, qtbot: Any, store: Any, runner: Any) -> None:
        self.qtbot, self.store, self.runner = qtbot, store, runner
        self.bus = ChangeBus()
        self.rec = Recorder()
        self.bus.changed.connect(self.rec)
        self.stack = QUndoStack()
        self.edits = make_edits(store, runner, self.bus, self.stack)
        self.values: list[Any] = []
        self.errors: list[BaseException] = []

    def run(self, start: Any) -> Any:
        """Start an edit (a call on ``edits`` without callbacks) and wait for it."""
        self.values.clear()
        start(on_success=self.values.append, on_failure=self.errors.append)
        settle(self.qtbot, self.runner)
        return self.values[0] if self.values else None

    def undo(self) -> None:
        self.stack.undo()
        settle(self.qtbot, self.runner)

    def redo(self) -> None:
        self.stack.redo()
        settle(self.qtbot, self.runner)


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
def env(qtbot: Any, store: Any, runner: Any) -> Env:
    return Env(qtbot, store, runner)


def test_verdict_status_text_undo_redo(store: Any, world: dict[str, Any], env: Env) -> None:
    c1 = world["c1"]
    env.run(lambda **kw: env.edits.set_verdict(c1.id, Verdict.FALSE, **kw))
    claim = store.claims.get(c1.id)
    assert claim.verdict is Verdict.FALSE
    assert claim.status is Status.IN_PROGRESS
    assert env.rec.last().claims == {c1.id}
    env.run(lambda **kw: env.edits.set_status(c1.id, Status.CHECKED, **kw))
    env.run(lambda **kw: env.edits.edit_text(c1.id, "The city spent $4m on roads.", **kw))
    assert store.claims.get(c1.id).text == "The city spent $4m on roads."
    assert store.claims.get(c1.id).text_extracted == c1.text_extracted
    assert env.stack.count() == 3

    env.undo()
    assert store.claims.get(c1.id).text_edited is None
    env.undo()
    assert store.claims.get(c1.id).status is Status.IN_PROGRESS
    env.undo()
    claim = store.claims.get(c1.id)
    assert claim.verdict is None
    assert claim.status is Status.UNCHECKED
    env.redo()
    env.redo()
    env.redo()
    claim = store.claims.get(c1.id)
    assert (claim.verdict, claim.status, claim.text) == (
        Verdict.FALSE,
        Status.CHECKED,
        "The city spent $4m on roads.",
    )
    assert env.errors == [] and env.edits.failures == []


def test_invalid_edit_raises_and_pushes_nothing(
    store: Any, world: dict[str, Any], env: Env
) -> None:
    with pytest.raises(UserInputError):
        env.edits.edit_text(world["c1"].id, "   ")
    with pytest.raises(UserInputError):
        env.edits.attach_evidence(world["c1"].id, "javascript:alert(1)", Stance.SUPPORTS, "", "")
    settle(env.qtbot, env.runner)
    assert env.stack.count() == 0
    assert env.rec.changes == []
    assert store.evidence.for_claim(world["c1"].id) == []
    assert store.history.list() == []


def test_a_failing_edit_reports_and_pushes_nothing(
    store: Any, world: dict[str, Any], env: Env
) -> None:
    env.run(lambda **kw: env.edits.set_verdict(999_999, Verdict.TRUE, **kw))
    assert len(env.errors) == 1 and isinstance(env.errors[0], NotFoundError)
    assert env.stack.count() == 0
    assert store.history.list() == []  # the operation rolled back with its entry


def test_rationale_typing_burst_is_one_undo_step(
    store: Any, world: dict[str, Any], env: Env
) -> None:
    cid = world["c1"].id
    for text in ("Bud", "Budget", "Budget docs show $3.1m."):
        env.run(lambda text=text, **kw: env.edits.set_rationale(cid, text, burst="b1", **kw))
    assert env.stack.count() == 1
    assert store.claims.get(cid).rationale == "Budget docs show $3.1m."
    # every save is its own history entry; the later ones extend the first
    entries = store.history.list()
    assert [e.kind for e in entries] == ["rationale"] * 3
    assert [e.extends for e in entries] == [None, entries[0].id, entries[1].id]
    # a second burst is a second step
    env.run(
        lambda **kw: env.edits.set_rationale(
            cid, "Budget docs show $3.1m. See p.4", burst="b2", **kw
        )
    )
    assert env.stack.count() == 2
    env.undo()
    assert store.claims.get(cid).rationale == "Budget docs show $3.1m."
    env.undo()
    assert store.claims.get(cid).rationale == ""
    env.redo()
    assert store.claims.get(cid).rationale == "Budget docs show $3.1m."


def test_typed_then_erased_leaves_nothing_to_undo(
    store: Any, world: dict[str, Any], env: Env
) -> None:
    cid = world["c1"].id
    env.run(lambda **kw: env.edits.set_verdict(cid, Verdict.TRUE, **kw))
    for text in ("x", "xy", ""):
        env.run(lambda text=text, **kw: env.edits.set_rationale(cid, text, burst="b", **kw))
    assert env.stack.count() == 1  # the burst merged into nothing and dropped out
    env.undo()
    assert store.claims.get(cid).verdict is None  # the step before it


def test_rationale_on_other_claim_does_not_merge(
    store: Any, world: dict[str, Any], env: Env
) -> None:
    env.run(lambda **kw: env.edits.set_rationale(world["c1"].id, "one", burst="b", **kw))
    env.run(lambda **kw: env.edits.set_rationale(world["c2"].id, "two", burst="b", **kw))
    assert env.stack.count() == 2


def test_add_edit_remove_evidence(store: Any, world: dict[str, Any], env: Env) -> None:
    cid = world["c1"].id
    view = env.run(
        lambda **kw: env.edits.attach_evidence(
            cid,
            "https://Example.org/budget?utm_source=x",
            Stance.SUPPORTS,
            "spent $4 million",
            "city budget",
            **kw,
        )
    )
    views = store.evidence.for_claim(cid)
    assert len(views) == 1
    assert views[0].source.normalized_url == "https://example.org/budget"
    evidence_id = view.evidence.id
    assert views[0].evidence.id == evidence_id
    assert view.source.id == views[0].source.id
    assert env.rec.last().evidence == {evidence_id}

    env.run(lambda **kw: env.edits.edit_evidence(evidence_id, stance=Stance.REFUTES, **kw))
    assert store.evidence.get(evidence_id).stance is Stance.REFUTES
    env.run(lambda **kw: env.edits.remove_evidence(evidence_id, **kw))
    assert store.evidence.for_claim(cid) == []
    assert evidence_id in env.rec.last().deleted_evidence

    env.undo()  # remove
    views = store.evidence.for_claim(cid)
    assert len(views) == 1
    assert views[0].evidence.stance is Stance.REFUTES
    assert views[0].evidence.note == "city budget"
    assert views[0].evidence.id == evidence_id  # back under its own id
    env.undo()  # edit
    assert store.evidence.get(evidence_id).stance is Stance.SUPPORTS
    env.undo()  # add
    assert store.evidence.for_claim(cid) == []
    env.redo()
    env.redo()
    env.redo()
    assert store.evidence.for_claim(cid) == []
    env.undo()
    (view,) = store.evidence.for_claim(cid)
    assert (view.evidence.stance, view.evidence.excerpt) == (Stance.REFUTES, "spent $4 million")
    assert view.evidence.id == evidence_id


def test_attaching_same_source_again_undoes_to_previous_fields(
    store: Any, world: dict[str, Any], env: Env
) -> None:
    cid = world["c1"].id
    env.run(
        lambda **kw: env.edits.attach_evidence(
            cid, "https://a.example/x", "supports", "", "n1", **kw
        )
    )
    env.run(
        lambda **kw: env.edits.attach_evidence(
            cid, "https://a.example/x#frag", "refutes", "", "n2", **kw
        )
    )
    (view,) = store.evidence.for_claim(cid)
    assert (view.evidence.stance, view.evidence.note) == (Stance.REFUTES, "n2")
    env.undo()
    (view,) = store.evidence.for_claim(cid)
    assert (view.evidence.stance, view.evidence.note) == (Stance.SUPPORTS, "n1")


def test_delete_claim_undo_restores_claim_and_all_evidence(
    store: Any, world: dict[str, Any], env: Env
) -> None:
    cid = world["c2"].id
    edits = env.edits
    env.run(lambda **kw: edits.set_verdict(cid, Verdict.MOSTLY_TRUE, **kw))
    env.run(lambda **kw: edits.set_rationale(cid, "Police data", burst="r", **kw))
    env.run(
        lambda **kw: edits.attach_evidence(
            cid, "https://police.example/stats", "supports", "12", "", **kw
        )
    )
    env.run(
        lambda **kw: edits.attach_evidence(cid, "https://news.example/c", "refutes", "", "", **kw)
    )
    evidence_ids = sorted(v.evidence.id for v in store.evidence.for_claim(cid))
    env.run(lambda **kw: edits.delete_claims([cid], **kw))
    with pytest.raises(NotFoundError):
        store.claims.get(cid)
    assert env.rec.last().deleted_claims == {cid}
    assert env.rec.last().deleted_evidence == set(evidence_ids)

    env.undo()
    assert cid in env.rec.last().claims  # the same id comes back
    claim = store.claims.get(cid)
    assert (claim.verdict, claim.rationale) == (Verdict.MOSTLY_TRUE, "Police data")
    assert claim.text == world["c2"].text
    views = store.evidence.for_claim(cid)
    assert sorted(v.evidence.id for v in views) == evidence_ids
    assert sorted(v.evidence.stance.value for v in views) == ["refutes", "supports"]
    # older steps still work on the restored claim: its ids never changed
    env.undo()  # second evidence
    env.undo()  # first evidence
    assert store.evidence.for_claim(cid) == []
    env.undo()  # rationale
    env.undo()  # verdict
    claim = store.claims.get(cid)
    assert (claim.verdict, claim.rationale, claim.status) == (None, "", Status.UNCHECKED)
    for _ in range(5):
        env.redo()
    with pytest.raises(NotFoundError):
        store.claims.get(cid)  # the delete was redone
    env.undo()
    assert sorted(v.evidence.id for v in store.evidence.for_claim(cid)) == evidence_ids
    assert store.claims.get(cid).verdict is Verdict.MOSTLY_TRUE
    assert env.edits.failures == []


def test_add_claim_undo_redo(store: Any, world: dict[str, Any], env: Env) -> None:
    start = TEXT.index("The mayor")
    claim = env.run(lambda **kw: env.edits.add_claim(world["article"].id, start, len(TEXT), **kw))
    assert store.claims.get(claim.id).text == "The mayor was elected in 2019."
    assert env.rec.last().claims == {claim.id}
    env.undo()
    assert [c.id for c in store.claims.for_article(world["article"].id)] == [
        world["c1"].id,
        world["c2"].id,
    ]
    env.redo()
    assert store.claims.get(claim.id).text == "The mayor was elected in 2019."
    env.run(lambda **kw: env.edits.add_claim(world["article"].id, 5, 5, **kw))
    assert isinstance(env.errors[-1], UserInputError)


def test_split_and_merge_undo(store: Any, world: dict[str, Any], env: Env) -> None:
    c1, c2 = world["c1"], world["c2"]
    at = TEXT.index("on roads")
    first, second = env.run(lambda **kw: env.edits.split_claim(c1.id, at, **kw))
    assert first.id == c1.id
    assert store.claims.get(first.id).text == "The city spent $4 million"
    assert store.claims.get(second.id).text == "on roads in 2023."
    env.undo()
    assert store.claims.get(c1.id).text == c1.text
    assert len(store.claims.for_article(c1.article_id)) == 2
    env.redo()
    assert len(store.claims.for_article(c1.article_id)) == 3
    assert store.claims.get(second.id).text == "on roads in 2023."  # same id again
    env.undo()

    env.run(
        lambda **kw: env.edits.attach_evidence(
            c2.id, "https://p.example/1", "supports", "", "", **kw
        )
    )
    env.run(lambda **kw: env.edits.set_verdict(c2.id, Verdict.TRUE, **kw))
    merged = env.run(lambda **kw: env.edits.merge_claims([c1.id, c2.id], **kw))
    assert merged.id == c1.id
    (only,) = store.claims.for_article(c1.article_id)
    assert only.verdict is Verdict.TRUE
    assert len(store.evidence.for_claim(c1.id)) == 1
    assert env.rec.last().deleted_claims == {c2.id}
    env.undo()
    claims = store.claims.for_article(c1.article_id)
    assert [c.text for c in claims] == [c1.text, c2.text]
    assert claims[0].verdict is None
    assert store.evidence.for_claim(c1.id) == []
    assert claims[1].id == c2.id
    assert claims[1].verdict is Verdict.TRUE
    assert len(store.evidence.for_claim(c2.id)) == 1
    # the verdict and evidence steps still undo on the restored claim
    env.undo()
    env.undo()
    assert store.claims.get(c2.id).verdict is None
    assert store.evidence.for_claim(c2.id) == []


def test_dismiss_flag_survives_recheck(store: Any, world: dict[str, Any], env: Env) -> None:
    aid = world["article"].id
    finding = FlagFinding("weekday", "Monday was not the 3rd", ((0, 10),), 0.9, None, "fp-1")
    (flag,) = store.flags.replace_for_article(aid, [finding])
    env.run(lambda **kw: env.edits.dismiss_flag(flag, **kw))
    assert store.flags.for_article(aid)[0].dismissed
    assert env.rec.last().flags == {flag.id}
    other = FlagFinding("numbers", "12 percent vs 21 percent", ((50, 60),), 0.7, None, "fp-2")
    # the checker re-runs: the finding found again keeps its row and its dismissal
    first, again = store.flags.replace_for_article(aid, [other, finding])
    assert again.id == flag.id and again.dismissed
    assert not first.dismissed

    def dismissed() -> dict[str, bool]:
        return {f.fingerprint: f.dismissed for f in store.flags.for_article(aid)}

    env.undo()
    assert dismissed() == {"fp-1": False, "fp-2": False}
    env.redo()
    assert dismissed() == {"fp-1": True, "fp-2": False}


def test_step_on_a_row_removed_elsewhere_reports_and_drops_out(
    store: Any, world: dict[str, Any], env: Env
) -> None:
    env.run(lambda **kw: env.edits.set_verdict(world["c1"].id, Verdict.TRUE, **kw))
    claim_service.delete_claim(store, world["c1"].id)  # another program (the CLI) deletes it
    env.undo()
    (failure,) = env.edits.failures
    assert isinstance(failure, ConflictError)
    assert f"claim {world['c1'].id} no longer exists" in failure.one_line()
    env.redo()  # the stack drops the step the next time it reaches it
    assert env.stack.count() == 0
    with pytest.raises(NotFoundError):
        store.claims.get(world["c1"].id)  # nothing was brought back by a failed undo


def test_claim_text_burst_merges(store: Any, world: dict[str, Any], env: Env) -> None:
    cid = world["c1"].id
    for text in ("The city", "The city spent", "The city spent $4m."):
        env.run(lambda text=text, **kw: env.edits.edit_text(cid, text, burst="t7", **kw))
    assert env.stack.count() == 1
    assert store.claims.get(cid).text == "The city spent $4m."
    env.undo()
    assert store.claims.get(cid).text_edited is None


def test_undoing_a_verdict_change_restores_when_the_old_verdict_was_set(
    store: Any, world: dict[str, Any], env: Env
) -> None:
    """The memo cites the snapshot current at verdict time, so undo must restore that time."""
    c1 = world["c1"]
    env.run(lambda **kw: env.edits.set_verdict(c1.id, Verdict.FALSE, **kw))
    first_time = store.claims.get(c1.id).verdict_set_at
    assert first_time is not None
    env.run(lambda **kw: env.edits.set_verdict(c1.id, Verdict.TRUE, **kw))
    assert store.claims.get(c1.id).verdict_set_at != first_time
    env.undo()
    restored = store.claims.get(c1.id)
    assert restored.verdict is Verdict.FALSE
    assert restored.verdict_set_at == first_time
    env.undo()
    assert store.claims.get(c1.id).verdict_set_at is None


def test_copy_evidence_is_one_step(store: Any, world: dict[str, Any], env: Env) -> None:
    c1, c2 = world["c1"], world["c2"]
    for url in ("https://a.example/1", "https://a.example/2"):
        env.run(
            lambda url=url, **kw: env.edits.attach_evidence(c1.id, url, "supports", "", "", **kw)
        )
    changes = env.run(lambda **kw: env.edits.copy_evidence(c1.id, c2.id, **kw))
    assert len(changes.evidence) == 2
    copied = {v.evidence.id for v in store.evidence.for_claim(c2.id)}
    assert copied == changes.evidence
    env.undo()
    assert store.evidence.for_claim(c2.id) == []
    env.redo()
    assert {v.evidence.id for v in store.evidence.for_claim(c2.id)} == copied
