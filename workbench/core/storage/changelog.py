"""Row changes an operation made, and how to take them back.

Undo here works on rows, as Anki's does (``rslib/src/undo``): while an
undoable operation runs, every article, claim, evidence and flag row it
inserts, updates or deletes through the ORM is noted with its state before
and after.  Taking the operation back applies those states in reverse, in
one transaction, and that revert is captured the same way -- which is what
redo applies.  Nothing is written per operation kind, so every operation is
undoable the same way and an undo can never drift from what the operation
did.

Guarantees, and what is checked before anything is written:

* **Rows come back under their ids.**  Tables use AUTOINCREMENT, so an id
  is never handed out twice and a deleted row can be re-inserted as itself.
* **Nothing of anyone else's is overwritten.**  Every field the revert sets
  must still hold the value the operation left; a row it deletes must be as
  the operation left it and have no children added since; a row it
  re-inserts must not exist and must have its parents.  Otherwise
  :class:`~workbench.core.errors.ConflictError` names the row, and nothing
  is written.
* **Derived columns are recomputed, not restored**: ``updated_at`` (stamped
  now), claim ``position`` (renumbered from the spans) and evidence
  ``excerpt_found`` (checked again by the service against the current
  snapshot).  They neither block an undo nor bring back stale values.

Sources and snapshots are not tracked: a source row is shared by every
claim that cites the page and its snapshots are the archive, so undoing an
"attach" removes the evidence and leaves the source (harmless, and fetched
copies are never lost).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, LargeBinary, Table, event, func, select
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from workbench.core.errors import ConflictError
from workbench.core.model import JSONValue
from workbench.core.storage import convert
from workbench.core.storage.orm import ArticleRow, Base, ClaimRow, EvidenceRow, FlagRow

TRACKED: dict[str, type[Base]] = {
    "articles": ArticleRow,
    "claims": ClaimRow,
    "evidence": EvidenceRow,
    "flags": FlagRow,
}
"""Tables whose rows undo restores, parents before children."""

DERIVED = frozenset({"updated_at", "position", "excerpt_found"})
"""Columns recomputed after a change rather than restored (see the module docstring)."""

_PARENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "claims": (("article_id", "articles"),),
    "evidence": (("claim_id", "claims"), ("source_id", "sources")),
    "flags": (("article_id", "articles"),),
}
_CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    "articles": (("claims", "article_id"), ("flags", "article_id")),
    "claims": (("evidence", "claim_id"),),
}
_NOUNS = {"articles": "article", "claims": "claim", "evidence": "evidence", "flags": "finding"}
_ORDER = {name: n for n, name in enumerate(TRACKED)}

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row as an operation found it (``before``) and left it (``after``).

    ``before is None``: the operation inserted the row; ``after is None``: it
    deleted it.  For an update both hold only the columns that changed.
    """

    table: str
    id: int
    before: Row | None
    after: Row | None

    @property
    def noun(self) -> str:
        return f"{_NOUNS[self.table]} {self.id}"


def _table(name: str) -> Table:
    table = TRACKED[name].__table__
    assert isinstance(table, Table)
    return table


def _columns(name: str) -> list[str]:
    return [c.name for c in _table(name).columns]


def _read_row(session: Session, name: str, row_id: int) -> Row | None:
    """The row as the database holds it now (datetimes as UTC-aware, like the models)."""
    table = _table(name)
    found = session.connection().execute(select(table).where(table.c.id == row_id)).first()
    if found is None:
        return None
    row = dict(found._mapping)
    for column in table.columns:
        if isinstance(column.type, DateTime) and row[column.name] is not None:
            row[column.name] = convert.aware(row[column.name])
    return row


_LOG_KEY = "workbench_rowlog"


def install(sessions: sessionmaker[Session]) -> None:
    """Route the flush events of ``sessions`` to the :class:`RowLog` of a session, if any.

    Registered once per store: listening on each operation's session and
    removing the listener afterwards cost more than the rest of a small
    operation.
    """

    def before(session: Session, ctx: UOWTransaction, instances: object) -> None:
        log = session.info.get(_LOG_KEY)
        if log is not None:
            log._before_flush(session, ctx, instances)

    def after(session: Session, ctx: UOWTransaction) -> None:
        log = session.info.get(_LOG_KEY)
        if log is not None:
            log._after_flush(session, ctx)

    event.listen(sessions, "before_flush", before)
    event.listen(sessions, "after_flush", after)


class RowLog:
    """Captures the tracked rows one session changes, through ORM flush events
    (see :func:`install`)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._before: dict[tuple[str, int], Row | None] = {}
        session.info[_LOG_KEY] = self

    def close(self) -> None:
        self._session.info.pop(_LOG_KEY, None)

    @staticmethod
    def _key(obj: object) -> tuple[str, int] | None:
        name = getattr(obj, "__tablename__", None)
        if name not in TRACKED:
            return None
        row_id = getattr(obj, "id", None)
        return (str(name), int(row_id)) if row_id is not None else None

    def _before_flush(self, session: Session, _ctx: UOWTransaction, _instances: object) -> None:
        for obj in list(session.dirty) + list(session.deleted):
            key = self._key(obj)
            if key is None or key in self._before:
                continue
            if obj in session.dirty and not _changes_kept_columns(obj):
                continue  # only a derived column moved (a renumbered position)
            # The database still holds the row as it was before this flush.
            self._before[key] = _read_row(session, *key)

    def _after_flush(self, session: Session, _ctx: UOWTransaction) -> None:
        for obj in session.new:
            key = self._key(obj)
            if key is not None and key not in self._before:
                self._before[key] = None

    def changes(self) -> list[RowChange]:
        """What changed, compared with the rows as they are now (call before commit)."""
        self._session.flush()
        out: list[RowChange] = []
        for (name, row_id), before in self._before.items():
            after = _read_row(self._session, name, row_id)
            change = _diff(name, row_id, before, after)
            if change is not None:
                out.append(change)
        return sorted(out, key=lambda c: (_ORDER[c.table], c.id))


def _changes_kept_columns(obj: object) -> bool:
    """Whether a column other than a derived one was set (the ORM's committed state
    holds the old value of every attribute set since the last flush)."""
    from sqlalchemy import inspect

    return any(key not in DERIVED for key in inspect(obj).committed_state)


def _diff(name: str, row_id: int, before: Row | None, after: Row | None) -> RowChange | None:
    if before is None and after is None:
        return None  # inserted and deleted again within the operation
    if before is None or after is None:
        return RowChange(name, row_id, before, after)
    cols = [c for c in before if c not in DERIVED and before[c] != after[c]]
    if not cols:
        return None
    return RowChange(name, row_id, {c: before[c] for c in cols}, {c: after[c] for c in cols})


def compose(first: Sequence[RowChange], then: Sequence[RowChange]) -> list[RowChange] | None:
    """``first`` followed by ``then`` as one change, or None if they do not chain.

    Used for a burst of typing: each save is its own history entry, and the
    burst is undone as one step.  They chain only when ``then`` found every
    row as ``first`` left it (no one else changed it in between).
    """
    merged: dict[tuple[str, int], RowChange] = {(c.table, c.id): c for c in first}
    for change in then:
        key = (change.table, change.id)
        prior = merged.get(key)
        if prior is None:
            merged[key] = change
            continue
        if prior.after is None or change.before is None:
            return None  # deleted then touched, or re-inserted: not a typing burst
        if any(prior.after.get(c, change.before[c]) != change.before[c] for c in change.before):
            return None
        before = dict(prior.before) if prior.before is not None else None
        after = dict(prior.after)
        after.update(change.after or {})
        if change.after is None:
            merged[key] = RowChange(change.table, change.id, before, None)
            continue
        if before is not None:
            for c in change.before:
                before.setdefault(c, change.before[c])
        result = _diff(change.table, change.id, before, after) if before is not None else None
        if before is None:
            merged[key] = RowChange(change.table, change.id, None, after)
        elif result is None:
            del merged[key]
        else:
            merged[key] = result
    return sorted(merged.values(), key=lambda c: (_ORDER[c.table], c.id))


# --------------------------------------------------------------------------- revert


def revert(session: Session, changes: Sequence[RowChange]) -> set[int]:
    """Put every row back as it was before ``changes``; returns the articles touched.

    Checks everything first (see the module docstring), then re-inserts
    (parents first), restores updated fields, and deletes (children first),
    so no foreign key ever points at a missing row on the way.
    """
    inserts = [c for c in changes if c.after is None]
    updates = [c for c in changes if c.before is not None and c.after is not None]
    deletes = [c for c in changes if c.before is None]
    deleting = {(c.table, c.id) for c in deletes}
    inserting = {(c.table, c.id): c.before for c in inserts}
    for change in deletes:
        _check_unchanged(session, change, deleting)
    for change in updates:
        _check_unchanged(session, change, deleting)
    for change in sorted(inserts, key=lambda c: _ORDER[c.table]):
        _check_insertable(session, change, inserting)
    stamp = convert.now()
    articles: set[int] = set()
    for change in sorted(inserts, key=lambda c: _ORDER[c.table]):
        assert change.before is not None
        values = dict(change.before, updated_at=stamp)
        session.add(TRACKED[change.table](**values))
        session.flush()
        articles |= _articles_of(session, change.table, values)
    for change in updates:
        obj = session.get(TRACKED[change.table], change.id)
        assert obj is not None and change.before is not None
        for column, value in change.before.items():
            setattr(obj, column, value)
        if "updated_at" in _columns(change.table):
            obj.updated_at = stamp  # type: ignore[attr-defined]
        session.flush()
        articles |= _articles_of(session, change.table, _read_row(session, change.table, change.id))
    for change in sorted(deletes, key=lambda c: -_ORDER[c.table]):
        obj = session.get(TRACKED[change.table], change.id)
        assert obj is not None
        articles |= _articles_of(session, change.table, change.after)
        session.delete(obj)
        session.flush()
    return articles


def _check_unchanged(session: Session, change: RowChange, deleting: set[tuple[str, int]]) -> None:
    current = _read_row(session, change.table, change.id)
    if current is None:
        raise ConflictError(
            f"{change.noun} no longer exists", hint="it was deleted after this change"
        )
    expected = change.after or {}
    moved = [c for c in expected if c not in DERIVED and current.get(c) != expected[c]]
    if moved:
        raise ConflictError(
            f"{change.noun} was changed since ({', '.join(sorted(moved))})",
            hint="take back the later change first, or edit the row by hand",
        )
    if change.before is None:  # to be deleted: nothing may hang on it that we keep
        for child, column in _CHILDREN.get(change.table, ()):
            table = _table(child)
            ids = session.connection().execute(
                select(table.c.id).where(table.c[column] == change.id)
            )
            extra = [i for (i,) in ids if (child, int(i)) not in deleting]
            if extra:
                raise ConflictError(
                    f"{change.noun} has {_NOUNS[child]} added since ({child} {extra[0]})",
                    hint="remove that first, or keep the row",
                )


def _check_insertable(
    session: Session, change: RowChange, inserting: dict[tuple[str, int], Row | None]
) -> None:
    assert change.before is not None
    if _read_row(session, change.table, change.id) is not None:
        raise ConflictError(f"{change.noun} exists already", hint="it was brought back already")
    for column, parent in _PARENTS.get(change.table, ()):
        parent_id = change.before[column]
        if (parent, parent_id) in inserting:
            continue
        table = TRACKED[parent].__table__ if parent in TRACKED else Base.metadata.tables[parent]
        found = session.connection().execute(
            select(func.count()).select_from(table).where(table.c.id == parent_id)
        )
        if not found.scalar():
            raise ConflictError(
                f"cannot bring back {change.noun}: {_NOUNS.get(parent, parent)} {parent_id} "
                "no longer exists",
                hint="it was deleted after this change",
            )
    if change.table == "evidence":
        ev = _table("evidence")
        clash = session.connection().execute(
            select(ev.c.id).where(
                ev.c.claim_id == change.before["claim_id"],
                ev.c.source_id == change.before["source_id"],
            )
        )
        other = clash.first()
        if other is not None:
            raise ConflictError(
                f"cannot bring back {change.noun}: claim {change.before['claim_id']} "
                f"cites that source again (evidence {other[0]})",
                hint="remove the newer evidence first",
            )


def _articles_of(session: Session, name: str, row: Row | None) -> set[int]:
    if row is None:
        return set()
    if name == "articles":
        return {int(row["id"])}
    if name in ("claims", "flags"):
        return {int(row["article_id"])}
    claim = _read_row(session, "claims", int(row["claim_id"]))
    return {int(claim["article_id"])} if claim is not None else set()


def renumber(session: Session, article_ids: Iterable[int]) -> None:
    """Positions follow the article: by start offset, then end, then id."""
    for article_id in article_ids:
        rows = session.scalars(
            select(ClaimRow)
            .where(ClaimRow.article_id == article_id)
            .order_by(ClaimRow.start, ClaimRow.end, ClaimRow.id)
        ).all()
        for index, row in enumerate(rows):
            if row.position != index:
                row.position = index


# --------------------------------------------------------------------------- JSON


def encode(changes: Sequence[RowChange]) -> list[dict[str, JSONValue]]:
    """The changes as JSON (for the history's undo data); :func:`decode` reads them back."""
    return [
        {
            "table": c.table,
            "id": c.id,
            "before": _encode_row(c.table, c.before),
            "after": _encode_row(c.table, c.after),
        }
        for c in changes
    ]


def decode(data: Sequence[dict[str, Any]]) -> list[RowChange]:
    out: list[RowChange] = []
    for item in data:
        name = str(item["table"])
        if name not in TRACKED:
            raise ConflictError(f"this change touched a table ({name}) undo does not know")
        out.append(
            RowChange(
                name,
                int(item["id"]),
                _decode_row(name, item["before"]),
                _decode_row(name, item["after"]),
            )
        )
    return out


def _encode_row(name: str, row: Row | None) -> dict[str, JSONValue] | None:
    if row is None:
        return None
    table = _table(name)
    out: dict[str, JSONValue] = {}
    for column, value in row.items():
        kind = table.c[column].type
        if value is None:
            out[column] = None
        elif isinstance(kind, DateTime):
            out[column] = convert.aware(value).isoformat()  # type: ignore[union-attr]
        elif isinstance(kind, Date):
            out[column] = value.isoformat()
        elif isinstance(kind, LargeBinary):
            out[column] = base64.b64encode(value).decode("ascii")
        else:
            out[column] = value
    return out


def _decode_row(name: str, data: dict[str, Any] | None) -> Row | None:
    if data is None:
        return None
    table = _table(name)
    out: Row = {}
    for column, value in data.items():
        kind = table.c[column].type
        if value is None:
            out[column] = None
        elif isinstance(kind, DateTime):
            out[column] = datetime.fromisoformat(value)
        elif isinstance(kind, Date):
            out[column] = date.fromisoformat(value)
        elif isinstance(kind, LargeBinary):
            out[column] = base64.b64decode(value)
        elif isinstance(kind, Boolean):
            out[column] = bool(value)
        else:
            out[column] = value
    return out
