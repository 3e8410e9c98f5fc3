"""The window's docks and the claim detail pane, built once the rest has loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from workbench.ui import window_state
from workbench.ui.widgets.claim_detail import ClaimDetailPanel
from workbench.ui.widgets.flags_panel import FlagsPanel
from workbench.ui.widgets.library_panel import LibraryPanel
from workbench.ui.widgets.search_panel import SearchPanel
from workbench.ui.widgets.similar_panel import SimilarClaimsPanel

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


def _dock(
    w: MainWindow, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea
) -> QDockWidget:
    dock = QDockWidget(title, w)
    dock.setObjectName(name)
    dock.setAccessibleName(title)
    dock.setWidget(widget)
    w.addDockWidget(area, dock)
    return dock


def build_docks(w: MainWindow) -> None:
    """Detail pane, library, findings, search and earlier checks; signals wired to ``w``."""
    left, bottom = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea
    store, edits, bus = w.store, w.edits, w.bus
    w.detail = ClaimDetailPanel(store=store, edits=edits, runner=w.runner, bus=bus)
    w.right_splitter.addWidget(w.detail)
    w.right_splitter.setSizes([430, 470])
    window_state.restore_splitter("splitters/right", w.right_splitter)

    w.library = LibraryPanel(store=store, ops=w.ops, bus=bus)
    w.library_dock = _dock(w, "Library", "library-dock", w.library, left)
    w.flags_panel = FlagsPanel(store=store, edits=edits, bus=bus)
    w.flags_dock = _dock(w, "Consistency flags", "flags-dock", w.flags_panel, left)
    w.flags_panel.span_activated.connect(w.article_view.show_span)
    w.search_panel = SearchPanel(store=store, runner=w.runner)
    w.search_panel.setObjectName("search-panel")
    w.search_panel.setAccessibleName("Search the library")
    w.search_dock = _dock(w, "Search", "search-dock", w.search_panel, left)
    w.tabifyDockWidget(w.library_dock, w.search_dock)
    w.library_dock.raise_()

    w.similar_panel = SimilarClaimsPanel(store=store, runner=w.runner, edits=edits, bus=bus)
    w.similar_panel.setObjectName("similar-panel")
    w.similar_dock = _dock(w, "Earlier checks", "similar-dock", w.similar_panel, bottom)
    w.similar_dock.visibilityChanged.connect(w.similar_visibility)
    w.resizeDocks([w.library_dock], [250], Qt.Orientation.Horizontal)
    w.resizeDocks([w.similar_dock], [140], Qt.Orientation.Vertical)

    w.library.open_requested.connect(w.open_article)
    w.search_panel.claim_activated.connect(w.open_claim)
    w.search_panel.article_activated.connect(w.open_article)
    w.search_panel.source_activated.connect(w.open_source)
    w.similar_panel.claim_activated.connect(w.open_claim)
