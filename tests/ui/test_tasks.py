"""TaskRunner: every job reports success, failure or cancellation on the UI thread."""

from __future__ import annotations

import threading
import time

import pytest

from workbench.core.errors import CancelledError, UserInputError
from workbench.ui.tasks import TaskRunner


def test_success_reports_result_and_progress_on_ui_thread(qtbot, runner: TaskRunner) -> None:
    ui_thread = threading.get_ident()
    seen: dict[str, object] = {}
    progress: list[tuple[int, int, str]] = []
    runner.task_progressed.connect(lambda h, d, t, lab: progress.append((d, t, lab)))

    def job(report, is_cancelled):
        seen["worker"] = threading.get_ident()
        for i in range(3):
            report(i + 1, 3, "step")
        return 42

    def ok(result: object) -> None:
        seen["result"] = result
        seen["callback_thread"] = threading.get_ident()

    with qtbot.waitSignal(runner.task_finished, timeout=5000) as blocker:
        handle = runner.run(job, label="answer", on_success=ok)
    assert blocker.args[1] == 42
    assert seen["result"] == 42
    assert seen["worker"] != ui_thread
    assert seen["callback_thread"] == ui_thread
    assert handle.done
    assert progress[-1] == (3, 3, "step")
    assert runner.active() == []


def test_failure_is_reported_with_the_exception(qtbot, runner: TaskRunner) -> None:
    errors: list[BaseException] = []

    def job(report, is_cancelled):
        raise UserInputError("bad file", hint="pick another")

    with qtbot.waitSignal(runner.task_failed, timeout=5000) as blocker:
        runner.run(job, label="boom", on_failure=errors.append, lane="io")
    assert isinstance(blocker.args[1], UserInputError)
    assert errors
    assert errors[0].one_line() == "bad file — pick another"


def test_a_bug_in_the_job_is_still_reported(qtbot, runner: TaskRunner) -> None:
    def job(report, is_cancelled):
        return 1 / 0

    with qtbot.waitSignal(runner.task_failed, timeout=5000) as blocker:
        handle = runner.run(job, label="bug")
    assert isinstance(blocker.args[1], ZeroDivisionError)
    assert not handle.has_failure_handler


def test_cancel_stops_a_running_job(qtbot, runner: TaskRunner) -> None:
    started = threading.Event()

    def job(report, is_cancelled):
        started.set()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if is_cancelled():
                raise CancelledError("stopped")
            time.sleep(0.005)
        return "not cancelled"

    handle = runner.run(job, label="long", lane="io")
    assert started.wait(5)
    with qtbot.waitSignal(runner.task_failed, timeout=5000) as blocker:
        handle.cancel()
    assert isinstance(blocker.args[1], CancelledError)


def test_db_lane_runs_one_job_at_a_time(qtbot, runner: TaskRunner) -> None:
    lock = threading.Lock()
    overlaps: list[int] = []
    running = [0]

    def job(report, is_cancelled):
        with lock:
            running[0] += 1
            overlaps.append(running[0])
        time.sleep(0.02)
        with lock:
            running[0] -= 1
        return None

    handles = [runner.run(job, label=f"w{i}") for i in range(4)]
    qtbot.waitUntil(lambda: all(h.done for h in handles), timeout=5000)
    assert max(overlaps) == 1


def test_queued_job_cancelled_before_start_reports_cancelled(qtbot, runner: TaskRunner) -> None:
    gate = threading.Event()
    first = runner.run(lambda r, c: gate.wait(5), label="first")
    second = runner.run(lambda r, c: "ran", label="second")
    second.cancel()
    failures: list[BaseException] = []
    runner.task_failed.connect(lambda h, exc: failures.append(exc))
    gate.set()
    qtbot.waitUntil(lambda: first.done and second.done, timeout=5000)
    assert len(failures) == 1
    assert isinstance(failures[0], CancelledError)


@pytest.mark.parametrize("lane", ["nope"])
def test_unknown_lane_is_refused(runner: TaskRunner, lane: str) -> None:
    with pytest.raises(ValueError, match="unknown lane"):
        runner.run(lambda r, c: None, label="x", lane=lane)  # type: ignore[arg-type]


def test_a_report_arriving_after_the_runner_was_deleted_is_dropped(qtbot) -> None:
    import threading

    import shiboken6

    from workbench.ui.tasks import TaskRunner

    runner = TaskRunner()
    returned = threading.Event()
    results: list[object] = []
    handle = runner.run(
        lambda _p, _c: returned.set() or 42, label="late", lane="io", on_success=results.append
    )
    assert returned.wait(10)
    assert runner.wait(10_000)  # the job is done; its report is still queued
    shiboken6.delete(runner)  # its window closed meanwhile
    qtbot.wait(50)  # delivering the report must not raise from a dead QObject
    assert results == []
    assert handle.done
