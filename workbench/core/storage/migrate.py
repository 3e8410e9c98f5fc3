"""Open a database the same way every time: check, back up, upgrade.

1. Refuse a file that is not a sound SQLite database, without touching it.
2. Read its Alembic revision; refuse one this app does not know ("newer").
3. If it is behind, take an online backup beside it, then upgrade to head.

New databases are made by upgrading from empty, so new and old databases
share one code path (no ``create_all`` + ``stamp``).

Alembic is imported only when a database is behind (or ahead): the usual
open finds the file already at :data:`HEAD_REVISION`, read with the stdlib
``sqlite3`` module, and importing Alembic and loading its migration scripts
would add about half a second to every start of the app.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import DatabaseError
from workbench.core.storage import sqlerrors
from workbench.core.storage import sqlite as dialect
from workbench.core.storage.backup import backup_database

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

HEAD_REVISION = "0005"
"""The newest migration in ``migrations/versions``; a unit test keeps it equal
to what Alembic computes, so adding a migration without bumping it fails CI."""

EXPECTED_TABLES = frozenset(
    {"articles", "claims", "sources", "snapshots", "evidence", "flags", "history", "history_undo"}
)


def _migrations_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("workbench.migrations")))


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_migrations_dir()))
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise DatabaseError("this installation has no database migrations; reinstall the app")
    return head


def current_revision(path: Path) -> str | None:
    """The revision stamped in ``path``; None for a file with no schema yet.

    Raises DatabaseError (never a raw sqlite3 error) for a file that is not
    a database, so callers such as ``workbench db upgrade`` print one line.
    """
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return _read_revision(conn, path)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"cannot use database {path}: it is not a usable SQLite database ({exc})",
            hint="restore a backup with 'workbench db restore FILE' or choose another --db",
        ) from exc


def _read_revision(conn: sqlite3.Connection, path: Path) -> str | None:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables:
        if tables:
            raise DatabaseError(
                f"{path} is an SQLite database but not a workbench database "
                f"(it has tables {', '.join(sorted(tables)[:5])})",
                hint="choose another file with --db, or move this one away",
            )
        return None
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def _check_file(path: Path) -> None:
    if path.exists() and path.is_dir():
        raise DatabaseError(
            f"{path} is a directory, not a database file",
            hint="pass a file path with --db",
        )
    if path.exists() and path.stat().st_size > 0:
        problem = dialect.diagnose(path)
        if problem is None:
            return
        if problem.code in (sqlerrors.IOERR, sqlerrors.FULL):
            full = shutil.disk_usage(path.parent).free < 1024 * 1024
            raise DatabaseError(
                f"cannot read database {path}: "
                + ("the disk holding it is full" if full else "the disk reported an I/O error"),
                hint="free some space and try again"
                if full
                else "check the disk; if the file is damaged, restore a backup "
                "with 'workbench db restore FILE'",
            )
        if problem.code == sqlerrors.READONLY:
            raise DatabaseError(
                f"database {path} cannot be opened: its folder {path.parent} is read-only "
                "and SQLite must create its journal files beside the database",
                hint="make the folder writable, or copy the file to a writable folder "
                "and open that with --db",
            )
        raise DatabaseError(
            f"cannot use database {path}: {problem.message}",
            hint="restore a backup with 'workbench db restore FILE' or choose another --db",
        )


def prepare(path: Path) -> str | None:
    """Make ``path`` a database at head; return the backup made, if any.

    A refused file is left as it was found: besides the file itself staying
    byte-identical, the empty ``-wal``/``-shm`` files that SQLite creates when
    a WAL-mode file is merely read are removed again.
    """
    before = _sidecars(path)
    try:
        return _prepare(path)
    except DatabaseError:
        _remove_new_sidecars(path, before)
        raise


def _sidecars(path: Path) -> set[Path]:
    return {p for p in (Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()}


def _remove_new_sidecars(path: Path, before: set[Path]) -> None:
    """Delete side files this call created, but only while the WAL holds nothing."""
    wal = Path(f"{path}-wal")
    if wal in before or (wal.exists() and wal.stat().st_size > 0):
        return
    for side in (wal, Path(f"{path}-shm")):
        if side not in before:
            with contextlib.suppress(OSError):
                side.unlink(missing_ok=True)


def _prepare(path: Path) -> str | None:
    _check_file(path)
    exists = path.exists() and path.stat().st_size > 0
    revision = current_revision(path) if exists else None
    if revision == HEAD_REVISION:
        _check_tables(path)  # the usual open: no Alembic needed
        return None
    head = head_revision()
    if revision is not None and revision not in known_revisions():
        raise DatabaseError(
            f"database {path} is newer than this app (revision {revision}); it was left untouched",
            hint="update the workbench to open it",
        )
    if not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                f"cannot create the folder for database {path}: {exc.strerror}",
                hint="choose a writable location with --db or --data-dir",
            ) from exc
    if revision == head:
        _check_tables(path)
        return None
    if not os.access(path.parent, os.W_OK) or (exists and not os.access(path, os.W_OK)):
        raise DatabaseError(
            f"database {path} needs an upgrade but is read-only",
            hint="make the file and its folder writable, or copy it somewhere writable",
        )
    backup: Path | None = None
    if exists:
        backup = backup_database(path, reason=f"pre-upgrade-{revision or 'empty'}")
    engine = dialect.make_engine(path)
    try:
        upgrade(engine)
    except sqlite3.OperationalError as exc:  # pragma: no cover - disk full and friends
        raise DatabaseError(f"upgrading database {path} failed: {exc}") from exc
    finally:
        engine.dispose()
    _check_tables(path)
    return str(backup) if backup else None


def upgrade(engine: Engine) -> None:
    """Upgrade to head in one transaction, with foreign keys off on SQLite.

    Migrations that rebuild a table (SQLite cannot alter most things in
    place) drop the old copy; with foreign keys on, that drop would cascade
    into the rows that point at it.  The check afterwards makes sure the
    rebuilt tables still hold together before anything is committed.
    """
    from alembic import command

    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        if sqlite:
            dialect.foreign_keys_off(raw)
        try:
            with connection.begin():
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, "head")
                problems = dialect.foreign_key_problems(connection) if sqlite else []
                if problems:
                    raise DatabaseError(
                        "upgrading the database would leave rows pointing nowhere "
                        f"({'; '.join(problems[:3])}); nothing was changed",
                        hint="restore a backup with 'workbench db restore FILE'",
                    )
        finally:
            if sqlite:
                dialect.foreign_keys_on(raw)


@dataclass(frozen=True, slots=True)
class DatabaseCheck:
    """What ``workbench db check`` reports; ``ok`` only when sound and at head."""

    path: Path
    ok: bool
    revision: str | None
    head: str
    errors: list[str]


def check_database(path: Path) -> DatabaseCheck:
    """Check a database file without changing it: integrity, revision and tables.

    Read-only: a damaged or foreign file is described, never repaired or
    upgraded (``workbench db upgrade`` does that).
    """
    if not path.exists():
        raise DatabaseError(f"{path} does not exist", hint="create it with 'workbench db upgrade'")
    problem = dialect.probe(path)
    errors = [problem] if problem else dialect.integrity_check(path)
    revision = current_revision(path) if not problem else None
    if not problem:
        missing = EXPECTED_TABLES - dialect.table_names(path)
        if missing:
            errors.append(f"missing tables: {', '.join(sorted(missing))}")
        if revision == HEAD_REVISION:
            errors.extend(dialect.foreign_key_problems_of(path))
    head = head_revision()
    return DatabaseCheck(path, not errors and revision == head, revision, head, errors)


def _check_tables(path: Path) -> None:
    missing = EXPECTED_TABLES - dialect.table_names(path)
    if missing:
        raise DatabaseError(
            f"database {path} is missing tables ({', '.join(sorted(missing))}); "
            "it was left untouched",
            hint="restore a backup with 'workbench db restore FILE' or choose another --db",
        )
