"""The history of operations: append-only, one entry per operation.

Entries are written inside the operation's own transaction (see
:mod:`workbench.core.services.operations`), so an entry exists exactly when
its change does.  Undo data sits in ``history_undo`` beside the entry.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import select

from workbench.core.errors import NotFoundError
from workbench.core.model import HistoryEntry
from workbench.core.storage import convert
from workbench.core.storage.orm import HistoryRow, UndoRow
from workbench.core.storage.repos.base import Repository

UNDO = "undo"
REDO = "redo"
_PAGE = 200


def _entry(row: HistoryRow, undoable: bool) -> HistoryEntry:
    at = convert.aware(row.at)
    assert at is not None
    return HistoryEntry(
        id=row.id,
        at=at,
        actor=row.actor,
        kind=row.kind,
        summary=row.summary,
        article_id=row.article_id,
        claim_ids=tuple(int(i) for i in (row.claim_ids or ())),
        reverts=row.reverts,
        extends=row.extends,
        undoable=undoable,
    )


# Entries with whether they have undo data, without loading that data
# (statements are immutable: each method builds on this one).
_WITH_UNDO_FLAG = select(HistoryRow, UndoRow.history_id).outerjoin(
    UndoRow, UndoRow.history_id == HistoryRow.id
)


class HistoryRepository(Repository):
    def append(
        self,
        *,
        actor: str,
        kind: str,
        summary: str,
        article_id: int | None,
        claim_ids: Sequence[int],
        reverts: int | None = None,
        extends: int | None = None,
        undo: dict[str, Any] | None = None,
    ) -> HistoryEntry:
        with self._tx() as s:
            row = HistoryRow(
                at=convert.now(),
                actor=actor,
                kind=kind,
                summary=summary,
                article_id=article_id,
                claim_ids=sorted(set(claim_ids)),
                reverts=reverts,
                extends=extends,
            )
            s.add(row)
            s.flush()
            if undo is not None:
                s.add(UndoRow(history_id=row.id, payload=undo))  # flushed at commit
            return _entry(row, undo is not None)

    def get(self, entry_id: int) -> HistoryEntry:
        stmt = _WITH_UNDO_FLAG.where(HistoryRow.id == entry_id)
        with self._read() as s:
            found = s.execute(stmt).first()
            if found is None:
                raise NotFoundError(
                    f"no history entry #{entry_id}", hint="list them with 'workbench history'"
                )
            return _entry(found[0], found[1] is not None)

    def list(
        self, *, article_id: int | None = None, limit: int | None = None
    ) -> builtins.list[HistoryEntry]:
        """Entries oldest first (the newest ``limit`` of them, if given)."""
        stmt = _WITH_UNDO_FLAG
        if article_id is not None:
            stmt = stmt.where(HistoryRow.article_id == article_id)
        stmt = stmt.order_by(HistoryRow.id.desc())
        if limit is not None:
            stmt = stmt.limit(max(0, limit))
        with self._read() as s:
            rows = [_entry(row, undo is not None) for row, undo in s.execute(stmt)]
        rows.reverse()
        return rows

    def undo_data(self, entry_id: int) -> dict[str, Any] | None:
        with self._read() as s:
            row = s.get(UndoRow, entry_id)
            return dict(row.payload) if row is not None else None

    def latest(self, actor: str) -> HistoryEntry | None:
        """The actor's newest entry."""
        stmt = (
            _WITH_UNDO_FLAG.where(HistoryRow.actor == actor).order_by(HistoryRow.id.desc()).limit(1)
        )
        with self._read() as s:
            found = s.execute(stmt).first()
            return None if found is None else _entry(found[0], found[1] is not None)

    def stacks(self, actor: str) -> tuple[builtins.list[int], builtins.list[int]]:
        """The actor's undo stack and redo stack (entry ids, the next one last).

        Computed from the append-only log, so every process agrees:

        * an ordinary undoable entry goes on the undo stack and empties the
          redo stack (a new change ends what could be redone);
        * an entry that ``extends`` another replaces it there;
        * an undo takes its entry off the undo stack and goes on the redo stack;
        * a redo takes its undo entry off the redo stack and goes on the undo stack.

        Entries without undo data (imports, extraction, fetches) stay out of
        both stacks and leave them as they were.
        """
        stmt = (
            select(HistoryRow.id, HistoryRow.kind, HistoryRow.reverts, HistoryRow.extends)
            .add_columns(UndoRow.history_id)
            .outerjoin(UndoRow, UndoRow.history_id == HistoryRow.id)
            .where(HistoryRow.actor == actor)
            .order_by(HistoryRow.id)
        )
        done: builtins.list[int] = []
        redo: builtins.list[int] = []
        with self._read() as s:
            for entry_id, kind, reverts, extends, undo in s.execute(stmt):
                undoable = undo is not None
                if kind == UNDO:
                    _discard(done, reverts)
                    if undoable:
                        redo.append(entry_id)
                elif kind == REDO:
                    _discard(redo, reverts)
                    if undoable:
                        done.append(entry_id)
                else:
                    _discard(done, extends)
                    if undoable:
                        done.append(entry_id)
                        redo.clear()
        return done, redo

    # The undo and redo of one step need only the top of a stack, or whether
    # one entry is on it.  These answer from the newest entries backwards
    # (usually a handful of rows) instead of replaying the actor's whole
    # history as :meth:`stacks` does; a test checks they agree with it.

    def _newest_first(self, actor: str) -> Iterator[tuple[int, str, int | None, int | None, bool]]:
        """The actor's entries, newest first: (id, kind, reverts, extends, has undo data)."""
        below: int | None = None
        while True:
            stmt = (
                select(HistoryRow.id, HistoryRow.kind, HistoryRow.reverts, HistoryRow.extends)
                .add_columns(UndoRow.history_id)
                .outerjoin(UndoRow, UndoRow.history_id == HistoryRow.id)
                .where(HistoryRow.actor == actor)
                .order_by(HistoryRow.id.desc())
                .limit(_PAGE)
            )
            if below is not None:
                stmt = stmt.where(HistoryRow.id < below)
            with self._read() as s:
                rows = [(int(i), str(k), r, e, u is not None) for i, k, r, e, u in s.execute(stmt)]
            yield from rows
            if len(rows) < _PAGE:
                return
            below = rows[-1][0]

    def next_undo(self, actor: str) -> int | None:
        """The top of the actor's undo stack: the newest change still in effect."""
        taken: set[int] = set()
        for entry_id, kind, reverts, extends, undoable in self._newest_first(actor):
            if kind == UNDO:
                if reverts is not None:
                    taken.add(reverts)
                continue
            if kind != REDO and extends is not None:
                taken.add(extends)
            if undoable and entry_id not in taken:
                return entry_id
        return None

    def next_redo(self, actor: str) -> int | None:
        """The top of the actor's redo stack: the newest undo not redone, if no
        undoable change came after it."""
        redone: set[int] = set()
        for entry_id, kind, reverts, _extends, undoable in self._newest_first(actor):
            if kind == REDO:
                if reverts is not None:
                    redone.add(reverts)
            elif kind == UNDO:
                if undoable and entry_id not in redone:
                    return entry_id
            elif undoable:
                return None  # a new change ended what could be redone
        return None

    def can_undo(self, actor: str, entry_id: int) -> bool:
        """Whether ``entry_id`` is on the actor's undo stack."""
        with self._read() as s:
            row = s.get(HistoryRow, entry_id)
            if row is None or row.actor != actor or row.kind == UNDO:
                return False
            if s.get(UndoRow, entry_id) is None:
                return False
            later = s.scalar(
                select(HistoryRow.id)
                .where(
                    HistoryRow.actor == actor,
                    HistoryRow.id > entry_id,
                    ((HistoryRow.kind == UNDO) & (HistoryRow.reverts == entry_id))
                    | ((HistoryRow.kind != REDO) & (HistoryRow.extends == entry_id)),
                )
                .limit(1)
            )
            return later is None

    def can_redo(self, actor: str, entry_id: int) -> bool:
        """Whether ``entry_id`` is on the actor's redo stack."""
        with self._read() as s:
            row = s.get(HistoryRow, entry_id)
            if row is None or row.actor != actor or row.kind != UNDO:
                return False
            if s.get(UndoRow, entry_id) is None:
                return False
            redone = s.scalar(
                select(HistoryRow.id)
                .where(HistoryRow.kind == REDO, HistoryRow.reverts == entry_id)
                .limit(1)
            )
            if redone is not None:
                return False
            newer_change = s.scalar(
                select(HistoryRow.id)
                .join(UndoRow, UndoRow.history_id == HistoryRow.id)
                .where(
                    HistoryRow.actor == actor,
                    HistoryRow.id > entry_id,
                    HistoryRow.kind.not_in((UNDO, REDO)),
                )
                .limit(1)
            )
            return newer_change is None

    def origin(self, entry_id: int, undo: dict[str, Any] | None = None) -> HistoryEntry:
        """The operation an undo or redo entry (or a chain of them) goes back to.

        An undo or redo keeps its origin's id with its undo data (pass it as
        ``undo`` if already read), so this is one lookup however often a
        change was undone and redone.
        """
        known = undo.get("origin") if undo is not None else None
        if known is not None:
            return self.get(int(known))
        entry = self.get(entry_id)
        seen = 0
        while entry.kind in (UNDO, REDO) and entry.reverts is not None and seen < 10_000:
            data = self.undo_data(entry.id)
            known = data.get("origin") if data is not None else None
            entry = self.get(int(known) if known is not None else entry.reverts)
            seen += 1
        return entry


def _discard(items: builtins.list[int], value: int | None) -> None:
    if value is not None and value in items:
        items.remove(value)
