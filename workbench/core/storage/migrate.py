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
import errno
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import DatabaseError
from workbench.core.fileio import describe_mode
from workbench.core.storage import sqlite as dialect
from workbench.core.storage.backup import backup_database

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

HEAD_REVISION = "0004"
"""The newest migration in ``migrations/versions``; a unit test keeps it equal
to what Alembic computes, so adding a migration without bumping it fails CI."""

EXPECTED_TABLES = frozenset({"articles", "claims", "sources", "snapshots", "evidence", "flags"})


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
        conn = dialect.connect_uri(path, mode="ro")
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


class MissingDatabaseError(DatabaseError):
    """There is no database at the path (or an empty file) and none may be created."""


def check_location(path: Path, *, create: bool) -> bool:
    """Whether ``path`` holds a database file; one clear line when it cannot be one.

    Returns False for a missing (or empty) file, which only ``create``
    callers may turn into a new database.  Refused: a folder, a device, a
    FIFO or socket (opening one would hang or scribble on it), a path
    through a regular file ("the data folder is a file"), a name longer than
    the filesystem allows, and a missing file when ``create`` is False.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _location_error(path, exc) from None
    _check_name_length(path)
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise DatabaseError(
                f"{path} is a directory, not a database file",
                hint="pass a file path with --db",
            )
        if not stat.S_ISREG(info.st_mode):
            raise DatabaseError(
                f"{path} is {describe_mode(info.st_mode)}, not a database file; "
                "it was left untouched",
                hint="pass a regular file with --db",
            )
        if info.st_size > 0:
            return True
    if not create:
        what = "is empty" if info is not None else "does not exist"
        raise MissingDatabaseError(
            f"database {path} {what}; nothing was created",
            hint="check --db (or --data-dir); 'workbench import FILE' starts a new database",
        )
    folder = _nearest_existing(path.parent)
    if folder is not None and not folder.is_dir():
        raise DatabaseError(
            f"cannot create database {path}: {folder} is a file, not a folder",
            hint="choose another --db or --data-dir",
        )
    return False


_LONGEST_SIDE_FILE = "-journal"


def _check_name_length(path: Path) -> None:
    """SQLite creates ``NAME-journal`` and ``NAME-wal`` beside the file; they must fit too."""
    try:
        limit = os.pathconf(_nearest_existing(path.parent) or ".", "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    if len(os.fsencode(path.name)) + len(_LONGEST_SIDE_FILE) > limit:
        raise _location_error(path, OSError(errno.ENAMETOOLONG, "File name too long"))


def _nearest_existing(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        try:
            os.stat(candidate)
        except FileNotFoundError:
            continue
        except OSError:
            return candidate
        return candidate
    return None


def _location_error(path: Path, exc: OSError) -> DatabaseError:
    shown = str(path) if len(str(path)) <= 120 else str(path)[:119] + "…"
    if exc.errno == errno.ENAMETOOLONG:
        return DatabaseError(
            f"cannot use database {shown}: the file name is too long "
            "(SQLite needs room to add '-journal' to it)",
            hint="choose a shorter name with --db",
        )
    if exc.errno == errno.ENOTDIR:
        return DatabaseError(
            f"cannot use database {shown}: a folder in its path is a file",
            hint="check --db and --data-dir",
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return DatabaseError(
            f"cannot use database {shown}: permission denied on its folder",
            hint="choose a folder you can read and write",
        )
    return DatabaseError(
        f"cannot use database {shown}: {exc.strerror or exc}",
        hint="check --db and --data-dir",
    )


def _check_file(path: Path) -> None:
    if path.exists() and path.stat().st_size > 0:
        problem = dialect.probe(path)
        if problem and "disk i/o error" in problem.lower():
            full = shutil.disk_usage(path.parent).free < 1024 * 1024
            raise DatabaseError(
                f"cannot read database {path}: "
                + ("the disk holding it is full" if full else "the disk reported an I/O error"),
                hint="free some space and try again"
                if full
                else "check the disk; if the file is damaged, restore a backup "
                "with 'workbench db restore FILE'",
            )
        if problem and "readonly" in problem.replace("-", "").replace(" ", ""):
            raise DatabaseError(
                f"database {path} cannot be opened: its folder {path.parent} is read-only "
                "and SQLite must create its journal files beside the database",
                hint="make the folder writable, or copy the file to a writable folder "
                "and open that with --db",
            )
        if problem:
            raise DatabaseError(
                f"cannot use database {path}: {problem}",
                hint="restore a backup with 'workbench db restore FILE' or choose another --db",
            )


def prepare(path: Path, *, create: bool = True) -> str | None:
    """Make ``path`` a database at head; return the backup made, if any.

    With ``create`` False a missing database is refused instead of made.
    A refused file is left as it was found: besides the file itself staying
    byte-identical, the empty ``-wal``/``-shm`` files that SQLite creates when
    a WAL-mode file is merely read are removed again.
    """
    with leaving_no_sidecars(path):
        return _prepare(path, create=create)


@contextlib.contextmanager
def leaving_no_sidecars(path: Path) -> Iterator[None]:
    """On a DatabaseError inside, remove the empty side files created meanwhile.

    ``workbench db check`` and ``db upgrade`` read a file before deciding to
    refuse it; reading a WAL-mode file creates ``-wal``/``-shm`` beside it.
    """
    try:
        before = _sidecars(path)
    except OSError:
        before = set()
    try:
        yield
    except DatabaseError:
        _remove_new_sidecars(path, before)
        raise


def remove_new_sidecars(path: Path, before: set[Path]) -> None:
    """Public form of the clean-up, for callers that report rather than raise."""
    _remove_new_sidecars(path, before)


def sidecars(path: Path) -> set[Path]:
    return _sidecars(path)


def _sidecars(path: Path) -> set[Path]:
    return {p for p in (Path(f"{path}-wal"), Path(f"{path}-shm")) if _size(p) is not None}


def _size(path: Path) -> int | None:
    """The file's size, or None if there is none (or the name cannot even exist)."""
    try:
        return path.stat().st_size
    except OSError:
        return None


def _remove_new_sidecars(path: Path, before: set[Path]) -> None:
    """Delete side files this call created, but only while the WAL holds nothing."""
    wal = Path(f"{path}-wal")
    if wal in before or (_size(wal) or 0) > 0:
        return
    for side in (wal, Path(f"{path}-shm")):
        if side not in before:
            with contextlib.suppress(OSError):
                side.unlink(missing_ok=True)


def _prepare(path: Path, *, create: bool) -> str | None:
    exists = check_location(path, create=create)
    _check_file(path)
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
        backup = _pre_upgrade_backup(path, revision)
    engine = dialect.make_engine(path)
    try:
        upgrade(engine)
    except Exception as exc:
        if not _is_database_failure(exc):
            raise
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]
        kept = f"; a copy from before the attempt is at {backup}" if backup else ""
        raise DatabaseError(
            f"upgrading database {path} from revision {revision or 'empty'} failed "
            f"({reason}); the database was left as it was{kept}",
            hint="report this problem; the app cannot open the file until it is resolved",
        ) from exc
    finally:
        engine.dispose()
    _check_tables(path)
    return str(backup) if backup else None


def _pre_upgrade_backup(path: Path, revision: str | None) -> Path:
    """The copy to take before upgrading, reusing one of identical data.

    A migration that fails is retried at every open; without this, each try
    added another full copy that thinning never removes (pre-upgrade copies
    are kept on purpose).  If the newest pre-upgrade copy for this revision
    holds the same data (:func:`~.sqlite.content_marker`), it is the backup.
    """
    from workbench.core.storage.backup import list_backups

    reason = f"pre-upgrade-{revision or 'empty'}"
    same_reason = [b for b in list_backups(path) if b.reason == reason]
    if same_reason:
        newest = max(same_reason, key=lambda b: b.taken_at)
        current = dialect.content_marker(path)
        if current is not None and current == dialect.content_marker(newest.path, immutable=True):
            return newest.path
    return backup_database(path, reason=reason)


def _is_database_failure(exc: Exception) -> bool:
    """Errors a migration run raises about the data (not bugs in this module)."""
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(exc, SQLAlchemyError | sqlite3.Error | CommandError)


def upgrade(engine: Engine) -> None:
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def _check_tables(path: Path) -> None:
    missing = EXPECTED_TABLES - dialect.table_names(path)
    if missing:
        raise DatabaseError(
            f"database {path} is missing tables ({', '.join(sorted(missing))}); "
            "it was left untouched",
            hint="restore a backup with 'workbench db restore FILE' or choose another --db",
        )
