"""Fixtures shared by the UI tests (pytest-qt, offscreen).

* QSettings are redirected into the test's tmp dir, so no test reads or
  writes the developer's real window geometry.
* ``nlp_warm`` loads the spaCy pipeline once per session, so extraction in
  a test costs the parsing only.
* ``runner`` is a TaskRunner whose pools must be idle at teardown: a test
  that leaves a worker running fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def qsettings_tmp(tmp_path: Path, qapp: object) -> Iterator[Path]:
    from PySide6.QtCore import QCoreApplication, QSettings

    folder = tmp_path / "qsettings"
    folder.mkdir()
    QCoreApplication.setOrganizationName("claim-workbench-tests")
    QCoreApplication.setApplicationName("workbench-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(scope="session")
def nlp_warm() -> object:
    from workbench.core.nlp.loader import load_pipeline

    return load_pipeline()


@pytest.fixture
def runner(qapp: object) -> Iterator[object]:
    from workbench.ui.tasks import TaskRunner

    r = TaskRunner()
    yield r
    assert r.shutdown(30_000), "a task was still running at teardown"
    assert r.thread_count() == 0
