"""SQLite failures are sorted by their error code, with real errors from real files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import exc as sa_exc

from workbench.core.errors import DatabaseBusyError, DatabaseError
from workbench.core.storage import Store, sqlerrors
from workbench.core.storage.sqlite import lock_wait


def _error(action: object) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as info:
        action()  # type: ignore[operator]
    return info.value


def test_environment_errors_are_known_and_bugs_are_not(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite3"
    conn = sqlite3.connect(db, isolation_level=None, timeout=0)
    conn.execute("CREATE TABLE t (a INTEGER UNIQUE)")
    conn.execute("INSERT INTO t VALUES (1)")

    readonly = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    err = _error(lambda: readonly.execute("INSERT INTO t VALUES (2)"))
    assert sqlerrors.primary_code(err) == sqlerrors.READONLY
    known = sqlerrors.explain(db, err)
    assert isinstance(known, DatabaseError) and "read-only" in known.one_line()

    other = sqlite3.connect(db, isolation_level=None, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    err = _error(lambda: other.execute("BEGIN IMMEDIATE"))
    conn.execute("ROLLBACK")
    assert isinstance(sqlerrors.explain(db, err), DatabaseBusyError)

    small = sqlite3.connect(tmp_path / "small.sqlite3")
    small.execute("CREATE TABLE t (a)")
    small.execute("PRAGMA max_page_count = 2")
    err = _error(lambda: small.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,)))
    assert "full" in str(sqlerrors.explain(db, err))

    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all " * 200)
    err = _error(lambda: sqlite3.connect(junk).execute("SELECT * FROM sqlite_master"))
    assert sqlerrors.primary_code(err) == sqlerrors.NOTADB
    assert "damaged" in str(sqlerrors.explain(junk, err))

    # A program error, whatever its wording: never dressed up as the environment.
    assert sqlerrors.explain(db, _error(lambda: conn.execute("SELECT nope FROM t"))) is None
    assert sqlerrors.explain(db, _error(lambda: conn.execute("INSERT INTO t VALUES (1)"))) is None
    assert sqlerrors.explain(db, _error(lambda: conn.execute("SELEKT 1"))) is None
    for c in (conn, readonly, other, small):
        c.close()


def test_the_store_raises_known_errors_and_lets_bugs_through(db_path: Path) -> None:
    store = Store.open(db_path)
    try:
        article = store.articles.add(title="T", text="Some text.")
        holder = sqlite3.connect(db_path, isolation_level=None, timeout=30)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with lock_wait(100), pytest.raises(DatabaseBusyError, match="busy"):
                store.articles.update(article.id, title="blocked")
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        conn = sqlite3.connect(db_path)
        conn.execute("ALTER TABLE articles RENAME COLUMN outlet TO gone")
        conn.commit()
        conn.close()
        store.close()  # new connections see the changed schema
        with pytest.raises(sa_exc.OperationalError, match="no such column"):
            store.articles.get(article.id)
    finally:
        store.close()
