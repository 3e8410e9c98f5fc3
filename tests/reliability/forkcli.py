"""A CLI launcher that pays Python's start-up once, for the SIGKILL tests.

Starting ``workbench`` costs about a second of CPU (SQLAlchemy and Alembic
imports), so a hundred real start-ups would not fit the test's time budget.
This process imports the CLI once and then, per request, forks a child that
runs exactly what ``workbench ARGS`` runs (:func:`workbench.cli.main.run`)
with its stdout on a pipe, and SIGKILLs it after a given delay.  Nothing
database-related is opened before the fork, so every child opens the file
from scratch like a fresh process.

Protocol (JSON lines): request ``{"argv": [...], "kill_after": 0.3}``;
reply ``{"lines": [...], "killed": true, "exit": null, "stderr": "..."}``.
"""

from __future__ import annotations

import json
import os
import select
import signal
import sys
import tempfile
import time
from typing import IO


def main() -> int:
    from workbench.cli.main import build_parser, run

    build_parser()  # import every command module before forking
    import workbench.core.services.articles
    import workbench.core.services.claims  # noqa: F401

    for raw in sys.stdin:
        request = json.loads(raw)
        reply = _one(run, request["argv"], request.get("kill_after"))
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


def _one(run: object, argv: list[str], kill_after: float | None) -> dict[str, object]:
    with tempfile.TemporaryFile() as err_file:
        return _fork_and_kill(run, argv, kill_after, err_file)


def _fork_and_kill(
    run: object, argv: list[str], kill_after: float | None, err_file: IO[bytes]
) -> dict[str, object]:
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: become `workbench ARGV`
        os.close(read_fd)
        os.dup2(write_fd, 1)
        os.dup2(err_file.fileno(), 2)
        code = 3
        try:
            code = run(argv)  # type: ignore[operator]
            sys.stdout.flush()
        finally:
            os._exit(code)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = None if kill_after is None else time.monotonic() + kill_after
    killed = False
    while True:
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([read_fd], [], [], timeout)
        if ready:
            data = os.read(read_fd, 65536)
            if not data:
                break
            chunks.append(data)
            continue
        os.kill(pid, signal.SIGKILL)
        killed = True
        break
    _, status = os.waitpid(pid, 0)
    while True:  # whatever the child wrote before it died is still in the pipe
        data = os.read(read_fd, 65536)
        if not data:
            break
        chunks.append(data)
    os.close(read_fd)
    err_file.seek(0)
    stderr = err_file.read().decode("utf-8", "replace")
    was_killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    text = b"".join(chunks).decode("utf-8", "replace")
    complete = [line for line in text.split("\n")[:-1]]  # a torn last line is not "done"
    return {
        "lines": complete,
        "killed": killed and was_killed,
        "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "stderr": stderr,
    }


if __name__ == "__main__":
    sys.exit(main())
