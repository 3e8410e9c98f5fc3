"""Run plain core functions off the UI thread and report back on it.

``TaskRunner.run(fn, label=...)`` calls ``fn(progress, is_cancelled)`` in a
worker thread.  ``fn`` is an ordinary core function (it knows nothing of
Qt): it reports through ``progress(done, total, label)`` and polls
``is_cancelled()``.  Every job reports its end exactly once, success or
failure, through a small signals holder living on the UI thread, so the UI
never waits forever on a job that raised (the failure mode the architecture
guide warns about).

Two lanes:

``"db"``
    a one-thread pool, so database writes queue instead of fighting for
    SQLite's write lock;
``"io"``
    a few threads for network fetches, NLP and PDF rendering.

The lanes are private pools rather than ``QThreadPool.globalInstance()`` so
that :meth:`TaskRunner.shutdown` waits for exactly this window's work and
nothing else (tests check no thread outlives its window).
"""

from __future__ import annotations

import itertools
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Literal

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from workbench.core.errors import CancelledError

Lane = Literal["db", "io"]
TaskFn = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]

PROGRESS_INTERVAL_S = 0.05
"""Progress is forwarded at most this often: a flood of queued signals would
itself stall the event loop the workers are meant to keep free."""

IO_THREADS = 4

_ids = itertools.count(1)


class TaskHandle:
    """One submitted job: its label and lane, and the way to cancel it."""

    def __init__(
        self,
        label: str,
        *,
        lane: Lane,
        cancellable: bool,
        has_failure_handler: bool,
    ) -> None:
        self.id = next(_ids)
        self.label = label
        self.lane: Lane = lane
        self.cancellable = cancellable
        self.has_failure_handler = has_failure_handler
        self.done = False
        self.progress: tuple[int, int, str] = (0, 0, label)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop; it stops at its next ``is_cancelled()`` check."""
        if self.cancellable:
            self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def __repr__(self) -> str:
        return f"<TaskHandle {self.id} {self.label!r} lane={self.lane} done={self.done}>"


class _Signals(QObject):
    """Lives on the UI thread; the worker emits, Qt queues the call over."""

    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: TaskFn, handle: TaskHandle, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._handle = handle
        self._signals = signals
        self._last = 0.0

    def _progress(self, done: int, total: int, label: str) -> None:
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL_S or (total and done >= total):
            self._last = now
            self._signals.progressed.emit(int(done), int(total), str(label))

    def run(self) -> None:
        try:
            if self._handle.is_cancelled():
                raise CancelledError(f"{self._handle.label}: cancelled before it started")
            result = self._fn(self._progress, self._handle.is_cancelled)
        except BaseException as exc:  # every end is reported, even a bug
            self._signals.failed.emit(exc)
            return
        self._signals.finished.emit(result)


class TaskRunner(QObject):
    """Submits jobs to the two lanes and re-emits their lifecycle on the UI thread.

    Signals:
        task_started(TaskHandle): a job was submitted.
        task_progressed(TaskHandle, int, int, str): done, total, label.
        task_finished(TaskHandle, object): the job returned this result.
        task_failed(TaskHandle, BaseException): the job raised (a
            :class:`CancelledError` when it was cancelled).
        task_ended(TaskHandle): after finished or failed, for status displays.
    """

    task_started = Signal(object)
    task_progressed = Signal(object, int, int, str)
    task_finished = Signal(object, object)
    task_failed = Signal(object, object)
    task_ended = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[Lane, QThreadPool] = {"db": QThreadPool(self), "io": QThreadPool(self)}
        self._pools["db"].setMaxThreadCount(1)
        self._pools["io"].setMaxThreadCount(IO_THREADS)
        self._active: dict[int, tuple[TaskHandle, _Signals]] = {}

    def run(
        self,
        fn: TaskFn,
        *,
        label: str,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        lane: Lane = "db",
        cancellable: bool = True,
    ) -> TaskHandle:
        """Start ``fn(progress, is_cancelled)`` on ``lane``; callbacks run on the UI thread."""
        if lane not in self._pools:
            raise ValueError(f"unknown lane {lane!r}")
        handle = TaskHandle(
            label, lane=lane, cancellable=cancellable, has_failure_handler=on_failure is not None
        )
        signals = _Signals()
        self._active[handle.id] = (handle, signals)

        # A job can report after the runner's owner (a closed window) was
        # deleted: its queued report must then be dropped, not emitted from a
        # dead QObject.
        def progressed(done: int, total: int, text: str) -> None:
            handle.progress = (done, total, text)
            if not shiboken6.isValid(self):
                return
            self.task_progressed.emit(handle, done, total, text)

        def finished(result: object) -> None:
            handle.done = True
            if not shiboken6.isValid(self):
                return
            self._end(handle)
            self.task_finished.emit(handle, result)
            if on_success is not None:
                _guarded(on_success, result)
            self.task_ended.emit(handle)

        def failed(exc: BaseException) -> None:
            handle.done = True
            if not shiboken6.isValid(self):
                return
            self._end(handle)
            self.task_failed.emit(handle, exc)
            if on_failure is not None:
                _guarded(on_failure, exc)
            self.task_ended.emit(handle)

        signals.progressed.connect(progressed)
        signals.finished.connect(finished)
        signals.failed.connect(failed)
        self.task_started.emit(handle)
        self._pools[lane].start(_Job(fn, handle, signals))
        return handle

    def _end(self, handle: TaskHandle) -> None:
        handle.done = True
        entry = self._active.pop(handle.id, None)
        if entry is not None:
            entry[1].deleteLater()

    def active(self) -> list[TaskHandle]:
        """Jobs submitted and not yet reported back, oldest first."""
        return [h for h, _ in self._active.values()]

    def cancel_all(self) -> None:
        for handle in self.active():
            handle.cancel()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until both lanes are idle (tests and shutdown only)."""
        deadline = time.monotonic() + timeout_ms / 1000
        ok = True
        for pool in self._pools.values():
            left = max(0, int((deadline - time.monotonic()) * 1000))
            ok = pool.waitForDone(left) and ok
        return ok

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel everything and wait; queued jobs still run, see they are cancelled, and report."""
        self.cancel_all()
        return self.wait(timeout_ms)

    def thread_count(self) -> int:
        """Threads currently running a job, across both lanes."""
        return sum(p.activeThreadCount() for p in self._pools.values())


def _guarded(callback: Callable[[Any], None], value: object) -> None:
    """Run a UI callback; a bug in it goes to the crash hook, not into Qt's void."""
    try:
        callback(value)
    except Exception:
        sys.excepthook(*sys.exc_info())
