"""The CLI end to end, in-process on a real SQLite file, plus a few real subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli.main import run

SAMPLE = (
    Path(__file__).resolve().parents[3] / "resources" / "samples" / "beijing-summit-article.txt"
)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(data_dir: Path) -> str:
    return str(data_dir / "cli.sqlite3")


def test_import_prints_id_and_articles_lists_it(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, _ = _run(
        capsys, "--db", db, "import", str(SAMPLE), "--title", "Sample", "--published", "2023-10-17"
    )
    assert code == 0 and out.strip() == "1"
    code, out, _ = _run(capsys, "--db", db, "articles", "--json")
    (row,) = json.loads(out)
    assert row["title"] == "Sample" and row["dateline"] == "2023-10-17"


def test_import_from_stdin(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    class _Stdin:
        buffer = io.BytesIO(b"Over 15,000 troops were deployed in 2024.\n")

    monkeypatch.setattr(sys, "stdin", _Stdin)
    code, out, _ = _run(capsys, "--db", db, "import", "-", "--title", "Piped")
    assert code == 0
    code, out, _ = _run(capsys, "--db", db, "show", out.strip(), "--json")
    assert json.loads(out)["text"] == "Over 15,000 troops were deployed in 2024."


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["import", "/definitely/not/here.txt"], "does not exist"),
        (["import", "javascript:alert(1)"], "cannot import"),
        (["import", "x.txt", "--published", "17/10/2023"], "not a date"),
        (["claims", "42"], "no article with id 42"),
        (["verdict", "1", "sorta"], "not a verdict"),
        (["add-claim", "1", "0", "5"], "no article with id 1"),
        (["frobnicate"], "invalid choice"),
        (["extract"], "either SOURCE or --article"),
    ],
)
def test_bad_input_is_one_line_and_nonzero(
    capsys: pytest.CaptureFixture[str], db: str, argv: list[str], needle: str
) -> None:
    code, out, err = _run(capsys, "--db", db, *argv)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and lines[0].startswith("error: ")
    assert "Traceback" not in err + out


def test_newer_database_is_refused_with_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import sqlite3

    path = tmp_path / "future.sqlite3"
    assert _run(capsys, "--db", str(path), "db", "upgrade")[0] == 0
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num='zzzz'")
    conn.commit()
    conn.close()
    code, _, err = _run(capsys, "--db", str(path), "articles")
    assert code == 1 and "newer than this app" in err and str(path) in err


def test_db_upgrade_check_backup(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.sqlite3"
    code, out, _ = _run(capsys, "--db", str(path), "db", "upgrade")
    assert code == 0 and "upgraded empty ->" in out and path.exists()
    code, out, _ = _run(capsys, "--db", str(path), "db", "upgrade")
    assert "already at revision" in out
    code, out, _ = _run(capsys, "--db", str(path), "db", "check", "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    code, out, _ = _run(capsys, "--db", str(path), "db", "backup")
    assert code == 0 and Path(out.strip()).is_file()


def test_claim_editing_loop_without_nlp(capsys: pytest.CaptureFixture[str], db: str) -> None:
    """add-claim, edit-claim, verdict, status, split, merge: each visible in claims --json."""
    text = "The army has 15,000 troops. It lost 600 soldiers in combat."
    Path(db).parent.mkdir(exist_ok=True)
    src = Path(db).with_name("a.txt")
    src.write_text(text, encoding="utf-8")
    assert _run(capsys, "--db", db, "import", str(src))[1].strip() == "1"
    code, out, _ = _run(capsys, "--db", db, "add-claim", "1", "0", "27", "--json")
    first = json.loads(out)
    assert (
        code == 0 and first["text"] == "The army has 15,000 troops." and first["origin"] == "manual"
    )
    code, out, _ = _run(capsys, "--db", db, "add-claim", "1", "28", str(len(text)))
    second = int(out)
    assert (
        _run(capsys, "--db", db, "edit-claim", str(first["id"]), "--text", "Army: 15k troops")[0]
        == 0
    )
    code, out, _ = _run(
        capsys,
        "--db",
        db,
        "verdict",
        str(second),
        "false",
        "--rationale",
        "Casualty figures differ.",
        "--status",
        "checked",
        "--json",
    )
    assert json.loads(out)["verdict"] == "false"
    code, out, _ = _run(capsys, "--db", db, "claims", "1", "--json")
    data = json.loads(out)
    by_id = {c["id"]: c for c in data["claims"]}
    assert by_id[first["id"]]["text"] == "Army: 15k troops"
    assert by_id[first["id"]]["text_extracted"] == "The army has 15,000 troops."
    assert by_id[second]["status"] == "checked"
    assert by_id[second]["rationale"] == "Casualty figures differ."
    article_text = text
    for c in data["claims"]:
        assert article_text[c["start"] : c["end"]] == c["text_extracted"]
    # split the second claim after "It lost 600 soldiers", then merge back
    at = text.index(" in combat")
    code, out, _ = _run(capsys, "--db", db, "split-claim", str(second), str(at))
    assert code == 0
    code, out, _ = _run(capsys, "--db", db, "claims", "1", "--json")
    ids = [c["id"] for c in json.loads(out)["claims"]]
    assert len(ids) == 3
    code, out, _ = _run(capsys, "--db", db, "merge-claims", str(ids[1]), str(ids[2]))
    assert code == 0
    code, out, _ = _run(capsys, "--db", db, "claims", "1", "--json")
    merged = json.loads(out)["claims"]
    assert len(merged) == 2 and merged[1]["verdict"] == "false"
    assert merged[1]["text"] == "It lost 600 soldiers in combat."


def test_subprocess_error_has_no_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"garbage" * 1000)
    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "--db", str(junk), "articles"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and str(junk) in proc.stderr
    assert junk.read_bytes() == b"garbage" * 1000


def test_help_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from workbench.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    names = set(sub.choices)
    assert {
        "import",
        "extract",
        "articles",
        "claims",
        "add-claim",
        "edit-claim",
        "verdict",
        "score",
        "db",
    } <= names
    for name in sorted(names):
        with pytest.raises(SystemExit) as info:
            parser.parse_args([name, "--help"])
        assert info.value.code == 0
    capsys.readouterr()


def test_db_check_reports_missing_tables(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import sqlite3

    path = tmp_path / "db.sqlite3"
    assert _run(capsys, "--db", str(path), "db", "upgrade")[0] == 0
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE flags")
    conn.commit()
    conn.close()
    code, out, _ = _run(capsys, "--db", str(path), "db", "check", "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert any("missing tables: flags" in e for e in report["errors"])


def test_cli_takes_the_days_backup_when_data_changed(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    from workbench.core.storage.backup import SCHEDULED, list_backups

    src = Path(db).with_name("a.txt")
    src.write_text("The army has 15,000 troops.", encoding="utf-8")
    assert _run(capsys, "--db", db, "import", str(src))[0] == 0
    scheduled = [b for b in list_backups(Path(db)) if b.reason == SCHEDULED]
    assert len(scheduled) == 1
    assert _run(capsys, "--db", db, "import", str(src))[0] == 0
    assert len([b for b in list_backups(Path(db)) if b.reason == SCHEDULED]) == 1  # once a day


def test_manual_claim_facts_point_into_the_article(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    text = "Intro sentence here. Officials said more than 80,000 doves were released."
    src = Path(db).with_name("doves.txt")
    src.write_text(text, encoding="utf-8")
    assert _run(capsys, "--db", db, "import", str(src))[0] == 0
    start = text.index("Officials")
    code, out, _ = _run(capsys, "--db", db, "add-claim", "1", str(start), str(len(text)), "--json")
    assert code == 0
    claim = json.loads(out)
    quantities = [f for f in claim["facts"] if f.get("kind") == "quantity"]
    assert quantities, claim["facts"]
    q = quantities[0]
    assert text[q["start"] : q["end"]] == q["text"]
