"""Database maintenance for the CLI and the app: upgrade, check, back up, restore.

Thin on purpose: the work is in storage (``migrate``, ``backup``); this is the
door the upper layers use, since they never import storage.
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.storage import backup as backups
from workbench.core.storage import migrate
from workbench.core.storage.backup import BackupFile
from workbench.core.storage.migrate import DatabaseCheck

__all__ = [
    "BackupFile",
    "DatabaseCheck",
    "backup_now",
    "check",
    "head_revision",
    "list_backups",
    "restore",
    "upgrade",
]


def head_revision() -> str:
    return migrate.head_revision()


def upgrade(path: Path) -> tuple[str | None, str, str | None]:
    """Bring ``path`` to this app's schema: (revision before, head, backup made)."""
    before = migrate.current_revision(path) if path.exists() and path.stat().st_size else None
    made = migrate.prepare(path)
    return before, migrate.head_revision(), made


def check(path: Path) -> DatabaseCheck:
    """Integrity, revision and tables, read-only (see :func:`migrate.check_database`)."""
    return migrate.check_database(path)


def backup_now(path: Path) -> Path:
    """A manual backup (the database is opened -- and so checked and migrated -- first)."""
    migrate.prepare(path)
    return backups.backup_database(path, reason="manual")


def restore(path: Path, backup: Path) -> Path:
    """Replace ``path`` with a checked backup; returns where the old database was kept."""
    return backups.restore_database(path, backup)


def list_backups(path: Path) -> list[BackupFile]:
    return backups.list_backups(path)
