"""Migrations: new databases, frozen old ones, and ones from the future."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from workbench.core.errors import DatabaseError
from workbench.core.model import Verdict
from workbench.core.storage import Store
from workbench.core.storage import sqlite as dialect
from workbench.core.storage.backup import list_backups
from workbench.core.storage.migrate import current_revision, head_revision
from workbench.core.storage.orm import Base

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "db"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_made_by_upgrading_from_empty(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "new.sqlite3"
    Store.open(path).close()
    assert current_revision(path) == head_revision()
    assert list_backups(path) == []  # nothing to protect in a new file


def test_orm_matches_the_migrated_schema(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Store.open(path).close()
    engine = dialect.make_engine(path)

    def include(name: str | None, type_: str, *_: object) -> bool:
        # The FTS5 index and its shadow tables live outside the ORM on purpose.
        return not (type_ == "table" and name is not None and name.startswith("search_index"))

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_rev0001_upgrades_with_rows_intact_and_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURES / "rev0001.sqlite3", path)
    before = _digest(path)
    store = Store.open(path)
    try:
        assert current_revision(path) == head_revision()
        (summary,) = store.articles.list()
        assert summary.title == "Old article" and summary.claims_total == 2
        assert summary.claims_checked == 1
        c1, c2 = store.claims.for_article(summary.id)
        assert c1.verdict is Verdict.TRUE and c1.rationale == "Confirmed by two outlets."
        assert c1.verdict_set_at is not None  # back-filled from updated_at by 0002
        assert c2.verdict is None and c2.verdict_set_at is None
        assert c2.text == "More than 15,000 troops were sent."
        (view,) = store.evidence.for_claim(c1.id)
        assert view.evidence.excerpt == "met on October 17"
        assert view.source.normalized_url == "https://news.example/x"
    finally:
        store.close()
    (backup,) = list_backups(path)
    assert backup.reason == "pre-upgrade-0001"
    assert backup.path.parent == path.parent / "backups"
    # The backup is the old database, at the old revision, with its rows.
    assert current_revision(backup.path) == "0001"
    conn = sqlite3.connect(backup.path)
    assert conn.execute("SELECT count(*) FROM claims").fetchone() == (2,)
    conn.close()
    assert before != _digest(path)


def test_database_from_a_newer_app_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(DatabaseError, match="newer than this app") as info:
        Store.open(path)
    assert str(path) in info.value.one_line()
    assert _digest(path) == before
    assert not (path.parent / "backups").exists()


def test_second_open_at_head_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Store.open(path).close()
    Store.open(path).close()
    assert list_backups(path) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not a database at all" * 100, "not a usable SQLite database"),
        (b"\x00\xff" * 3000, "not a usable SQLite database"),
    ],
)
def test_foreign_files_are_refused_untouched(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match=message):
        Store.open(path)
    assert path.read_bytes() == content


def test_other_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (id INTEGER)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(DatabaseError, match="not a workbench database"):
        Store.open(path)
    assert _digest(path) == before


def test_large_files_skip_quick_check_but_truncation_is_still_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above the quick_check size, the page count still exposes a truncated copy."""
    monkeypatch.setattr(dialect, "QUICK_CHECK_MAX_BYTES", 0)
    path = tmp_path / "db.sqlite3"
    store = Store.open(path)
    store.articles.add(title="T", text="x" * 50_000)
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    Store.open(path).close()  # sound: opens without the full check
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 3 * 4096])  # the last pages are lost
    with pytest.raises(DatabaseError, match="truncated"):
        Store.open(path)
