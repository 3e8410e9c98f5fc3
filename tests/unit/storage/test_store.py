"""The store on a real SQLite file: rows in, dataclasses out, cascades, uniqueness."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from workbench.core.errors import NotFoundError, UserInputError
from workbench.core.model import (
    ExtractedClaim,
    FetchState,
    FlagFinding,
    Origin,
    Stance,
    Status,
    Verdict,
)
from workbench.core.storage import MachineUpdate, Store


def _article(store: Store, text: str = "One claim here. Another claim there.") -> int:
    return store.articles.add(title="T", text=text, dateline=date(2023, 10, 17)).id


def test_pragmas_wal_and_foreign_keys(store: Store) -> None:
    with store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_article_round_trip_and_hash(store: Store) -> None:
    a = store.articles.add(title="T", text="Text", outlet="O", dateline=date(2023, 1, 2))
    got = store.articles.get(a.id)
    assert got.title == "T" and got.outlet == "O" and got.dateline == date(2023, 1, 2)
    import hashlib

    assert got.text_sha256 == hashlib.sha256(b"Text").hexdigest()
    assert got.imported_at is not None and got.imported_at.tzinfo is not None


def test_missing_rows_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.articles.get(999)
    with pytest.raises(NotFoundError):
        store.claims.get(999)
    with pytest.raises(NotFoundError):
        store.claims.add(999, start=0, end=1, text="x")


def test_claim_span_is_validated(store: Store) -> None:
    aid = _article(store)
    with pytest.raises(UserInputError):
        store.claims.add(aid, start=5, end=5, text="")
    with pytest.raises(UserInputError):
        store.claims.add(aid, start=0, end=10_000, text="x")


def test_positions_follow_the_article(store: Store) -> None:
    aid = _article(store)
    second = store.claims.add(aid, start=16, end=36, text="Another claim there.")
    first = store.claims.add(aid, start=0, end=15, text="One claim here.")
    claims = store.claims.for_article(aid)
    assert [c.id for c in claims] == [first.id, second.id]
    assert [c.position for c in claims] == [0, 1]


def test_verdict_stamps_time_and_clears(store: Store) -> None:
    aid = _article(store)
    c = store.claims.add(aid, start=0, end=15, text="One claim here.")
    c2 = store.claims.update(
        c.id, verdict=Verdict.FALSE, rationale="Because", status=Status.CHECKED
    )
    assert c2.verdict is Verdict.FALSE and c2.verdict_set_at is not None
    assert c2.rationale == "Because" and c2.status is Status.CHECKED
    c3 = store.claims.update(c.id, verdict=None)
    assert c3.verdict is None and c3.verdict_set_at is None
    assert c3.rationale == "Because"


def test_delete_article_cascades_but_keeps_shared_source(store: Store) -> None:
    a1, a2 = _article(store), _article(store)
    c1 = store.claims.add(a1, start=0, end=15, text="One claim here.")
    c2 = store.claims.add(a2, start=0, end=15, text="One claim here.")
    src, created = store.sources.get_or_create("https://x.org/a", "https://x.org/a")
    assert created
    again, created2 = store.sources.get_or_create("https://X.org/a#frag", "https://x.org/a")
    assert not created2 and again.id == src.id
    store.evidence.attach(c1.id, src.id, stance=Stance.SUPPORTS)
    store.evidence.attach(c2.id, src.id, stance=Stance.REFUTES)
    store.flags.replace_for_article(
        a1, [FlagFinding("anachronism", "m", ((0, 3),), 0.9, None, "fp")]
    )
    store.articles.delete(a1)
    assert store.claims.for_article(a1) == []
    assert store.flags.for_article(a1) == []
    assert store.evidence.for_claim(c1.id) == []
    assert [v.evidence.claim_id for v in store.evidence.for_claim(c2.id)] == [c2.id]
    assert store.sources.get(src.id).id == src.id


def test_same_source_twice_on_a_claim_is_one_evidence_row(store: Store) -> None:
    aid = _article(store)
    c = store.claims.add(aid, start=0, end=15, text="One claim here.")
    src, _ = store.sources.get_or_create("https://x.org/a", "https://x.org/a")
    e1, created1 = store.evidence.attach(c.id, src.id, stance=Stance.SUPPORTS, excerpt="a")
    e2, created2 = store.evidence.attach(c.id, src.id, stance=Stance.MIXED, excerpt="b")
    assert created1 and not created2 and e1.id == e2.id
    views = store.evidence.for_claim(c.id)
    assert len(views) == 1 and views[0].evidence.stance is Stance.MIXED


def test_snapshots_keep_history_and_hashes(store: Store) -> None:
    import hashlib
    from datetime import UTC, datetime

    src, _ = store.sources.get_or_create("https://x.org/a", "https://x.org/a")
    failed = store.sources.record_failure(src.id, error="connection refused")
    assert failed.fetch_state is FetchState.FAILED
    s1 = store.sources.add_snapshot(
        src.id,
        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
        final_url="https://x.org/a",
        http_status=200,
        content_type="text/html",
        raw=b"<p>one</p>",
        text="one",
        title="First",
    )
    s2 = store.sources.add_snapshot(
        src.id,
        fetched_at=datetime(2026, 2, 1, tzinfo=UTC),
        final_url="https://x.org/b",
        http_status=200,
        content_type="text/html",
        raw=b"<p>two</p>",
        text="two",
    )
    assert s1.raw_sha256 == hashlib.sha256(b"<p>one</p>").hexdigest()
    assert s1.text_sha256 == hashlib.sha256(b"one").hexdigest()
    assert store.sources.snapshot_raw(s1.id) == b"<p>one</p>"
    assert [s.id for s in store.sources.snapshots(src.id)] == [s1.id, s2.id]
    cur = store.sources.get(src.id)
    assert cur.current_snapshot_id == s2.id and cur.final_url == "https://x.org/b"
    assert cur.title == "First"  # kept when the newer page has none
    assert cur.fetch_state is FetchState.FETCHED
    after = store.sources.record_failure(src.id, error="timeout")
    assert after.fetch_state is FetchState.FETCHED and after.fetch_error == "timeout"


def test_apply_extraction_is_all_or_nothing(store: Store) -> None:
    aid = _article(store)
    keep = store.claims.add(aid, start=0, end=15, text="One claim here.", origin=Origin.AUTO)
    bad = ExtractedClaim(0, 99_999, "x", 0.5)
    with pytest.raises(UserInputError):
        store.claims.apply_extraction(
            aid,
            updates=[MachineUpdate(keep.id, ExtractedClaim(0, 15, "One claim here.", 0.9))],
            additions=[bad],
            deletions=[],
            scorer="s",
        )
    assert store.claims.get(keep.id).score == 0.0  # the update was rolled back


def test_flag_dismissals_survive_a_rerun(store: Store) -> None:
    aid = _article(store)
    f = FlagFinding("weekday", "m", ((0, 3), (5, 9)), 0.8, date(2023, 10, 17), "abc")
    (flag,) = store.flags.replace_for_article(aid, [f])
    assert flag.spans == ((0, 3), (5, 9))
    store.flags.set_dismissed(flag.id, True)
    (again,) = store.flags.replace_for_article(aid, [f])
    assert again.dismissed


def test_settings_round_trip(store: Store) -> None:
    assert store.settings.get("checker_name") is None
    store.settings.set("checker_name", "Ada")
    store.settings.set("checker_name", "Grace")
    assert store.settings.get("checker_name") == "Grace"


def test_foreign_key_enforced_in_raw_sql(db_path: Path) -> None:
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(
            "INSERT INTO claims (article_id, start, end, text_extracted, score, types, entities,"
            " facts, origin, status, rationale, position, created_at, updated_at)"
            " VALUES (42, 0, 1, 'x', 0, '[]', '[]', '[]', 'auto', 'unchecked', '', 0, '', '')"
        )
    conn.close()
