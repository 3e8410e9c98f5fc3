"""The claim detail panel on a real store: showing, editing, verdicts, undo across claims."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget
from ui_helpers import make_edits, settle

from workbench.core.model import Changes, Entity, Status, Verdict
from workbench.ui.bus import ChangeBus
from workbench.ui.widgets import claim_detail
from workbench.ui.widgets.claim_detail import ClaimDetailPanel

# The offscreen platform plugin says this whenever a top-level window is shown.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TEXT = (
    "The city spent $4 million on roads in 2023. Officials said crime fell by 12 percent last year."
)


@pytest.fixture
def world(store: Any) -> dict[str, Any]:
    article = store.articles.add(title="Roads", text=TEXT)
    end1 = TEXT.index(".") + 1
    c1 = store.claims.add(
        article.id,
        start=0,
        end=end1,
        text=TEXT[:end1],
        score=0.82,
        types=("quantity", "time"),
        entities=(Entity("MONEY", 15, 25, "$4 million"), Entity("DATE", 38, 42, "2023")),
        facts=({"kind": "quantity", "value": 4_000_000, "unit": "USD", "start": 15, "end": 25},),
    )
    s2 = TEXT.index("Officials")
    c2 = store.claims.add(article.id, start=s2, end=len(TEXT), text=TEXT[s2:], score=0.5)
    return {"article": article, "c1": c1, "c2": c2}


@pytest.fixture
def panel(qtbot: Any, store: Any, runner: Any) -> ClaimDetailPanel:
    bus = ChangeBus()
    stack = QUndoStack()
    edits = make_edits(store, runner, bus, stack)
    widget = ClaimDetailPanel(store=store, edits=edits, runner=runner, bus=bus)
    widget._test_bus = bus  # type: ignore[attr-defined]  # keep Python refs alive
    widget._test_stack = stack  # type: ignore[attr-defined]
    widget._test_edits = edits  # type: ignore[attr-defined]
    widget._test_runner = runner  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.show()
    return widget


def stack_of(panel: ClaimDetailPanel) -> QUndoStack:
    return panel._test_stack  # type: ignore[attr-defined, no-any-return]


def bus_of(panel: ClaimDetailPanel) -> ChangeBus:
    return panel._test_bus  # type: ignore[attr-defined, no-any-return]


def edits_of(panel: ClaimDetailPanel) -> Any:
    return panel._test_edits  # type: ignore[attr-defined]


def wait(qtbot: Any, panel: ClaimDetailPanel) -> None:
    """Let the panel's saves (operations on the database lane) land and report."""
    settle(qtbot, panel._test_runner)  # type: ignore[attr-defined]


def undo(qtbot: Any, panel: ClaimDetailPanel) -> None:
    stack_of(panel).undo()
    wait(qtbot, panel)


def redo(qtbot: Any, panel: ClaimDetailPanel) -> None:
    stack_of(panel).redo()
    wait(qtbot, panel)


def test_shows_claim_fields_readably(panel: ClaimDetailPanel, world: dict[str, Any]) -> None:
    panel.show_claim(world["c1"].id)
    assert panel.claim_id == world["c1"].id
    assert panel.text_edit.toPlainText() == world["c1"].text
    assert "(unchanged)" in panel.original_label.text()
    assert panel.types_label.text() == "Quantity, Time"
    assert "$4 million (MONEY)" in panel.entities_label.text()
    facts = panel.facts_label.text()
    assert "Quantity" in facts
    assert "4,000,000" in facts
    assert "start" not in facts  # offsets are not for people
    assert panel.verdict_combo.currentText() == "(no verdict)"
    assert [panel.verdict_combo.itemText(i) for i in range(1, 8)] == [v.label for v in Verdict]
    assert panel.status_combo.currentText() == "Unchecked"
    panel.show_claim(None)
    assert panel.claim_id is None


def test_fits_the_default_window_without_scrolling_sideways(
    qtbot: Any, panel: ClaimDetailPanel, world: dict[str, Any]
) -> None:
    """At 1400 px the detail pane gets about 650 px; its content must fit in that."""
    from PySide6.QtWidgets import QScrollArea

    panel.resize(650, 700)
    panel.show_claim(world["c1"].id)
    scroll = panel.findChild(QScrollArea)
    assert scroll is not None
    qtbot.waitUntil(lambda: scroll.widget().width() <= scroll.viewport().width())
    assert scroll.widget().minimumSizeHint().width() <= 560
    assert not scroll.horizontalScrollBar().isVisible()


def test_every_control_has_an_accessible_name(
    panel: ClaimDetailPanel, world: dict[str, Any]
) -> None:
    panel.show_claim(world["c1"].id)
    unnamed = [
        w
        for w in panel.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and w.isVisibleTo(panel)
        and not w.accessibleName()
        and type(w).__name__ not in {"QScrollBar", "QWidget", "QTableCornerButton"}
    ]
    assert unnamed == [], [type(w).__name__ for w in unnamed]


def test_verdict_combo_and_shortcut_api_save_and_undo(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, world: dict[str, Any]
) -> None:
    cid = world["c1"].id
    panel.show_claim(cid)
    with qtbot.waitSignal(bus_of(panel).changed) as blocker:
        panel.verdict_combo.setFocus()
        index = panel.verdict_combo.findText("Mostly false")
        panel.verdict_combo.setCurrentIndex(index)
        panel.verdict_combo.activated.emit(index)
    assert cid in blocker.args[0].claims
    assert store.claims.get(cid).verdict is Verdict.MOSTLY_FALSE
    assert panel.status_combo.currentText() == "In progress"

    panel.set_verdict(Verdict.TRUE)
    wait(qtbot, panel)
    assert store.claims.get(cid).verdict is Verdict.TRUE
    assert panel.verdict_combo.currentText() == "True"
    panel.set_status(Status.CHECKED)
    wait(qtbot, panel)
    assert store.claims.get(cid).status is Status.CHECKED
    assert panel.status_combo.currentText() == "Checked"
    undo(qtbot, panel)
    undo(qtbot, panel)
    assert panel.verdict_combo.currentText() == "Mostly false"
    assert panel.status_combo.currentText() == "In progress"


def test_rationale_debounced_one_undo_step_per_burst(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, world: dict[str, Any]
) -> None:
    cid = world["c1"].id
    panel.show_claim(cid)
    panel.focus_rationale()
    qtbot.waitUntil(panel.rationale_edit.hasFocus)
    qtbot.keyClicks(panel.rationale_edit, "Budget")
    qtbot.waitUntil(lambda: store.claims.get(cid).rationale == "Budget", timeout=3000)
    qtbot.keyClicks(panel.rationale_edit, " says 3.1m")
    qtbot.waitUntil(lambda: store.claims.get(cid).rationale == "Budget says 3.1m", timeout=3000)
    wait(qtbot, panel)
    stack = stack_of(panel)
    assert stack.count() == 1  # one burst: one step
    undo(qtbot, panel)
    assert store.claims.get(cid).rationale == ""
    assert panel.rationale_edit.toPlainText() == ""
    redo(qtbot, panel)
    assert panel.rationale_edit.toPlainText() == "Budget says 3.1m"


def test_switching_claims_saves_pending_typing_and_undo_survives(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, world: dict[str, Any]
) -> None:
    c1, c2 = world["c1"].id, world["c2"].id
    panel.show_claim(c1)
    panel.focus_text()
    qtbot.waitUntil(panel.text_edit.hasFocus)
    panel.text_edit.selectAll()
    qtbot.keyClicks(panel.text_edit, "The city spent $4m on roads.")
    panel.show_claim(c2)  # before the debounce fired
    wait(qtbot, panel)
    assert store.claims.get(c1).text == "The city spent $4m on roads."
    assert store.claims.get(c1).text_extracted == world["c1"].text
    panel.set_verdict(Verdict.FALSE)
    wait(qtbot, panel)
    stack = stack_of(panel)
    assert stack.count() == 2
    undo(qtbot, panel)  # verdict on c2
    undo(qtbot, panel)  # text on c1, while c2 is shown
    assert store.claims.get(c1).text_edited is None
    assert store.claims.get(c2).verdict is None
    panel.show_claim(c1)
    assert panel.text_edit.toPlainText() == world["c1"].text


def test_saving_while_typing_keeps_the_trailing_space(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, world: dict[str, Any]
) -> None:
    cid = world["c1"].id
    panel.show_claim(cid)
    panel.focus_text()
    qtbot.waitUntil(panel.text_edit.hasFocus)
    panel.text_edit.selectAll()
    qtbot.keyClicks(panel.text_edit, "Roads cost ")
    qtbot.waitUntil(lambda: store.claims.get(cid).text == "Roads cost", timeout=3000)
    assert panel.text_edit.toPlainText() == "Roads cost "
    qtbot.keyClicks(panel.text_edit, "$4m.")
    qtbot.waitUntil(lambda: store.claims.get(cid).text == "Roads cost $4m.", timeout=3000)
    wait(qtbot, panel)
    assert panel.text_edit.toPlainText() == "Roads cost $4m."
    assert stack_of(panel).count() == 1


def test_closing_saves_pending_typing(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, world: dict[str, Any]
) -> None:
    cid = world["c2"].id
    panel.show_claim(cid)
    panel.focus_rationale()
    qtbot.waitUntil(panel.rationale_edit.hasFocus)
    qtbot.keyClicks(panel.rationale_edit, "Police figures")
    panel.close()  # before the debounce fired: the save is handed to the database lane
    wait(qtbot, panel)
    assert store.claims.get(cid).rationale == "Police figures"


def test_empty_text_is_refused_with_message(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, world: dict[str, Any]
) -> None:
    cid = world["c1"].id
    panel.show_claim(cid)
    panel.text_edit.setFocus()
    panel.text_edit.selectAll()
    qtbot.keyClick(panel.text_edit, Qt.Key.Key_Delete)
    qtbot.waitUntil(panel.message_label.isVisible, timeout=3000)
    assert "empty" in panel.message_label.text()
    wait(qtbot, panel)
    assert store.claims.get(cid).text == world["c1"].text
    assert stack_of(panel).count() == 0


def test_follows_changes_from_elsewhere_and_delete_undo(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, world: dict[str, Any]
) -> None:
    cid = world["c2"].id
    panel.show_claim(cid)
    bus = bus_of(panel)
    edits_of(panel).set_rationale(cid, "From the table")  # another panel's edit
    wait(qtbot, panel)
    assert panel.rationale_edit.toPlainText() == "From the table"
    edits_of(panel).delete_claims([cid])
    wait(qtbot, panel)
    assert panel.claim_id is None
    undo(qtbot, panel)  # restored under its own id: the panel shows it again
    assert panel.claim_id == cid
    assert panel.rationale_edit.toPlainText() == "From the table"
    # a change to another claim does not disturb the one shown
    bus.emit_changes(Changes(claims={world["c1"].id}))
    assert panel.claim_id == cid


def test_debounce_constant_is_short() -> None:
    assert claim_detail.DEBOUNCE_MS <= 500
