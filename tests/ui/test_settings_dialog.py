"""The settings dialog reads and writes the store settings, saved as one operation."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from workbench.core.model import Settings
from workbench.ui.bus import ChangeBus
from workbench.ui.dialogs.settings_dialog import SettingsDialog
from workbench.ui.ops import OpRunner

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def ops(store: Any, runner: Any) -> OpRunner:
    bus = ChangeBus()
    ops = OpRunner(store, runner, bus)
    ops._test_bus = bus  # type: ignore[attr-defined]  # keep the Python ref alive
    return ops


def test_defaults_then_save_and_reload(qtbot: Any, store: Any, ops: OpRunner) -> None:
    dialog = SettingsDialog(ops=ops)
    qtbot.addWidget(dialog)
    assert dialog.values() == Settings(scorer="auto")  # what the form shows for "never chosen"
    assert (dialog.values().paper_size, dialog.values().scorer) == ("A4", "auto")
    dialog.show()
    dialog.checker_edit.setFocus()
    qtbot.keyClicks(dialog.checker_edit, "Ana Checker")
    dialog.paper_combo.setCurrentText("Letter")
    dialog.scorer_combo.setCurrentIndex(dialog.scorer_combo.findData("cues"))
    dialog.model_combo.setCurrentText("en_core_web_sm")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    assert store.settings.get("checker_name") == "Ana Checker"
    assert store.settings.get("paper_size") == "Letter"
    assert store.settings.get("scorer") == "cues"
    assert store.settings.get("spacy_model") == "en_core_web_sm"
    (entry,) = store.history.list()  # one operation, one transaction, one entry
    assert entry.kind == "settings" and "checker_name" in entry.summary

    again = SettingsDialog(ops=ops)
    qtbot.addWidget(again)
    assert again.values() == Settings(
        checker_name="Ana Checker", paper_size="Letter", scorer="cues", spacy_model="en_core_web_sm"
    )


def test_cancel_stores_nothing(qtbot: Any, store: Any, ops: OpRunner) -> None:
    dialog = SettingsDialog(ops=ops)
    qtbot.addWidget(dialog)
    dialog.checker_edit.setText("Someone")
    dialog.reject()
    assert store.settings.get("checker_name") is None
    assert store.history.list() == []


def test_unknown_scorer_from_cli_is_kept(qtbot: Any, store: Any, ops: OpRunner) -> None:
    store.settings.set("scorer", "experimental")
    dialog = SettingsDialog(ops=ops)
    qtbot.addWidget(dialog)
    assert dialog.values().scorer == "experimental"
