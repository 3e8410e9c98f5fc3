"""Every user change is committed in its own transaction as it is made.

After each service call, a separate connection (another process's view)
must already see the change: nothing waits in an open transaction for a
later save.  And the ``verdicts`` bulk command validates the whole file
before its first commit, then commits line by line.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from workbench.cli.main import run
from workbench.core.model import Stance, Status, Verdict
from workbench.core.services import articles, claims
from workbench.core.storage import Store


def _outside(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()


def test_each_service_change_is_visible_to_another_connection_at_once(store: Store) -> None:
    db = store.path
    article, _ = articles.import_text(store, "The minister said the budget rose by 5% in 2023.")
    assert _outside(db, "SELECT title FROM articles WHERE id = ?", article.id)
    claim, _ = claims.add_claim(store, article.id, 0, 48)
    assert _outside(db, "SELECT id FROM claims WHERE id = ?", claim.id)
    steps: list[tuple[Callable[[], object], str, object]] = [
        (
            lambda: claims.edit_claim(store, claim.id, "The budget rose 5%."),
            "SELECT text_edited FROM claims WHERE id = ?",
            "The budget rose 5%.",
        ),
        (
            lambda: claims.set_verdict(store, claim.id, Verdict.FALSE, rationale="No."),
            "SELECT verdict || '|' || rationale FROM claims WHERE id = ?",
            "false|No.",
        ),
        (
            lambda: claims.set_status(store, claim.id, Status.CHECKED),
            "SELECT status FROM claims WHERE id = ?",
            "checked",
        ),
    ]
    for change, sql, expected in steps:
        change()
        assert _outside(db, sql, claim.id) == [(expected,)]
    source, _ = store.sources.get_or_create("https://example.org/a", "https://example.org/a")
    evidence, _ = store.evidence.attach(claim.id, source.id, stance=Stance.REFUTES, excerpt="x")
    assert _outside(db, "SELECT stance FROM evidence WHERE id = ?", evidence.id) == [("refutes",)]
    articles.delete_article(store, article.id)
    assert _outside(db, "SELECT count(*) FROM claims") == [(0,)]
    assert _outside(db, "SELECT count(*) FROM evidence") == [(0,)]


@pytest.fixture
def two_claims(store: Store) -> list[int]:
    article = store.articles.add(title="T", text="One claim here. Another claim there.")
    a = store.claims.add(article.id, start=0, end=15, text="One claim here.")
    b = store.claims.add(article.id, start=16, end=36, text="Another claim there.")
    return [a.id, b.id]


def _verdicts(db: Path, lines: list[str], tmp_path: Path) -> int:
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return run(["--db", str(db), "verdicts", str(batch)])


def _state(db: Path) -> list[tuple[object, ...]]:
    return _outside(db, "SELECT id, verdict, rationale FROM claims ORDER BY id")


@pytest.mark.parametrize(
    "bad",
    [
        "{not json",
        '["a list"]',
        '{"verdict": "false"}',
        '{"claim_id": 1}',
        '{"claim_id": 1, "verdict": "sort of"}',
        '{"claim_id": 1, "verdict": "false", "status": "done-ish"}',
        '{"claim_id": "1", "verdict": "false"}',
    ],
)
def test_verdicts_file_with_a_bad_line_changes_nothing(
    bad: str,
    two_claims: list[int],
    store: Store,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _state(store.path)
    good = json.dumps({"claim_id": two_claims[0], "verdict": "true", "rationale": "ok"})
    code = _verdicts(store.path, [good, bad], tmp_path)
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "line 2" in err
    assert _state(store.path) == before


def test_verdicts_stop_at_a_missing_claim_keeping_committed_lines(
    two_claims: list[int], store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"claim_id": two_claims[0], "verdict": "false", "rationale": "first"}),
        json.dumps({"claim_id": 99_999, "verdict": "true"}),
        json.dumps({"claim_id": two_claims[1], "verdict": "true", "rationale": "never"}),
    ]
    code = _verdicts(store.path, lines, tmp_path)
    out, err = capsys.readouterr()
    assert code == 2
    assert out.split("\n")[0] == f"done {two_claims[0]}" and "never" not in out
    assert len(err.strip().splitlines()) == 1 and "99999" in err
    state = dict((r[0], r[1:]) for r in _state(store.path))
    assert state[two_claims[0]] == ("false", "first")
    assert state[two_claims[1]] == (None, "")
