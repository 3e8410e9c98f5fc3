"""Broken or foreign database files: one clear line, and the file left alone.

Each case runs ``workbench --db FILE articles`` (or a write) in a real
subprocess and checks: non-zero exit, one stderr line naming the file and
saying what to do, no traceback, the file byte-identical afterwards and no
``-wal``/``-shm`` litter left beside it.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.reliability.helpers import (
    assert_one_error_line,
    can_drop_file_override,
    count_rows,
    integrity,
    sha256,
    workbench,
)
from workbench.core.errors import DatabaseError
from workbench.core.storage import Store


@pytest.fixture
def filled_db(db_path: Path) -> Path:
    """A real workbench database with some pages of content, then closed."""
    with Store.open(db_path) as store:
        for i in range(40):
            article = store.articles.add(
                title=f"Article {i}", text=f"Paragraph {i}. The council said 5 percent. " * 60
            )
            store.claims.add(article.id, start=0, end=12, text=article.text[:12])
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db_path


def _sidecars(path: Path) -> list[Path]:
    return [p for p in (Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def _truncated(db: Path) -> Path:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    return db


def _garbage(db: Path) -> Path:
    db.write_bytes(random.Random(7).randbytes(64 * 1024))
    return db


def _corrupted_pages(db: Path) -> Path:
    """A valid header with garbage over the middle pages (bit rot, bad copy)."""
    data = bytearray(db.read_bytes())
    rng = random.Random(11)
    mid = len(data) // 2
    data[mid : mid + 8192] = rng.randbytes(8192)
    db.write_bytes(bytes(data))
    return db


def _not_sqlite(db: Path) -> Path:
    db.write_text("name,verdict\nclaim one,false\n" * 200, encoding="utf-8")
    return db


def _newer(db: Path) -> Path:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def _missing_tables(db: Path) -> Path:
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE flags")
    conn.execute("DROP TABLE evidence")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db


def _foreign_sqlite(db: Path) -> Path:
    db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    return db


BROKEN: list[tuple[str, Callable[[Path], Path], tuple[str, ...]]] = [
    ("truncated", _truncated, ("restore",)),
    ("garbage-bytes", _garbage, ("not a usable SQLite database", "restore")),
    ("corrupted-pages", _corrupted_pages, ("restore",)),
    ("not-sqlite", _not_sqlite, ("not a usable SQLite database",)),
    ("foreign-sqlite", _foreign_sqlite, ("not a workbench database",)),
    ("newer-version", _newer, ("newer than this app", "update the workbench")),
    ("missing-tables", _missing_tables, ("missing tables", "evidence", "flags", "restore")),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("make", "words"), [(m, w) for _, m, w in BROKEN], ids=[n for n, _, _ in BROKEN]
)
def test_broken_file_is_refused_and_untouched(
    make: Callable[[Path], Path], words: tuple[str, ...], filled_db: Path, tmp_path: Path
) -> None:
    db = make(filled_db)
    before = sha256(db)
    article = tmp_path / "new.txt"
    article.write_text("The minister said the budget rose by 5% in 2023.\n", encoding="utf-8")
    # Every case through `articles`; a write too where it adds a different code path.
    writes = [("import", str(article))] if make in (_truncated, _newer, _missing_tables) else []
    for args in [("articles",), *writes]:
        result = workbench(*args, db=db)
        line = assert_one_error_line(result, mentions=(str(db), *words))
        assert " — " in line, f"no advice on what to do: {line}"
        assert result.code == 1
        assert sha256(db) == before, "a refused database was modified"
        assert _sidecars(db) == [], "a refused database got -wal/-shm files beside it"
    assert not (db.parent / "backups").exists(), "a refused file was 'backed up' as if it were ours"


def test_directory_as_database(tmp_path: Path) -> None:
    folder = tmp_path / "db-folder"
    folder.mkdir()
    with pytest.raises(DatabaseError, match="is a directory"):
        Store.open(folder)


@pytest.fixture
def unprivileged() -> None:
    if not can_drop_file_override():
        pytest.skip(
            "running as root and the capability bounding set cannot be lowered, so chmod "
            "cannot make a file read-only for this process; no honest read-only case here"
        )


@pytest.mark.slow
def test_read_only_file(unprivileged: None, filled_db: Path, tmp_path: Path) -> None:
    """chmod 444 for a process that obeys permissions: reading works, writing says why not."""
    before = sha256(filled_db)
    rows = count_rows(filled_db)
    filled_db.chmod(0o444)
    listed = workbench("articles", db=filled_db, as_unprivileged=True)
    assert listed.code == 0, listed.err
    assert len(listed.out.splitlines()) == rows
    article = tmp_path / "new.txt"
    article.write_text("The minister said the budget rose by 5% in 2023.\n", encoding="utf-8")
    result = workbench("import", article, db=filled_db, as_unprivileged=True)
    assert_one_error_line(result, mentions=(str(filled_db), "read-only", "writable"))
    filled_db.chmod(0o644)
    assert sha256(filled_db) == before
    assert count_rows(filled_db) == rows


def _chattr(flag: str, path: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


@pytest.fixture
def immutable_db(filled_db: Path) -> Iterator[Path]:
    """A file even root cannot write (chattr +i), where the filesystem supports it."""
    if not _chattr("+i", filled_db):
        pytest.skip("chattr +i is not available on this filesystem (or not permitted)")
    try:
        yield filled_db
    finally:
        _chattr("-i", filled_db)


@pytest.mark.slow
def test_immutable_file_as_root(immutable_db: Path, tmp_path: Path) -> None:
    before = sha256(immutable_db)
    article = tmp_path / "new.txt"
    article.write_text("The minister said the budget rose by 5% in 2023.\n", encoding="utf-8")
    result = workbench("import", article, db=immutable_db)
    assert_one_error_line(result, mentions=(str(immutable_db), "read-only"))
    assert sha256(immutable_db) == before


@pytest.mark.slow
def test_read_only_directory(unprivileged: None, filled_db: Path, tmp_path: Path) -> None:
    """A database in a folder the process cannot write (no room for its journal)."""
    folder = tmp_path / "locked-folder"
    folder.mkdir()
    db = folder / "workbench.sqlite3"
    shutil.copyfile(filled_db, db)
    before = sha256(db)
    folder.chmod(0o555)
    try:
        result = workbench("articles", db=db, as_unprivileged=True)
    finally:
        folder.chmod(0o755)
    line = assert_one_error_line(result, mentions=(str(db), "read-only", "writable"))
    assert str(folder) in line
    assert sha256(db) == before
    assert sorted(p.name for p in folder.iterdir()) == ["workbench.sqlite3"]


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs: a real full disk. Needs root and permission to mount."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here: {proc.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.slow
def test_full_disk(small_filesystem: Path, filled_db: Path, tmp_path: Path) -> None:
    db = small_filesystem / "workbench.sqlite3"
    shutil.copyfile(filled_db, db)
    rows = count_rows(db)
    before = sha256(db)
    filler = small_filesystem / "filler"
    free = shutil.disk_usage(small_filesystem).free
    filler.write_bytes(b"\0" * max(0, free - 96 * 1024))  # room for -shm, not for the article
    big = tmp_path / "big.txt"
    big.write_text("The council said spending rose by 5 percent. " * 6_000, encoding="utf-8")
    result = workbench("import", big, db=db)
    assert_one_error_line(result, mentions=(str(db), "full", "free some space"))
    assert sha256(db) == before
    filler.unlink()
    assert integrity(db) == ["ok"]
    assert count_rows(db) == rows
    retry = workbench("import", big, db=db)  # once there is room, the same import works
    assert retry.code == 0, retry.err
    assert count_rows(db) == rows + 1


def test_full_database_via_max_page_count(db_path: Path) -> None:
    """Where no small filesystem can be mounted: SQLite's own "full" via max_page_count.

    This emulates a full disk inside SQLite (SQLITE_FULL), which is the
    error a real full disk produces, and checks it is translated into one
    clear line and that no partial article is stored.
    """
    from sqlalchemy import event

    store = Store.open(db_path)
    conn = sqlite3.connect(db_path)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()

    @event.listens_for(store._engine, "connect")
    def _limit(dbapi_conn: object, _record: object) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # type: ignore[attr-defined]

    store._engine.dispose()
    with pytest.raises(DatabaseError) as info:
        store.articles.add(title="too big", text="Spending rose by 5 percent. " * 50_000)
    assert "full" in info.value.one_line() and str(db_path) in info.value.one_line()
    store.close()
    assert count_rows(db_path) == 0
    assert integrity(db_path) == ["ok"]


@pytest.mark.slow
def test_disk_so_full_the_journal_cannot_be_made(small_filesystem: Path, filled_db: Path) -> None:
    """Not even room for the -shm file: still "disk full", not "damaged, restore a backup"."""
    db = small_filesystem / "workbench.sqlite3"
    shutil.copyfile(filled_db, db)
    before = sha256(db)
    filler = small_filesystem / "filler"
    with filler.open("wb", buffering=0) as fh, contextlib.suppress(OSError):
        while True:
            fh.write(b"\0" * 4096)
    result = workbench("articles", db=db)
    line = assert_one_error_line(result, mentions=(str(db), "full", "free some space"))
    assert "restore" not in line
    filler.unlink()
    assert sha256(db) == before


@pytest.mark.slow
@pytest.mark.parametrize("command", [("db", "upgrade"), ("db", "backup"), ("db", "restore", "X")])
def test_maintenance_commands_on_a_garbage_file(
    command: tuple[str, ...], filled_db: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.sqlite3"
    shutil.copyfile(filled_db, backup)
    db = _garbage(filled_db)
    before = sha256(db)
    args = [str(backup) if a == "X" else a for a in command]
    result = workbench(*args, db=db)
    if command[1] == "restore":  # restoring over a damaged file is what restore is for
        assert result.code == 0, result.err
        assert integrity(db) == ["ok"]
        kept = list((db.parent / "backups").glob("*pre-restore*"))
        assert len(kept) == 1 and sha256(kept[0]) == before
        return
    assert_one_error_line(result, mentions=(str(db), "restore"))
    assert sha256(db) == before
