"""Parse arguments, run one command, turn known errors into one line.

Exit codes: 0 success, 1 environment problem (database, network, model),
2 bad input, 3 internal error (a bug: the traceback goes to a crash log, not
the terminal), 130 cancelled.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime

from workbench import __version__
from workbench.cli.arguments import check_arguments
from workbench.cli.context import CliContext
from workbench.cli.gui_args import gui_arguments
from workbench.cli.terminal import OutputError, discard_stdout, tolerant_streams
from workbench.cli.terminal import say as _say
from workbench.core.errors import CancelledError, KnownError, UserInputError

COMMAND_MODULES = ("articles", "claims", "sources", "export", "score", "db", "library", "bulk")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserInputError(f"{self.prog}: {message}", hint=f"see '{self.prog} --help'")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workbench",
        description="Claim-verification workbench. With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument(
        "--db", metavar="PATH", help="database file (default: WORKBENCH_DB or data dir)"
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", help="data directory (default: WORKBENCH_DATA_DIR or per-user)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"workbench.cli.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"workbench.cli.commands.{name}":
                raise
            continue
        module.register(sub)
    return parser


GuiLauncher = Callable[[str | None, str | None], int]
"""Starts the desktop app on (db, data_dir).  Passed in by ``workbench.__main__``
so that the CLI never imports the UI layer (the import-linter contract)."""


def run(argv: list[str], *, gui: GuiLauncher | None = None) -> int:
    if gui_arguments(argv) is not None:
        return _gui(argv, gui)
    ctx: CliContext | None = None
    tolerant_streams()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            return _gui(argv, gui)
        check_arguments(args)
        ctx = CliContext(
            db=args.db,
            data_dir=args.data_dir,
            creates_database=bool(getattr(args, "creates_database", False)),
        )
        code = int(args.handler(args, ctx) or 0)
        ctx.stdout.flush()
        if code == 0:
            ctx.maintain()
        return code
    except OutputError as exc:
        _say(f"error: {exc.one_line()}")
        discard_stdout()
        return 1
    except UserInputError as exc:
        _say(f"error: {exc.one_line()}")
        return 2
    except KnownError as exc:
        _say(f"error: {exc.one_line()}")
        return 1
    except (CancelledError, KeyboardInterrupt):
        print("cancelled", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left early (``workbench articles | head``)
        discard_stdout()
        return 0
    except Exception as exc:
        log = _write_crash_log(exc)
        print(
            f"error: internal error ({type(exc).__name__}: {exc}); details in {log}. "
            "Please report it.",
            file=sys.stderr,
        )
        return 3
    finally:
        if ctx is not None:
            ctx.close()


def _gui(argv: list[str], gui: GuiLauncher | None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UserInputError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return 2
    if gui is None:
        print(
            "error: no desktop app in this build; use a subcommand (workbench --help)",
            file=sys.stderr,
        )
        return 2
    return gui(args.db, args.data_dir)


def _write_crash_log(exc: BaseException) -> str:
    import os
    import stat

    from workbench.core.paths import data_dir

    text = "".join(traceback.format_exception(exc))
    try:
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "crash.log"
        # Non-blocking and not through a link: a FIFO or symlink planted as
        # crash.log must neither hang the CLI nor redirect the write.
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | os.O_NOFOLLOW
        fd = os.open(path, flags, 0o644)
        with os.fdopen(fd, "a", encoding="utf-8", errors="backslashreplace") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return "(crash log could not be written: crash.log is not a regular file)"
            fh.write(f"--- {datetime.now(UTC).isoformat()} workbench {__version__}\n{text}\n")
        return str(path)
    except OSError:
        return "(crash log could not be written)"
