"""The evidence of one claim as a table: stance, title, URL, fetch state, excerpt, note.

Like every model here it holds ids plus a cache of display rows
(:class:`~workbench.core.model.EvidenceView`), reloaded from the store only
when a :class:`Changes` record names this claim, one of its evidence rows or
one of its sources.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from workbench.core.model import Changes, EvidenceView, FetchState, Stance
from workbench.core.services import sources as source_service
from workbench.core.services.workspace import Workspace

EvidenceIdRole = Qt.ItemDataRole.UserRole + 1
SourceIdRole = Qt.ItemDataRole.UserRole + 2
EvidenceViewRole = Qt.ItemDataRole.UserRole + 3
FetchStateRole = Qt.ItemDataRole.UserRole + 4

COLUMNS = ("Stance", "Title", "URL", "Fetch state", "Excerpt", "Note")
COL_STANCE, COL_TITLE, COL_URL, COL_STATE, COL_EXCERPT, COL_NOTE = range(len(COLUMNS))

STANCE_LABELS = {
    Stance.SUPPORTS: "Supports",
    Stance.REFUTES: "Refutes",
    Stance.CONTEXT: "Context",
    Stance.MIXED: "Mixed",
}
_STANCE_COLOURS = {
    Stance.SUPPORTS: QColor("#1b7f3a"),
    Stance.REFUTES: QColor("#b3261e"),
    Stance.CONTEXT: QColor("#455a64"),
    Stance.MIXED: QColor("#8a5a00"),
}

Index = QModelIndex | QPersistentModelIndex


def fetch_state_text(view: EvidenceView, *, fetching: bool = False) -> str:
    """The fetch state as the fact-checker reads it.

    "excerpt not found in source" outranks "fetched": a fetched page that
    does not hold the quoted words is the thing to act on.
    """
    source = view.source
    if fetching:
        return "fetching…"
    if source.fetch_state is FetchState.FETCHED:
        if view.evidence.excerpt_found is False:
            return "excerpt not found in source"
        if source.fetch_error:
            return f"fetched (last re-fetch failed: {source.fetch_error})"
        return "fetched"
    if source.fetch_state is FetchState.FAILED:
        return f"not fetched: {source.fetch_error or 'unknown error'}"
    return "not fetched: waiting for the fetch"


class EvidenceModel(QAbstractTableModel):
    """Rows of one claim's evidence, in the order it was attached."""

    def __init__(self, store: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._claim_id: int | None = None
        self._rows: list[EvidenceView] = []
        self._fetching: set[int] = set()  # source ids being fetched now

    # ---------------------------------------------------------------- loading

    @property
    def claim_id(self) -> int | None:
        return self._claim_id

    def set_claim(self, claim_id: int | None) -> None:
        self.beginResetModel()
        self._claim_id = claim_id
        self._rows = (
            source_service.evidence_for_claim(self._store, claim_id) if claim_id is not None else []
        )
        self.endResetModel()

    def reload(self) -> None:
        self.set_claim(self._claim_id)

    def concerns(self, changes: Changes) -> bool:
        if self._claim_id is None:
            return False
        if self._claim_id in changes.claims or self._claim_id in changes.deleted_claims:
            return True
        mine_ev = {v.evidence.id for v in self._rows}
        mine_src = {v.source.id for v in self._rows}
        return bool(
            mine_ev & (changes.evidence | changes.deleted_evidence) or mine_src & changes.sources
        )

    def set_fetching(self, source_id: int, fetching: bool) -> None:
        if fetching:
            self._fetching.add(source_id)
        else:
            self._fetching.discard(source_id)
        for row, view in enumerate(self._rows):
            if view.source.id == source_id:
                index = self.index(row, COL_STATE)
                self.dataChanged.emit(index, index)

    def view_at(self, row: int) -> EvidenceView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, evidence_id: int) -> int:
        for row, view in enumerate(self._rows):
            if view.evidence.id == evidence_id:
                return row
        return -1

    # ---------------------------------------------------------------- Qt API

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        view = self._rows[index.row()]
        col = index.column()
        if role == EvidenceIdRole:
            return view.evidence.id
        if role == SourceIdRole:
            return view.source.id
        if role == EvidenceViewRole:
            return view
        if role == FetchStateRole:
            return fetch_state_text(view, fetching=view.source.id in self._fetching)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(view, col, tooltip=role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STANCE:
            return QBrush(_STANCE_COLOURS[view.evidence.stance])
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATE:
            text = fetch_state_text(view, fetching=view.source.id in self._fetching)
            if text != "fetched":
                return QBrush(QColor("#8a5a00"))
        return None

    def _text(self, view: EvidenceView, col: int, *, tooltip: bool) -> str:
        ev, src = view.evidence, view.source
        if col == COL_STANCE:
            return STANCE_LABELS[ev.stance]
        if col == COL_TITLE:
            title = src.title or "(no title yet)"
            return f"{title} — {src.site}" if tooltip and src.site else title
        if col == COL_URL:
            return src.url if tooltip else src.normalized_url
        if col == COL_STATE:
            return fetch_state_text(view, fetching=src.id in self._fetching)
        if col == COL_EXCERPT:
            return ev.excerpt if tooltip else _one_line(ev.excerpt)
        return ev.note if tooltip else _one_line(ev.note)


def _one_line(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
