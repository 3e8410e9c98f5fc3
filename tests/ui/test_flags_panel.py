"""The consistency findings panel: spans, confidence, dateline, dismiss and undo."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from ui_helpers import make_edits, settle

from workbench.core.model import Changes, FlagFinding
from workbench.ui.bus import ChangeBus
from workbench.ui.widgets.flags_panel import FlagsPanel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TEXT = (
    "WASHINGTON, March 3, 2024 - On Tuesday, March 3, the senator spoke. "
    "Turnout rose to 61 percent, up from 48 percent. Later it was put at 16 percent."
)


def span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


WEEKDAY = FlagFinding(
    "weekday",
    "March 3, 2024 was a Sunday, not a Tuesday",
    (span("Tuesday, March 3"),),
    0.9,
    date(2024, 3, 3),
    "fp-weekday",
)
NUMBERS = FlagFinding(
    "numbers",
    "61 percent and 16 percent may be the same figure transposed",
    (span("61 percent"), span("16 percent")),
    0.55,
    None,
    "fp-numbers",
)


@pytest.fixture
def setup(qtbot: Any, store: Any, runner: Any) -> tuple[FlagsPanel, Any, ChangeBus, QUndoStack]:
    article = store.articles.add(title="Senator", text=TEXT, dateline=date(2024, 3, 3))
    store.flags.replace_for_article(article.id, [WEEKDAY, NUMBERS])
    bus = ChangeBus()
    stack = QUndoStack()
    panel = FlagsPanel(store=store, edits=make_edits(store, runner, bus, stack), bus=bus)
    panel._test_runner = runner  # type: ignore[attr-defined]
    qtbot.addWidget(panel)
    panel.show()
    panel.show_article(article.id)
    return panel, article, bus, stack


def top_texts(panel: FlagsPanel, col: int = 0) -> list[str]:
    return [panel.tree.topLevelItem(i).text(col) for i in range(panel.tree.topLevelItemCount())]


def test_lists_findings_with_confidence_dateline_and_spans(setup: Any) -> None:
    panel, _article, _bus, _stack = setup
    assert top_texts(panel) == [WEEKDAY.message, NUMBERS.message]  # article order
    assert top_texts(panel, 1) == ["Weekday", "Numbers"]
    assert top_texts(panel, 2) == ["90%", "55%"]
    assert top_texts(panel, 3) == ["2024-03-03", "none"]
    numbers = panel.tree.topLevelItem(1)
    assert [numbers.child(i).text(0) for i in range(numbers.childCount())] == [
        "“61 percent”",
        "“16 percent”",
    ]
    assert panel.summary.text() == "2 findings"
    # Spans show under each finding; the dateline column is hidden in the narrow
    # dock and its value is in the finding's tooltip instead.
    assert all(panel.tree.topLevelItem(i).isExpanded() for i in range(2))
    assert panel.tree.isColumnHidden(3)
    assert panel.tree.topLevelItem(0).toolTip(0).endswith("Dateline used: 2024-03-03")
    assert panel.tree.accessibleName() and panel.dismiss_button.accessibleName()
    assert panel.tree.header().accessibleName()


def test_activating_a_span_emits_its_offsets(qtbot: Any, setup: Any) -> None:
    panel, _article, _bus, _stack = setup
    numbers = panel.tree.topLevelItem(1)
    second = numbers.child(1)
    with qtbot.waitSignal(panel.span_activated) as blocker:
        panel.tree.itemActivated.emit(second, 0)
    assert tuple(blocker.args) == span("16 percent")
    # keyboard: select the weekday finding and press Enter
    panel.tree.setFocus()
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    with qtbot.waitSignal(panel.span_activated) as blocker:
        qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    assert tuple(blocker.args) == span("Tuesday, March 3")


def test_dismiss_and_undismiss_are_undoable(qtbot: Any, setup: Any, store: Any) -> None:
    panel, article, _bus, stack = setup
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    assert panel.dismiss_button.text() == "Dis&miss"
    qtbot.mouseClick(panel.dismiss_button, Qt.MouseButton.LeftButton)
    settle(qtbot, panel._test_runner)
    assert top_texts(panel) == [NUMBERS.message]
    assert panel.summary.text() == "1 finding, 1 dismissed"
    assert {f.fingerprint: f.dismissed for f in store.flags.for_article(article.id)} == {
        "fp-weekday": True,
        "fp-numbers": False,
    }
    panel.show_dismissed.setChecked(True)
    assert top_texts(panel)[0].endswith("(dismissed)")
    panel.select_flag(next(f.id for f in store.flags.for_article(article.id) if f.dismissed))
    assert panel.dismiss_button.text() == "Re&store"
    qtbot.mouseClick(panel.dismiss_button, Qt.MouseButton.LeftButton)  # undismiss
    settle(qtbot, panel._test_runner)
    assert not any(f.dismissed for f in store.flags.for_article(article.id))
    stack.undo()  # the undismiss
    settle(qtbot, panel._test_runner)
    assert store.flags.for_article(article.id)[0].dismissed
    stack.undo()  # the dismiss
    settle(qtbot, panel._test_runner)
    assert not any(f.dismissed for f in store.flags.for_article(article.id))
    assert panel.summary.text() == "2 findings"


def test_follows_a_recheck_that_replaces_findings(setup: Any, store: Any) -> None:
    panel, article, bus, _stack = setup
    store.flags.replace_for_article(article.id, [NUMBERS])
    bus.emit_changes(Changes(articles={article.id}))
    assert top_texts(panel) == [NUMBERS.message]
    store.flags.replace_for_article(article.id, [])
    bus.emit_changes(Changes(articles={article.id}))
    assert top_texts(panel) == []
    assert panel.summary.text() == "0 findings"
    assert not panel.dismiss_button.isEnabled()
