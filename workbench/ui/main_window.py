"""The main window: library, article, claims, and UI-B's detail and flags panels.

Layout::

    ┌ Library | Search ┬ Article ──────────┬ Claims table ───────┐
    │ (tabbed docks)   │                   ├ Claim detail ───────┤
    ├ Flags (dock) ────┤                   │                     │
    └──────────────────┴ Earlier checks (dock, follows the claim) ┘

The window owns the collaborators every panel shares and passes them down:
the :class:`~workbench.core.storage.Store`, one ``QUndoStack`` (undo
survives switching claims), the :class:`~workbench.ui.tasks.TaskRunner` and
the :class:`~workbench.ui.bus.ChangeBus`.  Every edit is saved by the
service that makes it; the window saves only its own geometry (QSettings).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import KnownError, NotFoundError, UserInputError
from workbench.core.model import Article, Changes, Verdict
from workbench.ui.bus import ChangeBus
from workbench.ui.messages import show_error, show_message
from workbench.ui.tasks import TaskHandle, TaskRunner
from workbench.ui.widgets.article_view import ArticleView
from workbench.ui.widgets.claims_table import ClaimsTable

if TYPE_CHECKING:
    from workbench.core.services import claims as claim_service
    from workbench.core.storage import Store
    from workbench.core.storage.glance import Glance
    from workbench.ui.widgets.library_panel import LibraryPanel

LATER_MODULES = (
    "workbench.core.services.claims",
    "workbench.ui.commands",
    "workbench.ui.extraction",
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

IMPORTABLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_RECENT = 8
DEFAULT_SIZE = (1400, 900)
WINDOW_TITLE = "Claim Workbench"


class MainWindow(QMainWindow):
    """The workbench window.

    Signals:
        article_opened(int): an article is now shown.
        extraction_finished(int, int): extraction of article (id) ended with
            this many claims (-1 when it failed or was cancelled).
    """

    article_opened = Signal(int)
    extraction_finished = Signal(int, int)
    ready = Signal()

    def __init__(
        self,
        *,
        store: Store,
        runner: TaskRunner | None = None,
        bus: ChangeBus | None = None,
        parent: QWidget | None = None,
        staged: bool = False,
    ) -> None:
        """Build the window; with ``staged`` only the article and claims panes.

        A staged window can show an article at once (:meth:`show_glance`)
        and gets its docks, menus and status bar in :meth:`finish_start`,
        after the ORM and the remaining modules have loaded on a worker
        thread.  Tests and embedders build it whole, as before.
        """
        super().__init__(parent)
        self.setObjectName("main-window")
        self.setAccessibleName("Claim Workbench")
        self.store = store
        self.runner = runner or TaskRunner(self)
        self.bus = bus or ChangeBus(self)
        self.undo_stack = QUndoStack(self)
        self.article: Article | None = None
        self.is_ready = False
        self._extractions: dict[int, TaskHandle] = {}
        self.setWindowTitle(WINDOW_TITLE)
        self.resize(*DEFAULT_SIZE)
        self.setAcceptDrops(True)

        self._build_central()
        self._closed = False
        self.runner.task_failed.connect(self._task_failed)
        self.bus.changed.connect(self._on_changes)
        self._restore_geometry()
        if staged:
            # Replaced by the task status bar once the rest is built.
            self.statusBar().showMessage("Opening the library…")
        else:
            self._build_rest()

    def _build_rest(self) -> None:
        """Docks, menus and the status bar: everything but the first paint."""
        from workbench.ui.widgets.status_bar import TaskStatusBar

        self._build_docks()
        self._build_menus()
        self.setStatusBar(TaskStatusBar(self.runner, self))
        self._restore_dock_state()
        self.is_ready = True
        self._update_actions()

    # ================================================================ layout

    def _build_central(self) -> None:
        self.detail: QWidget | None = None
        self.flags_panel: QWidget | None = None
        self.flags_dock: QDockWidget | None = None
        self.article_title = QLabel()
        self.article_title.setObjectName("article-title")
        self.article_title.setAccessibleName("Article title")
        self.article_title.setWordWrap(True)
        self.article_title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.article_title.font()
        font.setPointSizeF(font.pointSizeF() + 3)
        font.setBold(True)
        self.article_title.setFont(font)
        self.article_meta = QLabel()
        self.article_meta.setAccessibleName("Article details")
        self.article_meta.setTextFormat(Qt.TextFormat.PlainText)
        self.article_meta.setStyleSheet("color: #4b5563")
        self.article_view = ArticleView()
        article_pane = QWidget()
        article_pane.setAccessibleName("Article")
        pane_layout = QVBoxLayout(article_pane)
        pane_layout.setContentsMargins(6, 6, 6, 6)
        pane_layout.addWidget(self.article_title)
        pane_layout.addWidget(self.article_meta)
        pane_layout.addWidget(self.article_view, 1)

        self.claims_table = ClaimsTable(
            store=self.store,
            undo_stack=self.undo_stack,
            bus=self.bus,
            split_offset=self._split_offset,
        )
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.setObjectName("right-splitter")
        self.right_splitter.addWidget(self.claims_table)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("main-splitter")
        self.main_splitter.addWidget(article_pane)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setStretchFactor(0, 2)
        self.main_splitter.setStretchFactor(1, 3)
        self.main_splitter.setSizes([470, 680])
        self.setCentralWidget(self.main_splitter)
        self.article_view.claim_clicked.connect(self.select_claim)
        self.article_view.add_claim_requested.connect(self.add_claim)
        self.claims_table.claim_selected.connect(self._claim_selected)

    def _build_docks(self) -> None:
        from workbench.ui.widgets.library_panel import LibraryPanel
        from workbench.ui.widgets.search_panel import SearchPanel
        from workbench.ui.widgets.similar_panel import SimilarClaimsPanel

        self.detail = self._ui_b_widget(
            "workbench.ui.widgets.claim_detail",
            "ClaimDetailPanel",
            store=self.store,
            undo_stack=self.undo_stack,
            runner=self.runner,
            bus=self.bus,
        )
        if self.detail is not None:
            self.right_splitter.addWidget(self.detail)
            self.right_splitter.setSizes([430, 470])
            self._restore_splitter("splitters/right", self.right_splitter)

        self.library: LibraryPanel = LibraryPanel(store=self.store, bus=self.bus)
        self.library_dock = QDockWidget("Library", self)
        self.library_dock.setObjectName("library-dock")
        self.library_dock.setAccessibleName("Library")
        self.library_dock.setWidget(self.library)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.library_dock)

        self.flags_panel = self._ui_b_widget(
            "workbench.ui.widgets.flags_panel",
            "FlagsPanel",
            store=self.store,
            undo_stack=self.undo_stack,
            bus=self.bus,
        )
        if self.flags_panel is not None:
            self.flags_dock = QDockWidget("Consistency flags", self)
            self.flags_dock.setObjectName("flags-dock")
            self.flags_dock.setAccessibleName("Consistency flags")
            self.flags_dock.setWidget(self.flags_panel)
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.flags_dock)
            span_signal = getattr(self.flags_panel, "span_activated", None)
            if span_signal is not None:
                span_signal.connect(self.article_view.show_span)
        self.search_panel = SearchPanel(store=self.store, runner=self.runner)
        self.search_panel.setObjectName("search-panel")
        self.search_panel.setAccessibleName("Search the library")
        self.search_dock = QDockWidget("Search", self)
        self.search_dock.setObjectName("search-dock")
        self.search_dock.setAccessibleName("Search")
        self.search_dock.setWidget(self.search_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.search_dock)
        self.tabifyDockWidget(self.library_dock, self.search_dock)
        self.library_dock.raise_()

        self.similar_panel = SimilarClaimsPanel(
            store=self.store, runner=self.runner, undo_stack=self.undo_stack, bus=self.bus
        )
        self.similar_panel.setObjectName("similar-panel")
        self.similar_dock = QDockWidget("Earlier checks", self)
        self.similar_dock.setObjectName("similar-dock")
        self.similar_dock.setAccessibleName("Earlier checks")
        self.similar_dock.setWidget(self.similar_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.similar_dock)
        self.similar_dock.visibilityChanged.connect(self._similar_visibility)
        self._similar_pending: int | None = None
        self.resizeDocks([self.library_dock], [250], Qt.Orientation.Horizontal)
        self.resizeDocks([self.similar_dock], [140], Qt.Orientation.Vertical)

        self.library.open_requested.connect(self.open_article)
        self.search_panel.claim_activated.connect(self.open_claim)
        self.search_panel.article_activated.connect(self.open_article)
        self.search_panel.source_activated.connect(self.open_source)
        self.similar_panel.claim_activated.connect(self.open_claim)

    def _ui_b_widget(self, module: str, name: str, **kwargs: Any) -> QWidget | None:
        """UI-B's panels, which land separately; the window works without them."""
        try:
            cls = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            return None
        widget: QWidget = cls(**kwargs)
        return widget

    # ================================================================ menus

    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object] | None = None,
        shortcut: str | QKeySequence.StandardKey | None = None,
        *,
        tip: str | None = None,
        action: QAction | None = None,
    ) -> QAction:
        if action is None:
            action = QAction(text, self)
            if slot is not None:
                action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        menu.addAction(action)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        bar.setAccessibleName("Menu bar")
        file_menu = bar.addMenu("&File")
        self.new_text_action = self._action(
            file_menu, "&New article from text…", self.new_from_text, QKeySequence.StandardKey.New
        )
        self.open_file_action = self._action(
            file_menu, "&Open file…", self.open_file_dialog, QKeySequence.StandardKey.Open
        )
        self.import_url_action = self._action(
            file_menu, "Import from &URL…", self.import_url_dialog, "Ctrl+U"
        )
        self.recent_menu = file_menu.addMenu("&Recent articles")
        self.recent_menu.setAccessibleName("Recent articles")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        self.extract_action = self._action(
            file_menu, "Re-e&xtract claims", self.extract_current, "Ctrl+R"
        )
        self.export_action = self._action(
            file_menu, "&Export memo…", self.export_memo, "Ctrl+Shift+E"
        )
        file_menu.addSeparator()
        self.settings_action = self._action(file_menu, "Se&ttings…", self.open_settings)
        self.quit_action = self._action(
            file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit
        )

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self._action(edit_menu, "", shortcut=QKeySequence.StandardKey.Undo, action=self.undo_action)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self._action(edit_menu, "", shortcut=QKeySequence.StandardKey.Redo, action=self.redo_action)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Find claims", self.claims_table.focus_search, "Ctrl+F")
        self.search_action = self._action(
            edit_menu,
            "&Search the library…",
            self.focus_library_search,
            "Ctrl+Shift+F",
            tip="Search every claim, rationale, article title and source",
        )

        claim_menu = bar.addMenu("&Claim")
        self._action(claim_menu, "&Next claim", lambda: self.claims_table.step(1), "Ctrl+J")
        self._action(claim_menu, "&Previous claim", lambda: self.claims_table.step(-1), "Ctrl+K")
        claim_menu.addSeparator()
        self._action(claim_menu, "", action=self.article_view.add_claim_action)
        self._action(claim_menu, "", action=self.claims_table.split_action)
        self._action(claim_menu, "", action=self.claims_table.merge_action)
        self._action(claim_menu, "", action=self.claims_table.delete_action)
        claim_menu.addSeparator()
        verdict_menu = claim_menu.addMenu("Set &verdict")
        verdict_menu.setAccessibleName("Set verdict")
        self.verdict_actions: dict[Verdict | None, QAction] = {}
        for n, verdict in enumerate(Verdict, start=1):
            self.verdict_actions[verdict] = self._action(
                verdict_menu,
                verdict.label,
                partial(self.set_verdict, verdict),
                f"Ctrl+{n}",
            )
        verdict_menu.addSeparator()
        self.verdict_actions[None] = self._action(
            verdict_menu, "Clear verdict", lambda: self.set_verdict(None), "Ctrl+0"
        )
        self.add_evidence_action = self._action(
            claim_menu, "Add &evidence…", self.add_evidence, "Ctrl+E"
        )

        view_menu = bar.addMenu("&View")
        self._action(view_menu, "Go to &article text", self._focus_article, "Ctrl+Shift+1")
        self._action(view_menu, "Go to &claims table", self._focus_table, "Ctrl+Shift+2")
        self._action(view_menu, "Go to claim &detail", self._focus_detail, "Ctrl+Shift+3")
        self._action(view_menu, "Go to &library", self._focus_library, "Ctrl+L")
        view_menu.addSeparator()
        view_menu.addAction(self.library_dock.toggleViewAction())
        view_menu.addAction(self.search_dock.toggleViewAction())
        view_menu.addAction(self.similar_dock.toggleViewAction())
        if self.flags_dock is not None:
            view_menu.addAction(self.flags_dock.toggleViewAction())

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About", self._about)
        for menu in (file_menu, edit_menu, claim_menu, view_menu, help_menu):
            menu.setAccessibleName(menu.title().replace("&", ""))
        self._update_actions()

    def _update_actions(self) -> None:
        if not self.is_ready:
            return
        has_article = self.article is not None
        has_claim = self.claims_table.current_claim_id() is not None
        for action in (self.extract_action, self.export_action):
            action.setEnabled(has_article)
        for action in self.verdict_actions.values():
            action.setEnabled(has_claim)
        self.add_evidence_action.setEnabled(has_claim and self.detail is not None)

    # ================================================================ start

    def start(self) -> None:
        """First run imports the sample and extracts it in the background;
        later runs reopen the last article.  Emits :attr:`ready` when done."""
        try:
            self._start()
        finally:
            self.ready.emit()

    def _start(self) -> None:
        from workbench.core.services import articles as article_service

        try:
            sample = article_service.ensure_sample(self.store, extract=False)
        except KnownError as exc:
            show_error(self, exc)
            sample = None
        if sample is not None:
            self.library.refresh()
            self.open_article(sample.id)
            self.extract(sample.id)
            return
        target = self.remembered_article()
        if target is None or not self.store.articles.exists(target):
            target = self.library.model.summary(0).id if self.library.model.total() else None
        if target is not None:
            self.open_article(target)
            last_claim = _int_or_none(QSettings().value("session/last_claim"))
            if last_claim is not None:
                self.select_claim(last_claim)
            if self.claims_table.model.rowCount() == 0:
                self.extract(target)

    @staticmethod
    def remembered_article() -> int | None:
        """The article that was open when the app last closed (QSettings), if any."""
        return _int_or_none(QSettings().value("session/last_article"))

    def show_glance(self, seen: Glance) -> None:
        """Paint an article read by :mod:`workbench.core.storage.glance` (staged start).

        Only the panes that exist before :meth:`finish_start` are filled; the
        article is shown again through the store once everything has loaded.
        """
        article = seen.article
        self.article = article
        self._show_heading(article)
        self.article_view.set_article(article)
        self.claims_table.show_claims(article.id, seen.claims, seen.evidence_counts)
        self._refresh_highlights()
        self.article_view.set_flags(seen.flags)

    def finish_start_after_paint(self, fallback_ms: int = 1000) -> None:
        """:meth:`finish_start` once the article has been painted (or after ``fallback_ms``).

        The loading thread competes with this one for the GIL; started
        before the first frame, it would delay exactly what the staged start
        is for.  The fallback covers a window that is never painted
        (minimised, or on a display that sends no expose event).
        """
        started: list[bool] = []
        viewport = self.article_view.viewport()

        def go() -> None:
            if not started:
                started.append(True)
                viewport.removeEventFilter(watcher)
                self.finish_start()

        watcher = on_first_paint(viewport, lambda: QTimer.singleShot(0, go))
        QTimer.singleShot(fallback_ms, go)

    def finish_start(self) -> TaskHandle:
        """Load the ORM and the remaining modules off the UI thread, then finish the window.

        The import runs on the database lane (nothing else may use the store
        before it); the docks and menus are then built here, and :meth:`start`
        reopens the article through the store and emits :attr:`ready`.
        """
        store = self.store

        def load(_progress: Any, _cancelled: Any) -> None:
            store.warm()
            for name in LATER_MODULES:
                importlib.import_module(name)

        def loaded(_result: object) -> None:
            if self._closed:  # closed while loading: nothing to finish, nothing to start
                return
            self._build_rest()
            self.start()

        def failed(exc: BaseException) -> None:
            if self._closed:
                return
            self._build_rest()  # the window works; the store reports its own problem
            show_error(self, exc)
            self.ready.emit()

        return self.runner.run(
            load,
            label="Opening the library",
            lane="db",
            cancellable=False,
            on_success=loaded,
            on_failure=failed,
        )

    BACKUP_EVERY_MS = 3 * 60 * 60 * 1000
    """How often a long session checks for the day's scheduled backup."""

    def start_scheduled_backups(self) -> QTimer:
        """The day's backup now (if data changed), then a check every few hours.

        Runs on the database lane: it reads the file and writes a copy, and
        must not race the app's own writes.  A failure is shown in the status
        bar, never as a dialog: the user's work is already saved.
        """
        timer = QTimer(self)
        timer.setInterval(self.BACKUP_EVERY_MS)
        timer.timeout.connect(self.scheduled_backup)
        timer.start()
        self.scheduled_backup()
        return timer

    def scheduled_backup(self) -> TaskHandle:
        store = self.store

        def job(_progress: Any, _cancelled: Any) -> object:
            from workbench.core.services.maintenance import scheduled_backup_if_changed

            return scheduled_backup_if_changed(store)

        def failed(exc: BaseException) -> None:
            self.statusBar().showMessage(f"Scheduled backup skipped: {exc}", 10_000)

        return self.runner.run(
            job, label="Scheduled backup", lane="db", cancellable=False, on_failure=failed
        )

    def preload_extractors(self) -> TaskHandle:
        """Import the fetch/extract libraries on a worker, so the first fetch does not.

        :func:`workbench.core.sources.preload.load_extractors` takes about a
        second of CPU the first time and freezes the garbage collector's view
        of what it loaded; doing it now, off the UI thread, keeps both out of
        the user's first "attach a source".
        """

        def job(_progress: Any, _cancelled: Any) -> None:
            from workbench.core.sources.preload import load_extractors

            load_extractors()

        return self.runner.run(
            job,
            label="Loading the page readers",
            lane="io",
            cancellable=False,
            on_failure=lambda _exc: None,  # the first fetch loads them (and reports) instead
        )

    # ================================================================ articles

    def open_article(self, article_id: int) -> None:
        try:
            article = self.store.articles.get(article_id)
        except KnownError as exc:
            show_error(self, exc)
            return
        self.article = article
        self._show_heading(article)
        self.article_view.set_article(article)
        self.claims_table.set_article(article.id)
        self._refresh_highlights()
        self._refresh_flags()
        self._show_detail(None)
        self._show_similar(None)
        if self.flags_panel is not None:
            self.flags_panel.show_article(article.id)  # type: ignore[attr-defined]
        self.library.select_article(article.id)
        self._remember_recent(article.id)
        QSettings().setValue("session/last_article", article.id)
        self._update_actions()
        self.article_opened.emit(article.id)

    def _show_heading(self, article: Article) -> None:
        self.article_title.setText(article.title)
        meta = [
            x
            for x in (
                article.outlet,
                article.author,
                article.dateline.isoformat() if article.dateline else None,
                article.url,
            )
            if x
        ]
        self.article_meta.setText(" · ".join(meta))
        self.article_meta.setVisible(bool(meta))
        self.setWindowTitle(f"{article.title} — {WINDOW_TITLE}")

    def close_article(self) -> None:
        self.article = None
        self.article_title.setText("No article open")
        self.article_meta.clear()
        self.article_view.set_article(None)
        self.claims_table.set_article(None)
        self._show_detail(None)
        self._show_similar(None)
        if self.flags_panel is not None:
            self.flags_panel.show_article(None)  # type: ignore[attr-defined]
        self.setWindowTitle(WINDOW_TITLE)
        self._update_actions()

    def extract(self, article_id: int) -> TaskHandle:
        """Extract claims in the extraction process, then save them on the db lane.

        spaCy runs in a separate process (see :mod:`workbench.ui.extraction`),
        so neither loading the pipeline nor parsing can stall this window.
        """
        running = self._extractions.get(article_id)
        if running is not None and not running.done:
            return running

        def done(report: claim_service.ExtractReport) -> None:
            changes = Changes(articles={article_id}).merge(report.changes)
            self.bus.emit_changes(changes)
            self.extraction_finished.emit(article_id, len(report.claims))
            if report.scorer_note:
                self.statusBar().showMessage(report.scorer_note, 8000)

        def failed(exc: BaseException) -> None:
            show_error(self, exc, title="Extraction")
            self.extraction_finished.emit(article_id, -1)

        def phase(handle: TaskHandle) -> None:
            self._extractions[article_id] = handle

        from workbench.ui import extraction

        handle = extraction.start_extraction(
            self.runner,
            self.store,
            article_id,
            on_success=done,
            on_failure=failed,
            on_handle=phase,
        )
        self._extractions[article_id] = handle
        return handle

    def extractions(self) -> list[TaskHandle]:
        """The latest extraction task of every article extracted in this session."""
        return list(self._extractions.values())

    def extract_current(self) -> None:
        if self.article is not None:
            self.extract(self.article.id)

    def import_path(self, path: str | Path) -> TaskHandle:
        """Import a .txt/.md/.html file (in the DB lane), then open and extract it."""
        from workbench.core.services import articles as article_service

        source = str(path)
        name = Path(source).name
        store = self.store
        return self.runner.run(
            lambda _p, _c: article_service.import_source(store, source),
            label=f"Importing {name}",
            on_success=self._imported,
            on_failure=lambda exc: show_error(self, exc, title="Import"),
        )

    def import_url(self, url: str) -> TaskHandle:
        """Fetch and extract the page off the UI thread (io lane); saving is one insert."""
        from workbench.core.services import articles as article_service

        def save(imported: Any) -> None:
            try:
                result = article_service.save_imported(self.store, imported)
            except KnownError as exc:
                show_error(self, exc, title="Import")
                return
            self._imported(result)

        return self.runner.run(
            lambda _p, cancelled: article_service.load_source(url, is_cancelled=cancelled),
            label="Fetching article",
            lane="io",
            on_success=save,
            on_failure=lambda exc: show_error(self, exc, title="Import"),
        )

    def import_text(self, text: str, *, title: str | None = None, **kwargs: Any) -> None:
        from workbench.core.services import articles as article_service

        try:
            result = article_service.import_text(self.store, text, title=title, **kwargs)
        except KnownError as exc:
            show_error(self, exc, title="New article")
            return
        self._imported(result)

    def _imported(self, result: tuple[Article, Changes]) -> None:
        article, changes = result
        self.bus.emit_changes(changes)
        self.open_article(article.id)
        self.extract(article.id)

    # ================================================================ file menu

    def new_from_text(self) -> None:
        from workbench.ui.dialogs.import_dialogs import PasteTextDialog

        dialog = PasteTextDialog(self)
        if dialog.exec() != PasteTextDialog.DialogCode.Accepted:
            return
        self.import_text(
            dialog.text.toPlainText(),
            title=dialog.title.text().strip() or None,
            url=dialog.url.text().strip() or None,
            published=dialog.published_date(),
        )

    def open_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open article",
            str(QSettings().value("session/open_dir", "") or ""),
            "Articles (*.txt *.md *.markdown *.html *.htm);;All files (*)",
        )
        if path:
            QSettings().setValue("session/open_dir", str(Path(path).parent))
            self.import_path(path)

    def import_url_dialog(self) -> None:
        from workbench.ui.dialogs.import_dialogs import ImportUrlDialog

        dialog = ImportUrlDialog(self)
        if dialog.exec() == ImportUrlDialog.DialogCode.Accepted:
            self.import_url(dialog.value())

    def export_memo(self) -> None:
        if self.article is None:
            return
        try:
            module = importlib.import_module("workbench.ui.dialogs.export_dialog")
        except ImportError:
            show_message(self, "Export", "The export dialog is not available in this build.")
            return
        dialog = module.ExportDialog(
            store=self.store, runner=self.runner, article_id=self.article.id, parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def open_settings(self) -> None:
        try:
            module = importlib.import_module("workbench.ui.dialogs.settings_dialog")
        except ImportError:
            show_message(self, "Settings", "The settings dialog is not available in this build.")
            return
        dialog = module.SettingsDialog(store=self.store, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def recent_articles(self) -> list[int]:
        raw = QSettings().value("recent/articles", [])
        items = raw if isinstance(raw, list) else [raw] if raw else []
        return [i for i in (_int_or_none(x) for x in items) if i is not None]

    def _remember_recent(self, article_id: int) -> None:
        ids = [article_id] + [i for i in self.recent_articles() if i != article_id]
        QSettings().setValue("recent/articles", [str(i) for i in ids[:MAX_RECENT]])

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for n, article_id in enumerate(self.recent_articles(), start=1):
            try:
                title = self.store.articles.get(article_id).title
            except NotFoundError:
                continue
            action = self.recent_menu.addAction(f"&{n} {title[:70]}")
            action.triggered.connect(lambda _c=False, a=article_id: self.open_article(a))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("No recent articles").setEnabled(False)

    # ================================================================ claims

    def select_claim(self, claim_id: int) -> None:
        """Select a claim everywhere: table row, article highlight, detail panel."""
        if not self.claims_table.select_claim(claim_id):
            self.article_view.select_claim(claim_id)

    def open_claim(self, article_id: int, claim_id: int) -> bool:
        """Open ``article_id`` (unless it is open) and select ``claim_id`` in it.

        Opening an article loads its claims synchronously, so the claim can be
        selected straight after; True when it ended up selected.
        """
        if self.article is None or self.article.id != article_id:
            self.open_article(article_id)
            if self.article is None or self.article.id != article_id:
                return False
        self.select_claim(claim_id)
        return self.claims_table.current_claim_id() == claim_id

    def open_source(self, source_id: int) -> bool:
        """Open the first claim that cites source ``source_id``."""
        try:
            cited = self.store.evidence.for_source(source_id)
            claim = self.store.claims.get(cited[0].claim_id) if cited else None
        except KnownError as exc:
            show_error(self, exc)
            return False
        if claim is None:
            show_message(self, "Search", "No claim cites this source any more.")
            return False
        return self.open_claim(claim.article_id, claim.id)

    def focus_library_search(self) -> None:
        """Show the search dock and put the cursor in its box (Ctrl+Shift+F)."""
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.focus_search()

    def _claim_selected(self, claim_id: int) -> None:
        cid = claim_id if claim_id >= 0 else None
        self.article_view.select_claim(cid)
        self._show_detail(cid)
        self._show_similar(cid)
        if cid is not None:
            QSettings().setValue("session/last_claim", cid)
        self._update_actions()

    def _show_detail(self, claim_id: int | None) -> None:
        if self.detail is not None:
            self.detail.show_claim(claim_id)  # type: ignore[attr-defined]

    def _show_similar(self, claim_id: int | None) -> None:
        """Earlier checks follow the selected claim, looked up only while the dock shows."""
        if not self.is_ready:
            return
        self._similar_pending = claim_id
        if self.similar_dock.isVisible() and self.similar_panel.claim_id != claim_id:
            self.similar_panel.show_claim(claim_id)

    def _similar_visibility(self, visible: bool) -> None:
        if visible and self.similar_panel.claim_id != self._similar_pending:
            self.similar_panel.show_claim(self._similar_pending)

    def add_claim(self, start: int, end: int) -> int | None:
        """A manual claim over [start, end) of the open article; returns its id."""
        if self.article is None:
            return None
        article_id = self.article.id
        from workbench.ui import commands

        try:
            command = commands.AddClaimCommand(
                self.store, article_id, start, end, self.bus.emit_changes
            )
        except KnownError as exc:
            show_error(self, exc, title="Add claim")
            return None
        self.undo_stack.push(command)
        self.select_claim(command.claim_id)
        return command.claim_id

    def add_claim_from_selection(self) -> int | None:
        span = self.article_view.selection_span()
        if span is None:
            show_error(
                self,
                UserInputError("no text is selected", hint="select the claim in the article"),
            )
            return None
        return self.add_claim(*span)

    def set_verdict(self, verdict: Verdict | None) -> None:
        claim_id = self.claims_table.current_claim_id()
        if claim_id is None:
            return
        detail_verdict = getattr(self.detail, "set_verdict", None)
        if callable(detail_verdict):
            detail_verdict(verdict)  # flushes typing in the panel first
            return
        from workbench.ui import commands

        try:
            command = commands.SetVerdictCommand(
                self.store, claim_id, verdict, self.bus.emit_changes
            )
        except KnownError as exc:
            show_error(self, exc)
            return
        self.undo_stack.push(command)

    def add_evidence(self) -> None:
        if self.detail is None or self.claims_table.current_claim_id() is None:
            return
        request = getattr(self.detail, "add_evidence", None)
        if callable(request):
            request()

    def _split_offset(self, claim_id: int) -> int | None:
        """Split where the article cursor is, if it sits inside the claim."""
        row = self.claims_table.model.cached(claim_id)
        if row is None or self.article_view.textCursor().hasSelection():
            return None
        at = self.article_view.cursor_offset()
        return at if row.start < at < row.end else None

    # ================================================================ changes

    def _on_changes(self, changes: Changes) -> None:
        if not self.is_ready:  # staged start: an edit in the claims table before the docks exist
            self.claims_table.apply_changes(changes)
            self._refresh_highlights()
            return
        self.library.apply_changes(changes)
        article = self.article
        if article is None:
            if changes.articles and self.library.model.total() == 1:
                self.open_article(self.library.model.summary(0).id)
            return
        if article.id in changes.deleted_articles:
            self.undo_stack.clear()  # its commands point at rows that are gone
            total = self.library.model.total()
            if total:
                self.open_article(self.library.model.summary(0).id)
            else:
                self.close_article()
            return
        self.claims_table.apply_changes(changes)
        if (
            article.id in changes.articles
            or changes.claims
            or changes.deleted_claims
            or changes.evidence
        ):
            self._refresh_highlights()
        if changes.flags or article.id in changes.articles:
            self._refresh_flags()
        self._update_actions()

    def _refresh_highlights(self) -> None:
        model = self.claims_table.model
        self.article_view.set_claims(model.row_at(r) for r in range(model.rowCount()))
        self.article_view.select_claim(self.claims_table.current_claim_id(), scroll=False)

    def _refresh_flags(self) -> None:
        if self.article is None:
            return
        self.article_view.set_flags(self.store.flags.for_article(self.article.id))

    def _task_failed(self, handle: TaskHandle, exc: BaseException) -> None:
        if not handle.has_failure_handler:
            show_error(self, exc)

    # ================================================================ focus

    def _focus_article(self) -> None:
        self.article_view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_table(self) -> None:
        self.claims_table.view.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_detail(self) -> None:
        if self.detail is not None:
            self.detail.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.detail.focusNextChild()

    def _focus_library(self) -> None:
        self.library_dock.show()
        self.library.search.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _about(self) -> None:
        from workbench.ui.about_dialog import AboutDialog

        dialog = AboutDialog(self, runner=self.runner)
        dialog.exec()
        dialog.deleteLater()

    # ================================================================ drag & drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_sources(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        sources = _dropped_sources(event.mimeData())
        if not sources:
            event.ignore()
            return
        event.acceptProposedAction()
        for kind, value in sources:
            if kind == "file":
                self.import_path(value)
            else:
                self.import_url(value)

    # ================================================================ settings

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        self._restore_splitter("splitters/main", self.main_splitter)

    def _restore_dock_state(self) -> None:
        """Dock placement, once the docks exist (``restoreState`` matches them by name)."""
        state = QSettings().value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    @staticmethod
    def _restore_splitter(key: str, splitter: QSplitter) -> None:
        value = QSettings().value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            splitter.restoreState(value)

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("splitters/main", self.main_splitter.saveState())
        if self.is_ready:  # before that, the docks and the detail pane do not exist yet
            settings.setValue("window/state", self.saveState())
            settings.setValue("splitters/right", self.right_splitter.saveState())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closed = True
        self.save_settings()
        self.runner.shutdown()
        super().closeEvent(event)


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


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def _dropped_sources(mime: Any) -> list[tuple[str, str]]:
    """Files with an importable suffix and http(s) URLs in a drop."""
    out: list[tuple[str, str]] = []
    if mime.hasUrls():
        for url in mime.urls():
            assert isinstance(url, QUrl)
            if url.isLocalFile():
                path = url.toLocalFile()
                if path.lower().endswith(IMPORTABLE_SUFFIXES):
                    out.append(("file", path))
            elif url.scheme() in ("http", "https"):
                out.append(("url", url.toString()))
    elif mime.hasText():
        text = mime.text().strip()
        if text.lower().startswith(("http://", "https://")) and " " not in text:
            out.append(("url", text))
    return out
