"""Everything SQLite-specific lives here (the dialect module).

The rest of storage speaks portable SQLAlchemy so the same app can later
point at PostgreSQL; only connection set-up, integrity checks and the online
backup need SQLite's own API.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

BUSY_TIMEOUT_MS = 10_000
"""How long a writer waits for another process (GUI and CLI at once)."""


def sqlite_uri(path: Path, **params: str) -> str:
    """An SQLite ``file:`` URI for ``path``: a path is a path, whatever it holds.

    ``?``, ``#`` and ``%`` in a file or folder name would otherwise start a
    query, a fragment or an escape (``work?copy`` opened ``work``,
    ``pct%41.sqlite3`` created ``pctA.sqlite3``, ``case #12/x`` opened
    ``case ``).  The path is made absolute, percent-encoded byte by byte,
    and the parameters are appended as a proper query.
    """
    from urllib.parse import quote_from_bytes, urlencode

    absolute = os.fsencode(os.path.abspath(path))
    uri = "file:" + quote_from_bytes(absolute, safe="/")
    return f"{uri}?{urlencode(params)}" if params else uri


def connect_uri(path: Path, **params: str) -> sqlite3.Connection:
    """``sqlite3.connect`` on :func:`sqlite_uri` (e.g. ``mode="ro"``)."""
    return sqlite3.connect(sqlite_uri(path, **params), uri=True)


def make_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine whose every connection has WAL, foreign keys and a busy timeout.

    The URL is built with SQLAlchemy's own constructor from an SQLite URI
    (:func:`sqlite_uri`), never pasted into a string, so no character of the
    path is read as URL syntax.

    SQLAlchemy is imported here, not at the top of the module: probing,
    backups and the start-up glance use only ``sqlite3``, and importing the
    ORM costs most of a second that the app's first paint should not wait for.
    """
    from sqlalchemy import URL, create_engine, event

    url = URL.create(
        "sqlite",
        database=sqlite_uri(path),
        query={"uri": "true", "mode": "ro" if read_only else "rwc"},
    )
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
        # A writing transaction takes the write lock up front (IMMEDIATE), so
        # two writers queue on the busy timeout instead of failing with
        # "database is locked" when a read lock cannot be upgraded.  Readers
        # (marked with the ``workbench_read`` execution option) stay deferred
        # and, under WAL, never block anyone.
        reading = read_only or conn.get_execution_options().get("workbench_read", False)
        conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    return engine


QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
"""Files up to this size get a full ``quick_check`` on every open (well under
0.2 s).  Larger ones get the cheap checks only: ``quick_check`` reads every
page, 1.5 s for a 670 MB library, which would double the app's start.
Damage found later is still reported as a DatabaseError naming the file, and
``workbench db check`` runs the full check on demand."""


def probe(path: Path) -> str | None:
    """Why ``path`` cannot be a workbench database, or None if it looks usable.

    Opened read-only through the URI so that nothing is written to a file
    that turns out to be foreign or damaged.  Always: the header and schema
    must read, and the file must hold every page the header counts (a
    truncated copy fails here).  Small files also get ``quick_check``.
    """
    try:
        conn = connect_uri(path, mode="ro")
    except sqlite3.Error as exc:
        return f"cannot open it ({exc})"
    try:
        expected = _header_size(path)
        size = path.stat().st_size
        if expected is not None and size < expected:
            return f"it is damaged (truncated: {size:,} of {expected:,} bytes)"
        conn.execute("PRAGMA schema_version").fetchone()
        if size <= QUICK_CHECK_MAX_BYTES:
            row = conn.execute("PRAGMA quick_check").fetchone()
            if row is None or row[0] != "ok":
                return f"it is damaged (integrity check: {row[0] if row else 'no answer'})"
    except sqlite3.DatabaseError as exc:
        return f"it is not a usable SQLite database ({exc})"
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    finally:
        conn.close()
    return None


def _header_size(path: Path) -> int | None:
    """The file size the SQLite header promises, when the header vouches for it.

    SQLite itself falls back to the real file size when a file is shorter
    than its header says, so a truncated copy opens and only fails on the
    first read of a lost page; the header (bytes 16-17 page size, 28-31 page
    count, valid while the change counter at 24 equals bytes 92-95) tells.
    """
    with path.open("rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or not head.startswith(b"SQLite format 3\x00"):
        return None
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(head[28:32], "big")
    if pages == 0 or head[24:28] != head[92:96]:
        return None
    return pages * page_size


def integrity_check(path: Path) -> list[str]:
    """Full ``PRAGMA integrity_check``; an empty list means the file is sound."""
    conn = connect_uri(path, mode="ro")
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def online_backup(source: Path, target: Path) -> None:
    """Copy a live database consistently with sqlite3's online backup API."""
    src = connect_uri(source, mode="ro")
    try:
        dst = connect_uri(target, mode="rwc")
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def table_names(path: Path) -> set[str]:
    conn = connect_uri(path, mode="ro")
    try:
        rows = conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    finally:
        conn.close()
    return {r[0] for r in rows}


# --- Full-text search (FTS5) ------------------------------------------------
# One FTS5 table indexes everything searchable.  Its rowid encodes what a row
# is (rowid = id * 4 + kind) so triggers can replace or delete an entry by
# rowid without scanning.  Triggers, not repository code, keep it in step, so
# every writer (GUI, CLI, a future sync tool) updates it in the same
# transaction as the data.

SEARCH_KIND_CLAIM = 0
SEARCH_KIND_ARTICLE = 1
SEARCH_KIND_SNAPSHOT = 2

SEARCH_SCHEMA: tuple[str, ...] = (
    """CREATE VIRTUAL TABLE search_index USING fts5(
        title, body, extra,
        tokenize = 'unicode61 remove_diacritics 2'
    )""",
    # claims: body = the claim as shown (edited text if any), extra = rationale
    """CREATE TRIGGER search_claims_ai AFTER INSERT ON claims BEGIN
        INSERT INTO search_index(rowid, title, body, extra) VALUES (
            new.id * 4, '', coalesce(new.text_edited, new.text_extracted), new.rationale);
    END""",
    """CREATE TRIGGER search_claims_au AFTER UPDATE OF text_edited, text_extracted, rationale
        ON claims BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4;
        INSERT INTO search_index(rowid, title, body, extra) VALUES (
            new.id * 4, '', coalesce(new.text_edited, new.text_extracted), new.rationale);
    END""",
    """CREATE TRIGGER search_claims_ad AFTER DELETE ON claims BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4;
    END""",
    """CREATE TRIGGER search_articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO search_index(rowid, title, body, extra) VALUES (
            new.id * 4 + 1, new.title, '', coalesce(new.outlet, ''));
    END""",
    """CREATE TRIGGER search_articles_au AFTER UPDATE OF title, outlet ON articles BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
        INSERT INTO search_index(rowid, title, body, extra) VALUES (
            new.id * 4 + 1, new.title, '', coalesce(new.outlet, ''));
    END""",
    """CREATE TRIGGER search_articles_ad AFTER DELETE ON articles BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
    END""",
    """CREATE TRIGGER search_snapshots_ai AFTER INSERT ON snapshots BEGIN
        INSERT INTO search_index(rowid, title, body, extra) VALUES (
            new.id * 4 + 2, coalesce(new.title, ''), coalesce(new.text, ''),
            coalesce(new.site, ''));
    END""",
    """CREATE TRIGGER search_snapshots_ad AFTER DELETE ON snapshots BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
    END""",
)

SEARCH_BACKFILL: tuple[str, ...] = (
    """INSERT INTO search_index(rowid, title, body, extra)
        SELECT id * 4, '', coalesce(text_edited, text_extracted), rationale FROM claims""",
    """INSERT INTO search_index(rowid, title, body, extra)
        SELECT id * 4 + 1, title, '', coalesce(outlet, '') FROM articles""",
    """INSERT INTO search_index(rowid, title, body, extra)
        SELECT id * 4 + 2, coalesce(title, ''), coalesce(text, ''), coalesce(site, '')
        FROM snapshots""",
)

SEARCH_DROP: tuple[str, ...] = (
    *(
        f"DROP TRIGGER IF EXISTS {name}"
        for name in (
            "search_claims_ai",
            "search_claims_au",
            "search_claims_ad",
            "search_articles_ai",
            "search_articles_au",
            "search_articles_ad",
            "search_snapshots_ai",
            "search_snapshots_ad",
        )
    ),
    "DROP TABLE IF EXISTS search_index",
)


def fts_match_expression(query: str) -> str | None:
    """A safe FTS5 MATCH string for what a person typed, or None if nothing is left.

    Each word becomes a quoted phrase (so FTS5 syntax characters in user input
    are inert); the last word also matches as a prefix, for search-as-you-type.
    ``"exact phrase"`` in the input stays a phrase.
    """

    parts: list[str] = []
    for phrase, word in re.findall(r'"([^"]+)"|(\S+)', query):
        text = phrase or word
        tokens = re.findall(r"\w+", text)
        if not tokens:
            continue
        parts.append('"' + " ".join(tokens) + '"')
    if not parts:
        return None
    if not query.rstrip().endswith('"'):
        parts[-1] = parts[-1] + "*"
    return " ".join(parts)


SEARCH_WINDOW = 2000
"""How many of the newest matches are ranked.

Ranking every match of a common word in a large library (20,000 rows for
"million" in the 10,000-article benchmark) costs hundreds of milliseconds,
because bm25 must score them all before sorting.  Walking matches newest
first (FTS5 streams them in rowid order without sorting) and ranking only
the first 2,000 keeps a search fast; a query that matches more than that is
too broad to read anyway, and more words narrow it to the older ones.
"""

SEARCH_RANK_SQL = """
SELECT rowid, bm25(search_index, 2.0, 1.0, 0.5)
FROM search_index WHERE search_index MATCH :match
ORDER BY rowid DESC LIMIT :window
"""

SEARCH_TEXT_SQL = "SELECT rowid, title, body, extra FROM search_index WHERE rowid IN ({ids})"
"""The stored text of the rows shown, by rowid: a direct lookup.  FTS5's own
snippet() would walk every match again to find them (tens of ms for a
common word), so snippets are cut in Python from these texts instead."""


def search_rows(connection: Any, match: str, limit: int) -> list[tuple[int, float, str]]:
    """``(rowid, bm25 rank, snippet)`` of the best ``limit`` of the newest matches.

    Snippets mark matched words with STX (\\x02) ... ETX (\\x03), control
    characters no stored text contains (import strips them), so callers can
    render the highlight safely in any format.
    """
    ranked = connection.exec_driver_sql(
        SEARCH_RANK_SQL.replace(":match", "?").replace(":window", "?"), (match, SEARCH_WINDOW)
    ).all()
    best = sorted((float(r), int(i)) for i, r in ranked)[:limit]
    if not best:
        return []
    ids = ", ".join(str(i) for _, i in best)
    pattern = _highlight_pattern(match)
    snippets = {
        int(row[0]): _pick_snippet(pattern, row[2], row[3], row[1])
        for row in connection.exec_driver_sql(SEARCH_TEXT_SQL.format(ids=ids))
    }
    return [(i, rank, snippets.get(i, "")) for rank, i in best]


def _highlight_pattern(match: str) -> re.Pattern[str]:
    """A regex for the words of an FTS5 match expression (prefix words end in ``*``)."""
    words = []
    for phrase, star in re.findall(r'"([^"]*)"(\*?)', match):
        tokens = phrase.split()
        for n, token in enumerate(tokens):
            tail = r"\w*" if star and n == len(tokens) - 1 else r"\b"
            words.append(re.escape(token) + tail)
    if not words:
        return re.compile(r"(?!x)x")
    return re.compile(r"\b(?:" + "|".join(words) + ")", re.IGNORECASE)


SNIPPET_WORDS = 16


def _pick_snippet(pattern: re.Pattern[str], *columns: str | None) -> str:
    """A window of words around the first match in body, extra or title, matches marked."""
    for text in columns:
        if text and pattern.search(text):
            return _snippet(text, pattern)
    first = next((text for text in columns if text), "")
    return _window(first, 0)


def _snippet(text: str, pattern: re.Pattern[str]) -> str:
    found = pattern.search(text)
    start = found.start() if found else 0
    window = _window(text, start)
    return pattern.sub(lambda m: f"\x02{m.group(0)}\x03", window)


def _window(text: str, at: int) -> str:
    """About SNIPPET_WORDS words of ``text`` around offset ``at``, with … where cut.

    A quarter of the window comes before the match, more when the text after
    it is short, so a short text is shown whole.
    """
    before = text[:at].split()
    after = text[at:].split()
    lead_count = min(len(before), max(SNIPPET_WORDS // 4, SNIPPET_WORDS - len(after)))
    lead = before[len(before) - lead_count :]
    tail = after[: SNIPPET_WORDS - len(lead)]
    body = " ".join(lead + tail)
    prefix = "…" if len(before) > len(lead) else ""
    suffix = "…" if len(after) > len(tail) else ""
    return f"{prefix}{body}{suffix}"


def content_marker(path: Path, *, immutable: bool = False) -> str | None:
    """A cheap fingerprint that changes whenever the stored data changes.

    Per table: row count, highest rowid and newest ``updated_at`` (every
    repository bumps it on update).  Used to skip a
    scheduled backup when nothing changed since the last copy.  ``immutable``
    is for backup files, which nothing writes: it keeps SQLite from creating
    ``-wal``/``-shm`` files in the backups folder.  None if the file cannot
    be read as a database.
    """
    flags = {"mode": "ro", "immutable": "1"} if immutable else {"mode": "ro"}
    try:
        return _marker(connect_uri(path, **flags))
    except sqlite3.Error:
        return None


def _marker(conn: sqlite3.Connection) -> str:
    try:
        parts: list[str] = []  # not PRAGMA schema_version: a backup copy restarts it
        tables = [
            str(r[0])
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            columns = {str(r[1]) for r in conn.execute(f"PRAGMA table_info({quoted})")}
            newest = "max(updated_at)" if "updated_at" in columns else "NULL"
            try:
                row = conn.execute(
                    f"SELECT count(*), max(rowid), {newest} FROM {quoted}"
                ).fetchone()
            except sqlite3.OperationalError:  # a virtual table without rowid
                row = conn.execute(f"SELECT count(*) FROM {quoted}").fetchone()
            parts.append(f"{table}:{'/'.join(str(v) for v in row)}")
        if "alembic_version" in tables:
            parts.extend(str(r[0]) for r in conn.execute("SELECT version_num FROM alembic_version"))
    finally:
        conn.close()
    return "|".join(parts)


CANDIDATES_SQL = """
SELECT rowid FROM search_index WHERE search_index MATCH :m ORDER BY rank LIMIT :l
"""


def any_of(tokens: list[str]) -> str:
    """An FTS5 query matching claim bodies that hold any of ``tokens``."""
    return "body: (" + " OR ".join(_quoted(t) for t in tokens) + ")"


def all_of(tokens: list[str]) -> str:
    """An FTS5 query matching claim bodies that hold every one of ``tokens``."""
    return "body: (" + " AND ".join(_quoted(t) for t in tokens) + ")"


def _quoted(token: str) -> str:
    return '"' + token.replace('"', "") + '"'


def token_frequencies(connection: Any, terms: list[str]) -> list[tuple[str, int]]:
    """``(token, rows containing it)`` for the words of ``terms``, rarest first.

    Counts rows whose body (claim text or snapshot text) holds the word, from
    an fts5vocab table created per connection in the temp schema (no
    migration, no write lock).  Tokens found in one row only are left out:
    that row is the claim being looked up.
    """

    tokens = sorted({t.lower() for term in terms for t in re.findall(r"\w+", term) if len(t) > 1})
    if not tokens:
        return []
    connection.exec_driver_sql(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab_col "
        "USING fts5vocab(main, search_index, col)"
    )
    marks = ", ".join("?" for _ in tokens)
    rows = connection.exec_driver_sql(
        f"SELECT term, doc FROM temp.search_vocab_col WHERE col = 'body' AND term IN ({marks})",
        tuple(tokens),
    ).all()
    return sorted(((str(t), int(d)) for t, d in rows if int(d) > 1), key=lambda x: (x[1], x[0]))
