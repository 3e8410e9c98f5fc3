"""History, undo and redo on a real SQLite file: the semantics docs/DESIGN.md promises."""

from __future__ import annotations

import getpass
from datetime import date

import pytest

from workbench.core.errors import ConflictError, NotFoundError, NothingToUndoError
from workbench.core.model import Settings, Stance, Verdict
from workbench.core.services import articles as article_service
from workbench.core.services import claims as claim_service
from workbench.core.services import history as service
from workbench.core.services import sources as source_service
from workbench.core.services.operations import current_actor
from workbench.core.storage import Store

TEXT = "The city spent $4 million on roads in 2023. Officials said crime fell by 12 percent."


@pytest.fixture
def world(store: Store, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    monkeypatch.delenv("WORKBENCH_USER", raising=False)
    store.actor = "ana"
    article, _ = article_service.import_text(store, TEXT, title="Roads")
    first, _ = claim_service.add_claim(store, article.id, 0, TEXT.index(".") + 1)
    second, _ = claim_service.add_claim(store, article.id, TEXT.index("Officials"), len(TEXT))
    return {"article": article.id, "first": first.id, "second": second.id}


def test_undo_takes_back_the_actors_newest_change_still_in_effect(
    store: Store, world: dict[str, int]
) -> None:
    claim_service.set_verdict(store, world["first"], Verdict.FALSE)
    article_service.set_dateline(store, world["article"], date(2023, 5, 1))
    store.actor = "bob"
    claim_service.set_verdict(store, world["second"], Verdict.TRUE)  # someone else's
    store.actor = "ana"
    claim_service.check_consistency(store, world["article"])  # recorded, not undoable
    undone = service.undo(store).value
    assert undone.kind == "dateline"
    assert store.articles.get(world["article"]).dateline is None
    undone = service.undo(store).value
    assert undone.kind == "verdict" and undone.claim_ids == (world["first"],)
    assert store.claims.get(world["first"]).verdict is None
    assert store.claims.get(world["second"]).verdict is Verdict.TRUE  # bob's stays


def test_redo_only_while_no_new_change_was_made(store: Store, world: dict[str, int]) -> None:
    claim_service.set_verdict(store, world["first"], Verdict.FALSE)
    service.undo(store)
    result = service.redo(store)
    assert result.value.kind == "verdict"
    assert store.claims.get(world["first"]).verdict is Verdict.FALSE
    service.undo(store)
    claim_service.set_status(store, world["second"], claim_service.parse_status("checked"))
    with pytest.raises(NothingToUndoError, match="nothing to redo for ana"):
        service.redo(store)
    assert store.claims.get(world["first"]).verdict is None


def test_undo_and_redo_are_operations_with_their_own_entries(
    store: Store, world: dict[str, int]
) -> None:
    claim_service.set_verdict(store, world["first"], Verdict.FALSE)
    target = store.history.list()[-1]
    undo = service.undo(store).entry
    redo = service.redo(store).entry
    assert undo is not None and redo is not None
    assert (undo.kind, undo.reverts, undo.actor) == ("undo", target.id, "ana")
    assert (redo.kind, redo.reverts) == ("redo", undo.id)
    assert undo.summary == f"undo: {target.summary}"
    assert redo.summary == f"redo: {target.summary}"
    assert undo.article_id == target.article_id and undo.claim_ids == target.claim_ids
    # undoing the redo takes the change back again, and says so
    assert service.undo(store).value.id == target.id


def test_nothing_to_undo_says_so(store: Store, world: dict[str, int]) -> None:
    store.actor = "carla"
    with pytest.raises(NothingToUndoError, match="nothing to undo for carla"):
        service.undo(store)
    with pytest.raises(NothingToUndoError, match="nothing to redo"):
        service.redo(store)


def test_an_entry_not_on_the_stack_cannot_be_undone(store: Store, world: dict[str, int]) -> None:
    claim_service.set_verdict(store, world["first"], Verdict.FALSE)
    entry = store.history.list()[-1]
    service.undo(store)
    with pytest.raises(NothingToUndoError, match="undone already"):
        service.undo(store, entry_id=entry.id)
    imported = store.history.list()[0]
    with pytest.raises(NothingToUndoError, match="cannot be undone"):
        service.undo(store, entry_id=imported.id)
    with pytest.raises(NotFoundError):
        service.undo(store, entry_id=999_999)


def test_a_field_changed_since_is_never_overwritten(store: Store, world: dict[str, int]) -> None:
    claim_service.set_verdict(store, world["first"], Verdict.FALSE)
    store.actor = "bob"
    claim_service.set_verdict(store, world["first"], Verdict.MISLEADING)
    store.actor = "ana"
    entries = len(store.history.list())
    with pytest.raises(ConflictError, match=f"claim {world['first']} was changed since"):
        service.undo(store)
    assert store.claims.get(world["first"]).verdict is Verdict.MISLEADING
    assert len(store.history.list()) == entries  # a refused undo writes no entry either
    # once bob takes his change back, ana's undo goes through
    store.actor = "bob"
    service.undo(store)
    store.actor = "ana"
    service.undo(store)
    assert store.claims.get(world["first"]).verdict is None


def test_a_row_removed_since_is_a_conflict(store: Store, world: dict[str, int]) -> None:
    claim_service.set_verdict(store, world["first"], Verdict.FALSE)
    store.actor = "bob"
    claim_service.delete_claim(store, world["first"])
    store.actor = "ana"
    with pytest.raises(ConflictError, match="no longer exists"):
        service.undo(store)


def test_undoing_an_add_keeps_evidence_someone_attached_since(
    store: Store, world: dict[str, int]
) -> None:
    added, _ = claim_service.add_claim(store, world["article"], 4, 8)
    store.actor = "bob"
    source_service.attach_evidence(store, added.id, "https://example.org/b", stance=Stance.REFUTES)
    store.actor = "ana"
    with pytest.raises(ConflictError, match="has evidence added since"):
        service.undo(store)
    assert len(store.evidence.for_claim(added.id)) == 1


def test_a_claim_cannot_come_back_into_a_deleted_article(
    store: Store, world: dict[str, int]
) -> None:
    claim_service.delete_claim(store, world["first"])
    article_service.delete_article(store, world["article"])
    with pytest.raises(ConflictError, match=f"article {world['article']} no longer exists"):
        service.undo(store)


def test_a_burst_of_typing_is_one_step_unless_someone_else_typed_between(
    store: Store, world: dict[str, int]
) -> None:
    cid = world["first"]
    for text in ("B", "Bu", "Budget"):
        claim_service.set_rationale(store, cid, text, burst="k1")
    service.undo(store)
    assert store.claims.get(cid).rationale == ""
    service.redo(store)
    claim_service.set_rationale(store, cid, "Budget 1", burst="k2")
    store.actor = "bob"
    claim_service.set_rationale(store, world["second"], "his", burst="k2")
    store.actor = "ana"
    claim_service.set_rationale(store, cid, "Budget 12", burst="k2")  # ana's newest entry chains
    entries = store.history.list()
    assert entries[-1].extends == entries[-3].id
    service.undo(store)
    assert store.claims.get(cid).rationale == "Budget"


def test_history_of_one_article_outlives_the_article(store: Store, world: dict[str, int]) -> None:
    other, _ = article_service.import_text(store, "Another text about bridges.", title="Other")
    claim_service.set_verdict(store, world["first"], Verdict.TRUE)
    article_service.delete_article(store, world["article"])
    kinds = [e.kind for e in service.history(store, article_id=world["article"])]
    assert kinds == ["import", "add-claim", "add-claim", "verdict", "delete-article"]
    assert [e.kind for e in service.history(store, article_id=other.id)] == ["import"]
    assert len(service.history(store, limit=2)) == 2
    assert service.history(store, limit=2)[-1].kind == "delete-article"


def test_the_actor_is_user_then_environment_then_settings_then_login(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WORKBENCH_USER", raising=False)
    store.actor = None
    assert current_actor(store) == getpass.getuser()
    store.settings.save(Settings(checker_name="Dana Desk"))
    assert current_actor(store) == "Dana Desk"
    monkeypatch.setenv("WORKBENCH_USER", "env-user")
    assert current_actor(store) == "env-user"
    store.actor = "cli-user"
    assert current_actor(store) == "cli-user"
    _article, changes = article_service.import_text(store, "Some text here.", title="T")
    assert changes.entry is not None and changes.entry.actor == "cli-user"


def test_the_stack_tops_agree_with_a_full_replay(store: Store, world: dict[str, int]) -> None:
    """Undo and redo look only at the newest entries; ``stacks`` replays the whole
    history.  Over a random mix of edits, bursts, undos and redos by two people,
    both must always name the same entries."""
    import random

    from workbench.core.model import Status

    rng = random.Random(14)
    statuses = list(Status)
    store.actor = "setup"  # claims neither ana nor bob can undo away
    first, _ = claim_service.add_claim(store, world["article"], 0, 10)
    second, _ = claim_service.add_claim(store, world["article"], 20, 30)
    world = {**world, "first": first.id, "second": second.id}
    for step in range(240):
        store.actor = rng.choice(["ana", "bob"])
        roll = rng.random()
        try:
            if roll < 0.25:
                claim_service.set_status(store, world["first"], rng.choice(statuses))
            elif roll < 0.4:
                burst = rng.choice(["x", "y"])  # two saves of one burst of typing
                claim_service.set_rationale(store, world["second"], f"r{step}", burst=burst)
                claim_service.set_rationale(store, world["second"], f"r{step}!", burst=burst)
            elif roll < 0.45:
                claim_service.check_consistency(store, world["article"])  # not undoable
            elif roll < 0.7:
                service.undo(store)
                if rng.random() < 0.4:
                    service.redo(store)
            else:
                service.redo(store)
        except (NothingToUndoError, ConflictError):
            pass  # refused: nothing left, or the other person changed the row since
        for actor in ("ana", "bob"):
            done, redo = store.history.stacks(actor)
            assert store.history.next_undo(actor) == (done[-1] if done else None), step
            assert store.history.next_redo(actor) == (redo[-1] if redo else None), step
            for entry in store.history.list()[-12:]:
                assert store.history.can_undo(actor, entry.id) == (entry.id in done), step
                assert store.history.can_redo(actor, entry.id) == (entry.id in redo), step
    kinds = [e.kind for e in store.history.list()]
    assert kinds.count("undo") > 15 and kinds.count("redo") > 5, kinds  # it did exercise them
    assert any(e.extends for e in store.history.list())  # and bursts
