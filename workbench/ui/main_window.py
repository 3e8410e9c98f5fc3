"""The main window: the composition root that builds the panes and wires them together.

Layout::

    ┌ Library | Search ┬ Article ──────────┬ Claims table ───────┐
    │ (tabbed docks)   │                   ├ Claim detail ───────┤
    ├ Flags (dock) ────┤                   │                     │
    └──────────────────┴ Earlier checks (dock, follows the claim) ┘

The window owns the collaborators every panel shares and passes them down:
the workspace (an open database), one ``QUndoStack`` (undo survives
switching claims), the :class:`~workbench.ui.tasks.TaskRunner`, the
:class:`~workbench.ui.bus.ChangeBus`, the
:class:`~workbench.ui.ops.OpRunner` (the app's one writer) and
:class:`~workbench.ui.commands.Edits` (the undoable edits).  Everything else
lives in its own module: the staged start (:mod:`.staging`), imports
(:mod:`.import_controller`), menus (:mod:`.menus`), what the window
remembers (:mod:`.window_state`) and the background chores
(:mod:`.housekeeping`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import KnownError, UserInputError
from workbench.core.model import Article, Changes, Verdict
from workbench.core.services.workspace import Workspace
from workbench.ui import staging, window_state
from workbench.ui.bus import ChangeBus
from workbench.ui.messages import show_error, show_message
from workbench.ui.ops import OpRunner
from workbench.ui.tasks import TaskHandle, TaskRunner
from workbench.ui.widgets.article_view import ArticleView
from workbench.ui.widgets.claims_table import ClaimsTable

if TYPE_CHECKING:
    from workbench.core.services.claims import ExtractReport
    from workbench.core.services.startup import Glance
    from workbench.ui.commands import Edits
    from workbench.ui.housekeeping import Housekeeping
    from workbench.ui.import_controller import ImportController
    from workbench.ui.widgets.claim_detail import ClaimDetailPanel
    from workbench.ui.widgets.flags_panel import FlagsPanel
    from workbench.ui.widgets.library_panel import LibraryPanel
    from workbench.ui.widgets.search_panel import SearchPanel
    from workbench.ui.widgets.similar_panel import SimilarClaimsPanel

DEFAULT_SIZE = (1400, 900)
WINDOW_TITLE = "Claim Workbench"


class MainWindow(QMainWindow):
    """The workbench window.

    Signals:
        article_opened(int): an article is now shown.
        extraction_finished(int, int): extraction of article (id) ended with
            this many claims (-1 when it failed or was cancelled).
        ready(): start-up is over (the article is open; an extraction it
            started may still run).
    """

    article_opened = Signal(int)
    extraction_finished = Signal(int, int)
    ready = Signal()

    # Built by build_rest() (the docks) and menus.build_menus().
    detail: ClaimDetailPanel
    flags_panel: FlagsPanel
    library: LibraryPanel
    search_panel: SearchPanel
    similar_panel: SimilarClaimsPanel
    library_dock: QDockWidget
    flags_dock: QDockWidget
    search_dock: QDockWidget
    similar_dock: QDockWidget
    imports: ImportController
    housekeeping: Housekeeping
    verdict_actions: dict[Verdict | None, QAction]
    undo_action: QAction
    redo_action: QAction
    extract_action: QAction
    export_action: QAction
    search_action: QAction
    add_evidence_action: QAction
    new_text_action: QAction
    open_file_action: QAction
    import_url_action: QAction
    settings_action: QAction
    quit_action: QAction
    recent_menu: QMenu

    def __init__(
        self,
        *,
        store: Workspace,
        runner: TaskRunner | None = None,
        bus: ChangeBus | None = None,
        parent: QWidget | None = None,
        staged: bool = False,
    ) -> None:
        """Build the window; with ``staged`` only the article and claims panes.

        A staged window can show an article at once (:meth:`show_glance`)
        and gets its docks, menus and status bar in :meth:`finish_start`,
        after the ORM and the remaining modules have loaded on a worker
        thread.  Tests and embedders build it whole.
        """
        super().__init__(parent)
        self.setObjectName("main-window")
        self.setAccessibleName("Claim Workbench")
        self.store = store
        self.runner = runner or TaskRunner(self)
        self.bus = bus or ChangeBus(self)
        self.ops = OpRunner(store, self.runner, self.bus, self)
        self.undo_stack = QUndoStack(self)
        self._edits: Edits | None = None
        self.article: Article | None = None
        self.is_ready = False
        self.closed = False
        self._extractions: dict[int, TaskHandle] = {}
        self.similar_pending: int | None = None
        self.setWindowTitle(WINDOW_TITLE)
        self.resize(*DEFAULT_SIZE)
        self.setAcceptDrops(True)

        self._build_central()
        self.runner.task_failed.connect(self._task_failed)
        self.bus.changed.connect(self._on_changes)
        window_state.restore_geometry(self, self.main_splitter)
        if staged:
            # Replaced by the task status bar once the rest is built.
            self.statusBar().showMessage("Opening the library…")
        else:
            self.build_rest()

    @property
    def edits(self) -> Edits:
        """The undoable edits, built on first use (a staged start loads them later)."""
        if self._edits is None:
            from workbench.ui.commands import Edits

            self._edits = Edits(
                self.ops, self.undo_stack, report=lambda exc: show_error(self, exc, title="Undo")
            )
        return self._edits

    # ================================================================ layout

    def _build_central(self) -> None:
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
            bus=self.bus,
            edits=lambda: self.edits,
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

    def build_rest(self) -> None:
        """Docks, menus and the status bar: everything but the first paint."""
        from workbench.ui.docks import build_docks
        from workbench.ui.housekeeping import Housekeeping
        from workbench.ui.import_controller import ImportController
        from workbench.ui.menus import build_menus
        from workbench.ui.widgets.status_bar import TaskStatusBar

        self.imports = ImportController(self.ops, self)
        self.imports.imported.connect(self._imported)
        self.housekeeping = Housekeeping(self.store, self.runner, self)
        build_docks(self)
        build_menus(self)
        self.setStatusBar(TaskStatusBar(self.runner, self))
        window_state.restore_dock_state(self)
        self.is_ready = True
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
        self.add_evidence_action.setEnabled(has_claim)

    # ================================================================ start

    def start(self) -> None:
        """Reopen the last article (or the newest); a first run imports the sample,
        shows it and extracts it in the background.  Emits :attr:`ready`."""
        staging.start(self)

    @staticmethod
    def remembered_article() -> int | None:
        """The article that was open when the app last closed (QSettings), if any."""
        return window_state.remembered_article()

    def show_glance(self, seen: Glance) -> None:
        staging.show_glance(self, seen)

    def finish_start_after_paint(self, fallback_ms: int = 1000) -> None:
        staging.finish_start_after_paint(self, fallback_ms)

    def finish_start(self) -> TaskHandle:
        return staging.finish_start(self)

    def start_scheduled_backups(self) -> QTimer:
        return self.housekeeping.start_scheduled_backups()

    def scheduled_backup(self) -> TaskHandle:
        return self.housekeeping.scheduled_backup()

    def preload_extractors(self) -> TaskHandle:
        return self.housekeeping.preload_extractors()

    # ================================================================ articles

    def open_article(self, article_id: int) -> None:
        from workbench.core.services import articles as article_service

        try:
            article = article_service.get_article(self.store, article_id)
        except KnownError as exc:
            show_error(self, exc)
            return
        self.article = article
        self.show_heading(article)
        self.article_view.set_article(article)
        self.claims_table.set_article(article.id)
        self.refresh_highlights()
        self._refresh_flags()
        self._show_detail(None)
        self._show_similar(None)
        self.flags_panel.show_article(article.id)
        self.library.select_article(article.id)
        window_state.remember_article(article.id)
        self._update_actions()
        self.article_opened.emit(article.id)

    def show_heading(self, article: Article) -> None:
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
        self.flags_panel.show_article(None)
        self.setWindowTitle(WINDOW_TITLE)
        self._update_actions()

    def extract(self, article_id: int) -> TaskHandle:
        """Extract claims in the spaCy process, then save them as one operation.

        spaCy runs in a separate process (see :mod:`workbench.ui.spacy_process`),
        so neither loading the pipeline nor parsing can stall this window.
        """
        running = self._extractions.get(article_id)
        if running is not None and not running.done:
            return running
        from workbench.ui import spacy_process

        def done(report: ExtractReport) -> None:
            self.extraction_finished.emit(article_id, len(report.claims))
            if report.scorer_note:
                self.statusBar().showMessage(report.scorer_note, 8000)

        def failed(exc: BaseException) -> None:
            show_error(self, exc, title="Extraction")
            self.extraction_finished.emit(article_id, -1)

        def phase(handle: TaskHandle) -> None:
            self._extractions[article_id] = handle

        handle = spacy_process.start_extraction(
            self.ops, article_id, on_success=done, on_failure=failed, on_handle=phase
        )
        self._extractions[article_id] = handle
        return handle

    def extractions(self) -> list[TaskHandle]:
        """The latest extraction task of every article extracted in this session."""
        return list(self._extractions.values())

    def extract_current(self) -> None:
        if self.article is not None:
            self.extract(self.article.id)

    def import_path(self, path: object) -> TaskHandle:
        return self.imports.import_path(str(path))

    def import_url(self, url: str) -> TaskHandle:
        return self.imports.import_url(url)

    def _imported(self, article: Article) -> None:
        self.open_article(article.id)
        self.extract(article.id)

    # ================================================================ dialogs

    def recent_articles(self) -> list[int]:
        return window_state.recent_articles()

    def fill_recent_menu(self) -> None:
        from workbench.ui.menus import fill_recent_menu

        fill_recent_menu(self)

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
        from workbench.core.services import claims as claim_service
        from workbench.core.services import sources as source_service

        try:
            cited = source_service.evidence_for_source(self.store, source_id)
            claim = claim_service.get_claim(self.store, cited[0].claim_id) if cited else None
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
            window_state.remember_claim(cid)
        self._update_actions()

    def _show_detail(self, claim_id: int | None) -> None:
        if self.is_ready:
            self.detail.show_claim(claim_id)

    def _show_similar(self, claim_id: int | None) -> None:
        """Earlier checks follow the selected claim, looked up only while the dock shows."""
        if not self.is_ready:
            return
        self.similar_pending = claim_id
        if self.similar_dock.isVisible() and self.similar_panel.claim_id != claim_id:
            self.similar_panel.show_claim(claim_id)

    def similar_visibility(self, visible: bool) -> None:
        if visible and self.similar_panel.claim_id != self.similar_pending:
            self.similar_panel.show_claim(self.similar_pending)

    def add_claim(self, start: int, end: int) -> TaskHandle | None:
        """A manual claim over [start, end) of the open article, selected once stored."""
        if self.article is None:
            return None
        return self.edits.add_claim(
            self.article.id,
            start,
            end,
            on_success=lambda claim: self.select_claim(claim.id),
            on_failure=lambda exc: show_error(self, exc, title="Add claim"),
        )

    def add_claim_from_selection(self) -> TaskHandle | None:
        span = self.article_view.selection_span()
        if span is None:
            show_error(
                self,
                UserInputError("no text is selected", hint="select the claim in the article"),
            )
            return None
        return self.add_claim(*span)

    def set_verdict(self, verdict: Verdict | None) -> None:
        if self.claims_table.current_claim_id() is not None and self.is_ready:
            self.detail.set_verdict(verdict)  # flushes typing in the panel first

    def add_evidence(self) -> None:
        if self.is_ready and self.claims_table.current_claim_id() is not None:
            self.detail.add_evidence()

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
            self.refresh_highlights()
            return
        self.library.apply_changes(changes)
        article = self.article
        if article is None:
            if changes.articles and self.library.model.total() == 1:
                self.open_article(self.library.model.summary(0).id)
            return
        if article.id in changes.deleted_articles:
            self.undo_stack.clear()  # its steps point at rows that are gone
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
            self.refresh_highlights()
        if changes.flags or article.id in changes.articles:
            self._refresh_flags()
        self._update_actions()

    def refresh_highlights(self) -> None:
        model = self.claims_table.model
        self.article_view.set_claims(model.row_at(r) for r in range(model.rowCount()))
        self.article_view.select_claim(self.claims_table.current_claim_id(), scroll=False)

    def _refresh_flags(self) -> None:
        from workbench.core.services import claims as claim_service

        if self.article is not None:
            self.article_view.set_flags(
                claim_service.flags_for_article(self.store, self.article.id)
            )

    def _task_failed(self, handle: TaskHandle, exc: BaseException) -> None:
        if not handle.has_failure_handler:
            show_error(self, exc)

    # ================================================================ drag & drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from workbench.ui.import_controller import dropped_sources

        if dropped_sources(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if self.is_ready and self.imports.drop(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    # ================================================================ closing

    def save_settings(self) -> None:
        window_state.save(self, self.main_splitter, self.right_splitter, whole=self.is_ready)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed = True
        if self.is_ready:
            self.detail.flush()  # typing still waiting for its pause is saved, then drained
        self.save_settings()
        self.runner.shutdown()
        super().closeEvent(event)
