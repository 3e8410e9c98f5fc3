"""The settings dialog reads and writes the four store settings."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from workbench.ui.dialogs.settings_dialog import SettingsDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_defaults_then_save_and_reload(qtbot: Any, store: Any) -> None:
    dialog = SettingsDialog(store=store)
    qtbot.addWidget(dialog)
    assert dialog.values() == {
        "checker_name": "",
        "paper_size": "A4",
        "scorer": "auto",
        "spacy_model": "",
    }
    dialog.show()
    dialog.checker_edit.setFocus()
    qtbot.keyClicks(dialog.checker_edit, "Ana Checker")
    dialog.paper_combo.setCurrentText("Letter")
    dialog.scorer_combo.setCurrentIndex(dialog.scorer_combo.findData("cues"))
    dialog.model_combo.setCurrentText("en_core_web_sm")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    assert store.settings.get("checker_name") == "Ana Checker"
    assert store.settings.get("paper_size") == "Letter"
    assert store.settings.get("scorer") == "cues"
    assert store.settings.get("spacy_model") == "en_core_web_sm"

    again = SettingsDialog(store=store)
    qtbot.addWidget(again)
    assert again.values() == {
        "checker_name": "Ana Checker",
        "paper_size": "Letter",
        "scorer": "cues",
        "spacy_model": "en_core_web_sm",
    }


def test_cancel_stores_nothing(qtbot: Any, store: Any) -> None:
    dialog = SettingsDialog(store=store)
    qtbot.addWidget(dialog)
    dialog.checker_edit.setText("Someone")
    dialog.reject()
    assert store.settings.get("checker_name") is None


def test_unknown_scorer_from_cli_is_kept(qtbot: Any, store: Any) -> None:
    store.settings.set("scorer", "experimental")
    dialog = SettingsDialog(store=store)
    qtbot.addWidget(dialog)
    assert dialog.values()["scorer"] == "experimental"
