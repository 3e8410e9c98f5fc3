"""The handle the desktop app and the CLI hold: an open workbench database.

``workbench.ui`` and ``workbench.cli`` never import ``workbench.core.storage``
(an import-linter contract) and never reach a repository through the handle
(``tests/unit/test_layers.py`` reads their source): they pass it to service
functions, which read through the repositories and write through operations.
The handle is the storage layer's ``Store``; its type is named here so the
upper layers can annotate with it.
"""

from __future__ import annotations

from pathlib import Path

from workbench.core.storage import Store as Workspace

__all__ = ["Workspace", "open_workspace"]


def open_workspace(path: Path, *, user: str | None = None, create: bool = True) -> Workspace:
    """Check, back up if behind, migrate to head, then open ``path``.

    ``user`` (``--user``) is who the history names for this process's
    changes; without it, WORKBENCH_USER, the checker name in settings, then
    the login name (see :func:`.operations.current_actor`).  ``create``
    False refuses a missing database (``MissingDatabaseError``) instead of
    making one.
    """
    workspace = Workspace.open(path, create=create)
    workspace.actor = user.strip() if user and user.strip() else None
    return workspace
