"""Backups: before every migration, on demand, and on a thinning schedule.

Copies are made with sqlite3's online backup, so they are consistent even
while the GUI has the database open.  Scheduled copies are thinned like
Anki's: keep the newest per day for 7 days, per week for 4 weeks and per
month for 12 months; copies made before a migration are never thinned away
automatically because they are the way back from a bad upgrade.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from workbench.core.errors import DatabaseError
from workbench.core.fileio import describe_mode
from workbench.core.paths import backups_dir
from workbench.core.storage import sqlite as dialect

KEEP_DAILY = 7
KEEP_WEEKLY = 4
KEEP_MONTHLY = 12
SCHEDULED = "scheduled"


@dataclass(frozen=True, slots=True)
class BackupFile:
    path: Path
    taken_at: datetime
    reason: str


def backup_database(path: Path, *, reason: str = "manual", now: datetime | None = None) -> Path:
    """Copy ``path`` into its backups folder; returns the new file."""
    when = now or datetime.now(UTC)
    folder = backups_dir(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{path.stem}-{when:%Y%m%dT%H%M%S%fZ}-{reason}.sqlite3"
        tmp = target.with_suffix(".partial")
        dialect.online_backup(path, tmp)
        tmp.replace(target)
    except OSError as exc:
        raise DatabaseError(
            f"cannot write a backup of {path} into {folder}: {exc.strerror or exc}",
            hint="free some disk space or make the folder writable",
        ) from exc
    return target


def list_backups(path: Path) -> list[BackupFile]:
    folder = backups_dir(path)
    found: list[BackupFile] = []
    if not folder.is_dir():
        return found
    prefix = f"{path.stem}-"
    for file in folder.glob(f"{path.stem}-*.sqlite3"):
        stamp, _, reason = file.stem[len(prefix) :].partition("-")
        try:
            taken = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        except ValueError:
            continue
        found.append(BackupFile(file, taken, reason))
    return sorted(found, key=lambda b: b.taken_at)


def backups_to_prune(backups: list[BackupFile]) -> list[BackupFile]:
    """Which scheduled backups fall outside the daily/weekly/monthly windows."""
    scheduled = sorted((b for b in backups if b.reason == SCHEDULED), key=lambda b: b.taken_at)
    keep: set[Path] = set()
    for bucket_of, limit in (
        (lambda d: d.strftime("%Y-%m-%d"), KEEP_DAILY),
        (lambda d: "{}-W{:02d}".format(*d.isocalendar()[:2]), KEEP_WEEKLY),
        (lambda d: d.strftime("%Y-%m"), KEEP_MONTHLY),
    ):
        seen: list[str] = []
        for b in reversed(scheduled):  # newest first: the newest copy represents its bucket
            bucket = bucket_of(b.taken_at)
            if bucket in seen:
                continue
            seen.append(bucket)
            if len(seen) > limit:
                break
            keep.add(b.path)
    return [b for b in scheduled if b.path not in keep]


def scheduled_backup(path: Path, *, now: datetime | None = None) -> Path | None:
    """Take today's scheduled copy if there is none yet, then thin old ones."""
    when = now or datetime.now(UTC)
    existing = list_backups(path)
    today = [b for b in existing if b.reason == SCHEDULED and b.taken_at.date() == when.date()]
    made = None if today else backup_database(path, reason=SCHEDULED, now=when)
    for old in backups_to_prune(list_backups(path)):
        old.path.unlink(missing_ok=True)
    return made


def restore_database(path: Path, backup: Path) -> Path:
    """Replace ``path`` with ``backup`` after checking it; returns the safety copy.

    The backup must be a sound workbench database this app can open (full
    integrity check, known schema revision); otherwise nothing changes.  The
    current database is itself kept first, so a restore can be undone: by
    an online backup when it is readable, and as a plain file copy when it is
    damaged (which is when people restore).
    """
    from workbench.core.storage import migrate

    _check_backup_file(backup)
    if path.is_symlink():  # restore into the file the link points at, keeping the link
        path = Path(os.path.realpath(path))
    if path.is_dir():
        raise DatabaseError(
            f"{path} is a directory, not a database file; nothing was changed",
            hint="pass the database file with --db",
        )
    migrate.check_location(path, create=True)
    problem = _restore_problem(backup)
    if problem:
        raise DatabaseError(
            f"backup {backup} cannot be restored: {problem}; nothing was changed",
            hint="choose another backup ('workbench db backups' lists them)",
        )
    safety = _keep_current(path) if path.exists() else None
    tmp = path.with_name(path.name + ".restoring")
    try:
        shutil.copyfile(backup, tmp)
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DatabaseError(
            f"cannot restore {backup} into {path}: {exc.strerror or exc}",
            hint="free some disk space or make the folder writable",
        ) from exc
    return safety or backup


def _check_backup_file(backup: Path) -> None:
    """A backup to restore must be a regular file; say exactly what it is otherwise."""
    try:
        info = os.stat(backup)
    except FileNotFoundError:
        raise DatabaseError(
            f"backup {backup} does not exist", hint="pass an existing file"
        ) from None
    except OSError as exc:
        raise DatabaseError(
            f"cannot read backup {backup}: {exc.strerror or exc}", hint="pass an existing file"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise DatabaseError(
            f"backup {backup} is {describe_mode(info.st_mode)}, not a database file; "
            "nothing was changed",
            hint="pass a backup file ('workbench db backups' lists them)",
        )


def _restore_problem(backup: Path) -> str | None:
    from workbench.core.storage import migrate

    problem = dialect.probe(backup)
    if problem is None:
        errors = dialect.integrity_check(backup)
        problem = f"integrity check failed: {errors[0]}" if errors else None
    if problem is None:
        try:
            revision = migrate.current_revision(backup)
        except DatabaseError as exc:
            return exc.message
        if revision is None:
            return "it is an empty database, not a workbench backup"
        if revision not in migrate.known_revisions():
            return f"it comes from a newer version of the app (revision {revision})"
    return problem


def _keep_current(path: Path) -> Path:
    """Back up the database about to be replaced, even if it is damaged."""
    if dialect.probe(path) is None:
        return backup_database(path, reason="pre-restore")
    folder = backups_dir(path)
    when = datetime.now(UTC)
    target = folder / f"{path.stem}-{when:%Y%m%dT%H%M%S%fZ}-pre-restore-damaged.sqlite3"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        wal = Path(f"{path}-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(f"{target}-wal"))
    except OSError as exc:
        raise DatabaseError(
            f"cannot keep a copy of {path} before restoring: {exc.strerror or exc}; "
            "nothing was changed",
            hint="free some disk space or make the folder writable",
        ) from exc
    return target
