"""The main window driven as a user would: first run, selection, edits, drops, restart."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from ui_helpers import OFFSCREEN_NOISE, SMALL_TEXT, click_in_next_dialog, settle

from workbench.core.model import Stance, Verdict
from workbench.ui.messages import CrashDialog, show_error
from workbench.ui.models.claims_model import ReviewState

pytestmark = OFFSCREEN_NOISE


def _done(qtbot, window) -> None:
    """Let the window's edits (operations on the database lane) land and report."""
    settle(qtbot, window.runner)


def _messages(window) -> list[QMessageBox]:
    return [w for w in window.findChildren(QMessageBox) if w.isVisible()]


def test_first_run_shows_the_sample_with_claims(qtbot, make_window, store, nlp_warm) -> None:
    window = make_window(start=False)
    with qtbot.waitSignal(window.extraction_finished, timeout=120_000) as done:
        with qtbot.waitSignal(window.article_opened, timeout=30_000):
            window.start()
        # The window shows the sample as soon as it is stored, before extraction ends.
        assert window.article is not None
        assert "Beijing" in window.article_title.text()
        assert window.statusBar().task_label.isVisible()
    assert done.args[1] > 5
    model = window.claims_table.model
    assert model.rowCount() == done.args[1]
    assert window.article_view.toPlainText() == window.article.text
    assert len(window.article_view.extraSelections()) >= model.rowCount()
    assert window.library.model.total() == 1
    assert not window.statusBar().task_label.isVisible()


def test_selecting_a_claim_scrolls_to_and_marks_its_span(qtbot, make_window, small_article) -> None:
    window = make_window()
    assert window.article.id == small_article.id
    table = window.claims_table
    second = table.model.claim_ids()[1]
    table.select_claim(second)
    row = table.model.cached(second)
    assert window.article_view.selected_claim == second
    assert window.article_view.textCursor().position() == row.start
    if window.detail is not None:
        assert window.detail.isEnabled()


def test_clicking_a_highlight_selects_its_claim(qtbot, make_window, small_article) -> None:
    window = make_window()
    view = window.article_view
    ids = window.claims_table.model.claim_ids()
    row = window.claims_table.model.cached(ids[1])
    cursor = view.textCursor()
    cursor.setPosition(row.start + 5)
    rect = view.cursorRect(cursor)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.claims_table.current_claim_id() == ids[1]
    assert view.selected_claim == ids[1]


def test_add_claim_from_selection_then_undo(qtbot, make_window, small_article) -> None:
    window = make_window()
    start = SMALL_TEXT.index("Mayor Ana Ruiz")
    end = SMALL_TEXT.index("by half.") + len("by half.")
    window.article_view.select_span(start, end)
    assert window.article_view.add_claim_action.isEnabled()
    window.article_view.add_claim_action.trigger()
    _done(qtbot, window)
    model = window.claims_table.model
    assert model.rowCount() == 3
    new_id = window.claims_table.current_claim_id()
    assert new_id is not None
    assert model.cached(new_id).text == SMALL_TEXT[start:end]
    assert window.store.claims.get(new_id).origin.value == "manual"
    window.undo_action.trigger()
    _done(qtbot, window)
    assert model.rowCount() == 2
    window.redo_action.trigger()
    _done(qtbot, window)
    assert model.rowCount() == 3
    assert model.row_of(new_id) >= 0  # back under the same id


def test_verdict_shortcut_colours_the_highlight(qtbot, make_window, small_article) -> None:
    window = make_window()
    first = window.claims_table.model.claim_ids()[0]
    window.select_claim(first)
    assert window.verdict_actions[Verdict.FALSE].shortcut().toString() == "Ctrl+5"
    window.verdict_actions[Verdict.FALSE].trigger()
    _done(qtbot, window)
    assert window.store.claims.get(first).verdict is Verdict.FALSE
    assert window.claims_table.model.cached(first).state is ReviewState.REFUTED
    window.undo_action.trigger()
    _done(qtbot, window)
    assert window.store.claims.get(first).verdict is None


def test_delete_asks_only_when_the_claim_has_evidence(qtbot, make_window, small_article) -> None:
    window = make_window()
    store = window.store
    first, second = window.claims_table.model.claim_ids()
    source, _ = store.sources.get_or_create("https://example.org/x", "https://example.org/x")
    evidence, _ = store.evidence.attach(first, source.id, stance=Stance.SUPPORTS)
    window.bus.emit_changes(
        __import__("workbench.core.model").core.model.Changes(
            claims={first}, evidence={evidence.id}
        )
    )
    window.select_claim(first)
    click_in_next_dialog(qtbot, "Cancel")
    window.claims_table.delete_action.trigger()
    _done(qtbot, window)
    assert window.claims_table.model.row_of(first) >= 0
    click_in_next_dialog(qtbot, "Delete")
    window.claims_table.delete_action.trigger()
    _done(qtbot, window)
    assert window.claims_table.model.row_of(first) < 0
    # No evidence: no question asked.
    window.select_claim(second)
    window.claims_table.delete_action.trigger()
    _done(qtbot, window)
    assert window.claims_table.model.rowCount() == 0
    window.undo_action.trigger()
    window.undo_action.trigger()
    _done(qtbot, window)
    assert window.claims_table.model.rowCount() == 2
    restored = store.claims.for_article(small_article.id)
    assert sum(len(store.evidence.for_claim(c.id)) for c in restored) == 1


def test_split_and_merge_from_the_table(qtbot, make_window, small_article) -> None:
    window = make_window()
    table = window.claims_table
    first = table.model.claim_ids()[0]
    table.select_claim(first)
    cursor = window.article_view.textCursor()
    cursor.setPosition(SMALL_TEXT.index("on Monday"))
    window.article_view.setTextCursor(cursor)
    table.split_action.trigger()
    _done(qtbot, window)
    assert table.model.rowCount() == 3
    assert window.store.claims.get(first).end == SMALL_TEXT.index(" on Monday")
    table.view.selectAll()
    ids = table.selected_claim_ids()
    assert len(ids) == 3
    table.merge_action.trigger()
    _done(qtbot, window)
    assert table.model.rowCount() == 1
    window.undo_action.trigger()
    _done(qtbot, window)
    assert table.model.rowCount() == 3


def test_filter_controls_narrow_the_table(qtbot, make_window, small_article) -> None:
    window = make_window()
    table = window.claims_table
    qtbot.keyClicks(table.search, "critics")
    qtbot.waitUntil(lambda: table.proxy.rowCount() == 1, timeout=2000)
    assert "1 of 2" in table.count_label.text()
    table.search.clear()
    qtbot.waitUntil(lambda: table.proxy.rowCount() == 2, timeout=2000)
    table.min_score.setValue(0.7)
    assert table.proxy.rowCount() == 1
    table.clear_filters()
    assert table.proxy.rowCount() == 2


def test_dropping_a_file_imports_and_opens_it(
    qtbot, make_window, small_article, tmp_path, nlp_warm
) -> None:
    window = make_window()
    path = tmp_path / "dropped.md"
    path.write_text("# Dropped story\n\nThe bridge cost 4 million euros in 2021.\n", "utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(100, 100),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(window.extraction_finished, timeout=60_000):
        window.dropEvent(event)
    assert event.isAccepted()
    assert window.article.title == "Dropped story"
    assert window.library.model.total() == 2


def test_import_error_is_a_plain_message(qtbot, make_window, small_article, tmp_path) -> None:
    window = make_window()
    with qtbot.waitSignal(window.runner.task_failed, timeout=10_000):
        window.import_path(tmp_path / "missing.txt")
    qtbot.waitUntil(lambda: bool(_messages(window)), timeout=2000)
    box = _messages(window)[0]
    assert "missing.txt" in box.text()
    assert not window.findChildren(CrashDialog)
    box.close()


def test_a_bug_gets_a_crash_dialog_with_copyable_details(qtbot, make_window, small_article) -> None:
    window = make_window()
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        show_error(window, exc)
    dialogs = window.findChildren(CrashDialog)
    assert len(dialogs) == 1
    assert "ZeroDivisionError: boom" in dialogs[0].details
    dialogs[0].copy_details()
    assert "ZeroDivisionError" in QGuiApplication.clipboard().text()
    dialogs[0].close()


def test_cancel_button_cancels_the_running_task(qtbot, make_window, small_article) -> None:
    window = make_window()
    import threading

    release = threading.Event()

    def slow(progress, is_cancelled):
        while not is_cancelled():
            progress(1, 10, "waiting")
            if release.wait(0.01):
                break
        from workbench.core.errors import CancelledError

        raise CancelledError("stopped")

    window.runner.run(slow, label="Slow job", lane="io", on_failure=lambda exc: None)
    bar = window.statusBar()
    qtbot.waitUntil(lambda: bar.cancel_button.isVisible(), timeout=2000)
    with qtbot.waitSignal(window.runner.task_failed, timeout=5000):
        qtbot.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not bar.cancel_button.isVisible(), timeout=2000)
    assert "cancelled" in bar.currentMessage()


def test_restart_finds_everything_as_it_was(qtbot, make_window, small_article, store) -> None:
    window = make_window()
    _first, second = window.claims_table.model.claim_ids()
    window.select_claim(second)
    window.verdict_actions[Verdict.MOSTLY_TRUE].trigger()
    _done(qtbot, window)
    window.resize(window.minimumSizeHint().width() + 40, 640)
    window.right_splitter.setSizes([150, 350])
    sizes = window.right_splitter.sizes()
    size = (window.width(), window.height())
    window.close()

    again = make_window()
    assert again.article.id == small_article.id
    assert again.claims_table.current_claim_id() == second
    assert again.store.claims.get(second).verdict is Verdict.MOSTLY_TRUE
    assert again.claims_table.model.cached(second).state is ReviewState.SUPPORTED
    # restoreGeometry clamps the width to the 800-pixel offscreen screen.
    assert again.height() == size[1]
    assert abs(again.width() - min(size[0], again.screen().availableGeometry().width())) <= 2
    assert again.right_splitter.sizes() == sizes
    assert again.recent_articles()[0] == small_article.id


def test_menus_show_shortcuts_and_controls_have_names(qtbot, make_window, small_article) -> None:
    window = make_window()
    shortcuts = {
        a.text().replace("&", ""): a.shortcut().toString() for a in window.actions() if a.text()
    }
    for name in (
        "Next claim",
        "Previous claim",
        "Add claim from selection",
        "Find claims",
        "Add evidence…",
        "Export memo…",
    ):
        assert shortcuts.get(name), name
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QHeaderView,
        QLineEdit,
    )

    unnamed = [
        w
        for kind in (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit)
        for w in window.findChildren(kind)
        if w.isVisible()
        and not w.accessibleName()
        # Qt's own parts (a spin box's line edit, a view's header) are
        # announced through the control that owns them.
        and not w.objectName().startswith("qt_")
        and not isinstance(w, QHeaderView)
    ]
    assert not unnamed, [type(w).__name__ + ":" + w.objectName() for w in unnamed]


def test_keyboard_next_previous_claim(qtbot, make_window, small_article) -> None:
    window = make_window()
    ids = window.claims_table.model.claim_ids()
    window.claims_table.view.setFocus()
    window.claims_table.step(1)
    assert window.claims_table.current_claim_id() == ids[0]
    window.claims_table.step(1)
    assert window.claims_table.current_claim_id() == ids[1]
    window.claims_table.step(-1)
    assert window.claims_table.current_claim_id() == ids[0]


def test_drag_enter_refuses_unknown_files(
    qtbot, make_window, small_article, tmp_path: Path
) -> None:
    from workbench.ui.import_controller import dropped_sources as _dropped_sources

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "a.exe"))])
    assert _dropped_sources(mime) == []
    mime = QMimeData()
    mime.setText("https://example.org/story")
    assert _dropped_sources(mime) == [("url", "https://example.org/story")]
    _ = (QApplication, QPoint)


def test_scheduled_backup_runs_on_the_database_lane(
    qtbot, make_window, small_article, store
) -> None:
    from workbench.core.storage.backup import SCHEDULED, list_backups

    window = make_window()
    with qtbot.waitSignal(window.runner.task_ended, timeout=10_000):
        timer = window.start_scheduled_backups()
    assert timer.isActive()
    assert [b.reason for b in list_backups(store.path)] == [SCHEDULED]
    with qtbot.waitSignal(window.runner.task_ended, timeout=10_000):
        window.scheduled_backup()  # same day, nothing changed: no second copy
    assert len(list_backups(store.path)) == 1
