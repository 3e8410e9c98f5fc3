"""What every repository shares: one transaction per call, errors translated.

A repository method called on its own is one unit of work that commits
before it returns, so a crash never loses a change the caller was told about
and never leaves half of one behind.  Called inside :meth:`Store.transaction`
(an operation), every method joins that one transaction instead: an
operation that touches a claim, its evidence and the history commits all of
it or none of it, and its reads see its own writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from workbench.core.storage import sqlerrors

if TYPE_CHECKING:
    from workbench.core.storage.changelog import RowLog


@dataclass(slots=True)
class Unit:
    """The transaction an operation runs in, shared by every repository call inside it."""

    session: Session
    sessions: sessionmaker[Session]
    log: RowLog | None = None
    """Row changes captured for undo (None when the operation is not undoable)."""


_unit: ContextVar[Unit | None] = ContextVar("workbench_unit", default=None)


def active_unit(sessions: sessionmaker[Session]) -> Unit | None:
    """The operation's transaction on this store, if one is open on this thread."""
    unit = _unit.get()
    return unit if unit is not None and unit.sessions is sessions else None


@contextmanager
def enter(unit: Unit) -> Iterator[Unit]:
    token = _unit.set(unit)
    try:
        yield unit
    finally:
        _unit.reset(token)


def reraise(path: Path, exc: sa_exc.DBAPIError) -> None:
    """Raise the known error ``exc`` stands for; return (so the caller re-raises) on a bug."""
    known = sqlerrors.explain(path, exc)
    if known is not None:
        raise known from exc


class Repository:
    def __init__(
        self, sessions: sessionmaker[Session], path: Path, *, readers: sessionmaker[Session]
    ) -> None:
        self._sessions = sessions
        self._readers = readers
        self._path = path

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        """A session inside one committed transaction (or the operation's, if one is open)."""
        unit = active_unit(self._sessions)
        if unit is not None:
            yield unit.session
            return
        try:
            with self._sessions.begin() as session:
                yield session
        except sa_exc.DBAPIError as exc:
            reraise(self._path, exc)
            raise

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A reading session; inside an operation, its session (reads see its writes)."""
        unit = active_unit(self._sessions)
        if unit is not None:
            yield unit.session
            return
        try:
            with self._readers() as session:
                yield session
        except sa_exc.DBAPIError as exc:
            reraise(self._path, exc)
            raise
