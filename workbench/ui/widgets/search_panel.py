"""Search box and result list for the claim library (issue 9).

Searching runs on the runner's "io" lane, never on the UI thread: on a
10,000-article store a query is fast, but a cold page cache or a writer
holding the disk can make one take far longer, and typing must never stutter.
Typing is debounced (:data:`DEBOUNCE_MS`), and every search carries a
generation number, so a slow answer to an old query can never overwrite the
answer to the newest one.

The panel opens nothing itself: activating a hit emits ``claim_activated``,
``article_activated`` or ``source_activated`` and the main window decides.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.model import SearchHit
from workbench.core.services import library
from workbench.core.services.workspace import Workspace
from workbench.ui.lookup import LatestLookup
from workbench.ui.models.search_model import (
    HeadingRole,
    HitRole,
    SearchResultsModel,
    SnippetHtmlRole,
)
from workbench.ui.tasks import TaskRunner

DEBOUNCE_MS = 200
"""Long enough to skip the intermediate words of a fast typist, short enough to feel live."""

RESULT_LIMIT = 100

Index = QModelIndex | QPersistentModelIndex


class SnippetDelegate(QStyledItemDelegate):
    """Paints a hit as a small grey heading over the snippet, matches in bold.

    The HTML comes only from :func:`~workbench.ui.models.search_model.snippet_html`
    (escaped text plus ``<b>``), so nothing from the data is interpreted.
    """

    MARGIN = 4

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        import html

        doc = QTextDocument()
        doc.setDocumentMargin(self.MARGIN)
        doc.setDefaultFont(option.font)
        head = html.escape(str(index.data(HeadingRole) or ""), quote=False)
        body = str(index.data(SnippetHtmlRole) or "")
        doc.setHtml(f"<div style='font-size:small'>{head}</div><div>{body}</div>")
        width = option.rect.width()
        view = option.widget
        if isinstance(view, QListView):
            # sizeHint gets no useful rect; wrap to the list's own width
            width = view.viewport().width()
        doc.setTextWidth(width if width > 0 else 400)
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        doc = self._document(opt, index)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        rect = opt.rect
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))


class _ResultsView(QListView):
    """A list that opens the current hit on Enter as well as on double-click."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class SearchPanel(QWidget):
    """Search everything; open what was found.

    Signals:
        claim_activated(int article_id, int claim_id)
        article_activated(int article_id)
        source_activated(int source_id)
        search_finished(int hits): the newest search's results are shown
            (also emitted, with 0, when the box is cleared).
    """

    claim_activated = Signal(int, int)
    article_activated = Signal(int)
    source_activated = Signal(int)
    search_finished = Signal(int)

    def __init__(
        self, *, store: Workspace, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._lookup: LatestLookup[list[SearchHit]] = LatestLookup(
            self,
            runner,
            on_result=self._show_hits,
            on_failure=self._show_failure,
            bug_line="Search failed because of a bug; see the error report.",
        )

        self.search_box = QLineEdit(self)
        self.search_box.setAccessibleName("Search claims, articles and sources")
        self.search_box.setPlaceholderText('Search claims, articles, sources ("exact phrase")')
        self.search_box.setClearButtonEnabled(True)

        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Search status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        self.model = SearchResultsModel(self)
        self.results_view = _ResultsView(self)
        self.results_view.setAccessibleName("Search results")
        self.results_view.setModel(self.model)
        self.results_view.setItemDelegate(SnippetDelegate(self.results_view))
        self.results_view.setWordWrap(True)
        self.results_view.setUniformItemSizes(False)
        self.results_view.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap on resize
        self.results_view.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.results_view.setSelectionMode(QListView.SelectionMode.SingleSelection)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search_box)
        layout.addWidget(self.status_label)
        layout.addWidget(self.results_view, 1)
        self.setFocusProxy(self.search_box)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.search_now)
        self.search_box.textChanged.connect(self._text_changed)
        self.search_box.returnPressed.connect(self._return_pressed)
        self.search_box.installEventFilter(self)
        self.results_view.activated.connect(self.activate_index)

    # ----------------------------------------------------------------- API
    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected (Ctrl+Shift+F)."""
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def set_query(self, text: str) -> None:
        """Type ``text`` into the box; the search follows after the debounce."""
        self.search_box.setText(text)

    def query(self) -> str:
        return self.search_box.text()

    def is_searching(self) -> bool:
        return self._lookup.busy

    def search_now(self) -> None:
        """Search for the box's text at once (skipping the debounce)."""
        self._debounce.stop()
        query = self.search_box.text()
        if not query.strip():
            self._lookup.cancel()
            self.model.clear()
            self.status_label.clear()
            self.search_finished.emit(0)
            return
        store = self._store
        self.status_label.setText("Searching…")
        self._lookup.start(
            lambda: library.search(store, query, limit=RESULT_LIMIT),
            label=f"Searching for {query.strip()[:40]}",
        )

    def activate_row(self, row: int) -> None:
        self.activate_index(self.model.index(row, 0))

    def activate_index(self, index: Index) -> None:
        """Emit the signal that opens this hit."""
        if not index.isValid():
            return
        hit = index.data(HitRole)
        if not isinstance(hit, SearchHit):
            return
        if hit.kind == "claim" and hit.article_id is not None and hit.claim_id is not None:
            self.claim_activated.emit(hit.article_id, hit.claim_id)
        elif hit.kind == "article" and hit.article_id is not None:
            self.article_activated.emit(hit.article_id)
        elif hit.kind == "source" and hit.source_id is not None:
            self.source_activated.emit(hit.source_id)

    # ------------------------------------------------------------- internals
    def _text_changed(self, text: str) -> None:
        if not text.strip():
            self.search_now()  # clearing is instant and needs no worker
        else:
            self._debounce.start()

    def _return_pressed(self) -> None:
        """Enter searches now; a second Enter on unchanged results opens the first hit."""
        if self._debounce.isActive() or self._lookup.busy:
            self.search_now()
            return
        if self.model.rowCount() > 0:
            self.activate_row(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down arrow in the box moves into the results, as in a browser's address bar."""
        if (
            watched is self.search_box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount() > 0
        ):
            self.results_view.setFocus(Qt.FocusReason.TabFocusReason)
            self.results_view.setCurrentIndex(self.model.index(0, 0))
            return True
        return super().eventFilter(watched, event)

    def _show_hits(self, hits: list[SearchHit]) -> None:
        self.model.set_hits(hits)
        if hits:
            more = "+" if len(hits) >= RESULT_LIMIT else ""
            self.status_label.setText(f"{len(hits)}{more} result{'s' if len(hits) != 1 else ''}")
        else:
            self.status_label.setText("No matches.")
        self.search_finished.emit(len(hits))

    def _show_failure(self, line: str) -> None:
        self.model.clear()
        self.status_label.setText(line)
        self.search_finished.emit(0)
