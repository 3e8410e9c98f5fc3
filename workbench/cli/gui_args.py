"""Does a command line ask for the desktop app?  Answered without argparse.

``workbench``, ``workbench --db PATH`` and ``workbench --data-dir DIR`` open
the app, and so does ``workbench FILE...`` (the desktop entry's "Open with":
the app imports each file and shows it).  :mod:`workbench.__main__` asks
this before importing the rest of the CLI, whose parser imports every
command module (and the services behind them): a fifth of a second the
app's first paint would otherwise wait for.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import unquote, urlsplit

GLOBAL_OPTIONS = ("--db", "--data-dir")


@dataclass(frozen=True, slots=True)
class GuiCommand:
    """The app's command line: the database options and the files to open."""

    db: str | None
    data_dir: str | None
    files: tuple[str, ...] = ()


def looks_like_file(arg: str) -> bool:
    """A file to open rather than a subcommand: a path with a folder or a suffix.

    Subcommand names have neither (``import``, ``db``), so ``notes.txt``,
    ``./notes`` and ``/home/me/page.html`` are files and ``articles`` is the
    command.  A ``file://`` URL (some file managers pass them) is a file too.
    """
    if not arg or arg.startswith("-"):
        return False
    if arg.startswith("file://"):
        return True
    separators = (os.sep, os.altsep) if os.altsep else (os.sep,)
    return any(sep in arg for sep in separators) or bool(PurePath(arg).suffix)


def file_argument(arg: str) -> str:
    """The local path of a file argument (``file://`` URLs decoded)."""
    if arg.startswith("file://"):
        return unquote(urlsplit(arg).path)
    return arg


def gui_command(argv: list[str]) -> GuiCommand | None:
    """The app's command line when argv opens the app (maybe with files), else None.

    ``--`` ends the options: everything after it is a file, whatever its name.
    """
    values: dict[str, str] = {}
    files: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            files.extend(file_argument(a) for a in argv[i + 1 :])
            break
        if arg in GLOBAL_OPTIONS and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            values[arg] = argv[i + 1]
            i += 2
        elif arg.startswith(tuple(f"{o}=" for o in GLOBAL_OPTIONS)):
            name, _, value = arg.partition("=")
            values[name] = value
            i += 1
        elif looks_like_file(arg):
            files.append(file_argument(arg))
            i += 1
        else:
            return None
    return GuiCommand(values.get("--db"), values.get("--data-dir"), tuple(files))


def gui_arguments(argv: list[str]) -> tuple[str | None, str | None] | None:
    """``(db, data_dir)`` when argv holds only the global options, else None.

    A repeated option keeps the last value, as argparse does; anything else
    (a subcommand, ``--help``, a missing value, files to open) is for
    :func:`gui_command` or the CLI to handle.
    """
    command = gui_command(argv)
    if command is None or command.files or "--" in argv:
        return None
    return command.db, command.data_dir
