"""Hostile streams and arguments through the real CLI: /dev/zero on stdin, a closed
stdin, non-UTF-8 bytes, a failing stdout (/dev/full), ids past SQLite's integer
range, verdict lines built to crash the parser, nonsense timeouts and datelines.

Each must end in one clear line and a non-zero exit (or, where the input is
legitimate, success), never exit 3, never a hang, never unbounded memory.
These run real processes because the point is the real file descriptors.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from tests.reliability.helpers import (
    Result,
    assert_one_error_line,
    cli_env,
    count_rows,
    workbench,
)
from workbench.core.storage import Store

TEXT = "The ministry said exports rose by 7 percent in 2023, the highest in a decade.\n"
MEMORY_LIMIT = 1024 * 1024 * 1024  # 1 GB of address space: the caps must hold well below it


def run_cli(
    *args: str | Path,
    db: Path,
    stdin: IO[bytes] | bytes | None = None,
    stdout: IO[bytes] | None = None,
    close_stdin: bool = False,
    timeout: float = 120,
) -> Result:
    """``workbench --db DB ARGS`` with real descriptors, under a 1 GB memory limit."""

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        if close_stdin:
            os.close(0)

    proc = subprocess.run(
        [sys.executable, "-m", "workbench", "--db", str(db), *map(str, args)],
        input=stdin if isinstance(stdin, bytes) else None,
        stdin=None if isinstance(stdin, bytes) or stdin is None else stdin,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
        cwd=db.parent,
        timeout=timeout,
        preexec_fn=limits,
    )
    out = proc.stdout.decode("utf-8", "replace") if proc.stdout is not None else ""
    return Result(proc.returncode, out, proc.stderr.decode("utf-8", "replace"))


def _errors_only(result: Result) -> Result:
    """``score`` names its scorer on stderr first (its contract); keep the other lines."""
    kept = [line for line in result.err.splitlines() if not line.startswith("scorer: ")]
    return Result(result.code, result.out, "\n".join(kept))


@pytest.fixture
def db(db_path: Path) -> Path:
    with Store.open(db_path) as store:
        article = store.articles.add(title="Exports", text=TEXT.strip())
        store.claims.add(article.id, start=0, end=30, text=TEXT[:30], score=0.8)
    return db_path


# --------------------------------------------------------------------------- stdin


STDIN_COMMANDS = {
    "import": ("import", "-"),
    "extract": ("extract", "-"),
    "score": ("score", "--scorer", "cues"),
    "verdicts": ("verdicts", "-"),
}


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(STDIN_COMMANDS))
def test_an_endless_stdin_hits_the_cap_with_one_line(db: Path, command: str) -> None:
    started = time.monotonic()
    with open("/dev/zero", "rb") as zero:
        result = run_cli(*STDIN_COMMANDS[command], db=db, stdin=zero)
    line = assert_one_error_line(_errors_only(result))
    assert "standard input" in line
    assert "larger than" in line or "longer than" in line or "binary" in line, line
    assert time.monotonic() - started < 60
    assert count_rows(db) == 1


@pytest.mark.parametrize("command", sorted(STDIN_COMMANDS))
def test_a_closed_stdin_is_one_line(db: Path, command: str) -> None:
    result = run_cli(*STDIN_COMMANDS[command], db=db, close_stdin=True)
    assert_one_error_line(_errors_only(result), mentions=("standard input is closed",))


def test_score_reports_non_utf8_by_line(db: Path) -> None:
    result = run_cli(
        "score", "--scorer", "cues", db=db, stdin=b"Exports rose 7 percent.\ncaf\xe9 \xff\n"
    )
    assert result.out.count("\n") == 1  # the first line was scored before the bad one
    assert_one_error_line(_errors_only(result), mentions=("line 2", "not UTF-8"))


def test_score_accepts_crlf_and_a_bom(db: Path) -> None:
    result = run_cli(
        "score", "--scorer", "cues", db=db, stdin=b"\xef\xbb\xbfExports rose.\r\nPrices fell.\r\n"
    )
    assert result.code == 0, result.err
    assert len(result.out.split()) == 2


# --------------------------------------------------------------------------- stdout


FULL_COMMANDS: dict[str, tuple[str, ...]] = {
    "export": ("export", "1", "--format", "md"),
    "export-json-ld": ("export", "1", "--format", "claimreview"),
    "claims": ("claims", "1"),
    "articles": ("articles",),
    "articles-json": ("articles", "--json"),
    "show": ("show", "1"),
    "snapshot": ("snapshot", "1", "--text"),
}


@pytest.mark.parametrize("command", sorted(FULL_COMMANDS))
def test_a_full_stdout_is_one_line(db: Path, command: str) -> None:
    if command == "snapshot":
        _add_snapshot(db, text="Snapshot text. " * 20_000)
    with open("/dev/full", "wb") as full:
        result = run_cli(*FULL_COMMANDS[command], db=db, stdout=full)
    assert_one_error_line(result, mentions=("cannot write to standard output", "disk is full"))


def _add_snapshot(db: Path, *, text: str) -> None:
    from datetime import UTC, datetime

    with Store.open(db) as store:
        source, _ = store.sources.get_or_create("https://example.com/s", "https://example.com/s")
        store.sources.add_snapshot(
            source.id,
            fetched_at=datetime(2024, 1, 1, tzinfo=UTC),
            final_url="https://example.com/s",
            http_status=200,
            content_type="text/plain; charset=utf-8",
            raw=text.encode(),
            text=text,
        )


def test_a_closed_pipe_is_not_an_error(db: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "--db", str(db), "show", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
    )
    assert proc.stdout is not None
    proc.stdout.close()  # like `| head -0`
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and b"Traceback" not in err and b"Exception ignored" not in err


# --------------------------------------------------------------------------- ids and arguments


@pytest.mark.parametrize(
    "args",
    [
        ("show", "99999999999999999999999"),
        ("claims", "-99999999999999999999999"),
        ("verdict", "18446744073709551616", "true"),
        ("export", "9223372036854775808", "-f", "md"),
        ("search", "x", "--limit", "99999999999999999999"),
    ],
)
def test_ids_past_the_database_range_are_one_line(db: Path, args: tuple[str, ...]) -> None:
    result = workbench(*args, db=db)
    assert_one_error_line(result)


def test_argument_bytes_that_are_not_utf8_are_refused(db: Path) -> None:
    proc = subprocess.run(
        [sys.executable.encode(), b"-m", b"workbench", b"--db", str(db).encode(),
         b"edit-claim", b"1", b"--text", b"caf\xe9 claim"],
        capture_output=True, env=cli_env(), timeout=60,
    )  # fmt: skip
    result = Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode("utf-8", "replace"))
    assert_one_error_line(result, mentions=("--text", "not valid text"))


def test_a_file_name_that_is_not_utf8_imports(db: Path) -> None:
    name = os.fsdecode(b"caf\xe9-report.txt")
    (db.parent / name).write_text(TEXT, encoding="utf-8")
    result = workbench("import", name, db=db)
    assert result.code == 0, result.err
    assert count_rows(db) == 2


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "0", "-5", "3601"])
@pytest.mark.parametrize("command", ["attach", "fetch", "recheck", "import"])
def test_nonsense_timeouts_are_one_line(db: Path, value: str, command: str) -> None:
    args = {
        "attach": ("attach", "1", "https://example.com/x", "--stance", "supports"),
        "fetch": ("fetch",),
        "recheck": ("recheck", "1"),
        "import": ("import", "https://example.com/x"),
    }[command]
    result = workbench(*args, f"--timeout={value}", db=db)
    assert_one_error_line(result, mentions=("timeout",))


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "0999-12-31", "3000-01-01"])
def test_implausible_datelines_are_refused_where_typed(db: Path, value: str) -> None:
    for args in (("dateline", "1", value), ("import", "x.txt", "--published", value)):
        assert_one_error_line(workbench(*args, db=db), mentions=("plausible dateline",))
    path = db.parent / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = workbench("extract", path, "--published", value, db=db)
    assert_one_error_line(result, mentions=("plausible dateline",))


def test_extraction_survives_datelines_at_the_edges_of_the_calendar() -> None:
    """Rows stored before the range check: weekday and relative dates must not overflow."""
    from datetime import date

    from workbench.core.nlp.temporal import resolve_weekday

    assert resolve_weekday(0, date(9999, 12, 31), modifier="next", tense=None) == date(9999, 12, 31)
    assert resolve_weekday(4, date(1, 1, 1), modifier="last", tense=None) == date(1, 1, 1)
    from workbench.core.nlp.consistency import check_article
    from workbench.core.nlp.extract import extract_claims

    text = (
        "The summit will be held next Monday, officials said, with 40 leaders expected. "
        "Tomorrow, Friday, the ministry said 5 million people voted, 900000 days ago. "
        "Yesterday, Sunday, it said the 1999 treaty marked its 25th anniversary on Dec. 31."
    )
    for dateline in (date(9999, 12, 31), date(1, 1, 1)):
        extract_claims(text, dateline=dateline)
        check_article(text, dateline=dateline)


# --------------------------------------------------------------------------- verdict files


def _verdicts(db: Path, data: bytes) -> Result:
    path = db.parent / "verdicts.jsonl"
    path.write_bytes(data)
    return workbench("verdicts", path, db=db)


def _verdict_state(db: Path) -> list[tuple[object, ...]]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id, verdict, rationale FROM claims").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("line2", "needle"),
    [
        (b'{"claim_id": 1, "verdict": "false", "rationale": "\\ud800"}', "invalid character"),
        (b"[" * 100_000, "too deeply"),
        (b'{"claim_id": 99999999999999999999999, "verdict": "true"}', "out of range"),
        (b'{"claim_id": ' + b"9" * 5000 + b', "verdict": "true"}', "not usable JSON"),
        (b'{"claim_id": 1, "verdict": "\\udfff"}', "invalid character"),
    ],
    ids=["lone-surrogate", "deep-brackets", "huge-id", "5000-digit-id", "surrogate-verdict"],
)
def test_a_bad_later_verdict_line_changes_nothing(db: Path, line2: bytes, needle: str) -> None:
    before = _verdict_state(db)
    result = _verdicts(db, b'{"claim_id": 1, "verdict": "true", "rationale": "ok"}\n' + line2)
    assert_one_error_line(result, mentions=("line 2", needle))
    assert result.out == ""  # line 1 was not committed either
    assert _verdict_state(db) == before


@pytest.mark.parametrize(
    "make",
    [
        lambda d: "/dev/zero",
        lambda d: _mkfifo(d / "v.fifo"),
        lambda d: str(d),
    ],
    ids=["dev-zero", "fifo", "folder"],
)
def test_verdict_file_that_is_not_a_file_is_refused_without_blocking(
    db: Path, make: Callable[[Path], str]
) -> None:
    started = time.monotonic()
    result = workbench("verdicts", make(db.parent), db=db, timeout=60)
    assert_one_error_line(result)
    assert time.monotonic() - started < 30


def _mkfifo(path: Path) -> str:
    os.mkfifo(path)
    return str(path)


# --------------------------------------------------------------------------- smaller items


def test_import_extract_prints_the_id_before_extracting(db: Path) -> None:
    path = db.parent / "b.txt"
    path.write_text(TEXT * 3, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "--db", str(db), "import", str(path), "--extract"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(),
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    still_running = proc.poll() is None
    claims_then = _count_claims(db, article=2)
    proc.communicate(timeout=120)
    assert first.strip() == b"2"
    assert proc.returncode == 0
    assert still_running and claims_then == 0, "the id came only after extraction"
    assert _count_claims(db, article=2) > 0


def _count_claims(db: Path, *, article: int) -> int:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT count(*) FROM claims WHERE article_id=?", (article,)).fetchone()
        return int(row[0])
    finally:
        conn.close()


def test_copy_evidence_from_a_missing_claim_is_an_error(db: Path) -> None:
    assert_one_error_line(workbench("copy-evidence", "99999", "1", db=db), mentions=("99999",))
