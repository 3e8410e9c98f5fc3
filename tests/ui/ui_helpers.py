"""Helpers shared by the UI tests (imported by name: tests/ui is on sys.path)."""

from __future__ import annotations

import pytest

# The offscreen platform plugin warns that it cannot propagate size hints
# whenever a dock widget is laid out; that is the plugin's limitation, not ours.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

SMALL_TEXT = (
    "The city council approved a budget of 12 million dollars on Monday. "
    "Mayor Ana Ruiz said the plan would cut waiting times by half.\n\n"
    "Critics argued that the budget was 30 percent larger than last year. "
    "The vote passed seven to two."
)


def click_in_next_dialog(qtbot: object, button_text: str) -> None:
    """Answer the next modal message box by clicking the button labelled ``button_text``."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(0, answer)
