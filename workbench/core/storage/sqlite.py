"""Everything SQLite-specific lives here (the dialect module).

The rest of storage speaks portable SQLAlchemy so the same app can later
point at PostgreSQL; only connection set-up, integrity checks and the online
backup need SQLite's own API.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another process (GUI and CLI at once)."""


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine whose every connection has WAL, foreign keys and a busy timeout."""
    url = f"sqlite:///file:{path}?mode=ro&uri=true" if read_only else f"sqlite:///{path}"
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy issue BEGIN itself (pysqlite's implicit transactions
        # would otherwise defer it and break SAVEPOINT handling).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two writers queue on the
        # busy timeout instead of failing with "database is locked" on upgrade
        # of a read transaction.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if not read_only else "BEGIN")

    return engine


def probe(path: Path) -> str | None:
    """Why ``path`` cannot be a workbench database, or None if it looks usable.

    Opened read-only through the URI so that nothing is written to a file
    that turns out to be foreign or damaged.
    """
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return f"cannot open it ({exc})"
    try:
        conn.execute("PRAGMA schema_version").fetchone()
        row = conn.execute("PRAGMA quick_check").fetchone()
        if row is None or row[0] != "ok":
            return f"it is damaged (integrity check: {row[0] if row else 'no answer'})"
    except sqlite3.DatabaseError as exc:
        return f"it is not a usable SQLite database ({exc})"
    finally:
        conn.close()
    return None


def integrity_check(path: Path) -> list[str]:
    """Full ``PRAGMA integrity_check``; an empty list means the file is sound."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def online_backup(source: Path, target: Path) -> None:
    """Copy a live database consistently with sqlite3's online backup API."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def table_names(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    finally:
        conn.close()
    return {r[0] for r in rows}
