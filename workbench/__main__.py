"""Entry point: no arguments start the desktop app, a subcommand runs the CLI.

The GUI is launched from here rather than from ``workbench.cli`` so that the
CLI and the UI stay independent layers (see the import-linter contracts).
"""

from __future__ import annotations

import sys


def _start_gui(db: str | None, data_dir: str | None) -> int:
    try:
        from workbench.ui.app import main as gui_main
    except ImportError as exc:
        print(
            f"error: the desktop app cannot start: {exc}. Install the Qt system libraries "
            "(see README) or use the subcommands (workbench --help).",
            file=sys.stderr,
        )
        return 1
    return gui_main(db=db, data_dir=data_dir)


def main(argv: list[str] | None = None) -> int:
    from workbench.cli.gui_args import gui_arguments

    args = sys.argv[1:] if argv is None else argv
    gui = gui_arguments(args)
    if gui is not None:  # straight to the app: the CLI's parser imports every command
        return _start_gui(*gui)
    from workbench.cli.main import run

    return run(args, gui=_start_gui)


if __name__ == "__main__":
    sys.exit(main())
