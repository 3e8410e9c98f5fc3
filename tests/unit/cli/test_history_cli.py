"""history, undo and redo from the command line, on a real SQLite file.

The first test is the issue's acceptance test, with each step a separate
``workbench`` process: undo state lives in the database, not in a process.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli.main import run

REPO = Path(__file__).resolve().parents[3]
TEXT = "The city spent $4 million on roads in 2023. Officials said crime fell by 12 percent."


def _cli(db: Path, *argv: str, user: str | None = "desk-anna") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env["PYTHONPATH"] = str(REPO)
    env["WORKBENCH_DATA_DIR"] = str(db.parent)
    if user is not None:
        env["WORKBENCH_USER"] = user
    return subprocess.run(
        [sys.executable, "-m", "workbench", "--db", str(db), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database with one article, one claim (id 1) and two evidence rows on it."""
    path = data_dir / "cli.sqlite3"
    source = tmp_path / "roads.txt"
    source.write_text(TEXT, encoding="utf-8")
    base = ("--db", str(path), "--user", "setup")
    assert _run(capsys, *base, "import", str(source))[0] == 0
    assert _run(capsys, *base, "add-claim", "1", "0", str(TEXT.index(".") + 1))[1].strip() == "1"
    for url, stance in (
        ("https://example.org/a", "supports"),
        ("https://example.org/b", "refutes"),
    ):
        code, _, err = _run(
            capsys, *base, "attach", "1", url, "--stance", stance, "--excerpt", "spent", "--offline"
        )
        assert code == 0, err
    return path


def _evidence(db: Path) -> list[tuple[int, int, str, str]]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT id, claim_id, stance, excerpt FROM evidence ORDER BY id"
        ).fetchall()
    finally:
        conn.close()
    return [tuple(r) for r in rows]


def _claim_ids(db: Path) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM claims ORDER BY id")]
    finally:
        conn.close()


def test_delete_undo_redo_and_history_across_processes(db: Path) -> None:
    """Done when: delete-claim --force, then undo brings the claim back under the same id
    with its evidence; redo deletes it again; history --json shows all three entries with
    the actor from WORKBENCH_USER."""
    evidence = _evidence(db)
    assert [e[1] for e in evidence] == [1, 1]

    deleted = _cli(db, "delete-claim", "1", "--force")
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout.strip() == "deleted claim 1"
    assert _claim_ids(db) == [] and _evidence(db) == []

    undone = _cli(db, "undo")
    assert undone.returncode == 0, undone.stderr
    assert undone.stdout.startswith("undone #"), undone.stdout
    assert "delete claim 1" in undone.stdout and "desk-anna" in undone.stdout
    assert _claim_ids(db) == [1]  # the same id
    assert _evidence(db) == evidence  # with its evidence, under their ids

    redone = _cli(db, "redo", "--json")
    assert redone.returncode == 0, redone.stderr
    report = json.loads(redone.stdout)
    assert report["redone"]["kind"] == "delete-claim"
    assert report["entry"]["kind"] == "redo"
    assert _claim_ids(db) == [] and _evidence(db) == []

    listed = _cli(db, "history", "--json")
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    last = entries[-3:]
    assert [e["kind"] for e in last] == ["delete-claim", "undo", "redo"]
    assert {e["actor"] for e in last} == {"desk-anna"}
    assert all(
        set(e) == {"id", "at", "actor", "kind", "summary", "article_id", "claim_ids"}
        for e in entries
    )
    assert all(e["article_id"] == 1 and e["claim_ids"] == [1] for e in last)
    assert [e["actor"] for e in entries[:4]] == ["setup"] * 4
    ids = [e["id"] for e in entries]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_undo_json_and_the_user_option(
    capsys: pytest.CaptureFixture[str], db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBENCH_USER", "from-env")
    base = ("--db", str(db))
    assert _run(capsys, *base, "verdict", "1", "false")[0] == 0
    code, out, _ = _run(capsys, *base, "history", "--limit", "1", "--json")
    assert json.loads(out)[0]["actor"] == "from-env"
    # --user beats the environment; bob has nothing to undo
    code, _, err = _run(capsys, *base, "--user", "bob", "undo")
    assert (
        code == 2
        and err.strip()
        == "error: nothing to undo for bob — 'workbench history' lists what was done"
    )
    code, out, _ = _run(capsys, *base, "undo", "--json")
    report = json.loads(out)
    assert code == 0 and report["undone"]["kind"] == "verdict"
    assert report["entry"]["kind"] == "undo" and report["entry"]["actor"] == "from-env"
    code, out, _ = _run(capsys, *base, "claims", "1", "--json")
    assert json.loads(out)["claims"][0]["verdict"] is None


def test_undo_never_overwrites_a_later_change(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    base = ("--db", str(db))
    assert _run(capsys, *base, "--user", "anna", "verdict", "1", "false")[0] == 0
    assert _run(capsys, *base, "--user", "ben", "verdict", "1", "true")[0] == 0
    code, out, err = _run(capsys, *base, "--user", "anna", "undo")
    assert code == 1 and out == ""
    assert err.startswith("error: claim 1 was changed since (") and "\n" not in err.strip()
    code, out, _ = _run(capsys, *base, "claims", "1", "--json")
    assert json.loads(out)["claims"][0]["verdict"] == "true"


def test_history_of_one_article(
    capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Bridges cost 3 million euros.", encoding="utf-8")
    base = ("--db", str(db), "--user", "anna")
    assert _run(capsys, *base, "import", str(other))[0] == 0
    code, out, _ = _run(capsys, *base, "history", "--article", "2")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 1
    assert "import article 2" in lines[0] and "anna" in lines[0]
    code, out, _ = _run(capsys, *base, "history", "--article", "99")
    assert code == 0 and out.strip() == "no history for article 99"


def test_a_schema_bug_is_exit_3_with_a_crash_log(
    capsys: pytest.CaptureFixture[str], db: Path, data_dir: Path
) -> None:
    """ "no such table" is SQLITE_ERROR: a bug (exit 3, traceback in crash.log), not
    "check the file and try again"."""
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE search_index")
    conn.commit()
    conn.close()
    code, _out, err = _run(capsys, "--db", str(db), "search", "roads")
    assert code == 3
    assert err.startswith("error: internal error (OperationalError")
    assert "Traceback" not in err
    log = (data_dir / "crash.log").read_text(encoding="utf-8")
    assert "no such table: search_index" in log and "Traceback" in log


def test_the_user_option_reaches_the_desktop_app(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``workbench --user NAME`` opens the app as NAME (over WORKBENCH_USER)."""
    monkeypatch.setenv("WORKBENCH_USER", "from-env")
    seen: list[str | None] = []

    def app(db: str | None, data: str | None) -> int:
        seen.append(os.environ.get("WORKBENCH_USER"))
        return 0

    assert run(["--db", str(data_dir / "x.sqlite3"), "--user", "Ann Desk"], gui=app) == 0
    assert seen == ["Ann Desk"]
