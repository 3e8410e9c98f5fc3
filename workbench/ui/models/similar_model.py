"""Earlier checks of a claim as a table: similarity, verdict, article, claim, reasons, evidence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from workbench.core.model import SimilarClaim

SimilarRole = Qt.ItemDataRole.UserRole + 1
ClaimIdRole = Qt.ItemDataRole.UserRole + 2
ArticleIdRole = Qt.ItemDataRole.UserRole + 3
EvidenceCountRole = Qt.ItemDataRole.UserRole + 4

COLUMNS = ("Similarity", "Verdict", "Article", "Claim", "Why similar", "Evidence")
COL_SIM, COL_VERDICT, COL_ARTICLE, COL_CLAIM, COL_REASONS, COL_EVIDENCE = range(len(COLUMNS))

Index = QModelIndex | QPersistentModelIndex


def _one_line(text: str) -> str:
    return " ".join(text.split())


class SimilarClaimsModel(QAbstractTableModel):
    """Holds the earlier checks found for one claim, best first (the core's order)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SimilarClaim] = []

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
        if not index.isValid() or index.parent().isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= col < len(COLUMNS)):
            return None
        item = self._rows[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(item, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_CLAIM:
                return item.claim.text
            if col == COL_REASONS:
                return "\n".join(item.reasons)
            if col == COL_ARTICLE:
                return item.article_title
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_SIM, COL_EVIDENCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SimilarRole:
            return item
        if role == ClaimIdRole:
            return item.claim.id
        if role == ArticleIdRole:
            return item.claim.article_id
        if role == EvidenceCountRole:
            return len(item.evidence)
        return None

    @staticmethod
    def _text(item: SimilarClaim, col: int) -> str:
        if col == COL_SIM:
            return f"{round(item.similarity * 100)}%"
        if col == COL_VERDICT:
            return item.claim.verdict.label if item.claim.verdict is not None else "no verdict"
        if col == COL_ARTICLE:
            return _one_line(item.article_title)
        if col == COL_CLAIM:
            return _one_line(item.claim.text)
        if col == COL_REASONS:
            return "; ".join(item.reasons)
        n = len(item.evidence)
        return f"{n} source{'s' if n != 1 else ''}"

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def set_rows(self, rows: Sequence[SimilarClaim]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def clear(self) -> None:
        if self._rows:
            self.set_rows(())

    def item(self, row: int) -> SimilarClaim:
        return self._rows[row]

    def claim_ids(self) -> set[int]:
        return {r.claim.id for r in self._rows}
