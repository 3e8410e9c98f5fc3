"""The window's menus and their shortcuts, built in one place.

Every action is also added to the window, so its shortcut works wherever
the focus is, and every menu has an accessible name.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from workbench.core.model import Verdict

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


def _action(
    window: MainWindow,
    menu: QMenu,
    text: str,
    slot: Callable[[], object] | None = None,
    shortcut: str | QKeySequence.StandardKey | None = None,
    *,
    tip: str | None = None,
    action: QAction | None = None,
) -> QAction:
    if action is None:
        action = QAction(text, window)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    menu.addAction(action)
    window.addAction(action)
    return action


def build_menus(w: MainWindow) -> None:
    """File, Edit, Claim, View and Help; the actions become attributes of ``w``."""
    bar = w.menuBar()
    bar.setAccessibleName("Menu bar")
    imports = w.imports
    file_menu = bar.addMenu("&File")
    w.new_text_action = _action(
        w, file_menu, "&New article from text…", imports.new_from_text, QKeySequence.StandardKey.New
    )
    w.open_file_action = _action(
        w, file_menu, "&Open file…", imports.open_file_dialog, QKeySequence.StandardKey.Open
    )
    w.import_url_action = _action(
        w, file_menu, "Import from &URL…", imports.import_url_dialog, "Ctrl+U"
    )
    w.recent_menu = file_menu.addMenu("&Recent articles")
    w.recent_menu.setAccessibleName("Recent articles")
    w.recent_menu.aboutToShow.connect(w.fill_recent_menu)
    file_menu.addSeparator()
    w.extract_action = _action(w, file_menu, "Re-e&xtract claims", w.extract_current, "Ctrl+R")
    w.export_action = _action(
        w, file_menu, "&Export memo…", partial(export_memo, w), "Ctrl+Shift+E"
    )
    file_menu.addSeparator()
    w.settings_action = _action(w, file_menu, "Se&ttings…", partial(open_settings, w))
    w.quit_action = _action(w, file_menu, "&Quit", w.close, QKeySequence.StandardKey.Quit)

    edit_menu = bar.addMenu("&Edit")
    w.undo_action = w.undo_stack.createUndoAction(w, "&Undo")
    _action(w, edit_menu, "", shortcut=QKeySequence.StandardKey.Undo, action=w.undo_action)
    w.redo_action = w.undo_stack.createRedoAction(w, "&Redo")
    _action(w, edit_menu, "", shortcut=QKeySequence.StandardKey.Redo, action=w.redo_action)
    edit_menu.addSeparator()
    _action(w, edit_menu, "&Find claims", w.claims_table.focus_search, "Ctrl+F")
    w.search_action = _action(
        w,
        edit_menu,
        "&Search the library…",
        w.focus_library_search,
        "Ctrl+Shift+F",
        tip="Search every claim, rationale, article title and source",
    )

    claim_menu = bar.addMenu("&Claim")
    _action(w, claim_menu, "&Next claim", lambda: w.claims_table.step(1), "Ctrl+J")
    _action(w, claim_menu, "&Previous claim", lambda: w.claims_table.step(-1), "Ctrl+K")
    claim_menu.addSeparator()
    _action(w, claim_menu, "", action=w.article_view.add_claim_action)
    _action(w, claim_menu, "", action=w.claims_table.split_action)
    _action(w, claim_menu, "", action=w.claims_table.merge_action)
    _action(w, claim_menu, "", action=w.claims_table.delete_action)
    claim_menu.addSeparator()
    verdict_menu = claim_menu.addMenu("Set &verdict")
    verdict_menu.setAccessibleName("Set verdict")
    w.verdict_actions = {}
    for n, verdict in enumerate(Verdict, start=1):
        w.verdict_actions[verdict] = _action(
            w, verdict_menu, verdict.label, partial(w.set_verdict, verdict), f"Ctrl+{n}"
        )
    verdict_menu.addSeparator()
    w.verdict_actions[None] = _action(
        w, verdict_menu, "Clear verdict", lambda: w.set_verdict(None), "Ctrl+0"
    )
    w.add_evidence_action = _action(w, claim_menu, "Add &evidence…", w.add_evidence, "Ctrl+E")

    view_menu = bar.addMenu("&View")
    shortcut = Qt.FocusReason.ShortcutFocusReason
    _action(
        w,
        view_menu,
        "Go to &article text",
        lambda: w.article_view.setFocus(shortcut),
        "Ctrl+Shift+1",
    )
    _action(
        w,
        view_menu,
        "Go to &claims table",
        lambda: w.claims_table.view.setFocus(shortcut),
        "Ctrl+Shift+2",
    )
    _action(w, view_menu, "Go to claim &detail", partial(_focus_detail, w), "Ctrl+Shift+3")
    _action(w, view_menu, "Go to &library", partial(_focus_library, w), "Ctrl+L")
    view_menu.addSeparator()
    for dock in (w.library_dock, w.search_dock, w.similar_dock, w.flags_dock):
        view_menu.addAction(dock.toggleViewAction())

    help_menu = bar.addMenu("&Help")
    _action(w, help_menu, "&About", partial(about, w))
    for menu in (file_menu, edit_menu, claim_menu, view_menu, help_menu):
        menu.setAccessibleName(menu.title().replace("&", ""))


def fill_recent_menu(w: MainWindow) -> None:
    """The recent articles, numbered for the keyboard; gone ones are left out."""
    from workbench.core.errors import NotFoundError
    from workbench.core.services import articles as article_service

    w.recent_menu.clear()
    for n, article_id in enumerate(w.recent_articles(), start=1):
        try:
            title = article_service.get_article(w.store, article_id).title
        except NotFoundError:
            continue
        action = w.recent_menu.addAction(f"&{n} {title[:70]}")
        action.triggered.connect(lambda _c=False, a=article_id: w.open_article(a))
    if not w.recent_menu.actions():
        w.recent_menu.addAction("No recent articles").setEnabled(False)


def _focus_detail(w: MainWindow) -> None:
    w.detail.setFocus(Qt.FocusReason.ShortcutFocusReason)
    w.detail.focusNextChild()


def _focus_library(w: MainWindow) -> None:
    w.library_dock.show()
    w.library.search.setFocus(Qt.FocusReason.ShortcutFocusReason)


def export_memo(w: MainWindow) -> None:
    from workbench.ui.dialogs.export_dialog import ExportDialog

    if w.article is None:
        return
    dialog = ExportDialog(store=w.store, runner=w.runner, article_id=w.article.id, parent=w)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def open_settings(w: MainWindow) -> None:
    from workbench.ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(ops=w.ops, parent=w)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def about(w: MainWindow) -> None:
    from workbench.ui.about_dialog import AboutDialog

    dialog = AboutDialog(w, runner=w.runner)
    dialog.exec()
    dialog.deleteLater()
