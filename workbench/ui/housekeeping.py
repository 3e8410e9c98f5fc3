"""Work the app does by itself once it is up: the day's backup and preloading readers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QMainWindow

from workbench.core.services.workspace import Workspace
from workbench.ui.tasks import TaskHandle, TaskRunner

BACKUP_EVERY_MS = 3 * 60 * 60 * 1000
"""How often a long session checks for the day's scheduled backup."""


class Housekeeping(QObject):
    def __init__(self, store: Workspace, runner: TaskRunner, window: QMainWindow) -> None:
        super().__init__(window)
        self._store = store
        self._runner = runner
        self._window = window

    def start_scheduled_backups(self) -> QTimer:
        """The day's backup now (if data changed), then a check every few hours.

        Runs on the database lane: it reads the file and writes a copy, and
        must not race the app's own writes.  A failure is shown in the status
        bar, never as a dialog: the user's work is already saved.
        """
        timer = QTimer(self)
        timer.setInterval(BACKUP_EVERY_MS)
        timer.timeout.connect(self.scheduled_backup)
        timer.start()
        self.scheduled_backup()
        return timer

    def scheduled_backup(self) -> TaskHandle:
        store = self._store

        def job(_progress: Any, _cancelled: Any) -> object:
            from workbench.core.services.maintenance import scheduled_backup_if_changed

            return scheduled_backup_if_changed(store)

        def failed(exc: BaseException) -> None:
            self._window.statusBar().showMessage(f"Scheduled backup skipped: {exc}", 10_000)

        return self._runner.run(
            job, label="Scheduled backup", lane="db", cancellable=False, on_failure=failed
        )

    def preload_extractors(self) -> TaskHandle:
        """Import the fetch/extract libraries on a worker, so the first fetch does not.

        :func:`workbench.core.sources.preload.load_extractors` takes about a
        second of CPU the first time and freezes the garbage collector's view
        of what it loaded; doing it now, off the UI thread, keeps both out of
        the user's first "attach a source".
        """

        def job(_progress: Any, _cancelled: Any) -> None:
            from workbench.core.sources.preload import load_extractors

            load_extractors()

        return self._runner.run(
            job,
            label="Loading the page readers",
            lane="io",
            cancellable=False,
            on_failure=lambda _exc: None,  # the first fetch loads them (and reports) instead
        )
