"""The start-up glance (plain sqlite3) reads exactly what the repositories read."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from workbench.core.model import Entity, FlagFinding, Origin, Stance, Status, Verdict
from workbench.core.storage import Store, glance


def _fill(store: Store) -> tuple[int, int]:
    """Two articles; the older one has every kind of value the glance must parse."""
    text = "Exports rose 12% in 2023, the minister said. Growth will slow next year. Coda."
    old = store.articles.add(
        title="Old",
        text=text,
        outlet="Wire",
        url="https://x.org/a",
        author="A. Writer",
        dateline=date(2023, 10, 17),
    ).id
    first = store.claims.add(
        old,
        start=0,
        end=44,
        text=text[:44],
        score=0.93,
        types=("quantity", "attribution"),
        entities=(Entity(label="DATE", start=19, end=23, text="2023"),),
        facts=({"kind": "quantity", "value": 12.0, "unit": "%", "hedge": None},),
        origin=Origin.AUTO,
        scorer="minilm",
    )
    second = store.claims.add(old, start=45, end=71, text=text[45:71], score=0.41)
    store.claims.update(
        first.id,
        text_edited="Exports rose 12%",
        verdict=Verdict.MOSTLY_TRUE,
        rationale="Customs data",
        status=Status.CHECKED,
    )
    store.claims.update(second.id, status=Status.IN_PROGRESS)
    for n, stance in enumerate((Stance.SUPPORTS, Stance.SUPPORTS, Stance.REFUTES)):
        src, _ = store.sources.get_or_create(f"https://s.org/{n}", f"https://s.org/{n}")
        store.evidence.attach(first.id, src.id, stance=stance, excerpt="rose 12%")
    flags = store.flags.replace_for_article(
        old,
        [
            FlagFinding(
                "anachronism",
                "2024 pact in a 2023 article",
                ((0, 10),),
                0.9,
                date(2023, 10, 17),
                "fp-1",
            ),
            FlagFinding("weekday", "wrong weekday", ((45, 50), (60, 65)), 0.6, None, "fp-2"),
        ],
        claim_ids=[[first.id], []],
    )
    store.flags.set_dismissed(flags[1].id, True)
    new = store.articles.add(title="New", text="Nothing to see.").id
    return old, new


def _assert_same(store: Store, path: Path, article_id: int, prefer: int | None) -> None:
    seen = glance.read(path, prefer=prefer)
    assert seen is not None
    assert seen.article == store.articles.get(article_id)
    assert seen.claims == store.claims.for_article(article_id)
    assert seen.evidence_counts == store.claims.evidence_counts(article_id)
    assert seen.flags == store.flags.for_article(article_id)


def test_glance_matches_the_repositories(store: Store, db_path: Path) -> None:
    old, new = _fill(store)
    _assert_same(store, db_path, old, prefer=old)
    seen = glance.read(db_path, prefer=old)
    assert seen is not None and len(seen.claims) == 2 and len(seen.flags) == 2
    assert seen.evidence_counts == {seen.claims[0].id: {"supports": 2, "refutes": 1}}
    # No preference, or a deleted one: the newest import, as the library lists first.
    _assert_same(store, db_path, new, prefer=None)
    _assert_same(store, db_path, new, prefer=999)


def test_glance_reads_a_database_another_connection_is_writing(store: Store, db_path: Path) -> None:
    old, _ = _fill(store)
    writer = sqlite3.connect(db_path, isolation_level=None)
    try:  # a writer holding the lock neither blocks the glance nor shows it uncommitted rows
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE articles SET title = 'in flight' WHERE id = ?", (old,))
        seen = glance.read(db_path, prefer=old)
        writer.execute("ROLLBACK")
    finally:
        writer.close()
    assert seen is not None and seen.article.title == "Old"


def test_glance_gives_up_quietly(store: Store, db_path: Path, tmp_path: Path) -> None:
    assert glance.read(db_path) is None  # empty: the app takes the first-run path
    assert glance.read(tmp_path / "missing.sqlite3") is None
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    assert glance.read(junk) is None
    _fill(store)
    behind = tmp_path / "behind.sqlite3"
    shutil.copyfile(db_path, behind)
    with sqlite3.connect(behind) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    assert glance.read(behind) is None  # not at head: Store.open must migrate first
    odd = tmp_path / "odd.sqlite3"
    shutil.copyfile(db_path, odd)
    with sqlite3.connect(odd) as conn:
        conn.execute("UPDATE articles SET imported_at = 'yesterday'")
    assert glance.read(odd) is None  # a value it cannot parse


def test_glance_does_not_import_sqlalchemy(store: Store, db_path: Path) -> None:
    _fill(store)
    code = (
        "import sys; from pathlib import Path\n"
        "from workbench.core.storage import Store, glance\n"
        f"store = Store.open(Path({str(db_path)!r}))\n"
        f"g = glance.read(Path({str(db_path)!r}))\n"
        "assert g is not None and g.article.title == 'New', g\n"
        "assert 'sqlalchemy' not in sys.modules, 'the glance imported SQLAlchemy'\n"
        "store.articles.count()\n"
        "assert 'sqlalchemy' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("prefer", [None, 1])
def test_glance_never_writes(store: Store, db_path: Path, prefer: int | None) -> None:
    _fill(store)
    store.close()
    before = db_path.read_bytes()
    assert glance.read(db_path, prefer=prefer) is not None
    assert db_path.read_bytes() == before
