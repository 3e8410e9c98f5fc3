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


# --------------------------------------------------------------------------- services only

REPOSITORIES = frozenset(
    {"articles", "claims", "sources", "evidence", "flags", "settings", "search", "history"}
)
STORE_INTERNALS = frozenset({"transaction", "_engine", "_loaded", "_repos"})
HANDLE_NAMES = frozenset({"store", "_store", "workspace", "_workspace"})


def _handle_name(node: object) -> str | None:
    import ast

    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def repository_reaches(source: str) -> list[str]:
    """``store.claims.get(...)``-style reaches through a database handle in ``source``."""
    import ast

    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Attribute):
            continue
        handle = _handle_name(node.value)
        if handle in HANDLE_NAMES and (node.attr in REPOSITORIES or node.attr in STORE_INTERNALS):
            found.append(f"line {node.lineno}: {handle}.{node.attr}")
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in REPOSITORIES
            and _handle_name(node.args[0]) in HANDLE_NAMES
        ):
            found.append(f"line {node.lineno}: getattr(..., {node.args[1].value!r})")
    return found


def test_the_checker_sees_a_repository_reach() -> None:
    """The rule below can fail: each of these is the thing it forbids."""
    for bad in (
        "self._store.claims.get(1)",
        "store.evidence.for_claim(3)",
        "ctx.store.articles.list()",
        "getattr(self._store, 'flags').for_article(1)",
        "with store.transaction() as tx: pass",
    ):
        assert repository_reaches(bad), bad
    assert repository_reaches("claims.get_claim(store, 1)\nself._store.path") == []


def test_ui_and_cli_reach_the_database_only_through_services() -> None:
    """ui/ and cli/ call service functions; they never touch a repository.

    import-linter keeps them from importing ``workbench.core.storage``; this
    catches the other way in, an attribute of the handle they are given.
    """
    from pathlib import Path

    root = Path(workbench.core.__file__).resolve().parents[1]
    offences = {
        str(path.relative_to(root)): found
        for folder in ("ui", "cli")
        for path in sorted((root / folder).rglob("*.py"))
        if (found := repository_reaches(path.read_text(encoding="utf-8")))
    }
    assert offences == {}
