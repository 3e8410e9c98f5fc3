"""Which command lines open the desktop app, decided before the CLI is imported."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.cli.gui_args import gui_arguments
from workbench.cli.main import run


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], (None, None)),
        (["--db", "x.sqlite3"], ("x.sqlite3", None)),
        (["--db=x.sqlite3"], ("x.sqlite3", None)),
        (["--data-dir", "d", "--db", "x"], ("x", "d")),
        (["--db", "a", "--db", "b"], ("b", None)),  # the last one wins, as in argparse
        (["articles"], None),
        (["--db", "x", "articles"], None),
        (["--help"], None),
        (["--db"], None),  # missing value: the CLI reports it
        (["--db", "--data-dir"], None),
    ],
)
def test_gui_arguments(argv: list[str], expected: tuple[str | None, str | None] | None) -> None:
    assert gui_arguments(argv) == expected


def test_run_hands_gui_command_lines_to_the_launcher() -> None:
    opened: list[tuple[str | None, str | None]] = []

    def launcher(db: str | None, data_dir: str | None) -> int:
        opened.append((db, data_dir))
        return 0

    assert run(["--db", "x.sqlite3"], gui=launcher) == 0
    assert opened == [("x.sqlite3", None)]


def test_a_missing_option_value_is_one_line_and_exit_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "--db"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error:") and len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
