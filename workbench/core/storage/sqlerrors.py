"""SQLite failures sorted by error code, never by the wording of the message.

The code says what happened: ``SQLITE_BUSY`` is another program holding the
lock, ``SQLITE_FULL`` a full disk, ``SQLITE_CORRUPT`` a damaged file.  Those
come from the environment and become a :class:`~workbench.core.errors.DatabaseError`
with a message that names the file and the way out.  Every other code --
``SQLITE_ERROR`` for "no such column", ``SQLITE_CONSTRAINT``, ``SQLITE_MISUSE``
-- means the program asked for something wrong: a bug, reported with a
traceback and exit code 3, never dressed up as "check the file and try
again".  qutebrowser's ``misc/sql.py`` sorts its errors the same way.

``IOERR``, ``CANTOPEN`` and ``PROTOCOL`` count as environment too (a failing
disk, a file that cannot be opened, a lock protocol race), as in qutebrowser.
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.errors import DatabaseBusyError, DatabaseError

BUSY = 5
LOCKED = 6
READONLY = 8
IOERR = 10
CORRUPT = 11
FULL = 13
CANTOPEN = 14
PROTOCOL = 15
NOTADB = 26

KNOWN_CODES = frozenset({BUSY, LOCKED, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, PROTOCOL, NOTADB})
"""Primary result codes that mean "the environment", not "a bug"."""


def primary_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of ``exc`` (or of the sqlite3 error it wraps)."""
    orig = getattr(exc, "orig", None)
    source = orig if isinstance(orig, BaseException) else exc
    code = getattr(source, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    return code & 0xFF  # extended codes keep the primary code in the low byte


def explain(path: Path, exc: BaseException) -> DatabaseError | None:
    """The known error ``exc`` stands for, or None when it is a bug (re-raise it)."""
    code = primary_code(exc)
    if code is None or code not in KNOWN_CODES:
        return None
    orig = getattr(exc, "orig", None)
    detail = str(orig if isinstance(orig, BaseException) else exc)
    if code in (BUSY, LOCKED, PROTOCOL):
        return DatabaseBusyError(
            f"database {path} is busy in another program and did not free up in time",
            hint="close the other program or try again",
        )
    if code == READONLY:
        return DatabaseError(
            f"database {path} is read-only", hint="make the file and its folder writable"
        )
    if code == FULL:
        return DatabaseError(
            f"the disk holding {path} is full; the change was not saved", hint="free some space"
        )
    if code in (CORRUPT, NOTADB):
        return DatabaseError(
            f"database {path} is damaged ({detail})",
            hint="restore a backup with 'workbench db restore FILE'",
        )
    if code == CANTOPEN:
        return DatabaseError(
            f"cannot open database {path} ({detail})",
            hint="check that the file and its folder exist and are writable",
        )
    return DatabaseError(  # IOERR
        f"database {path} could not be read or written: the disk reported an error ({detail})",
        hint="check the disk and free some space; if the file is damaged, restore a backup",
    )
