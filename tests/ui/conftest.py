"""Fixtures shared by the UI tests (pytest-qt, offscreen).

* QSettings are redirected into the test's tmp dir, so no test reads or
  writes the developer's real window geometry.
* ``nlp_warm`` starts the extraction process and loads spaCy in it once per
  session, so extraction in a test costs the parsing only.
* ``runner`` is a TaskRunner whose pools must be idle at teardown: a test
  that leaves a worker running fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from ui_helpers import SMALL_TEXT


@pytest.fixture(autouse=True)
def qsettings_tmp(tmp_path: Path, qapp: object) -> Path:
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
    """The window extracts in a worker process: start it and load spaCy there once."""
    from workbench.ui import spacy_process as extraction

    return extraction.worker().extract("Warming up.", dateline=None, model=None, scorer="auto")


@pytest.fixture
def runner(qapp: object) -> Iterator[object]:
    from workbench.ui.tasks import TaskRunner

    r = TaskRunner()
    yield r
    assert r.shutdown(30_000), "a task was still running at teardown"
    assert r.thread_count() == 0


@pytest.fixture
def small_article(store: object) -> object:
    """A short article with two manual claims and no extraction needed."""
    from workbench.core.model import Origin

    article = store.articles.add(title="Council budget", text=SMALL_TEXT)  # type: ignore[attr-defined]
    first = SMALL_TEXT.index("The city council")
    first_end = SMALL_TEXT.index("Monday.") + len("Monday.")
    second = SMALL_TEXT.index("Critics")
    second_end = SMALL_TEXT.index("last year.") + len("last year.")
    for start, end, score in ((first, first_end, 0.8), (second, second_end, 0.6)):
        store.claims.add(  # type: ignore[attr-defined]
            article.id,
            start=start,
            end=end,
            text=SMALL_TEXT[start:end],
            score=score,
            types=("quantity",),
            origin=Origin.AUTO,
        )
    return article


@pytest.fixture
def make_window(qtbot: object, store: object) -> Iterator[object]:
    """Build MainWindows on the test's store; each is closed (pools drained) at teardown."""
    from workbench.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(*, start: bool = True, db_store: object | None = None) -> MainWindow:
        window = MainWindow(store=db_store or store)  # type: ignore[arg-type]
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        window.show()
        if start:
            window.start()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
        assert window.runner.wait(30_000)
        assert window.runner.thread_count() == 0


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver on 127.0.0.1 only (never "localhost", which may be ::1)."""
    return ("127.0.0.1", 0)


@pytest.fixture(autouse=True)
def ui_thread_never_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test in which UI code opens a write transaction on the UI thread.

    Every write must go through the operation runner on the database lane.
    Test code itself may write (to set up rows); only frames of
    ``workbench.ui`` on the main thread are caught.
    """
    import contextlib
    import sys
    import threading

    from workbench.core.storage import Store
    from workbench.core.storage.repos.base import Repository

    def check() -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        frame = sys._getframe(2)
        while frame is not None:
            module = frame.f_globals.get("__name__", "")
            if module.startswith("workbench.ui"):
                raise AssertionError(
                    f"UI code wrote on the UI thread ({module}, line {frame.f_lineno})"
                )
            frame = frame.f_back

    plain_tx = Repository._tx
    plain_transaction = Store.transaction

    @contextlib.contextmanager
    def guarded_tx(self: Repository) -> Iterator[object]:
        check()
        with plain_tx(self) as session:
            yield session

    @contextlib.contextmanager
    def guarded_transaction(self: Store, **kwargs: object) -> Iterator[object]:
        check()
        with plain_transaction(self, **kwargs) as tx:  # type: ignore[arg-type]
            yield tx

    monkeypatch.setattr(Repository, "_tx", guarded_tx)
    monkeypatch.setattr(Store, "transaction", guarded_transaction)
