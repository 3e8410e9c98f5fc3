"""The one place the desktop app writes: core operations on the database lane.

:class:`OpRunner` is the app's single writer (Anki's ``CollectionOp``).  A
panel hands it a call to a core service; it runs the call on the
:class:`~workbench.ui.tasks.TaskRunner`'s one-thread "db" lane, and when the
operation has committed it broadcasts the operation's change record on the
:class:`~workbench.ui.bus.ChangeBus` itself, before the caller's
``on_success``.  No panel broadcasts by hand, and nothing writes on the UI
thread.

Another program (the CLI importing a batch, a second window) may hold the
write lock.  The operation then waits in short attempts
(:func:`~workbench.core.services.operations.patiently`); the task's
progress label says "waiting for another program…", the status bar shows
it, and the edit is saved as soon as the lock is free.  The UI thread never
waits for the lock: typing goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from workbench.core.model import CancelFn, ProgressFn
from workbench.core.services import operations
from workbench.core.services.operations import WAITING_LABEL
from workbench.core.services.workspace import Workspace
from workbench.ui.bus import ChangeBus
from workbench.ui.tasks import TaskHandle, TaskRunner

R = TypeVar("R")


class OpRunner(QObject):
    """Runs operations on the database lane and broadcasts what they changed.

    Signals:
        waiting(bool): True when an operation started waiting for another
            program's lock, False when the operations waiting have ended.
    """

    waiting = Signal(bool)

    def __init__(
        self,
        store: Workspace,
        tasks: TaskRunner,
        bus: ChangeBus,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.tasks = tasks
        self.bus = bus
        self._waiting: set[int] = set()
        tasks.task_ended.connect(self._task_ended)

    @property
    def is_waiting(self) -> bool:
        """True while an operation waits for another program's lock."""
        return bool(self._waiting)

    def run(
        self,
        call: Callable[[Workspace], R],
        *,
        label: str,
        on_success: Callable[[R], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> TaskHandle:
        """Run ``call(store)`` on the database lane; broadcast its changes, then ``on_success``.

        Without ``on_failure`` a failure is shown by the window (the task
        runner's ``task_failed``).  Not cancellable: an edit the user made
        is saved, however long another program holds the lock.
        """
        return self.run_long(
            lambda store, _progress, _cancelled: call(store),
            label=label,
            on_success=on_success,
            on_failure=on_failure,
            cancellable=False,
        )

    def run_long(
        self,
        call: Callable[[Workspace, ProgressFn, CancelFn], R],
        *,
        label: str,
        on_success: Callable[[R], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        cancellable: bool = True,
    ) -> TaskHandle:
        """:meth:`run` for long operations: ``call(store, progress, is_cancelled)``."""
        store = self.store
        holder: list[TaskHandle] = []

        def job(report: ProgressFn, is_cancelled: CancelFn) -> R:
            def waiting() -> None:
                report(0, 0, WAITING_LABEL)
                if holder:
                    self._set_waiting(holder[0], True)

            return operations.patiently(
                lambda: call(store, report, is_cancelled),
                on_waiting=waiting,
                is_cancelled=is_cancelled,
            )

        def succeeded(result: R) -> None:
            self.bus.emit_changes(operations.changes_of(result))
            if on_success is not None:
                on_success(result)

        handle = self.tasks.run(
            job,
            label=label,
            lane="db",
            cancellable=cancellable,
            on_success=succeeded,
            on_failure=on_failure,
        )
        holder.append(handle)
        return handle

    def _task_ended(self, handle: TaskHandle) -> None:
        self._set_waiting(handle, False)

    def _set_waiting(self, handle: TaskHandle, waiting: bool) -> None:
        # Called from the lane (waiting) and the UI thread (done): a set of
        # ids under the GIL; the signal is queued to the UI thread either way.
        before = bool(self._waiting)
        if waiting:
            self._waiting.add(handle.id)
        else:
            self._waiting.discard(handle.id)
        if bool(self._waiting) != before:
            self.waiting.emit(bool(self._waiting))
