"""The claims table: a model of ids plus cached display rows, and its filter proxy.

Following the architecture guide (section 2), the model keeps one small
:class:`ClaimDisplayRow` per claim and answers ``data()`` from that cache; a
:class:`~workbench.core.model.Changes` record names the claims to re-read, so
an edit costs one query for one row rather than a reload.

Sorting happens in the source model (one Python ``list.sort`` with a key) and
the proxy only filters: a ``QSortFilterProxyModel`` sorting 2,000 rows would
call back into Python for every comparison.  The proxy precomputes which rows
pass the filter in one pass for the same reason.

Review state, derived from status and verdict (the colour of a highlight):

==============  =====================================================
state           when
==============  =====================================================
unchecked       no verdict, status unchecked
in_progress     no verdict, status in progress or checked
supported       a verdict of positive polarity (true, mostly true)
refuted         a verdict of negative polarity (false, mostly false, misleading)
mixed           a mixed verdict (half true)
unverifiable    verdict unverifiable (checked, but no rating applies)
==============  =====================================================

The verdict side comes from :attr:`Verdict.polarity`, the one definition the
memo's audit uses too.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from workbench.core.errors import NotFoundError
from workbench.core.model import Changes, Claim, Polarity, Stance, Status, Verdict
from workbench.core.services import claims as claim_service
from workbench.core.services.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex


class ReviewState(enum.StrEnum):
    UNCHECKED = "unchecked"
    IN_PROGRESS = "in_progress"
    SUPPORTED = "supported"
    REFUTED = "refuted"
    MIXED = "mixed"
    UNVERIFIABLE = "unverifiable"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


_POLARITY_STATE = {
    Polarity.POSITIVE: ReviewState.SUPPORTED,
    Polarity.MIXED: ReviewState.MIXED,
    Polarity.NEGATIVE: ReviewState.REFUTED,
    Polarity.NONE: ReviewState.UNVERIFIABLE,
}

STATE_COLOURS: dict[ReviewState, str] = {
    ReviewState.UNCHECKED: "#fde68a",  # amber: still to look at
    ReviewState.IN_PROGRESS: "#bfdbfe",  # blue: being worked on
    ReviewState.SUPPORTED: "#bbf7d0",  # green
    ReviewState.REFUTED: "#fecaca",  # red
    ReviewState.MIXED: "#e9d5ff",  # violet
    ReviewState.UNVERIFIABLE: "#e5e7eb",  # grey
}


def claim_state(claim: Claim) -> ReviewState:
    """The review state of a claim (see the module docstring)."""
    if claim.verdict is not None:
        return _POLARITY_STATE[claim.verdict.polarity]
    if claim.status is Status.UNCHECKED:
        return ReviewState.UNCHECKED
    return ReviewState.IN_PROGRESS


class Column(enum.IntEnum):
    POSITION = 0
    TEXT = 1
    SCORE = 2
    TYPES = 3
    STATUS = 4
    VERDICT = 5
    SUPPORTS = 6
    REFUTES = 7


HEADERS = {
    Column.POSITION: "#",
    Column.TEXT: "Claim",
    Column.SCORE: "Score",
    Column.TYPES: "Types",
    Column.STATUS: "Status",
    Column.VERDICT: "Verdict",
    Column.SUPPORTS: "For",
    Column.REFUTES: "Against",
}

HEADER_TIPS = {
    Column.SCORE: "Check-worthiness score, 0 to 1",
    Column.SUPPORTS: "Sources attached as supporting the claim",
    Column.REFUTES: "Sources attached as refuting the claim",
}

RESET_THRESHOLD = 20
"""More new rows than this in one change and the model resets instead of inserting."""

# Custom roles, offset from UserRole (napari's convention).
CLAIM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_ROLE = Qt.ItemDataRole.UserRole + 3
SPAN_ROLE = Qt.ItemDataRole.UserRole + 4


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_SERVED = frozenset(
    {_DISPLAY, _TOOLTIP, _ALIGNMENT, _BACKGROUND}
    | {int(r) for r in (CLAIM_ID_ROLE, SORT_ROLE, STATE_ROLE, SPAN_ROLE)}
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_RIGHT_ALIGNED = frozenset(
    int(c) for c in (Column.POSITION, Column.SCORE, Column.SUPPORTS, Column.REFUTES)
)
_COLUMNS = len(Column)
_COLOURED = frozenset(int(c) for c in (Column.POSITION, Column.VERDICT))
_BRUSHES: dict[ReviewState, QBrush] = {}


def _state_brush(state: ReviewState) -> QBrush:
    brush = _BRUSHES.get(state)
    if brush is None:
        brush = _BRUSHES[state] = QBrush(QColor(STATE_COLOURS[state]))
    return brush


# Built once: iterating an Enum class (or taking its len) is slow enough that
# doing it per row made opening a 2,000-claim article take 0.2 s longer.
_ALL_COLUMNS = tuple(Column)
_STATUS_RANK = {status: n for n, status in enumerate(Status)}
_VERDICT_RANK = {verdict: n for n, verdict in enumerate(Verdict)}


@dataclass(slots=True)
class ClaimDisplayRow:
    """What the table shows for one claim, computed once per change."""

    id: int
    position: int
    start: int
    end: int
    text: str
    search: str
    score: float
    types: tuple[str, ...]
    types_text: str
    status: Status
    verdict: Verdict | None
    state: ReviewState
    supports: int
    refutes: int
    evidence: int
    cells: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """Display text per column, computed once: ``data()`` runs for every
    painted cell and every role, so it only indexes."""
    keys: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    """Sort key per column (ties broken by start), for one key-function sort."""

    def __post_init__(self) -> None:
        self.finish()

    def finish(self) -> None:
        """Recompute the cached cells and keys (after a field changed)."""
        self.cells = tuple(self.display(c) for c in _ALL_COLUMNS)
        self.keys = tuple((self.sort_key(c), self.start) for c in _ALL_COLUMNS)

    @classmethod
    def build(cls, claim: Claim, counts: dict[str, int] | None) -> ClaimDisplayRow:
        counts = counts or {}
        text = " ".join(claim.text.split())
        return cls(
            id=claim.id,
            position=claim.position,
            start=claim.start,
            end=claim.end,
            text=text,
            search=text.casefold(),
            score=claim.score,
            types=claim.types,
            types_text=", ".join(claim.types),
            status=claim.status,
            verdict=claim.verdict,
            state=claim_state(claim),
            supports=counts.get(Stance.SUPPORTS.value, 0),
            refutes=counts.get(Stance.REFUTES.value, 0),
            evidence=sum(counts.values()),
        )

    def display(self, column: Column) -> str:
        if column is Column.POSITION:
            return str(self.position + 1)
        if column is Column.TEXT:
            return self.text
        if column is Column.SCORE:
            return f"{self.score:.2f}"
        if column is Column.TYPES:
            return self.types_text
        if column is Column.STATUS:
            return self.status.value.replace("_", " ")
        if column is Column.VERDICT:
            return self.verdict.label if self.verdict else ""
        if column is Column.SUPPORTS:
            return str(self.supports)
        return str(self.refutes)

    def sort_key(self, column: Column) -> Any:
        if column is Column.POSITION:
            return (self.start, self.position)
        if column is Column.TEXT:
            return self.search
        if column is Column.SCORE:
            return self.score
        if column is Column.TYPES:
            return self.types_text
        if column is Column.STATUS:
            return _STATUS_RANK[self.status]
        if column is Column.VERDICT:
            return -1 if self.verdict is None else _VERDICT_RANK[self.verdict]
        if column is Column.SUPPORTS:
            return self.supports
        return self.refutes


class ClaimsModel(QAbstractTableModel):
    """The claims of one article, one row per claim id."""

    def __init__(self, store: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._article_id: int | None = None
        self._ids: list[int] = []
        self._rows: dict[int, ClaimDisplayRow] = {}
        self._sort: tuple[Column, Qt.SortOrder] = (Column.POSITION, Qt.SortOrder.AscendingOrder)

    # ---------------------------------------------------------------- loading

    @property
    def article_id(self) -> int | None:
        return self._article_id

    def set_article(self, article_id: int | None) -> None:
        self.beginResetModel()
        self._article_id = article_id
        self._load_all()
        self.endResetModel()

    def show_claims(
        self, article_id: int, claims: Sequence[Claim], counts: dict[int, dict[str, int]]
    ) -> None:
        """Show claims already read (the start-up glance) without asking the store."""
        self.beginResetModel()
        self._article_id = article_id
        self._fill(claims, counts)
        self.endResetModel()

    def _load_all(self) -> None:
        if self._article_id is None:
            self._ids, self._rows = [], {}
            return
        claims = claim_service.claims_for_article(self._store, self._article_id)
        counts = claim_service.evidence_counts(self._store, self._article_id)
        self._fill(claims, counts)

    def _fill(self, claims: Sequence[Claim], counts: dict[int, dict[str, int]]) -> None:
        self._rows = {c.id: ClaimDisplayRow.build(c, counts.get(c.id)) for c in claims}
        self._ids = list(self._rows)
        self._apply_sort()

    def reload(self) -> None:
        """Re-read every row (after an extraction replaced the lot)."""
        self.set_article(self._article_id)

    def apply_changes(self, changes: Changes) -> None:
        """Refresh what ``changes`` names, row by row, keeping selections intact."""
        aid = self._article_id
        if aid is None:
            return
        if aid in changes.deleted_articles:
            self.set_article(None)
            return
        for cid in changes.deleted_claims:
            self._remove(cid)
        touched = set(changes.claims)
        evidence_moved = bool(changes.evidence or changes.deleted_evidence)
        if not touched and not evidence_moved and aid not in changes.articles:
            return
        counts = claim_service.evidence_counts(self._store, aid)
        if aid in changes.articles:
            # An article-level change (an extraction, a claim added elsewhere):
            # compare ids so rows appear and disappear without a reset.
            current = {c.id: c for c in claim_service.claims_for_article(self._store, aid)}
            if sum(1 for cid in current if cid not in self._rows) > RESET_THRESHOLD:
                self.reload()  # an extraction: one reset beats hundreds of inserts
                return
            for cid in [i for i in self._ids if i not in current]:
                self._remove(cid)
            for cid, claim in current.items():
                row = ClaimDisplayRow.build(claim, counts.get(cid))
                if cid in self._rows:
                    self._replace(row)
                else:
                    self._insert(row)
            self._resort_if_needed()
            return
        for cid in touched:
            try:
                claim = claim_service.get_claim(self._store, cid)
            except NotFoundError:
                self._remove(cid)
                continue
            if claim.article_id != aid:
                continue
            row = ClaimDisplayRow.build(claim, counts.get(cid))
            if cid in self._rows:
                self._replace(row)
            else:
                self._insert(row)
        self._resort_if_needed()
        if evidence_moved:
            for cid in list(self._ids):
                old = self._rows[cid]
                c = counts.get(cid, {})
                if (old.supports, old.refutes, old.evidence) != (
                    c.get(Stance.SUPPORTS.value, 0),
                    c.get(Stance.REFUTES.value, 0),
                    sum(c.values()),
                ):
                    old.supports = c.get(Stance.SUPPORTS.value, 0)
                    old.refutes = c.get(Stance.REFUTES.value, 0)
                    old.evidence = sum(c.values())
                    old.finish()
                    r = self._ids.index(cid)
                    self.dataChanged.emit(
                        self.index(r, Column.SUPPORTS), self.index(r, Column.REFUTES)
                    )

    def _resort_if_needed(self) -> None:
        """Edits can move a row's sort key (positions renumber); keep the order true."""
        column, order = self._sort
        keys = [self._rows[c].keys[column] for c in self._ids]
        wanted = sorted(keys, reverse=order == Qt.SortOrder.DescendingOrder)
        if keys != wanted:
            self.sort(column, order)

    def _remove(self, claim_id: int) -> None:
        if claim_id not in self._rows:
            return
        r = self._ids.index(claim_id)
        self.beginRemoveRows(QModelIndex(), r, r)
        del self._ids[r]
        del self._rows[claim_id]
        self.endRemoveRows()

    def _insert(self, row: ClaimDisplayRow) -> None:
        column, order = self._sort
        key = row.sort_key(column)
        pos = len(self._ids)
        for i, cid in enumerate(self._ids):
            other = self._rows[cid].sort_key(column)
            before = key < other if order == Qt.SortOrder.AscendingOrder else key > other
            if before:
                pos = i
                break
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._ids.insert(pos, row.id)
        self._rows[row.id] = row
        self.endInsertRows()

    def _replace(self, row: ClaimDisplayRow) -> None:
        if self._rows[row.id] == row:
            return
        self._rows[row.id] = row
        r = self._ids.index(row.id)
        self.dataChanged.emit(self.index(r, 0), self.index(r, len(Column) - 1))

    # ---------------------------------------------------------------- access

    def row_at(self, row: int) -> ClaimDisplayRow:
        return self._rows[self._ids[row]]

    def row_of(self, claim_id: int) -> int:
        """Source row of ``claim_id``, -1 when not in this article."""
        try:
            return self._ids.index(claim_id)
        except ValueError:
            return -1

    def claim_ids(self) -> list[int]:
        return list(self._ids)

    def cached(self, claim_id: int) -> ClaimDisplayRow | None:
        return self._rows.get(claim_id)

    # ---------------------------------------------------------------- Qt API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else _COLUMNS

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # Called for every painted cell and every role Qt asks about (about
        # seven per cell): answer from the row's precomputed cells, and turn
        # away the roles this model does not serve before touching the row.
        if role not in _SERVED or not index.isValid():
            return None
        row = self._rows[self._ids[index.row()]]
        column = index.column()
        if role == _DISPLAY:
            return row.cells[column]
        if role == _BACKGROUND:
            return _state_brush(row.state) if column in _COLOURED else None
        if role == _ALIGNMENT:
            return _RIGHT if column in _RIGHT_ALIGNED else None
        if role == _TOOLTIP:
            if column == Column.TEXT:
                return row.text
            if column == Column.VERDICT or column == Column.STATUS:
                return row.state.label
            return None
        if role == CLAIM_ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return row.keys[column][0]
        if role == STATE_ROLE:
            return row.state.value
        return (row.start, row.end)  # SPAN_ROLE

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(column, HEADERS[column])
        return None

    # flags(): the inherited C++ answer (enabled, selectable, no children) is
    # what this read-only table wants, without a call into Python per cell.

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Column):
            return
        self._sort = (Column(column), order)
        old_ids = list(self._ids)
        self._apply_sort()
        if self._ids == old_ids:
            # Already in this order: no layout change.  QTableView.sortByColumn
            # asks twice (directly and through the header's sort indicator),
            # and each layout change makes the proxy and the view re-map and
            # re-lay out every row.
            return
        new_ids, self._ids = self._ids, old_ids
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        self._ids = new_ids
        where = {cid: r for r, cid in enumerate(self._ids)}
        self.changePersistentIndexList(
            persistent,
            [self.index(where[old_ids[p.row()]], p.column()) for p in persistent],
        )
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        column, order = self._sort
        keys = {cid: row.keys[column] for cid, row in self._rows.items()}
        self._ids.sort(key=keys.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)


class ClaimsFilterProxy(QSortFilterProxyModel):
    """Filters by type, status, verdict, minimum score and text; sorting is the source's."""

    NO_VERDICT = "none"

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.type_filter: str | None = None
        self.status_filter: Status | None = None
        self.verdict_filter: str | None = None  # a Verdict value or NO_VERDICT
        self.min_score = 0.0
        self.text_filter = ""
        self._active = False
        self._rows_of: ClaimsModel | None = None

    def setSourceModel(self, model: Any) -> None:
        self._rows_of = model if isinstance(model, ClaimsModel) else None
        super().setSourceModel(model)

    def source(self) -> ClaimsModel:
        model = self.sourceModel()
        assert isinstance(model, ClaimsModel)
        return model

    def set_filters(
        self,
        *,
        type_: str | None = None,
        status: Status | None = None,
        verdict: str | None = None,
        min_score: float = 0.0,
        text: str = "",
    ) -> None:
        wanted = (type_, status, verdict, min_score, text.strip().casefold())
        current = (
            self.type_filter,
            self.status_filter,
            self.verdict_filter,
            self.min_score,
            self.text_filter,
        )
        if wanted == current:
            return  # refiltering 2,000 rows for nothing costs a visible pause
        self.beginFilterChange()
        self.type_filter = type_
        self.status_filter = status
        self.verdict_filter = verdict
        self.min_score = min_score
        self.text_filter = text.strip().casefold()
        self._active = self.is_filtering()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def is_filtering(self) -> bool:
        return bool(
            self.type_filter
            or self.status_filter
            or self.verdict_filter
            or self.min_score > 0
            or self.text_filter
        )

    def accepts(self, row: ClaimDisplayRow) -> bool:
        if self.type_filter and self.type_filter not in row.types:
            return False
        if self.status_filter is not None and row.status is not self.status_filter:
            return False
        if self.verdict_filter:
            value = row.verdict.value if row.verdict else self.NO_VERDICT
            if value != self.verdict_filter:
                return False
        if row.score < self.min_score:
            return False
        return not self.text_filter or self.text_filter in row.search

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        # Called once per source row on every refilter, re-sort and reset.
        if not self._active:
            return True
        model = self._rows_of
        if model is None or source_parent.isValid():
            return False
        return self.accepts(model.row_at(source_row))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in the source (one key sort) and keep the proxy's own order unsorted."""
        self.source().sort(column, order)

    def claim_id(self, proxy_row: int) -> int:
        return int(self.data(self.index(proxy_row, 0), CLAIM_ID_ROLE))

    def proxy_row_of(self, claim_id: int) -> int:
        src = self.source().row_of(claim_id)
        if src < 0:
            return -1
        return self.mapFromSource(self.source().index(src, 0)).row()
