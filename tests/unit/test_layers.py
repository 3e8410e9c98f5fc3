"""The core is a library: importing all of it must not pull in Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import workbench.core


def test_core_imports_without_qt() -> None:
    modules = [
        m.name for m in pkgutil.walk_packages(workbench.core.__path__, prefix="workbench.core.")
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == ""
    assert len(modules) > 20


def test_heavy_libraries_load_lazily() -> None:
    """Importing the CLI entry point must not load spaCy, reportlab or onnxruntime."""
    code = (
        "import sys, workbench.cli.main\n"
        "workbench.cli.main.build_parser()\n"
        "print(','.join(sorted(m for m in ('spacy', 'reportlab', 'onnxruntime', 'torch',"
        " 'trafilatura', 'PySide6') if m in sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == ""
