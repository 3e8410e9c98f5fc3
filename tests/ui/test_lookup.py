"""LatestLookup: only the newest lookup reports; errors become one line; bugs reach the hook."""

from __future__ import annotations

import sys
import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from workbench.core.errors import DatabaseError
from workbench.ui.lookup import LatestLookup


class Seen:
    def __init__(self) -> None:
        self.results: list[object] = []
        self.failures: list[str] = []


def _lookup(owner: QWidget, runner: Any, seen: Seen) -> LatestLookup[object]:
    return LatestLookup(
        owner,
        runner,
        on_result=seen.results.append,
        on_failure=seen.failures.append,
        bug_line="It failed because of a bug.",
    )


def test_a_newer_lookup_wins_over_a_slower_older_one(qtbot, runner) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    seen = Seen()
    lookup = _lookup(owner, runner, seen)
    release = threading.Event()
    lookup.start(lambda: release.wait(10) and "old", label="old")
    lookup.start(lambda: "new", label="new")
    qtbot.waitUntil(lambda: seen.results == ["new"], timeout=10_000)
    release.set()
    assert runner.wait(10_000)
    qtbot.wait(20)
    assert seen.results == ["new"] and seen.failures == [] and not lookup.busy


def test_cancel_silences_the_running_lookup(qtbot, runner) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    seen = Seen()
    lookup = _lookup(owner, runner, seen)
    lookup.start(lambda: "late", label="late")
    lookup.cancel()
    assert not lookup.busy
    assert runner.wait(10_000)
    qtbot.wait(20)
    assert seen.results == [] and seen.failures == []


def test_known_error_is_one_line_and_a_bug_also_reaches_the_hook(
    qtbot, runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    seen = Seen()
    lookup = _lookup(owner, runner, seen)
    hooked: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, _exc, _tb: hooked.append(kind))

    def busy() -> object:
        raise DatabaseError("database x is busy", hint="try again")

    lookup.start(busy, label="known")
    qtbot.waitUntil(lambda: len(seen.failures) == 1, timeout=10_000)
    assert seen.failures[0].startswith("database x is busy") and hooked == []

    def broken() -> object:
        raise ZeroDivisionError("oops")

    lookup.start(broken, label="bug")
    qtbot.waitUntil(lambda: len(seen.failures) == 2, timeout=10_000)
    assert seen.failures[1] == "It failed because of a bug." and hooked == [ZeroDivisionError]
    assert not lookup.busy


def test_an_owner_deleted_meanwhile_is_left_alone(qtbot, runner) -> None:
    owner = QWidget()
    seen = Seen()
    lookup = _lookup(owner, runner, seen)
    release = threading.Event()
    lookup.start(lambda: release.wait(10) and "late", label="late")
    owner.deleteLater()
    qtbot.wait(20)  # the widget is gone before the answer comes
    release.set()
    assert runner.wait(10_000)
    qtbot.wait(20)
    assert seen.results == []
