"""History, undo and redo: the same for the GUI, the CLI and scripts.

Semantics (also in docs/DESIGN.md, "Operations, history and undo"):

* **Undo** takes back the newest change of the current actor that is still
  in effect and was not undone -- the top of the actor's undo stack, which
  :class:`~workbench.core.storage.repos.history.HistoryRepository` computes
  from the append-only history (``stacks`` spells the rules out), so the CLI
  and the GUI agree across processes.  Changes that cannot be undone (imports, extraction,
  fetches, settings) are passed over, never taken back.
* **Redo** re-applies the newest undo of the current actor, but only while
  the actor made no new undoable change since (a new change ends redo).
* Both are operations themselves: one transaction, one history entry of
  kind ``undo`` / ``redo`` naming the entry it takes back (``reverts``).
  Rows come back under their own ids, with their evidence.
* **Rows changed or removed since** are never overwritten: if anyone
  (another window, the CLI, a colleague) changed a field the undo would
  set, deleted a row it would restore, or added evidence to a claim it
  would delete, the undo fails with :class:`ConflictError` naming the row
  and nothing is written.  The change stays on the stack: take back the
  later change first, or edit by hand.

The GUI undoes a specific entry (its QUndoCommand knows which); the CLI asks
for the top of the stack.  Both end in :func:`undo`.
"""

from __future__ import annotations

from workbench.core.errors import NothingToUndoError
from workbench.core.model import Changes, HistoryEntry
from workbench.core.services import operations
from workbench.core.services.operations import OpContext, OpResult, current_actor
from workbench.core.storage import Store
from workbench.core.storage.changelog import RowChange, decode
from workbench.core.storage.repos.history import REDO, UNDO


def history(
    store: Store, *, article_id: int | None = None, limit: int | None = None
) -> list[HistoryEntry]:
    """Entries oldest first; only one article's with ``article_id`` (even a deleted one)."""
    return store.history.list(article_id=article_id, limit=limit)


def undo(store: Store, *, entry_id: int | None = None) -> OpResult[HistoryEntry]:
    """Take back ``entry_id`` (default: the actor's newest change still in effect).

    The value is the original operation's entry (what was undone).
    """
    return _step(store, UNDO, entry_id)


def redo(store: Store, *, entry_id: int | None = None) -> OpResult[HistoryEntry]:
    """Re-apply ``entry_id``, an undo entry (default: the actor's newest undo).

    The value is the original operation's entry (what was redone).
    """
    return _step(store, REDO, entry_id)


def _step(store: Store, kind: str, entry_id: int | None) -> OpResult[HistoryEntry]:
    def work(op: OpContext) -> HistoryEntry:
        actor = current_actor(store)
        target = _target(store, kind, entry_id, actor)
        data = store.history.undo_data(target)
        if data is None:  # pragma: no cover - only entries with undo data are on a stack
            raise NothingToUndoError(f"#{target} cannot be {kind}ne")
        origin = store.history.origin(target, data)
        rows = decode(data["rows"])
        articles = op.tx.revert(rows)
        _recheck_excerpts(store, rows)
        op.reverts = target
        op.origin = origin.id
        op.describe(
            f"{kind}: {origin.summary}",
            article_id=origin.article_id,
            claim_ids=origin.claim_ids,
        )
        op.changes.merge(_changes(store, rows, articles))
        return origin

    return operations.run(store, kind, work)


def _target(store: Store, kind: str, entry_id: int | None, actor: str) -> int:
    history = store.history
    if entry_id is None:
        top = history.next_undo(actor) if kind == UNDO else history.next_redo(actor)
        if top is None:
            raise NothingToUndoError(
                f"nothing to {kind} for {actor}",
                hint="'workbench history' lists what was done"
                if kind == UNDO
                else "only an undo with no new change after it can be redone",
            )
        return top
    allowed = (
        history.can_undo(actor, entry_id) if kind == UNDO else history.can_redo(actor, entry_id)
    )
    if not allowed:
        entry = history.get(entry_id)  # NotFoundError for an unknown id
        why = (
            "it was undone already, cannot be undone, or is someone else's"
            if kind == UNDO
            else "it is not an undo, was redone already, or a newer change ended redo"
        )
        raise NothingToUndoError(f"cannot {kind} #{entry.id} ({entry.summary}): {why}")
    return entry_id


def _recheck_excerpts(store: Store, rows: list[RowChange]) -> None:
    """Evidence whose excerpt the revert put back: is that excerpt in the current snapshot?

    ``excerpt_found`` is derived, so a restored excerpt is checked again.  A
    row brought back whole keeps the check it was deleted with, exactly as
    the operation left it.
    """
    from workbench.core.services.sources import recheck_excerpt

    for row in rows:
        restored_excerpt = row.before is not None and "excerpt" in row.before
        if row.table == "evidence" and row.after is not None and restored_excerpt:
            recheck_excerpt(store, store.evidence.get(row.id))


def _changes(store: Store, rows: list[RowChange], articles: set[int]) -> Changes:
    """The change record of a revert: what the views must refresh."""
    out = Changes(articles=set(articles))
    for row in rows:
        restored = row.before is not None  # the revert leaves the row as ``before``
        if row.table == "claims":
            (out.claims if restored else out.deleted_claims).add(row.id)
        elif row.table == "evidence":
            (out.evidence if restored else out.deleted_evidence).add(row.id)
            for state in (row.before, row.after):
                if state is not None and "claim_id" in state:
                    out.claims.add(int(state["claim_id"]))
                if state is not None and "source_id" in state:
                    out.sources.add(int(state["source_id"]))
            if restored:
                evidence = store.evidence.get(row.id)
                out.claims.add(evidence.claim_id)
                out.sources.add(evidence.source_id)
        elif row.table == "flags":
            out.flags.add(row.id)
        elif row.table == "articles":
            out.articles.add(row.id)
    out.claims -= out.deleted_claims
    return out
