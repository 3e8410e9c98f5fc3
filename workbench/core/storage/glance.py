"""The start-up glance: one article and its claims, read with ``sqlite3`` alone.

Why this exists: the desktop app's first paint should not wait for
SQLAlchemy.  Importing the ORM takes most of a second on a slow machine,
several times what Qt needs to show a window.  So the app reads the article it
is about to show with the standard library, paints it, and lets the ORM load
on a worker thread; every later read and every write goes through the
repositories as usual.

The glance is read-only (``mode=ro``), returns the same dataclasses as the
repositories (the rows go through :mod:`.convert`, exactly as ORM rows do;
a test compares both readers on the same file), and gives up quietly --
returning ``None`` -- whenever anything is unusual: a schema that is not at
head, an empty database, a value it cannot parse.  The caller then takes the
ordinary path, so the glance can only ever make start-up faster, never wrong.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from workbench.core.model import Article, Claim, Flag
from workbench.core.storage import convert
from workbench.core.storage.migrate import HEAD_REVISION


@dataclass(frozen=True, slots=True)
class Glance:
    """What the window needs to show an article: the same values the
    repositories' ``articles.get``, ``claims.for_article``,
    ``claims.evidence_counts`` and ``flags.for_article`` return."""

    article: Article
    claims: list[Claim]
    evidence_counts: dict[int, dict[str, int]]
    flags: list[Flag]


def _datetime(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a stored datetime: {value!r}")
    return datetime.fromisoformat(value)


def _date(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a stored date: {value!r}")
    return date.fromisoformat(value)


def _json(value: object) -> object:
    return None if value is None else json.loads(str(value))


def _bool(value: object) -> bool | None:
    return None if value is None else bool(value)


# How SQLAlchemy stores these column types in SQLite; every other column is
# handed over as sqlite3 returns it (int, float, str, None).
_PARSERS: dict[str, Callable[[object], object]] = {
    "imported_at": _datetime,
    "created_at": _datetime,
    "updated_at": _datetime,
    "verdict_set_at": _datetime,
    "dateline": _date,
    "dateline_used": _date,
    "types": _json,
    "entities": _json,
    "facts": _json,
    "spans": _json,
    "claim_ids": _json,
    "dismissed": _bool,
}


def _row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> SimpleNamespace:
    out = SimpleNamespace()
    for (name, *_), value in zip(cursor.description, values, strict=True):
        parse = _PARSERS.get(name)
        setattr(out, name, parse(value) if parse is not None else value)
    return out


def read(path: Path, *, prefer: int | None = None) -> Glance | None:
    """Article ``prefer`` (or, if it is gone, the newest import) as the window shows it.

    ``None`` when the database is empty, not at the head revision, or holds
    anything this reader does not expect; never raises for a database problem.
    """
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2.0)
    except sqlite3.Error:
        return None
    try:
        conn.row_factory = _row
        return _read(conn, prefer)
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, prefer: int | None) -> Glance | None:
    conn.execute("BEGIN")  # one snapshot for every query below (WAL readers never block)
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    if [r.version_num for r in revision] != [HEAD_REVISION]:
        return None
    found = None
    if prefer is not None:
        found = conn.execute("SELECT * FROM articles WHERE id = ?", (prefer,)).fetchone()
    if found is None:
        found = conn.execute(
            "SELECT * FROM articles ORDER BY imported_at DESC, id DESC LIMIT 1"
        ).fetchone()
    if found is None:
        return None
    article = convert.article(found)
    claims = conn.execute(
        "SELECT * FROM claims WHERE article_id = ? ORDER BY position", (article.id,)
    ).fetchall()
    counts: dict[int, dict[str, int]] = {}
    for r in conn.execute(
        "SELECT evidence.claim_id AS claim_id, evidence.stance AS stance, count(evidence.id) AS n"
        " FROM evidence JOIN claims ON claims.id = evidence.claim_id WHERE claims.article_id = ?"
        " GROUP BY evidence.claim_id, evidence.stance",
        (article.id,),
    ):
        counts.setdefault(int(r.claim_id), {})[str(r.stance)] = int(r.n)
    flags = conn.execute(
        "SELECT * FROM flags WHERE article_id = ? ORDER BY id", (article.id,)
    ).fetchall()
    return Glance(
        article=article,
        claims=[convert.claim(r) for r in claims],
        evidence_counts=counts,
        flags=[convert.flag(r) for r in flags],
    )
