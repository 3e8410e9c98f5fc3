"""The first run asks who is checking, never where nobody could answer."""

from __future__ import annotations

from typing import Any

import pytest
from ui_helpers import settle

from workbench.core.model import Settings
from workbench.core.services.operations import current_actor
from workbench.ui import first_run
from workbench.ui.bus import ChangeBus
from workbench.ui.ops import OpRunner


@pytest.fixture
def ops(store: Any, runner: Any, monkeypatch: pytest.MonkeyPatch) -> OpRunner:
    monkeypatch.delenv("WORKBENCH_USER", raising=False)
    monkeypatch.delenv("WORKBENCH_EXIT_AFTER_MS", raising=False)
    bus = ChangeBus()
    ops = OpRunner(store, runner, bus)
    ops._test_bus = bus  # type: ignore[attr-defined]
    return ops


def test_never_asks_offscreen_in_tests_or_headless_runs(ops: OpRunner) -> None:
    assert first_run.should_ask(ops) is False  # QT_QPA_PLATFORM=offscreen
    assert first_run.ask_display_name(None, ops) is None  # type: ignore[arg-type]


def test_on_a_display_it_asks_once_and_the_name_is_who_the_history_names(
    qtbot: Any, ops: OpRunner, store: Any, runner: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the platform's name is pretended: there is no X server here.
    monkeypatch.setattr(first_run.QGuiApplication, "platformName", lambda: "xcb")
    assert first_run.should_ask(ops)
    monkeypatch.setenv("WORKBENCH_USER", "someone")
    assert not first_run.should_ask(ops)  # the environment already names the person
    monkeypatch.delenv("WORKBENCH_USER")
    dialog = first_run.ask_display_name(None, ops)  # type: ignore[arg-type]
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)
    dialog.setTextValue("  Dana Desk  ")
    dialog.accept()
    settle(qtbot, runner)
    assert store.settings.load().checker_name == "Dana Desk"
    assert current_actor(store) == "Dana Desk"
    from workbench.core.services import articles

    _, changes = articles.import_text(store, "The next change is hers.", title="Next")
    assert changes.entry is not None and changes.entry.actor == "Dana Desk"
    assert not first_run.should_ask(ops)  # asked once


def test_does_not_ask_when_a_name_is_set(
    ops: OpRunner, store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(first_run.QGuiApplication, "platformName", lambda: "xcb")
    store.settings.save(Settings(checker_name="Ana"))
    assert not first_run.should_ask(ops)
