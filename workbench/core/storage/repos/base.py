"""What every repository shares: one transaction per call, errors translated.

Each public repository method is one unit of work that commits before it
returns, so a crash never loses a change the caller was told about and never
leaves half of one behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from workbench.core.errors import DatabaseError


class Repository:
    def __init__(
        self, sessions: sessionmaker[Session], path: Path, *, readers: sessionmaker[Session]
    ) -> None:
        self._sessions = sessions
        self._readers = readers
        self._path = path

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        """A session inside one committed transaction; SQLite errors become KnownErrors."""
        try:
            with self._sessions.begin() as session:
                yield session
        except sa_exc.OperationalError as exc:
            raise _explain(self._path, exc) from exc
        except sa_exc.DatabaseError as exc:
            if isinstance(exc, sa_exc.IntegrityError):
                raise
            raise _explain(self._path, exc) from exc

    @contextmanager
    def _read(self) -> Iterator[Session]:
        try:
            with self._readers() as session:
                yield session
        except sa_exc.OperationalError as exc:
            raise _explain(self._path, exc) from exc


def _explain(path: Path, exc: sa_exc.DBAPIError) -> DatabaseError:
    """Turn an SQLite failure into a message that names the file and the way out."""
    detail = str(exc.orig) if exc.orig is not None else str(exc)
    low = detail.lower()
    if "locked" in low or "busy" in low:
        return DatabaseError(
            f"database {path} is busy in another program and did not free up in time",
            hint="close the other program or try again",
        )
    if "readonly" in low or "read-only" in low:
        return DatabaseError(
            f"database {path} is read-only", hint="make the file and its folder writable"
        )
    if ("disk" in low and "full" in low) or "no space" in low:
        return DatabaseError(
            f"the disk holding {path} is full; the change was not saved", hint="free some space"
        )
    if "malformed" in low or "not a database" in low:
        return DatabaseError(
            f"database {path} is damaged ({detail})",
            hint="restore a backup with 'workbench db restore FILE'",
        )
    return DatabaseError(f"database {path} failed: {detail}", hint="check the file and try again")
