"""``workbench FILE...`` opens the app on those files; subcommands stay the CLI's."""

from __future__ import annotations

import pytest

from workbench.cli.gui_args import GuiCommand, gui_arguments, gui_command, looks_like_file


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["page.html"], GuiCommand(None, None, ("page.html",))),
        (["/home/me/notes"], GuiCommand(None, None, ("/home/me/notes",))),
        (["./notes"], GuiCommand(None, None, ("./notes",))),
        (["--db", "x.sqlite3", "a.txt", "b.md"], GuiCommand("x.sqlite3", None, ("a.txt", "b.md"))),
        (["file:///tmp/My%20Page.html"], GuiCommand(None, None, ("/tmp/My Page.html",))),
        (["--", "import"], GuiCommand(None, None, ("import",))),  # a file named like a command
        ([], GuiCommand(None, None, ())),
        (["import", "page.html"], None),
        (["articles"], None),
        (["page.html", "--json"], None),
    ],
)
def test_gui_command(argv: list[str], expected: GuiCommand | None) -> None:
    assert gui_command(argv) == expected


def test_files_are_not_the_plain_app_command_line() -> None:
    """The CLI's own check (``gui_arguments``) keeps its meaning: options only."""
    assert gui_arguments(["page.html"]) is None
    assert gui_arguments(["--", "x"]) is None
    assert gui_arguments(["--db", "x"]) == ("x", None)


@pytest.mark.parametrize(
    ("arg", "is_file"),
    [("db", False), ("search", False), ("-v", False), ("a.txt", True), ("dir/a", True)],
)
def test_looks_like_file(arg: str, is_file: bool) -> None:
    assert looks_like_file(arg) is is_file
