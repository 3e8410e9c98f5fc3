"""Search results as a list model: one row per :class:`SearchHit`.

The core marks matched words in a snippet with control characters
(:data:`workbench.core.model.MATCH_START` ... ``MATCH_END``) rather than with
HTML, because snippets come from article text, rationales and fetched web
pages: none of that may ever be interpreted as markup.
:func:`snippet_html` is the single place where the markers become ``<b>``,
after everything else has been escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from workbench.core.model import SearchHit, snippet_pieces, snippet_text

HitRole = Qt.ItemDataRole.UserRole + 1
KindRole = Qt.ItemDataRole.UserRole + 2
ArticleIdRole = Qt.ItemDataRole.UserRole + 3
ClaimIdRole = Qt.ItemDataRole.UserRole + 4
SourceIdRole = Qt.ItemDataRole.UserRole + 5
HeadingRole = Qt.ItemDataRole.UserRole + 6
"""Plain one-line heading: kind, title and (for claims) verdict."""
SnippetHtmlRole = Qt.ItemDataRole.UserRole + 7
"""The snippet as escaped HTML with the matches in ``<b>``."""

KIND_LABELS = {"claim": "Claim", "article": "Article", "source": "Source"}

_CONTROL = re.compile(r"[\x00-\x01\x04-\x08\x0b-\x1f\x7f]")
_SPACE = re.compile(r"\s+")


def snippet_plain(snippet: str) -> str:
    """The snippet without markers or control characters, on one line."""
    return _SPACE.sub(" ", _CONTROL.sub("", snippet_text(snippet))).strip()


def snippet_html(snippet: str) -> str:
    """Escape the snippet, then turn the match markers into balanced ``<b>`` tags.

    Markers are treated as a toggle that cannot nest, so a stray or unpaired
    marker (a snippet cut in the middle of a match) still yields valid markup.
    """
    out: list[str] = []
    for text, matched in snippet_pieces(_CONTROL.sub("", snippet)):
        escaped = html.escape(_SPACE.sub(" ", text), quote=False)
        out.append(f"<b>{escaped}</b>" if matched else escaped)
    return "".join(out).strip()


def heading(hit: SearchHit) -> str:
    """ "Claim · Article title · False": what the row is, where it is, what was found."""
    parts = [KIND_LABELS.get(hit.kind, hit.kind.title()), _SPACE.sub(" ", hit.title).strip()]
    if hit.kind == "claim":
        parts.append(hit.verdict.label if hit.verdict is not None else "no verdict")
    return " · ".join(p for p in parts if p)


Index = QModelIndex | QPersistentModelIndex


class SearchResultsModel(QAbstractListModel):
    """Holds the hits of the last search; replaced wholesale on each new search."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._hits: list[SearchHit] = []

    # ----------------------------------------------------------------- Qt API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._hits) or index.column() != 0:
            return None
        hit = self._hits[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{heading(hit)}\n{snippet_plain(hit.snippet)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return snippet_plain(hit.snippet)
        if role == HitRole:
            return hit
        if role == KindRole:
            return hit.kind
        if role == ArticleIdRole:
            return hit.article_id
        if role == ClaimIdRole:
            return hit.claim_id
        if role == SourceIdRole:
            return hit.source_id
        if role == HeadingRole:
            return heading(hit)
        if role == SnippetHtmlRole:
            return snippet_html(hit.snippet)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # ------------------------------------------------------------- our API
    def set_hits(self, hits: Sequence[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def clear(self) -> None:
        if self._hits:
            self.set_hits(())

    def hit(self, row: int) -> SearchHit:
        return self._hits[row]

    def hits(self) -> list[SearchHit]:
        return list(self._hits)
