"""Shared fixtures: every test gets its own data directory and a real SQLite file.

A template database is migrated once per session and copied for each test
(as Anki's test suite does), so tests stay fast without sharing state.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt is configured here, before any test module can import it.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never fetch from the internet; they use a local HTTP server.
os.environ.setdefault("WORKBENCH_NO_FIRST_RUN_FETCH", "1")
# ... on 127.0.0.1, which the fetcher refuses unless local addresses are
# allowed (docs/GUARANTEES.md); the tests of that refusal unset it.
os.environ.setdefault("WORKBENCH_ALLOW_LOCAL_FETCH", "1")

SAMPLE = (
    Path(__file__).resolve().parents[1] / "resources" / "samples" / "beijing-summit-article.txt"
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data directory; WORKBENCH_DATA_DIR points at it, WORKBENCH_DB is unset."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(path))
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    return path


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.core.storage import Store

    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    Store.open(path).close()
    return path


@pytest.fixture
def db_path(data_dir: Path, template_db: Path) -> Path:
    """A migrated, empty database file inside the test's data directory."""
    target = data_dir / "workbench.sqlite3"
    shutil.copyfile(template_db, target)
    return target


@pytest.fixture
def store(db_path: Path) -> Iterator[object]:
    from workbench.core.storage import Store

    s = Store.open(db_path)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def services_write_only_through_operations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test in which a service writes outside an operation.

    Inside an operation every repository call joins its transaction; a write
    that opens its own transaction from service code would have no history
    entry and no undo.  Tests may still write through repositories directly
    to set up rows.
    """
    import contextlib
    import sys

    from workbench.core.storage.repos import base

    plain_tx = base.Repository._tx

    @contextlib.contextmanager
    def guarded(self: base.Repository) -> Iterator[object]:
        if base.active_unit(self._sessions) is None:
            frame = sys._getframe(2)
            while frame is not None:
                module = frame.f_globals.get("__name__", "")
                if module.startswith("workbench.core.services"):
                    raise AssertionError(
                        f"{module} (line {frame.f_lineno}) wrote outside an operation"
                    )
                frame = frame.f_back
        with plain_tx(self) as session:
            yield session

    monkeypatch.setattr(base.Repository, "_tx", guarded)
