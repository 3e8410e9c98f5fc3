"""The staged start: paint the article first, load the rest behind it.

Importing SQLAlchemy and the remaining UI modules costs most of a second on
a slow machine, several times what Qt needs to show a window.  So the app
paints the article it is about to show from :func:`glance` (plain
``sqlite3``), and only then, on the database lane, imports the ORM and the
modules in :data:`LATER_MODULES`; the window's docks, menus and status bar
are built when they have loaded, and :meth:`MainWindow.start` reopens the
article through the services.  docs/DESIGN.md, "Starting the desktop app in
two stages", gives the figures.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from workbench.ui.messages import show_error

if TYPE_CHECKING:
    from workbench.core.services.startup import Glance
    from workbench.ui.main_window import MainWindow
    from workbench.ui.tasks import TaskHandle

LATER_MODULES = (
    "workbench.core.services.claims",
    "workbench.core.services.sources",
    "workbench.core.services.history",
    "workbench.ui.commands",
    "workbench.ui.spacy_process",
    "workbench.ui.import_controller",
    "workbench.ui.dialogs.import_dialogs",
    "workbench.ui.widgets.status_bar",
    "workbench.ui.widgets.library_panel",
    "workbench.ui.widgets.search_panel",
    "workbench.ui.widgets.similar_panel",
    "workbench.ui.widgets.claim_detail",
    "workbench.ui.widgets.flags_panel",
)
"""What the window needs beyond its article and claims panes.  A staged start
imports these on a worker thread while the first paint is already on screen."""


class _FirstPaint(QObject):
    """Event filter: calls ``then`` once, when the watched widget first paints
    (and ``when()`` holds), then removes itself."""

    def __init__(
        self, then: Callable[[], None], when: Callable[[], bool] | None, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._then = then
        self._when = when

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and (self._when is None or self._when()):
            watched.removeEventFilter(self)
            self._then()  # before the frame is drawn; defer work that must follow it
        return False


def on_first_paint(
    widget: QWidget, then: Callable[[], None], *, when: Callable[[], bool] | None = None
) -> QObject:
    """Call ``then`` when ``widget`` first paints (once ``when()`` holds); the filter
    is returned so a caller can remove it early."""
    watcher = _FirstPaint(then, when, widget)
    widget.installEventFilter(watcher)
    return watcher


def start(window: MainWindow) -> None:
    """Reopen the last article (or the newest); a first run imports the sample,
    shows it and extracts it in the background.  Emits ``ready`` when done."""
    from workbench.core.errors import KnownError
    from workbench.core.services import articles as article_service

    try:
        empty = article_service.count_articles(window.store) == 0
    except KnownError as exc:
        show_error(window, exc)
        window.ready.emit()
        return
    if empty:
        _import_sample(window)
        return
    try:
        _reopen(window)
    finally:
        window.ready.emit()


def _import_sample(window: MainWindow) -> None:
    from workbench.core.model import Article
    from workbench.core.services import articles as article_service

    def imported(sample: Article | None) -> None:
        if sample is not None and not window.closed:
            window.library.refresh()
            window.open_article(sample.id)
            window.extract(sample.id)
        window.ready.emit()

    def failed(exc: BaseException) -> None:
        show_error(window, exc)
        window.ready.emit()

    window.ops.run(
        lambda store: article_service.ensure_sample(store, extract=False),
        label="Importing the sample article",
        on_success=imported,
        on_failure=failed,
    )


def _reopen(window: MainWindow) -> None:
    from workbench.core.services import articles as article_service
    from workbench.ui import window_state

    target = window_state.remembered_article()
    if target is None or not article_service.article_exists(window.store, target):
        library = window.library.model
        target = library.summary(0).id if library.total() else None
    if target is None:
        return
    window.open_article(target)
    last_claim = window_state.remembered_claim()
    if last_claim is not None:
        window.select_claim(last_claim)
    if window.claims_table.model.rowCount() == 0:
        window.extract(target)


def show_glance(window: MainWindow, seen: Glance) -> None:
    """Paint an article read by the start-up glance.

    Only the panes that exist before :func:`finish_start` are filled; the
    article is shown again through the services once everything has loaded.
    """
    article = seen.article
    window.article = article
    window.show_heading(article)
    window.article_view.set_article(article)
    window.claims_table.show_claims(article.id, seen.claims, seen.evidence_counts)
    window.refresh_highlights()
    window.article_view.set_flags(seen.flags)


def finish_start_after_paint(window: MainWindow, fallback_ms: int = 1000) -> None:
    """:func:`finish_start` once the article has been painted (or after ``fallback_ms``).

    The loading thread competes with this one for the GIL; started before
    the first frame, it would delay exactly what the staged start is for.
    The fallback covers a window that is never painted (minimised, or on a
    display that sends no expose event).
    """
    started: list[bool] = []
    viewport = window.article_view.viewport()

    def go() -> None:
        if not started:
            started.append(True)
            viewport.removeEventFilter(watcher)
            finish_start(window)

    watcher = on_first_paint(viewport, lambda: QTimer.singleShot(0, go))
    QTimer.singleShot(fallback_ms, go)


def finish_start(window: MainWindow) -> TaskHandle:
    """Load the ORM and the remaining modules off the UI thread, then finish the window.

    The import runs on the database lane (nothing else may use the store
    before it); the docks and menus are then built, and
    :meth:`MainWindow.start` reopens the article and emits ``ready``.
    """
    store = window.store

    def load(_progress: Any, _cancelled: Any) -> None:
        store.warm()
        for name in LATER_MODULES:
            importlib.import_module(name)

    def loaded(_result: object) -> None:
        if window.closed:  # closed while loading: nothing to finish, nothing to start
            return
        window.build_rest()
        window.start()

    def failed(exc: BaseException) -> None:
        if window.closed:
            return
        window.build_rest()  # the window works; the store reports its own problem
        show_error(window, exc)
        window.ready.emit()

    return window.runner.run(
        load,
        label="Opening the library",
        lane="db",
        cancellable=False,
        on_success=loaded,
        on_failure=failed,
    )
