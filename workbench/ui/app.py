"""Start the desktop app: Qt, crash hooks, the database, the main window.

``workbench`` with no arguments lands here.  The window appears at once; on
a first run the sample article is stored right away (one insert) and its
claims are extracted in the background, with progress in the status bar.

Files on the command line (``claim-workbench page.html``, "Open with") are
imported and shown once the window is ready.  When the app is already open
on the same database, the launch hands them to it instead and exits
(:mod:`workbench.ui.single_instance`).

Headless check: with ``WORKBENCH_EXIT_AFTER_MS=N`` the app quits N ms after
the window is shown and the first extraction has finished, printing one line
``main window shown: <title>, <n> claims``.  The README's run command and CI
use it under ``QT_QPA_PLATFORM=offscreen``; a normal run stays open.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from workbench.core import paths
from workbench.core.errors import KnownError
from workbench.core.identity import APP_ID
from workbench.core.services.workspace import open_workspace
from workbench.ui import single_instance
from workbench.ui.messages import install_hooks

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

ORGANIZATION = "claim-workbench"
APPLICATION = "workbench"
EXIT_ENV = "WORKBENCH_EXIT_AFTER_MS"
PROBE_ENV = "WORKBENCH_STARTUP_PROBE"


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QApplication.setApplicationDisplayName("Claim Workbench")
    QApplication.setDesktopFileName(APP_ID)  # Wayland: the app id that finds the menu entry
    return app


def main(*, db: str | None, data_dir: str | None, files: list[str] | None = None) -> int:
    """Run the app until its window closes; the process exit code.

    Start-up is staged so the article is on screen before the heavy imports:
    the migration check and :mod:`~workbench.core.storage.glance` use only
    ``sqlite3``, the window paints the last article from the glance, and the
    ORM, docks and menus load behind it (:meth:`MainWindow.finish_start`).
    When there is nothing to glance at (first run, an upgrade just ran) the
    window is built whole and started as before.
    """
    exit_after = _exit_after_ms()
    app = make_application()
    install_hooks()
    path = paths.db_path(db=db, data=data_dir)
    socket_name = single_instance.server_name(path)
    handed = single_instance.hand_off(socket_name, list(files or ()))
    if handed is single_instance.HandOff.HANDED:
        sys.stdout.write(
            f"Claim Workbench is already open on {path}; "
            f"handed it {len(files or ())} file(s) to open\n"
        )
        return 0
    if handed is single_instance.HandOff.NO_ANSWER:
        sys.stderr.write(
            f"error: Claim Workbench is open on {path} but does not answer; "
            "close it (or wait for it) and try again\n"
        )
        return 1
    try:
        store = open_workspace(path)
    except KnownError as exc:
        sys.stderr.write(f"error: {exc.one_line()}\n")
        if exit_after is None:
            QMessageBox.critical(None, "Claim Workbench", exc.one_line())
        return 1

    from workbench.core.services.startup import glance
    from workbench.ui.main_window import MainWindow

    seen = glance(path, prefer=MainWindow.remembered_article())
    window = MainWindow(store=store, staged=seen is not None)
    window.ready.connect(lambda: QTimer.singleShot(0, window.preload_extractors))
    window.ready.connect(lambda: QTimer.singleShot(0, lambda: _ask_name(window)))
    window.ready.connect(
        lambda: QTimer.singleShot(5_000, window.start_scheduled_backups)  # after start-up settles
    )
    server: list[single_instance.InstanceServer] = []
    once: list[bool] = []

    def after_start() -> None:
        if not once:  # ready means "whole"; should it ever fire again, nothing repeats
            once.append(True)
            _after_start(window, socket_name, list(files or ()), server)

    window.ready.connect(after_start)
    if exit_after is not None:
        _quit_when_settled(app, window, exit_after)
    if os.environ.get(PROBE_ENV):
        _probe_startup(window)
    if seen is not None:
        window.show_glance(seen)
        window.show()
        window.finish_start_after_paint()
    else:
        window.show()
        window.start()
    try:
        return int(app.exec())
    finally:
        for listening in server:
            listening.close()
        window.runner.shutdown()
        store.close()


def _ask_name(window: MainWindow) -> None:
    """First run on a real display: who is checking (see :mod:`workbench.ui.first_run`)."""
    from workbench.ui.first_run import ask_display_name

    if not window.closed:
        ask_display_name(window, window.ops)


def _after_start(
    window: MainWindow,
    socket_name: str,
    files: list[str],
    server: list[single_instance.InstanceServer],
) -> None:
    """Once the window is whole: the icon, the files to open, and the instance server.

    All three wait for ``ready`` so that none of them (the SVG icon engine,
    QtNetwork, an import) delays the first paint.
    """
    from workbench.ui.about_dialog import app_icon

    QApplication.setWindowIcon(app_icon())
    if files:
        open_files(window, files)
    started = single_instance.start_server(socket_name, lambda paths: open_files(window, paths))
    if started is not None:
        server.append(started)


def open_files(window: MainWindow, files: list[str]) -> None:
    """Import and show each file (the last one ends up shown); bring the window forward."""
    for name in files:
        window.import_path(name)
    if window.isMinimized():
        window.showNormal()
    window.raise_()
    window.activateWindow()


def _probe_startup(window: MainWindow) -> None:
    """For ``bench/bench_ui.py``: print when the article is first painted and when
    the window is ready (wall-clock epochs, so the parent can subtract its spawn time).

    ``orm=False`` on the first line shows the staged start worked: the article
    was on screen before SQLAlchemy was imported.
    """
    import time

    from workbench.ui.staging import on_first_paint

    def _say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def painted() -> None:
        # Runs as the frame starts painting: note whether the ORM is loaded yet,
        # and take the time on the next turn, once the frame has been drawn.
        orm = "sqlalchemy" in sys.modules
        QTimer.singleShot(0, lambda: _say(f"first-paint {time.time():.6f} orm={orm}"))

    view = window.article_view
    on_first_paint(view.viewport(), painted, when=lambda: bool(view.toPlainText()))
    window.ready.connect(lambda: _say(f"ready {time.time():.6f}"))


def _exit_after_ms() -> int | None:
    value = os.environ.get(EXIT_ENV, "").strip()
    if not value:
        return None
    try:
        return max(0, int(value))
    except ValueError:
        return 0


def _quit_when_settled(app: QApplication, window: object, delay_ms: int) -> None:
    """Quit ``delay_ms`` after start-up and the first extraction (if any) have ended."""
    from workbench.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)

    def report_and_quit() -> None:
        title = window.article.title if window.article else "(no article)"
        n = window.claims_table.model.rowCount()
        sys.stdout.write(f"main window shown: {title}, {n} claims\n")
        sys.stdout.flush()
        window.close()
        app.quit()

    once: list[bool] = []

    def settled(*_args: object) -> None:
        if not once:
            once.append(True)
            QTimer.singleShot(delay_ms, report_and_quit)

    def check_idle() -> None:
        # ready: the article is open; an extraction it started is still running.
        if not any(not h.done for h in window.extractions()):
            settled()

    window.extraction_finished.connect(settled)
    window.ready.connect(lambda: QTimer.singleShot(0, check_idle))
