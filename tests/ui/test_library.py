"""The library panel: progress, search, paging, open, delete with confirmation."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from ui_helpers import OFFSCREEN_NOISE, click_in_next_dialog

from workbench.core.model import Status
from workbench.core.services import claims as claim_service
from workbench.ui.widgets.library_panel import PAGE, LibraryModel

pytestmark = OFFSCREEN_NOISE


def test_model_pages_rows_and_passes_modeltester(qtmodeltester, store) -> None:
    for i in range(PAGE + 50):
        store.articles.add(title=f"Story {i:03d}", text=f"Body of story {i}.")
    model = LibraryModel(store)
    assert model.total() == PAGE + 50
    assert model.rowCount() == PAGE
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == PAGE + 50
    assert not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)
    model.set_search("story 01")
    assert {model.summary(r).title for r in range(model.rowCount())} == {
        f"Story {i:03d}" for i in range(10, 20)
    }


def test_progress_counts_checked_claims(qtbot, make_window, small_article, store) -> None:
    window = make_window()
    lib = window.library
    row = lib.model.row_of(small_article.id)
    assert lib.model.index(row, 1).data() == "0/2"
    first = window.claims_table.model.claim_ids()[0]
    _, changes = claim_service.set_status(store, first, Status.CHECKED)
    window.bus.emit_changes(changes)
    assert lib.model.index(row, 1).data() == "1/2"


def test_open_and_delete_with_confirmation(qtbot, make_window, small_article, store) -> None:
    other = store.articles.add(title="Another story", text="Prices rose 5 percent in May.")
    window = make_window()
    lib = window.library
    lib.model.refresh()
    lib.select_article(other.id)
    lib.open_current()
    assert window.article.id == other.id
    assert window.article_view.toPlainText() == other.text

    click_in_next_dialog(qtbot, "Cancel")
    lib.delete_action.trigger()
    qtbot.waitUntil(lambda: not window.runner.active(), timeout=5000)
    assert store.articles.exists(other.id)

    click_in_next_dialog(qtbot, "Delete")
    with qtbot.waitSignal(lib.article_deleted, timeout=10_000):
        lib.delete_action.trigger()
    assert not store.articles.exists(other.id)
    assert lib.model.total() == 1
    # The open article was deleted: the window moves to the remaining one.
    assert window.article.id == small_article.id


def test_search_box_filters(qtbot, make_window, small_article, store) -> None:
    store.articles.add(title="Harbour fire", text="A fire broke out at the harbour.")
    window = make_window()
    lib = window.library
    lib.model.refresh()
    assert lib.model.total() == 2
    qtbot.keyClicks(lib.search, "harbour")
    qtbot.waitUntil(lambda: lib.model.total() == 1, timeout=2000)
    assert lib.model.summary(0).title == "Harbour fire"


def test_pages_are_read_on_demand_in_list_order(qtbot, store) -> None:
    from workbench.core.model import Changes

    for i in range(2 * PAGE + 10):
        store.articles.add(title=f"Piece {i:03d}", text=f"Body {i}.")
    model = LibraryModel(store)
    assert (model.rowCount(), model.total()) == (PAGE, 2 * PAGE + 10)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [model.summary(r).id for r in range(model.rowCount())] == [
        s.id for s in store.articles.list()
    ]
    # a new article appears on top; the rows already read stay read
    new = store.articles.add(title="Fresh piece", text="New.")
    model.apply_changes(Changes(articles={new.id}))
    assert model.summary(0).title == "Fresh piece"
    assert model.total() == 2 * PAGE + 11
    assert model.rowCount() == 2 * PAGE + 10  # as many rows as were read; one more to fetch
    assert model.canFetchMore(QModelIndex())
    model.set_search("piece 40")
    assert model.total() == store.articles.count("piece 40") == 10
    assert model.rowCount() == 10
