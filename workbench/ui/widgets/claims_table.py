"""The claims pane: filter bar, table, and the split / merge / delete actions.

The table shows :class:`~workbench.ui.models.claims_model.ClaimsModel` through
its filter proxy.  Deleting, splitting and merging go through
:class:`~workbench.ui.commands.Edits` (operations on the database lane, each
one undo step on the window's ``QUndoStack``), so they undo like every other
edit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import UserInputError
from workbench.core.model import Changes, Claim, ClaimType, Status, Verdict
from workbench.ui.bus import ChangeBus
from workbench.ui.messages import confirm, show_error
from workbench.ui.models.claims_model import (
    ClaimsFilterProxy,
    ClaimsModel,
    Column,
)

if TYPE_CHECKING:
    from workbench.core.services.workspace import Workspace
    from workbench.ui.commands import Edits
    from workbench.ui.tasks import TaskHandle

SplitOffset = Callable[[int], int | None]
"""Given a claim id, the article offset the user chose to split at (or None)."""


class ClaimsTable(QWidget):
    """Filterable, sortable claims of the open article.

    Signals:
        claim_selected(int): the current claim changed (-1: none).
    """

    claim_selected = Signal(int)

    def __init__(
        self,
        *,
        store: Workspace,
        bus: ChangeBus,
        edits: Callable[[], Edits],
        split_offset: SplitOffset | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """``edits`` gives the window's edits when one is first made: a staged start
        paints the table before that machinery has loaded."""
        super().__init__(parent)
        self.setObjectName("claims-pane")
        self.setAccessibleName("Claims")
        self._store = store
        self._edits_of = edits
        self._bus = bus
        self._split_offset = split_offset
        self.model = ClaimsModel(store, self)
        self.proxy = ClaimsFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._current: int | None = None

        self.search = QLineEdit()
        self.search.setObjectName("claims-search")
        self.search.setPlaceholderText("Search claims (Ctrl+F)")
        self.search.setAccessibleName("Search claims")
        self.search.setClearButtonEnabled(True)
        self.type_combo = self._combo(
            "Filter by type", [("All types", None)] + [(t.value, t.value) for t in ClaimType]
        )
        self.status_combo = self._combo(
            "Filter by status",
            [("Any status", None)] + [(s.value.replace("_", " "), s.value) for s in Status],
        )
        self.verdict_combo = self._combo(
            "Filter by verdict",
            [("Any verdict", None), ("No verdict", ClaimsFilterProxy.NO_VERDICT)]
            + [(v.label, v.value) for v in Verdict],
        )
        self.min_score = QDoubleSpinBox()
        self.min_score.setAccessibleName("Minimum score")
        self.min_score.setToolTip("Hide claims scored below this")
        self.min_score.setRange(0.0, 1.0)
        self.min_score.setSingleStep(0.05)
        self.min_score.setDecimals(2)
        self.min_score.setPrefix("score ≥ ")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Claims shown")

        self.view = QTableView()
        self.view.setObjectName("claims-table")
        self.view.setAccessibleName("Claims table")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(Column.POSITION, Qt.SortOrder.AscendingOrder)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        # Fixed, uniform rows: the view never measures a row to lay out 2,000.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setTabKeyNavigation(False)
        header = self.view.horizontalHeader()
        header.setAccessibleName("Claims columns")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TEXT, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (Column.POSITION, 34),
            (Column.SCORE, 48),
            (Column.TYPES, 92),
            (Column.STATUS, 82),
            (Column.VERDICT, 92),
            (Column.SUPPORTS, 38),
            (Column.REFUTES, 58),
        ):
            self.view.setColumnWidth(column, width)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

        self.delete_action = self._action("Delete claim", "Del", self.delete_selected)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.split_action = self._action("Split claim", "Ctrl+Shift+X", self.split_current)
        self.merge_action = self._action(
            "Merge selected claims", "Ctrl+Shift+M", self.merge_selected
        )
        self.addAction(self.delete_action)

        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.search, 3)
        for w in (self.type_combo, self.status_combo, self.verdict_combo, self.min_score):
            filters.addWidget(w, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)

        # Typing filters after a short pause, so each keystroke does not refilter.
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(120)
        self._filter_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._filter_timer.start)
        for combo in (self.type_combo, self.status_combo, self.verdict_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.min_score.valueChanged.connect(self.apply_filters)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        # A filter change arrives as one rowsRemoved/rowsInserted per run of
        # rows (hundreds for a scattered match); count once, after the burst.
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(0)
        self._count_timer.timeout.connect(self._update_count)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._count_timer.start)
        self._update_count()
        self._update_actions()

    # ---------------------------------------------------------------- building

    def _combo(self, name: str, items: list[tuple[str, str | None]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setToolTip(name)
        for label, value in items:
            combo.addItem(label, value)
        return combo

    def _action(self, text: str, shortcut: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    # ---------------------------------------------------------------- article

    def set_article(self, article_id: int | None) -> None:
        self._current = None
        self.model.set_article(article_id)
        self._update_count()
        self._update_actions()

    def show_claims(
        self, article_id: int, claims: Sequence[Claim], counts: dict[int, dict[str, int]]
    ) -> None:
        """:meth:`set_article` for claims already read (the start-up glance)."""
        self._current = None
        self.model.show_claims(article_id, claims, counts)
        self._update_count()
        self._update_actions()

    def apply_changes(self, changes: Changes) -> None:
        current = self._current
        self.model.apply_changes(changes)
        if current is not None and self.model.row_of(current) >= 0:
            if self.current_claim_id() != current:
                self.select_claim(current)
        elif current is not None:
            self._current = None
            self.claim_selected.emit(-1)
        self._update_count()

    # ---------------------------------------------------------------- filters

    def apply_filters(self) -> None:
        self._filter_timer.stop()  # a pending debounced pass would only repeat this one
        status = self.status_combo.currentData()
        self.proxy.set_filters(
            type_=self.type_combo.currentData(),
            status=Status(status) if status else None,
            verdict=self.verdict_combo.currentData(),
            min_score=self.min_score.value(),
            text=self.search.text(),
        )
        self._update_count()

    def clear_filters(self) -> None:
        for w in (self.type_combo, self.status_combo, self.verdict_combo):
            w.blockSignals(True)
            w.setCurrentIndex(0)
            w.blockSignals(False)
        self.min_score.blockSignals(True)
        self.min_score.setValue(0.0)
        self.min_score.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filters()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _update_count(self) -> None:
        self._count_timer.stop()
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = f"{total} claims" if shown == total else f"{shown} of {total} claims shown"
        if text != self.count_label.text():
            self.count_label.setText(text)

    # ---------------------------------------------------------------- selection

    def current_claim_id(self) -> int | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.claim_id(index.row())

    def selected_claim_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.proxy.claim_id(r) for r in rows]

    def select_claim(self, claim_id: int | None) -> bool:
        """Make ``claim_id`` current (clearing a filter that hides it); False if absent."""
        if claim_id is None:
            self.view.clearSelection()
            return False
        row = self.proxy.proxy_row_of(claim_id)
        if row < 0 and self.model.row_of(claim_id) >= 0:
            self.clear_filters()
            row = self.proxy.proxy_row_of(claim_id)
        if row < 0:
            return False
        index = self.proxy.index(row, Column.TEXT)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)
        return True

    def step(self, delta: int) -> None:
        """Move to the next (+1) or previous (-1) claim in table order."""
        count = self.proxy.rowCount()
        if count == 0:
            return
        index = self.view.currentIndex()
        row = index.row() + delta if index.isValid() else (0 if delta > 0 else count - 1)
        row = max(0, min(count - 1, row))
        self.select_claim(self.proxy.claim_id(row))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        claim_id = self.proxy.claim_id(current.row()) if current.isValid() else None
        if claim_id == self._current:
            return
        self._current = claim_id
        self._update_actions()
        self.claim_selected.emit(claim_id if claim_id is not None else -1)

    def _update_actions(self, *_args: object) -> None:
        selected = self.view.selectionModel().selectedRows()
        has_current = self.view.currentIndex().isValid()
        self.delete_action.setEnabled(bool(selected) or has_current)
        self.split_action.setEnabled(has_current)
        self.merge_action.setEnabled(len(selected) >= 2)

    # ---------------------------------------------------------------- edits

    @property
    def _edits(self) -> Edits:
        return self._edits_of()

    def delete_selected(self) -> TaskHandle | None:
        ids = self.selected_claim_ids() or (
            [c] if (c := self.current_claim_id()) is not None else []
        )
        if not ids:
            return None
        with_evidence = [i for i in ids if (row := self.model.cached(i)) and row.evidence]
        if with_evidence:
            n = sum(r.evidence for i in with_evidence if (r := self.model.cached(i)))
            what = "this claim" if len(ids) == 1 else f"these {len(ids)} claims"
            if not confirm(
                self,
                "Delete claim",
                f"Delete {what}? {n} piece(s) of attached evidence go with it. "
                "You can undo this with Ctrl+Z.",
            ):
                return None
        next_row = self.proxy.proxy_row_of(ids[-1]) + 1
        follow = self.proxy.claim_id(next_row) if next_row < self.proxy.rowCount() else None

        def deleted(_changes: Changes) -> None:
            if follow is not None:
                self.select_claim(follow)

        return self._edits.delete_claims(ids, on_success=deleted, on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def split_current(self) -> TaskHandle | None:
        claim_id = self.current_claim_id()
        row = self.model.cached(claim_id) if claim_id is not None else None
        if claim_id is None or row is None:
            return None
        at = self._split_offset(claim_id) if self._split_offset else None
        if at is None or not row.start < at < row.end:
            at = self._default_split(claim_id)
        if at is None:
            show_error(
                self,
                UserInputError(
                    "this claim has no place to split",
                    hint="put the article cursor where it should be split",
                ),
            )
            return None
        return self._edits.split_claim(
            claim_id,
            at,
            on_success=lambda halves: self._select_quietly(halves[0].id),
            on_failure=self._failed,
        )

    def _select_quietly(self, claim_id: int) -> None:
        self.select_claim(claim_id)

    def _default_split(self, claim_id: int) -> int | None:
        """No cursor in the claim: split at the clause break nearest its middle."""
        from workbench.core.services import articles as article_service
        from workbench.core.services import claims as claim_service

        claim = claim_service.get_claim(self._store, claim_id)
        text = article_service.get_article(self._store, claim.article_id).text[
            claim.start : claim.end
        ]
        middle = len(text) // 2
        candidates = [
            i + len(mark) - 1
            for mark in ("; ", ", ", ". ", " and ", " but ")
            for i in range(len(text))
            if text.startswith(mark, i)
        ]
        if not candidates:
            candidates = [i for i, ch in enumerate(text) if ch.isspace()]
        inner = [i for i in candidates if 0 < i < len(text) - 1]
        if not inner:
            return None
        return claim.start + min(inner, key=lambda i: abs(i - middle))

    def merge_selected(self) -> TaskHandle | None:
        ids = self.selected_claim_ids()
        if len(ids) < 2:
            return None

        def merged(claim: Claim) -> None:
            self.select_claim(claim.id)

        return self._edits.merge_claims(ids, on_success=merged, on_failure=self._failed)

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setAccessibleName("Claim actions")
        for action in (self.split_action, self.merge_action, self.delete_action):
            menu.addAction(action)
        menu.exec(self.view.viewport().mapToGlobal(pos))
        menu.deleteLater()
