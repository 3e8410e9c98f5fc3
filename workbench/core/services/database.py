"""Database maintenance for the CLI and the app: upgrade, check, back up, restore.

Thin on purpose: the work is in storage (``migrate``, ``backup``); this is the
door the upper layers use, since they never import storage.
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.storage import backup as backups
from workbench.core.storage import migrate
from workbench.core.storage.backup import BackupFile
from workbench.core.storage.migrate import DatabaseCheck, MissingDatabaseError

__all__ = [
    "BackupFile",
    "DatabaseCheck",
    "MissingDatabaseError",
    "backup_now",
    "check",
    "head_revision",
    "list_backups",
    "require",
    "restore",
    "upgrade",
]


def head_revision() -> str:
    return migrate.head_revision()


def upgrade(path: Path) -> tuple[str | None, str, str | None]:
    """Bring ``path`` to this app's schema: (revision before, head, backup made).

    Reading the revision first must not leave -wal/-shm beside a file that
    the upgrade then refuses: both run under one side-file guard.
    """
    from workbench.core.storage import sqlite as dialect

    with migrate.leaving_no_sidecars(path):
        exists = migrate.check_location(path, create=True)
        usable = exists and dialect.probe(path) is None
        before = migrate.current_revision(path) if usable else None
        made = migrate.prepare(path)
    return before, migrate.head_revision(), made


def require(path: Path) -> None:
    """One clear line when there is no database at ``path`` (or it cannot be one)."""
    migrate.check_location(path, create=False)


def check(path: Path) -> DatabaseCheck:
    """Integrity, revision and tables, read-only (see :func:`migrate.check_database`)."""
    return migrate.check_database(path)


def backup_now(path: Path) -> Path:
    """A manual backup (the database is opened -- and so checked and migrated -- first).

    Nothing to back up (no file, a device, ...) is one clear line.
    """
    require(path)
    migrate.prepare(path, create=False)
    return backups.backup_database(path, reason="manual")


def restore(path: Path, backup: Path) -> Path:
    """Replace ``path`` with a checked backup; returns where the old database was kept."""
    return backups.restore_database(path, backup)


def list_backups(path: Path) -> list[BackupFile]:
    return backups.list_backups(path)
