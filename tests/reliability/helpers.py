"""Running the real CLI in a subprocess and looking at databases from outside.

Tests here never trust the process under test to report its own state: rows
are counted and files hashed with the stdlib ``sqlite3`` module and hashlib.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "bad_input"

_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    env["WORKBENCH_NO_FIRST_RUN_FETCH"] = "1"
    env["WORKBENCH_ALLOW_LOCAL_FETCH"] = "1"  # test servers run on 127.0.0.1
    env["PYTHONPATH"] = str(REPO)
    env.update(extra or {})
    return env


def workbench(
    *args: str | Path,
    db: Path,
    stdin: bytes | None = None,
    timeout: float = 120,
    as_unprivileged: bool = False,
    env: dict[str, str] | None = None,
) -> Result:
    """``workbench --db DB ARGS...`` as a real process (``python -m workbench``)."""
    argv = [sys.executable, "-m", "workbench", "--db", str(db), *map(str, args)]
    proc = subprocess.run(
        argv,
        input=stdin,
        capture_output=True,
        timeout=timeout,
        env=cli_env(env),
        cwd=db.parent,
        preexec_fn=drop_file_override if as_unprivileged and os.geteuid() == 0 else None,
    )
    return Result(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def drop_file_override() -> None:
    """In a child before exec: give up root's right to ignore file permissions.

    Tests run as root in CI, and root reads a chmod 000 file and writes a
    chmod 444 file. Dropping CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from
    the bounding set makes the exec'd program obey permission bits like any
    user, which is the honest way to test "unreadable" and "read-only".
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def can_drop_file_override() -> bool:
    """Whether permission bits can be made to bind in a child process."""
    if os.geteuid() != 0:
        return True
    probe = subprocess.run(
        [sys.executable, "-c", "import os; open('/proc/self/status').read()"],
        preexec_fn=drop_file_override,
        capture_output=True,
    )
    return probe.returncode == 0


def count_rows(db: Path, table: str = "articles") -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if table not in tables:
            return 0
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def integrity(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    finally:
        conn.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_error_line(result: Result, *, mentions: Sequence[str] = ()) -> str:
    """A refusal: non-zero exit, exactly one stderr line, no traceback."""
    assert result.code != 0, f"expected a failure, got exit 0; stdout={result.out!r}"
    assert result.code in (1, 2), f"exit {result.code} means an internal error: {result.err}"
    assert "Traceback" not in result.err + result.out
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one stderr line, got {lines!r}"
    line = lines[0]
    assert line.startswith("error: "), line
    for word in mentions:
        assert word in line, f"{word!r} not in {line!r}"
    return line
