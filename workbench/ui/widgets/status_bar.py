"""The status bar: what is running, how far it got, and a way to cancel it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QToolButton, QWidget

from workbench.core.errors import CancelledError
from workbench.ui.messages import describe
from workbench.ui.tasks import TaskHandle, TaskRunner

DONE_MESSAGE_MS = 6000


class TaskStatusBar(QStatusBar):
    """Shows the most recent running task with its progress and a Cancel button."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("status-bar")
        self.setAccessibleName("Status")
        self._runner = runner
        self.task_label = QLabel()
        self.task_label.setAccessibleName("Current task")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Task progress")
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(True)
        self.cancel_button = QToolButton()
        self.cancel_button.setText("Cancel")
        self.cancel_button.setAccessibleName("Cancel task")
        self.cancel_button.setToolTip("Stop the running task")
        self.cancel_button.clicked.connect(self.cancel_current)
        for w in (self.task_label, self.progress, self.cancel_button):
            self.addPermanentWidget(w)
        runner.task_started.connect(self._changed)
        runner.task_progressed.connect(self._progressed)
        runner.task_finished.connect(self._finished)
        runner.task_failed.connect(self._failed)
        runner.task_ended.connect(self._changed)
        self._update()

    def current(self) -> TaskHandle | None:
        active = self._runner.active()
        return active[-1] if active else None

    def cancel_current(self) -> None:
        handle = self.current()
        if handle is not None:
            handle.cancel()
            self.task_label.setText(f"Cancelling {handle.label}…")

    def _changed(self, _handle: TaskHandle) -> None:
        self._update()

    def _progressed(self, handle: TaskHandle, _done: int, _total: int, _label: str) -> None:
        if handle is self.current():
            self._update()

    def _finished(self, handle: TaskHandle, _result: object) -> None:
        self.showMessage(f"{handle.label}: done", DONE_MESSAGE_MS)

    def _failed(self, handle: TaskHandle, exc: BaseException) -> None:
        if isinstance(exc, CancelledError):
            self.showMessage(f"{handle.label}: cancelled", DONE_MESSAGE_MS)
        else:
            self.showMessage(f"{handle.label}: failed ({describe(exc)})", DONE_MESSAGE_MS)

    def _update(self) -> None:
        handle = self.current()
        busy = handle is not None
        for w in (self.task_label, self.progress, self.cancel_button):
            w.setVisible(busy)
        if handle is None:
            return
        done, total, label = handle.progress
        more = len(self._runner.active()) - 1
        text = label if label and label != handle.label else handle.label
        if label and label != handle.label:
            text = f"{handle.label}: {label}"
        self.task_label.setText(text + (f" (+{more} more)" if more > 0 else ""))
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:
            self.progress.setRange(0, 0)  # busy indicator
        self.cancel_button.setEnabled(handle.cancellable and not handle.is_cancelled())
