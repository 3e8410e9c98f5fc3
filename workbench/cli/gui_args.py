"""Does a command line ask for the desktop app?  Answered without argparse.

``workbench``, ``workbench --db PATH`` and ``workbench --data-dir DIR`` open
the app.  :mod:`workbench.__main__` asks this before importing the rest of the
CLI, whose parser imports every command module (and the services behind
them): a fifth of a second the app's first paint would otherwise wait for.
"""

from __future__ import annotations

GLOBAL_OPTIONS = ("--db", "--data-dir")


def gui_arguments(argv: list[str]) -> tuple[str | None, str | None] | None:
    """``(db, data_dir)`` when argv holds only the global options, else None.

    A repeated option keeps the last value, as argparse does; anything else
    (a subcommand, ``--help``, a missing value) is the CLI's to handle.
    """
    values: dict[str, str] = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in GLOBAL_OPTIONS and i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            values[arg] = argv[i + 1]
            i += 2
        elif arg.startswith(tuple(f"{o}=" for o in GLOBAL_OPTIONS)):
            name, _, value = arg.partition("=")
            values[name] = value
            i += 1
        else:
            return None
    return values.get("--db"), values.get("--data-dir")
