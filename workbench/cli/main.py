"""Parse arguments, run one command, turn known errors into one line.

Exit codes: 0 success, 1 environment problem (database, network, model),
2 bad input, 3 internal error (a bug: the traceback goes to a crash log, not
the terminal), 130 cancelled.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime

from workbench import __version__
from workbench.cli.context import CliContext
from workbench.cli.gui_args import gui_arguments
from workbench.cli.terminal import OutputError, neutralize
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
    _tolerant_streams()
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
        _discard_stdout()
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
        _discard_stdout()
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


def _say(line: str) -> None:
    """One line on stderr, terminal-safe (messages quote paths, URLs and page text)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):  # stderr itself is gone
        print(neutralize(line), file=sys.stderr)


def _tolerant_streams() -> None:
    """Let stdout/stderr print any path and any text without an encoding crash.

    File names that are not UTF-8 reach Python as lone surrogates; with
    ``surrogateescape`` they are written back as the original bytes.  A
    terminal in a legacy encoding gets ``\\u`` escapes instead of an
    UnicodeEncodeError for text it cannot show.
    """
    import codecs
    import io

    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue
        try:
            utf8 = codecs.lookup(stream.encoding).name == "utf-8"
            stream.reconfigure(errors="surrogateescape" if utf8 else "backslashreplace")
        except (LookupError, ValueError, OSError):
            continue


def _discard_stdout() -> None:
    """After stdout failed, send what is still buffered to /dev/null.

    Otherwise Python flushes the buffer again at exit, fails again, prints
    "Exception ignored" and exits with 120 instead of our exit code.
    """
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


_SQLITE_INT_MAX = 2**63 - 1
_PATH_ARGUMENTS = frozenset({"db", "data_dir", "source", "file", "output"})


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse argument values no command can use, before any command runs.

    * Integers beyond SQLite's 64-bit range (``show 99999999999999999999999``)
      can name no row and would overflow the database driver.
    * Text that is not valid Unicode (a non-UTF-8 byte in an argument, kept
      by Python as a lone surrogate) cannot be stored; file paths are exempt,
      since such bytes are legal in file names.
    """
    for name, value in vars(args).items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, int) and not isinstance(item, bool):
                if not -_SQLITE_INT_MAX - 1 <= item <= _SQLITE_INT_MAX:
                    raise UserInputError(
                        f"{_option(name)} {str(item)[:30]}{'…' if len(str(item)) > 30 else ''} "
                        "is out of range",
                        hint="ids and counts are at most 9223372036854775807",
                    )
            elif isinstance(item, str) and name not in _PATH_ARGUMENTS:
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    raise UserInputError(
                        f"{_option(name)} is not valid text (it holds bytes that are not UTF-8)",
                        hint="retype it in a UTF-8 terminal",
                    ) from None


def _option(dest: str) -> str:
    return (
        dest.upper()
        if dest in {"article_id", "claim_id", "source_id", "flag_id"}
        else ("--" + dest.replace("_", "-"))
    )


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
