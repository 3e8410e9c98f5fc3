"""Exit-code sweep: every hostile input of issue 16, and variants, through the real CLI.

Run ``python -m tests.reliability.sweep`` from the repository root.  It builds
a scratch folder with a database (an article, claims, a fetched source),
starts hostile servers on 127.0.0.1, runs each input as a real ``workbench``
process (2 GB address-space limit, 120 s wall clock) and prints one row per
input: exit code, seconds, and the first stderr line.  It exits 1 if any
input ends in exit 3 (internal error), a traceback, a timeout (hang) or more
than one stderr line on failure.

Not part of the pytest suite (about a hundred process starts); the tests in
this folder cover each class, this sweeps the variants in one go.
"""

from __future__ import annotations

import gzip
import os
import resource
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.reliability.helpers import cli_env
from tests.reliability.hostile_server import Trickle, hang, hostile_server, respond


@dataclass
class Case:
    name: str
    argv: list[str]
    stdin: str | bytes | None = None  # a path, bytes, "closed" or None
    stdout: str | None = None  # a path (e.g. /dev/full) or None for a pipe
    env: dict[str, str] = field(default_factory=dict)
    db: str | None = None  # overrides the scratch database (None: use it)


def _limits(close_stdin: bool) -> Callable[[], None]:
    def apply() -> None:
        two_gb = 2 * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (two_gb, two_gb))
        if close_stdin:
            os.close(0)

    return apply


def run_case(case: Case, db: Path, cwd: Path) -> tuple[int | str, float, str, int]:
    argv = [sys.executable, "-m", "workbench"]
    if case.db is None:
        argv += ["--db", str(db)]
    argv += case.argv
    stdin_file = None
    stdout_file = None
    data = None
    if isinstance(case.stdin, bytes):
        data = case.stdin
    elif isinstance(case.stdin, str) and case.stdin != "closed":
        stdin_file = open(case.stdin, "rb")  # noqa: SIM115
    if case.stdout is not None:
        stdout_file = open(case.stdout, "wb")  # noqa: SIM115
    started = time.monotonic()
    try:
        proc = subprocess.run(
            argv,
            input=data,
            stdin=stdin_file if data is None else None,
            stdout=stdout_file or subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=cli_env(case.env),
            cwd=cwd,
            timeout=120,
            preexec_fn=_limits(case.stdin == "closed"),
        )
        code: int | str = proc.returncode
        err = proc.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        code, err = "HANG", ""
    finally:
        for f in (stdin_file, stdout_file):
            if f is not None:
                f.close()
    lines = [line for line in err.splitlines() if line.strip() and not line.startswith("scorer:")]
    bad_err = int("Traceback" in err or (code not in (0, 130) and len(lines) > 1))
    return code, time.monotonic() - started, (lines[0] if lines else ""), bad_err


def build_cases(scratch: Path, port: int, urls: dict[str, str]) -> list[Case]:
    fifo = scratch / "a.fifo"
    os.mkfifo(fifo)
    sock = scratch / "a.sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(sock))
    s.close()
    device = scratch / "null-device"
    if os.geteuid() == 0:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    ro = scratch / "readonly.md"
    ro.write_text("signed off")
    ro.chmod(0o444)
    link_dev = scratch / "link-to-null"
    link_dev.symlink_to("/dev/null")
    loop_a, loop_b = scratch / "loop-a", scratch / "loop-b"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    datafile = scratch / "plain-file"
    datafile.write_text("x")
    deep = scratch / "deep.html"
    deep.write_text(
        "<html><body><p>Exports rose by 7 percent in 2023, the ministry said.</p>"
        + "<div>" * 5000
        + "<p>deep</p>"
        + "</div>" * 5000
        + "<p>The closing paragraph is still here.</p></body></html>"
    )
    bad_utf8_name = os.fsdecode(b"caf\xe9.txt")
    (scratch / bad_utf8_name).write_text("Exports rose by 7 percent in 2023, the ministry said.")
    big_line = scratch / "verdicts-deep.jsonl"
    big_line.write_bytes(b'{"claim_id": 1, "verdict": "true"}\n' + b"[" * 100_000)
    surrogate = scratch / "verdicts-surrogate.jsonl"
    surrogate.write_bytes(
        b'{"claim_id": 1, "verdict": "true"}\n{"claim_id": 1, "verdict": "false", '
        b'"rationale": "\\ud800"}\n'
    )
    huge_id = scratch / "verdicts-huge.jsonl"
    huge_id.write_bytes(b'{"claim_id": 99999999999999999999999, "verdict": "true"}\n')
    off = {"WORKBENCH_ALLOW_LOCAL_FETCH": "0"}
    u = urls
    cases = [
        # --- critical: export targets
        *[
            Case(f"export -o {t}", ["export", "1", "-f", "md", "-o", t])
            for t in (
                "/dev/null",
                "/dev/full",
                "/dev/zero",
                str(fifo),
                str(sock),
                str(ro),
                str(link_dev),
                str(loop_a),
                "/",
                "",
                str(scratch / "no" / "x.md"),
                str(scratch / ("x" * 300)),
                "/proc/self/fd/1",
                "/dev/stdout",
            )
        ],
        *(
            [Case("export -o mknod-device", ["export", "1", "-f", "md", "-o", str(device)])]
            if device.exists()
            else []
        ),
        Case("export -o folder", ["export", "1", "-f", "md", "-o", str(scratch)]),
        Case("export pdf -o /dev/full", ["export", "1", "-f", "pdf", "-o", "/dev/full"]),
        *[
            Case(f"snapshot {flag} -o {t}", ["snapshot", "1", flag, "-o", t])
            for flag in ("--text", "--raw", "--html")
            for t in ("/dev/null", str(fifo), str(ro), "/dev/full")
        ],
        # --- fetch deadline and hostile answers
        Case(
            "attach trickle --timeout 3",
            ["attach", "1", u["trickle"], "--stance", "supports", "--timeout", "3"],
        ),
        Case("fetch --timeout 3", ["fetch", "--timeout", "3"]),
        Case("import trickle --timeout 3", ["import", u["trickle"], "--timeout", "3"]),
        Case("import hang --timeout 2", ["import", u["hang"], "--timeout", "2"]),
        *[
            Case(f"attach {name}", ["attach", "1", url, "--stance", "supports", "--timeout", "5"])
            for name, url in u.items()
            if name not in ("trickle", "hang")
        ],
        Case("fetch all hostile", ["fetch", "--timeout", "5"]),
        Case("recheck all hostile", ["recheck", "1", "--timeout", "5"]),
        Case("recheck again", ["recheck", "1", "--timeout", "5", "--json"]),
        *[
            Case(f"import {name}", ["import", url, "--timeout", "5"])
            for name, url in u.items()
            if name not in ("trickle", "hang")
        ],
        Case("import local refused", ["import", u["good"]], env=off),
        Case("attach local refused", ["attach", "1", u["good"], "--stance", "supports"], env=off),
        Case("import http://[::1", ["import", "http://[::1"]),
        Case("import http://u:p@x", ["import", "http://user:pw@example.com/"]),
        Case(
            "attach creds", ["attach", "1", "http://user:pw@example.com/", "--stance", "supports"]
        ),
        Case(
            "attach huge url",
            [
                "attach",
                "1",
                "http://example.com/" + "a" * 100_000,
                "--stance",
                "supports",
                "--offline",
            ],
        ),
        *[
            Case(f"fetch --timeout {v}", ["fetch", f"--timeout={v}"])
            for v in ("nan", "inf", "-inf", "1e308", "0", "-1", "1e-300")
        ],
        Case("fetch --workers 0", ["fetch", "--workers", "0"]),
        Case("fetch --workers huge", ["fetch", "--workers", "99999999999999999999"]),
        Case("fetch --allow-local no source", ["fetch", "--allow-local"]),
        # --- stdin
        *[
            Case(f"{' '.join(a)} < {src}", a, stdin=src)
            for a in (
                ["import", "-"],
                ["extract", "-"],
                ["score", "--scorer", "cues"],
                ["verdicts", "-"],
            )
            for src in ("/dev/zero", "/dev/urandom", "closed", "/dev/null")
        ],
        Case("score non-utf8", ["score", "--scorer", "cues"], stdin=b"ok line\ncaf\xe9\xff\n"),
        Case("score --batch 0", ["score", "--scorer", "cues", "--batch", "0"], stdin=b"a\nb\n"),
        Case("score --batch -1", ["score", "--scorer", "cues", "--batch", "-1"], stdin=b"a\n"),
        Case("import - utf16 junk", ["import", "-"], stdin=b"\xff\xfe" + os.urandom(3000)),
        # --- stdout
        *[
            Case(f"{' '.join(a)} > /dev/full", a, stdout="/dev/full")
            for a in (
                ["export", "1", "-f", "md"],
                ["export", "1", "-f", "html"],
                ["export", "1", "-f", "claimreview"],
                ["claims", "1"],
                ["articles"],
                ["snapshot", "1", "--text"],
                ["show", "1"],
                ["search", "exports"],
                ["claims", "1", "--json"],
                ["db", "check"],
                ["wayback", "1"],
                ["db", "backups"],
                ["audit", "1"],
                ["flags", "1"],
            )
        ],
        Case("export pdf > /dev/full", ["export", "1", "-f", "pdf"], stdout="/dev/full"),
        # --- ids and arguments
        *[
            Case(" ".join(a), a)
            for a in (
                ["show", "99999999999999999999999"],
                ["show", "-99999999999999999999999"],
                ["claims", "9223372036854775808"],
                ["verdict", "18446744073709551616", "true"],
                ["search", "x", "--limit", "99999999999999999999"],
                ["show", "-1"],
                ["add-claim", "1", "-5", "99999999"],
                ["split-claim", "1", "-1"],
                ["merge-claims", "1", "1"],
                ["copy-evidence", "99999", "1"],
                ["copy-evidence", "1", "99999"],
                ["search", '"'],
                ["search", "*"],
                ["search", "NEAR(", "AND", "OR"],
                ["similar", "99999999999999999999"],
                ["dismiss-flag", "99999999999999999999"],
                ["dateline", "1", "9999-12-31"],
                ["dateline", "1", "0001-01-01"],
                ["dateline", "1", "2024-02-30"],
                ["import", "x.txt", "--published", "9999-12-31"],
                ["import", ""],
                ["import", "/dev/zero"],
                ["import", str(fifo)],
                ["import", str(scratch)],
                ["import", str(deep)],
                ["import", bad_utf8_name],
                ["extract", "/dev/zero"],
                ["extract", str(deep)],
                ["verdicts", "/dev/zero"],
                ["verdicts", str(fifo)],
                ["verdicts", str(scratch)],
                ["verdicts", str(big_line)],
                ["verdicts", str(surrogate)],
                ["verdicts", str(huge_id)],
                ["db", "restore", str(scratch)],
                ["db", "restore", "/dev/zero"],
                ["db", "restore", str(fifo)],
                ["export", "1", "-f", "md", "--min-score", "nan"],
                ["export", "1", "-f", "md", "--date", "99999-01-01"],
                ["edit-claim", "1", "--text", "\u202eevil"],
            )
        ],
        # --- databases
        *[
            Case(f"--db {d!r} {' '.join(a)}", ["--db", d, *a], db="given")
            for d in (
                "work?copy",
                "pct%41.sqlite3",
                "case #12/x.sqlite3",
                "/dev/null",
                str(fifo),
                str(sock),
                str(scratch / ("x" * 300)),
                str(scratch / ("y" * 250)),
                "",
                "/",
                str(scratch),
                str(datafile / "x.sqlite3"),
                "line\nbreak.sqlite3",
            )
            for a in (["articles"], ["db", "check"], ["db", "upgrade"], ["import", "a.txt"])
        ],
        *[
            Case(f"--data-dir {d!r} articles", ["--data-dir", d, "articles"], db="given")
            for d in (str(datafile), "/dev/null", "")
        ],
        *(
            [Case("--db mknod articles", ["--db", str(device), "articles"], db="given")]
            if device.exists()
            else []
        ),
        Case(
            "mistyped --db articles",
            ["--db", str(scratch / "typo" / "x.sqlite3"), "articles"],
            db="given",
        ),
    ]
    return cases


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="sweep-") as tmp, hostile_server() as server:
        scratch = Path(tmp)
        stop = threading.Event()
        (scratch / "a.txt").write_text(
            "The ministry said exports rose by 7 percent in 2023, the highest in a decade. "
            "Officials confirmed on Monday that 5 million tonnes were shipped.\n"
        )
        (scratch / "case #12").mkdir()
        db = scratch / "sweep.sqlite3"
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"
        page = (
            b"<html><body><p>Exports rose 7 percent in 2023, the ministry said.</p></body></html>"
        )
        urls = {
            "good": server.route(
                "/good", respond(headers={"Content-Type": "text/html"}, body=page)
            ),
            "trickle": server.route("/trickle", Trickle(head * 20, every=2.0, stop=stop)),
            "hang": server.route("/hang", hang(stop)),
            "ipv6-location": server.route("/l1", respond("302 F", {"Location": "http://[::1/x"})),
            "creds-location": server.route(
                "/l2", respond("302 F", {"Location": f"http://u:pw@127.0.0.1:{server.port}/good"})
            ),
            "rot13": server.route(
                "/c1", respond(headers={"Content-Type": "text/html; charset=rot13"}, body=page)
            ),
            "idna": server.route(
                "/c2", respond(headers={"Content-Type": "text/plain; charset=idna"}, body=page)
            ),
            "huge-reason": server.route("/r", respond("404 " + "x" * 60_000)),
            "png-as-html": server.route(
                "/p",
                respond(headers={"Content-Type": "text/html"}, body=b"\x89PNG" + os.urandom(999)),
            ),
            "escapes": server.route(
                "/e",
                respond(
                    headers={"Content-Type": "text/plain"},
                    body="Text \x1b]0;pwn\x07\x1b[2J \u202eevil".encode(),
                ),
            ),
            "not-http": server.route("/n", respond(raw_head=b"\x00\x01garbage\r\n\r\n")),
            "gzip-bomb": server.route(
                "/g",
                respond(
                    headers={"Content-Type": "text/plain", "Content-Encoding": "gzip"},
                    body=gzip.compress(b"\0" * 50_000_000),
                ),
            ),
            "metadata-redirect": server.route(
                "/m", respond("302 F", {"Location": "http://169.254.169.254/latest/meta-data/"})
            ),
        }
        env = cli_env()
        seed = [
            ["import", "a.txt"],
            ["extract", "--article", "1"],
            ["attach", "1", urls["good"], "--stance", "supports"],
            ["attach", "1", urls["escapes"], "--stance", "context"],
        ]
        for argv in seed:
            subprocess.run(
                [sys.executable, "-m", "workbench", "--db", str(db), *argv],
                env=env,
                cwd=scratch,
                capture_output=True,
                check=True,
                timeout=300,
            )
        failures = 0
        cases = build_cases(scratch, server.port, urls)
        print(f"{'exit':>4} {'secs':>6}  case  |  first stderr line")
        for case in cases:
            code, secs, first, bad_err = run_case(case, db, scratch)
            bad = code == 3 or code == "HANG" or bad_err
            failures += bool(bad)
            mark = "  <-- FAIL" if bad else ""
            print(f"{code!s:>4} {secs:6.1f}  {case.name[:70]}  |  {first[:110]}{mark}")
        stop.set()
        print(f"\n{len(cases)} inputs; {failures} failures (exit 3, traceback, hang, >1 line)")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
