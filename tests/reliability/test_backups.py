"""Backups: before every migration, on a thinning schedule, on demand, and restore.

The schedule is tested with injected clocks over simulated months; backup
and restore go through the real CLI and are checked by opening the files.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.reliability.helpers import REPO, assert_one_error_line, count_rows, integrity, sha256
from tests.reliability.helpers import workbench as run_cli
from workbench.core.services.maintenance import scheduled_backup_if_changed
from workbench.core.storage import Store, migrate
from workbench.core.storage.backup import (
    KEEP_DAILY,
    KEEP_MONTHLY,
    KEEP_WEEKLY,
    backups_to_prune,
    list_backups,
)

OLD_FIXTURE = REPO / "tests" / "fixtures" / "db" / "rev0001.sqlite3"


def _backups(db: Path) -> list[Path]:
    return sorted((db.parent / "backups").glob("*.sqlite3"))


def test_backup_before_every_migration(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    shutil.copyfile(OLD_FIXTURE, db)
    before_rows = count_rows(db)
    before_hash = sha256(db)
    old_revision = migrate.current_revision(db)
    assert old_revision != migrate.head_revision()
    with Store.open(db) as store:
        assert store.upgrade_backup is not None
        kept = Path(store.upgrade_backup)
    assert kept.exists() and "pre-upgrade" in kept.name
    assert sha256(kept) == before_hash or migrate.current_revision(kept) == old_revision
    assert integrity(kept) == ["ok"]
    assert count_rows(kept) == before_rows == count_rows(db)
    with Store.open(db) as again:  # at head now: no second copy
        assert again.upgrade_backup is None
    assert len(_backups(db)) == 1


def _add(store: Store, label: str) -> None:
    store.articles.add(title=label, text=f"{label}: the council said 5 percent.")


def test_no_scheduled_backup_when_nothing_changed(store: Store) -> None:
    day = datetime(2024, 3, 1, 9, tzinfo=UTC)
    _add(store, "first")
    assert scheduled_backup_if_changed(store, now=day) is not None
    assert scheduled_backup_if_changed(store, now=day + timedelta(hours=3)) is None  # same day
    assert scheduled_backup_if_changed(store, now=day + timedelta(days=1)) is None  # unchanged
    store.claims.add(1, start=0, end=5, text="first")
    made = scheduled_backup_if_changed(store, now=day + timedelta(days=2))
    assert made is not None and count_rows(made, "claims") == 1
    store.settings.set("checker_name", "A. Checker")  # an update changes the marker too
    assert scheduled_backup_if_changed(store, now=day + timedelta(days=3)) is not None
    assert len(_backups(store.path)) == 3


def _expected_keep(days: list[date]) -> set[date]:
    """The policy written out independently: newest copy per bucket, last N buckets."""
    keep: set[date] = set()
    for key, limit in (
        (lambda d: d, KEEP_DAILY),
        (lambda d: d.isocalendar()[:2], KEEP_WEEKLY),
        (lambda d: (d.year, d.month), KEEP_MONTHLY),
    ):
        newest: dict[object, date] = {}
        for d in days:
            k = key(d)
            newest[k] = max(newest.get(k, d), d)
        for k in sorted(newest, reverse=True)[:limit]:
            keep.add(newest[k])
    return keep


@pytest.mark.slow
def test_scheduled_thinning_over_thirteen_months(store: Store) -> None:
    """Changes over 400 days: exactly the 7 daily / 4 weekly / 12 monthly copies remain.

    The app runs every 4th day for the first year and daily for the last 40
    days, so every window has more candidates than it keeps.
    """
    start = datetime(2023, 1, 1, 18, tzinfo=UTC)
    taken: list[date] = []
    pre_upgrade = store.path.parent / "backups"
    pre_upgrade.mkdir(exist_ok=True)
    keepsake = pre_upgrade / f"{store.path.stem}-20221231T000000000000Z-pre-upgrade-0001.sqlite3"
    shutil.copyfile(store.path, keepsake)
    days = [n for n in range(400) if n >= 360 or n % 4 == 0]
    for n in days:
        now = start + timedelta(days=n)
        _add(store, f"day {n}")
        if scheduled_backup_if_changed(store, now=now) is not None:
            taken.append(now.date())
    assert len(taken) == len(days)
    kept = {b.taken_at.date() for b in list_backups(store.path) if b.reason == "scheduled"}
    assert kept == _expected_keep(taken)
    assert len(kept) <= KEEP_DAILY + KEEP_WEEKLY + KEEP_MONTHLY
    last = taken[-1]
    assert {last - timedelta(days=i) for i in range(KEEP_DAILY)} <= kept
    assert min(kept) >= last - timedelta(days=366)
    assert keepsake.exists(), "a pre-upgrade backup must never be thinned away"
    # The newest kept copy is a real, sound database holding that day's data.
    newest = max(list_backups(store.path), key=lambda b: b.taken_at)
    assert integrity(newest.path) == ["ok"]
    assert count_rows(newest.path) == len(days)


def test_thinning_by_hand_written_dates() -> None:
    from workbench.core.storage.backup import BackupFile

    stamps = [
        datetime(2024, 1, 15, tzinfo=UTC),  # January: month bucket
        datetime(2024, 2, 10, tzinfo=UTC),  # older February copy
        datetime(2024, 2, 20, tzinfo=UTC),  # newest in February: kept
        *[datetime(2024, 3, d, 12, tzinfo=UTC) for d in range(1, 21)],  # daily in March
        datetime(2024, 3, 20, 8, tzinfo=UTC),  # earlier copy on the same day: pruned
    ]
    files = [BackupFile(Path(f"/b/{s:%Y%m%d%H}.sqlite3"), s, "scheduled") for s in stamps]
    pruned = {b.taken_at for b in backups_to_prune(files)}
    kept = set(stamps) - pruned
    assert datetime(2024, 3, 20, 8, tzinfo=UTC) in pruned
    assert {datetime(2024, 3, d, 12, tzinfo=UTC) for d in range(14, 21)} <= kept  # 7 daily
    # Weekly: newest of ISO weeks 11, 10 and 9 (week 12 is already a daily).
    assert {datetime(2024, 3, d, 12, tzinfo=UTC) for d in (17, 10, 3)} <= kept
    assert datetime(2024, 2, 20, tzinfo=UTC) in kept and datetime(2024, 1, 15, tzinfo=UTC) in kept
    assert datetime(2024, 2, 10, tzinfo=UTC) in pruned
    assert datetime(2024, 3, 5, 12, tzinfo=UTC) in pruned


@pytest.mark.slow
def test_cli_backup_and_restore_round_trip(db_path: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The minister said the budget rose by 5% in 2023.\n", encoding="utf-8")
    assert run_cli("import", article, db=db_path).code == 0
    made = run_cli("db", "backup", db=db_path)
    assert made.code == 0, made.err
    backup = Path(made.out.strip())
    assert backup.is_file() and integrity(backup) == ["ok"] and count_rows(backup) == 1

    assert run_cli("import", article, article, db=db_path).code == 0
    assert count_rows(db_path) == 3
    restored = run_cli("db", "restore", backup, db=db_path)
    assert restored.code == 0, restored.err
    assert count_rows(db_path) == 1
    assert integrity(db_path) == ["ok"]
    safety = [p for p in _backups(db_path) if "pre-restore" in p.name]
    assert len(safety) == 1 and count_rows(safety[0]) == 3, "the replaced database was not kept"


def _corrupt_copy(good: Path, target: Path) -> Path:
    data = bytearray(good.read_bytes())
    page = 4096
    for offset in range(page, len(data), page):  # wreck every b-tree page header but page 1
        data[offset : offset + 16] = b"\xff" * 16
    target.write_bytes(bytes(data))
    return target


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["corrupt", "foreign", "newer", "missing"])
def test_cli_restore_refuses_a_bad_backup_and_changes_nothing(
    kind: str, db_path: Path, tmp_path: Path
) -> None:
    with Store.open(db_path) as store:
        for i in range(30):
            _add(store, f"kept {i} " + "x" * 400)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    bad = tmp_path / f"{kind}.sqlite3"
    if kind == "corrupt":
        _corrupt_copy(db_path, bad)
    elif kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.commit()
        conn.close()
    elif kind == "newer":
        shutil.copyfile(db_path, bad)
        conn = sqlite3.connect(bad)
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.commit()
        conn.close()
    before = sha256(db_path)
    backups_before = _backups(db_path)
    result = run_cli("db", "restore", bad, db=db_path)
    line = assert_one_error_line(result, mentions=(bad.name,))
    assert "nothing was changed" in line or "does not exist" in line
    assert sha256(db_path) == before
    assert _backups(db_path) == backups_before
    assert count_rows(db_path) == 30


@pytest.mark.slow
def test_cli_restore_over_a_damaged_database_keeps_the_damaged_file(
    db_path: Path, tmp_path: Path
) -> None:
    with Store.open(db_path) as store:
        _add(store, "good days")
    good_copy = tmp_path / "good.sqlite3"
    made = run_cli("db", "backup", db=db_path)
    shutil.copyfile(Path(made.out.strip()), good_copy)
    for side in ("-wal", "-shm"):
        Path(f"{db_path}{side}").unlink(missing_ok=True)
    db_path.write_bytes(b"this used to be a database" * 100)
    damaged = sha256(db_path)
    result = run_cli("db", "restore", good_copy, db=db_path)
    assert result.code == 0, result.err
    assert count_rows(db_path) == 1 and integrity(db_path) == ["ok"]
    kept = [p for p in _backups(db_path) if "pre-restore" in p.name]
    assert len(kept) == 1 and sha256(kept[0]) == damaged
