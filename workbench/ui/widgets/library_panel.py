"""The library: every article in the database, with review progress.

The model reads summaries a page at a time (``articles.article_page``) and
hands them to the view through ``canFetchMore`` / ``fetchMore``, so a store of
10,000 articles costs one count and one 200-row query at start, not a
claim count for every article.  Searching filters in SQL the same way.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.model import ArticleSummary, Changes
from workbench.core.services import articles as article_service
from workbench.core.services.workspace import Workspace
from workbench.ui.bus import ChangeBus
from workbench.ui.messages import confirm, show_error
from workbench.ui.ops import OpRunner
from workbench.ui.tasks import TaskHandle

Index = QModelIndex | QPersistentModelIndex
PAGE = 200
ARTICLE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Article", "Progress", "Outlet", "Date")


class LibraryModel(QAbstractTableModel):
    """Article summaries, filtered by a search string, delivered page by page."""

    def __init__(self, store: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._query_text = ""
        self._rows: list[ArticleSummary] = []  # the pages read so far
        self._total = 0
        self.refresh(reset=True)

    def _read(self, count: int) -> list[ArticleSummary]:
        return article_service.article_page(
            self._store, offset=0, limit=count, query=self._query_text or None
        )

    def set_search(self, text: str) -> None:
        self._query_text = text.strip()
        self.refresh(reset=True)

    def refresh(self, *, reset: bool = False) -> None:
        """Re-read the rows shown (at least one page); update in place when the ids hold."""
        total = article_service.count_articles(self._store, self._query_text or None)
        wanted = PAGE if reset else max(PAGE, len(self._rows))
        rows = self._read(wanted)
        if not reset and [r.id for r in rows] == [r.id for r in self._rows]:
            changed = [i for i, r in enumerate(rows) if r != self._rows[i]]
            self._rows = rows
            self._total = total
            for i in changed:
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(HEADERS) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self._total = total
        self.endResetModel()

    def apply_changes(self, changes: Changes) -> None:
        if changes.articles or changes.deleted_articles or changes.claims:
            self.refresh()

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = article_service.article_page(
            self._store, offset=len(self._rows), limit=PAGE, query=self._query_text or None
        )
        if not more:
            self._total = len(self._rows)  # articles went away meanwhile
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def total(self) -> int:
        """Articles matching the search, including pages not read yet."""
        return self._total

    def summary(self, row: int) -> ArticleSummary:
        return self._rows[row]

    def row_of(self, article_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.id == article_id:
                return i
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return r.title
            if col == 1:
                return f"{r.claims_checked}/{r.claims_total}"
            if col == 2:
                return r.outlet or ""
            date = r.dateline or (r.imported_at.date() if r.imported_at else None)
            return date.isoformat() if date else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 1:
                return f"{r.claims_checked} of {r.claims_total} claims checked"
            return r.title if col == 0 else None
        if role == ARTICLE_ID_ROLE:
            return r.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class LibraryPanel(QWidget):
    """Search, open and delete articles.

    Signals:
        open_requested(int): the user asked to open this article.
        article_deleted(int): an article was deleted (after confirmation).
    """

    open_requested = Signal(int)
    article_deleted = Signal(int)

    def __init__(
        self, *, store: Workspace, ops: OpRunner, bus: ChangeBus, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("library-panel")
        self.setAccessibleName("Library")
        self._store = store
        self._ops = ops
        self._bus = bus
        self.model = LibraryModel(store, self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search articles")
        self.search.setAccessibleName("Search articles")
        self.search.setClearButtonEnabled(True)
        self.view = QTableView()
        self.view.setObjectName("library-table")
        self.view.setAccessibleName("Articles")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setWordWrap(False)
        self.view.setTabKeyNavigation(False)
        header = self.view.horizontalHeader()
        header.setAccessibleName("Article columns")
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths, not ResizeToContents: measuring contents asks data()
        # for every row read so far (thousands of calls with a big library).
        for col, width in ((1, 70), (2, 110), (3, 88)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.setColumnHidden(2, True)
        self.view.activated.connect(lambda index: self.open_row(index.row()))
        self.view.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)

        self.open_action = QAction("Open article", self)
        self.open_action.triggered.connect(self.open_current)
        self.delete_action = QAction("Delete article…", self)
        self.delete_action.setShortcut(QKeySequence("Del"))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete_current)
        self.view.addAction(self.delete_action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.view, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(lambda: self.model.set_search(self.search.text()))
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_now)

    def _search_now(self) -> None:
        self._search_timer.stop()
        self.model.set_search(self.search.text())
        if self.model.rowCount() == 1:
            self.open_row(0)

    def refresh(self) -> None:
        self.model.refresh()

    def apply_changes(self, changes: Changes) -> None:
        self.model.apply_changes(changes)

    def current_article_id(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.model.summary(index.row()).id

    SELECT_PAGES = 3
    """How many more pages selecting an article may read to find it.

    An old article in a large library can sit dozens of pages down; reading
    them all would make opening it (and the app's start) wait on the library.
    Past this, the article is open but not highlighted in the list.
    """

    def select_article(self, article_id: int) -> None:
        row = self.model.row_of(article_id)
        pages = 0
        while row < 0 and pages < self.SELECT_PAGES and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
            pages += 1
            row = self.model.row_of(article_id)
        if row >= 0:
            self.view.selectRow(row)
        else:
            self.view.clearSelection()

    def open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.open_requested.emit(self.model.summary(row).id)

    def open_current(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.open_row(index.row())

    def delete_current(self) -> TaskHandle | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        summary = self.model.summary(index.row())
        if not confirm(
            self,
            "Delete article",
            f"Delete “{summary.title}” with its {summary.claims_total} claims, their "
            "evidence and flags? This cannot be undone.",
        ):
            return None
        article_id = summary.id
        return self._ops.run(
            lambda store: article_service.delete_article(store, article_id),
            label="Deleting the article",
            on_success=lambda _changes: self.article_deleted.emit(article_id),
            on_failure=lambda exc: show_error(self, exc),
        )

    def _menu(self, pos: Any) -> None:
        if not self.view.indexAt(pos).isValid():
            return
        menu = QMenu(self)
        menu.setAccessibleName("Article actions")
        menu.addAction(self.open_action)
        menu.addAction(self.delete_action)
        menu.exec(self.view.viewport().mapToGlobal(pos))
        menu.deleteLater()
