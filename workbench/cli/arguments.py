"""Checks every command's parsed arguments get before it runs (issue 16).

argparse accepts any integer and, on Linux, any bytes: an id past SQLite's
64-bit range overflowed the driver (exit 3), and a non-UTF-8 byte in
``--text`` became a lone surrogate the database refused at commit.
"""

from __future__ import annotations

import argparse

from workbench.core.errors import UserInputError

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
