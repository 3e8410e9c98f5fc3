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
