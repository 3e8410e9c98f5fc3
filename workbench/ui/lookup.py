"""One background lookup at a time for a panel, and only the newest one reports.

The search dock and the earlier-checks dock both start a lookup on every
keystroke (after a debounce) or every selected claim, while the previous
lookup may still be running on the io lane.  A result that arrives late must
not overwrite a newer one, a cancelled lookup reports nothing, a panel that
Qt has already deleted must not be touched, and a bug in the lookup goes to
the crash dialog while the panel says, in one line, that it failed.  This
class holds that logic once; the panels supply what to run and how to show
the outcome.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject

from workbench.core.errors import CancelledError, KnownError
from workbench.ui.tasks import TaskHandle, TaskRunner

T = TypeVar("T")


class LatestLookup(Generic[T]):
    """Runs lookups on ``runner``'s io lane for ``owner``; stale outcomes are dropped.

    ``on_result(value)`` gets the newest lookup's result; ``on_failure(line)``
    gets a one-line reason (the error's own line for a known error, or
    ``bug_line`` for a bug, which also goes to ``sys.excepthook``).
    """

    def __init__(
        self,
        owner: QObject,
        runner: TaskRunner,
        *,
        on_result: Callable[[T], None],
        on_failure: Callable[[str], None],
        bug_line: str,
    ) -> None:
        self._owner = owner
        self._runner = runner
        self._on_result = on_result
        self._on_failure = on_failure
        self._bug_line = bug_line
        self._generation = 0
        self._handle: TaskHandle | None = None

    @property
    def busy(self) -> bool:
        """True while the newest lookup has not reported."""
        return self._handle is not None

    def cancel(self) -> None:
        """Forget the running lookup (its outcome will be dropped) and cancel it."""
        self._generation += 1
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def start(self, work: Callable[[], T], *, label: str) -> TaskHandle:
        """Run ``work`` in the background in place of any lookup still running."""
        self.cancel()
        generation = self._generation

        def job(_progress: Any, _cancelled: Any) -> T:
            return work()

        self._handle = self._runner.run(
            job,
            label=label,
            on_success=lambda value: self._finished(generation, value),
            on_failure=lambda exc: self._failed(generation, exc),
            lane="io",
        )
        return self._handle

    def _current(self, generation: int) -> bool:
        """Whether an outcome of lookup ``generation`` should be shown (and clears busy)."""
        if not shiboken6.isValid(self._owner) or generation != self._generation:
            return False  # a newer lookup, a cleared panel, or a deleted widget
        self._handle = None
        return True

    def _finished(self, generation: int, value: T) -> None:
        if self._current(generation):
            self._on_result(value)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if not self._current(generation) or isinstance(exc, CancelledError):
            return
        if isinstance(exc, KnownError):
            self._on_failure(exc.one_line())
            return
        self._on_failure(self._bug_line)
        sys.excepthook(type(exc), exc, exc.__traceback__)
