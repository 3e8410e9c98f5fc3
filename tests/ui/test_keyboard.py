"""The keyboard alone: real key events to the focused widget reach the menu shortcuts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu
from ui_helpers import OFFSCREEN_NOISE

from workbench.core.model import Verdict

pytestmark = OFFSCREEN_NOISE

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _press(qtbot: Any, key: Qt.Key, modifiers: Any = CTRL) -> None:
    """Press ``key`` where the keyboard focus is, as a user would."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifiers)


def _menu_shortcuts(window: Any) -> dict[str, str]:
    """Action text -> shortcut, for every action in every menu (shown beside the text)."""
    out: dict[str, str] = {}
    pending = [a.menu() for a in window.menuBar().actions() if a.menu()]
    while pending:
        menu = pending.pop()
        for action in menu.actions():
            if isinstance(action.menu(), QMenu):
                pending.append(action.menu())
            elif action.text():
                out[action.text().replace("&", "")] = action.shortcut().toString()
    return out


def test_navigation_verdict_evidence_and_search_by_keyboard(
    qtbot: Any, make_window: Any, small_article: Any
) -> None:
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    shortcuts = _menu_shortcuts(window)
    assert shortcuts["Next claim"] == "Ctrl+J"
    assert shortcuts["Previous claim"] == "Ctrl+K"
    assert shortcuts["False"] == "Ctrl+5"
    assert shortcuts["Clear verdict"] == "Ctrl+0"
    assert shortcuts["Add evidence…"] == "Ctrl+E"
    assert shortcuts["Find claims"] == "Ctrl+F"
    assert shortcuts["Search the library…"] == "Ctrl+Shift+F"

    table = window.claims_table
    first, second = table.model.claim_ids()
    table.select_claim(first)
    table.view.setFocus()
    _press(qtbot, Qt.Key.Key_J)
    assert table.current_claim_id() == second
    assert window.article_view.selected_claim == second
    _press(qtbot, Qt.Key.Key_K)
    assert table.current_claim_id() == first

    _press(qtbot, Qt.Key.Key_5)
    qtbot.waitUntil(lambda: window.store.claims.get(first).verdict is Verdict.FALSE, timeout=5000)
    _press(qtbot, Qt.Key.Key_0)
    qtbot.waitUntil(lambda: window.store.claims.get(first).verdict is None, timeout=5000)

    if window.detail is not None:
        from workbench.ui.dialogs.evidence_dialog import EvidenceDialog

        _press(qtbot, Qt.Key.Key_E)
        dialogs = [d for d in window.findChildren(EvidenceDialog) if d.isVisible()]
        assert len(dialogs) == 1
        dialogs[0].reject()
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
        table.view.setFocus()

    _press(qtbot, Qt.Key.Key_F)
    assert QApplication.focusWidget() is table.search
    _press(qtbot, Qt.Key.Key_F, CTRL_SHIFT)
    assert QApplication.focusWidget() is window.search_panel.search_box
    assert window.search_dock.isVisible()
