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


# --------------------------------------------------------------------------- 0005, FTS

FROZEN = ("0001", "0002", "0003", "0004")


def _upgraded(tmp_path: Path, revision: str) -> Path:
    path = tmp_path / f"rev{revision}.sqlite3"
    shutil.copyfile(FIXTURES / f"rev{revision}.sqlite3", path)
    assert current_revision(path) == revision
    Store.open(path).close()
    assert current_revision(path) == head_revision()
    return path


def _hits(store: Store, query: str) -> set[tuple[str, int]]:
    return {(h.kind, h.ref_id) for h in store.search.search(query)}


@pytest.mark.parametrize("revision", FROZEN)
def test_search_index_is_filled_and_kept_in_step_after_upgrading(
    tmp_path: Path, revision: str
) -> None:
    """Old rows are searchable after the upgrade, and the triggers that SQLite drops
    with a rebuilt table (0005) are back: new, edited and deleted rows follow."""
    path = _upgraded(tmp_path, revision)
    store = Store.open(path)
    try:
        assert ("claim", 1) in _hits(store, "Putin")
        assert ("claim", 2) in _hits(store, "troops")  # the edited text is what is indexed
        assert ("article", 1) in _hits(store, "Old article")
        if revision != "0001":  # the 0001 fixture holds no snapshot
            assert any(kind == "source" for kind, _ in _hits(store, "ministry"))
        added = store.claims.add(1, start=0, end=2, text="Xi", score=0.1)
        assert ("claim", added.id) in _hits(store, "Xi")
        store.claims.update(added.id, rationale="zeppelin sighting")
        assert ("claim", added.id) in _hits(store, "zeppelin")
        store.claims.delete(added.id)
        assert ("claim", added.id) not in _hits(store, "zeppelin")
        store.articles.update(1, title="Renamed quokka")
        assert ("article", 1) in _hits(store, "quokka")
    finally:
        store.close()
    conn = sqlite3.connect(path)
    triggers = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    conn.close()
    assert triggers == set(dialect.SEARCH_TRIGGER_NAMES)


@pytest.mark.parametrize("revision", FROZEN)
def test_upgrade_to_stable_ids_keeps_every_row_and_link(tmp_path: Path, revision: str) -> None:
    """0005 rebuilds the tables: rows, ids, foreign keys and indexes survive, and
    ids are never handed out twice from then on."""
    path = _upgraded(tmp_path, revision)
    conn = sqlite3.connect(path)
    try:
        for table in ("articles", "claims", "sources", "snapshots", "evidence", "flags", "history"):
            sql = conn.execute(
                "SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,)
            ).fetchone()[0]
            assert "AUTOINCREMENT" in sql, table
        assert conn.execute("SELECT id FROM claims ORDER BY id").fetchall() == [(1,), (2,)]
        # the evidence survived the rebuild of the claims table (no cascade on drop)
        assert conn.execute("SELECT id, claim_id, source_id FROM evidence").fetchall() == [
            (1, 1, 1)
        ]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert {
            "ix_claims_article_id",
            "ix_evidence_claim_id",
            "ix_evidence_source_id",
            "ix_articles_imported_at_id",
            "ix_articles_text_sha256",
            "ix_snapshots_source_id",
            "ix_flags_article_id",
        } <= indexes
    finally:
        conn.close()
    store = Store.open(path)
    try:
        newest = store.claims.add(1, start=0, end=2, text="Xi", score=0.1)
        store.claims.delete(newest.id)
        again = store.claims.add(1, start=0, end=2, text="Xi", score=0.1)
        assert again.id == newest.id + 1  # AUTOINCREMENT: the deleted id is not reused
    finally:
        store.close()


def test_a_failed_upgrade_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The upgrade is one transaction: if the rebuilt tables would not hold together,
    nothing is committed and the database stays at its old revision."""
    from workbench.core.storage import migrate

    path = tmp_path / "rev0004.sqlite3"
    shutil.copyfile(FIXTURES / "rev0004.sqlite3", path)
    monkeypatch.setattr(
        dialect, "foreign_key_problems", lambda _conn: ["evidence row 1 points at a missing claims"]
    )
    with pytest.raises(DatabaseError, match="nothing was changed"):
        migrate.prepare(path)
    assert current_revision(path) == "0004"
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM evidence").fetchone() == (1,)
    conn.close()
