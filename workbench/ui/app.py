"""Start the desktop app: Qt, crash hooks, the database, the main window.

``workbench`` with no arguments lands here.  The window appears at once; on
a first run the sample article is stored right away (one insert) and its
claims are extracted in the background, with progress in the status bar.

Headless check: with ``WORKBENCH_EXIT_AFTER_MS=N`` the app quits N ms after
the window is shown and the first extraction has finished, printing one line
``main window shown: <title>, <n> claims``.  The README's run command and CI
use it under ``QT_QPA_PLATFORM=offscreen``; a normal run stays open.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from workbench.core import paths
from workbench.core.errors import KnownError
from workbench.core.storage import Store
from workbench.ui.messages import install_hooks

ORGANIZATION = "claim-workbench"
APPLICATION = "workbench"
EXIT_ENV = "WORKBENCH_EXIT_AFTER_MS"


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QApplication.setApplicationDisplayName("Claim Workbench")
    return app


def main(*, db: str | None, data_dir: str | None) -> int:
    """Run the app until its window closes; the process exit code."""
    exit_after = _exit_after_ms()
    app = make_application()
    install_hooks()
    try:
        store = Store.open(paths.db_path(db=db, data=data_dir))
    except KnownError as exc:
        sys.stderr.write(f"error: {exc.one_line()}\n")
        if exit_after is None:
            QMessageBox.critical(None, "Claim Workbench", exc.one_line())
        return 1

    from workbench.ui.main_window import MainWindow

    window = MainWindow(store=store)
    window.show()
    if exit_after is not None:
        _quit_when_settled(app, window, exit_after)
    window.start()
    QTimer.singleShot(0, window.preload_extractors)
    QTimer.singleShot(5_000, window.start_scheduled_backups)  # after start-up settles
    try:
        return int(app.exec())
    finally:
        window.runner.shutdown()
        store.close()


def _exit_after_ms() -> int | None:
    value = os.environ.get(EXIT_ENV, "").strip()
    if not value:
        return None
    try:
        return max(0, int(value))
    except ValueError:
        return 0


def _quit_when_settled(app: QApplication, window: object, delay_ms: int) -> None:
    """Quit ``delay_ms`` after the first extraction ended (or at once if none runs)."""
    from workbench.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)

    def report_and_quit() -> None:
        title = window.article.title if window.article else "(no article)"
        n = window.claims_table.model.rowCount()
        sys.stdout.write(f"main window shown: {title}, {n} claims\n")
        sys.stdout.flush()
        window.close()
        app.quit()

    def settled(*_args: object) -> None:
        QTimer.singleShot(delay_ms, report_and_quit)

    def check_idle() -> None:
        if not window.runner.active():
            settled()

    window.extraction_finished.connect(settled)
    # window.start() runs after this; if it starts no extraction, quit anyway.
    QTimer.singleShot(0, check_idle)
