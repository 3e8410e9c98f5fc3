"""Entry point: no arguments start the desktop app, a subcommand runs the CLI.

The GUI is launched from here rather than from ``workbench.cli`` so that the
CLI and the UI stay independent layers (see the import-linter contracts).
"""

from __future__ import annotations

import sys


def _start_gui(db: str | None, data_dir: str | None, files: tuple[str, ...] = ()) -> int:
    for name in files:  # checked before Qt loads: a typo costs no window
        problem = _unreadable(name)
        if problem:
            print(f"error: cannot open {name}: {problem}", file=sys.stderr)
            return 2
    try:
        from workbench.ui.app import main as gui_main
    except ImportError as exc:
        print(
            f"error: the desktop app cannot start: {exc}. Install the Qt system libraries "
            "(see README) or use the subcommands (workbench --help).",
            file=sys.stderr,
        )
        return 1
    return gui_main(db=db, data_dir=data_dir, files=list(files))


def _unreadable(name: str) -> str | None:
    """Why ``name`` cannot be opened, or None when it is a readable file."""
    import os

    if not os.path.exists(name):
        return "no such file"
    if os.path.isdir(name):
        return "it is a folder"
    if not os.access(name, os.R_OK):
        return "permission denied"
    return None


def main(argv: list[str] | None = None) -> int:
    from workbench.cli.gui_args import gui_command

    args = sys.argv[1:] if argv is None else argv
    gui = gui_command(args)
    if gui is not None:  # straight to the app: the CLI's parser imports every command
        return _start_gui(gui.db, gui.data_dir, gui.files)
    from workbench.cli.main import run

    return run(args, gui=_start_gui)


if __name__ == "__main__":
    sys.exit(main())
