"""Housekeeping the app runs by itself: scheduled backups when data changed.

Called by the GUI at start-up and then periodically, and by the CLI after a
command that changed data.  A copy is made at most once per calendar day
(UTC) and only if the data differs from the newest existing backup, so a
week of opening the app without editing anything does not push real history
out of the 7 daily / 4 weekly / 12 monthly windows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from workbench.core.errors import DatabaseError
from workbench.core.storage import Store
from workbench.core.storage import backup as backups
from workbench.core.storage import sqlite as dialect


def scheduled_backup_if_changed(store: Store, *, now: datetime | None = None) -> Path | None:
    """Take today's scheduled backup if the data changed; always thin old copies.

    Returns the new backup, or None when none was needed.  ``now`` is
    injectable so the thinning can be tested across simulated months.
    """
    when = now or datetime.now(UTC)
    path = store.path
    existing = backups.list_backups(path)
    made: Path | None = None
    done_today = any(
        b.reason == backups.SCHEDULED and b.taken_at.date() == when.date() for b in existing
    )
    if not done_today and _changed_since(path, existing):
        made = backups.backup_database(path, reason=backups.SCHEDULED, now=when)
    for old in backups.backups_to_prune(backups.list_backups(path)):
        old.path.unlink(missing_ok=True)
    return made


def _changed_since(path: Path, existing: list[backups.BackupFile]) -> bool:
    """Whether ``path`` holds data that its newest readable backup does not."""
    current = dialect.content_marker(path)
    if current is None:
        raise DatabaseError(
            f"cannot read database {path} to back it up",
            hint="check it with 'workbench db check'",
        )
    for newest in sorted(existing, key=lambda b: b.taken_at, reverse=True):
        marker = dialect.content_marker(newest.path, immutable=True)
        if marker is not None:  # a damaged or vanished copy does not count as a backup
            return marker != current
    return True
