"""Entry script of the frozen app (PyInstaller runs this as ``__main__``).

The bundle's one executable is both the desktop app and the command line,
exactly like the ``workbench`` script of a pip install.  It also answers
``-m workbench.…`` the way ``python -m`` does, because the app starts its
extraction worker as ``sys.executable -m workbench.ui.extraction_child``
(see workbench/ui/extraction.py), and in a bundle ``sys.executable`` is this
program, not a Python interpreter.  Only the workbench's own modules can be
run that way: the bundle is not a general Python.
"""

from __future__ import annotations

import sys


def _run_module(argv: list[str]) -> int:
    import runpy

    module = argv[2] if len(argv) > 2 else ""
    if not module.startswith("workbench."):
        sys.stderr.write(f"error: -m runs only workbench modules in this build, not {module!r}\n")
        return 2
    sys.argv = [argv[0], *argv[3:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
    return 0


def run() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "-m":
        return _run_module(sys.argv)
    from workbench.__main__ import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
