"""The search and earlier-checks docks wired into the main window, driven from the keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import OFFSCREEN_NOISE, article_with_claims, audit_source

from workbench.core.model import Stance, Verdict
from workbench.ui.models.search_model import ClaimIdRole, KindRole

pytestmark = OFFSCREEN_NOISE

TRAM = "The city spent 12 million dollars on the Northside tram in 2023."
TRAM2 = "Officials said the Northside tram carried 40,000 riders a day last spring."
HARBOUR = "Fishing catches in the harbour fell by a third after the storm."
HARBOUR_AGAIN = "The city spent 12 million dollars on the Northside tram, a mayor said."


@pytest.fixture
def world(store: Any) -> dict[str, Any]:
    a1, (c1, c1b) = article_with_claims(store, "Transit budget doubles", TRAM, TRAM2)
    store.claims.update(c1.id, verdict=Verdict.FALSE, rationale="Audited accounts show 9 million.")
    a2, (c2, c2b) = article_with_claims(store, "Harbour report", HARBOUR, HARBOUR_AGAIN)
    src = audit_source(store)
    store.evidence.attach(c1b.id, src.id, stance=Stance.REFUTES, excerpt="9 million dollars")
    return {"a1": a1, "c1": c1, "c1b": c1b, "a2": a2, "c2": c2, "c2b": c2b, "src": src}


def _focus_window(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


def _search(qtbot: Any, window: Any, text: str) -> list[Any]:
    """Ctrl+Shift+F, type ``text`` into the focused box, wait for the hits."""
    _focus_window(qtbot, window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_F,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    panel = window.search_panel
    assert window.search_dock.isVisible()
    assert QApplication.focusWidget() is panel.search_box
    with qtbot.waitSignal(panel.search_finished, timeout=10_000):
        qtbot.keyClicks(QApplication.focusWidget(), text)
    model = panel.model
    return [model.index(r, 0) for r in range(model.rowCount())]


def test_search_dock_is_tabbed_with_the_library_and_shortcut_is_in_the_menu(
    make_window: Any, world: dict[str, Any]
) -> None:
    window = make_window()
    assert window.search_dock in window.tabifiedDockWidgets(window.library_dock)
    assert window.search_action.shortcut().toString() == "Ctrl+Shift+F"
    edit_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Edit"
    )
    assert window.search_action in edit_menu.actions()
    assert window.search_dock.toggleViewAction().text() == "Search"
    assert window.similar_dock.windowTitle() == "Earlier checks"


def test_a_claim_hit_in_another_article_opens_that_article_at_the_claim(
    qtbot: Any, make_window: Any, world: dict[str, Any]
) -> None:
    window = make_window()
    window.open_article(world["a2"].id)
    assert window.article.id == world["a2"].id
    hits = _search(qtbot, window, '"riders a day"')
    ids = [i.data(ClaimIdRole) for i in hits]
    assert world["c1b"].id in ids
    panel = window.search_panel
    # Down moves into the list, Enter opens the current hit.
    qtbot.keyClick(panel.search_box, Qt.Key.Key_Down)
    panel.results_view.setCurrentIndex(hits[ids.index(world["c1b"].id)])
    with qtbot.waitSignal(window.article_opened, timeout=5000):
        qtbot.keyClick(panel.results_view, Qt.Key.Key_Return)
    assert window.article.id == world["a1"].id
    assert window.article_title.text() == "Transit budget doubles"
    assert window.claims_table.current_claim_id() == world["c1b"].id
    assert window.article_view.selected_claim == world["c1b"].id
    start = window.claims_table.model.cached(world["c1b"].id).start
    assert window.article_view.textCursor().position() == start
    if window.detail is not None:
        assert window.detail.isEnabled()


def test_a_claim_hit_in_the_open_article_just_selects_it(
    qtbot: Any, make_window: Any, world: dict[str, Any]
) -> None:
    window = make_window()
    window.open_article(world["a1"].id)
    window.claims_table.select_claim(world["c1b"].id)
    opened: list[int] = []
    window.article_opened.connect(opened.append)
    hits = _search(qtbot, window, "Audited accounts")
    row = [i.data(ClaimIdRole) for i in hits].index(world["c1"].id)
    window.search_panel.activate_row(row)
    assert opened == []  # no reload of the open article
    assert window.claims_table.current_claim_id() == world["c1"].id


def test_a_source_hit_opens_the_first_claim_citing_it(
    qtbot: Any, make_window: Any, world: dict[str, Any]
) -> None:
    window = make_window()
    window.open_article(world["a2"].id)
    hits = _search(qtbot, window, "municipal railway")
    kinds = [i.data(KindRole) for i in hits]
    assert "source" in kinds
    window.search_panel.activate_row(kinds.index("source"))
    assert window.article.id == world["a1"].id
    assert window.claims_table.current_claim_id() == world["c1b"].id


def test_earlier_checks_follow_the_selected_claim_and_open_the_other_article(
    qtbot: Any, make_window: Any, world: dict[str, Any]
) -> None:
    window = make_window()
    window.open_article(world["a2"].id)
    similar = window.similar_panel
    assert window.similar_dock.isVisible()
    with qtbot.waitSignal(similar.lookup_finished, timeout=10_000) as found:
        window.claims_table.select_claim(world["c2b"].id)
    assert similar.claim_id == world["c2b"].id
    assert found.args[0] >= 1
    earlier = [similar.model.item(r).claim.id for r in range(similar.model.rowCount())]
    assert world["c1"].id in earlier
    similar.select_row(earlier.index(world["c1"].id))
    similar.open_selected()
    assert window.article.id == world["a1"].id
    assert window.claims_table.current_claim_id() == world["c1"].id
    assert similar.claim_id == world["c1"].id
    qtbot.waitUntil(lambda: not similar.is_busy(), timeout=10_000)


def test_a_hidden_earlier_checks_dock_looks_nothing_up_until_shown(
    qtbot: Any, make_window: Any, world: dict[str, Any]
) -> None:
    window = make_window()
    window.open_article(world["a2"].id)
    window.similar_dock.hide()
    window.claims_table.select_claim(world["c2b"].id)
    assert window.similar_panel.claim_id != world["c2b"].id
    with qtbot.waitSignal(window.similar_panel.lookup_finished, timeout=10_000):
        window.similar_dock.show()
    assert window.similar_panel.claim_id == world["c2b"].id


def test_extractors_preload_on_the_io_lane_without_blocking(qtbot: Any, make_window: Any) -> None:
    from workbench.core.sources import preload

    window = make_window(start=False)
    handle = window.preload_extractors()
    assert handle.lane == "io"
    assert not handle.done  # returned at once; the import runs on a worker
    qtbot.waitUntil(lambda: handle.done, timeout=60_000)
    assert preload._loaded
    import sys

    assert "trafilatura" in sys.modules
