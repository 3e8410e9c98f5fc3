"""The article text with every claim's span highlighted by its review state.

Highlights are ``ExtraSelection`` ranges on a read-only ``QPlainTextEdit``: they
never touch the document, so the text the user selects is exactly the
article's, and thousands of spans repaint cheaply.  Consistency flags get a
red wavy underline on top of whatever colour the claim has.

Offsets: the core counts Python characters, Qt counts UTF-16 units; the two
differ only after a character outside the Basic Multilingual Plane (emoji, some
CJK), so a map is built only when the text has one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from workbench.core.model import Article, Flag
from workbench.ui.models.claims_model import STATE_COLOURS, ClaimDisplayRow, ReviewState

FLAG_COLOUR = "#dc2626"
ADD_CLAIM_SHORTCUT = "Ctrl+Shift+A"


_WIDE = re.compile("[\U00010000-\U0010ffff]")


class _OffsetMap:
    """Python str offsets <-> Qt document positions."""

    def __init__(self, text: str) -> None:
        # Positions (Python offsets) of characters that take two UTF-16 units.
        # A regex scan: a Python loop over every character of a long article
        # cost tens of milliseconds on each open.
        self._wide = [m.start() for m in _WIDE.finditer(text)]

    def to_qt(self, offset: int) -> int:
        if not self._wide:
            return offset
        return offset + bisect.bisect_left(self._wide, offset)

    def to_py(self, position: int) -> int:
        if not self._wide:
            return position
        # Walk: each wide char before the offset adds one unit.
        lo, hi = 0, position
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.to_qt(mid) <= position:
                lo = mid
            else:
                hi = mid - 1
        return lo


class ArticleView(QPlainTextEdit):
    """Read-only article text with claim highlights.

    Signals:
        claim_clicked(int): the user clicked (or pressed Enter on) a claim's span.
        add_claim_requested(int, int): "Add claim from selection" on a
            selection, as Python offsets [start, end) into the article text.
    """

    claim_clicked = Signal(int)
    add_claim_requested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("article-view")
        self.setAccessibleName("Article text")
        self.setAccessibleDescription(
            "The article. Claims are highlighted; click one to select it. "
            "Select text and press Ctrl+Shift+A to add a claim."
        )
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.document().setDocumentMargin(14)
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.5) + 0.5)
        self.setFont(font)
        self._article: Article | None = None
        self._map = _OffsetMap("")
        self._claims: list[ClaimDisplayRow] = []
        self._flags: list[Flag] = []
        self._selected: int | None = None
        self._base_selections: list[QTextEdit.ExtraSelection] = []
        self._flag_selections: list[QTextEdit.ExtraSelection] = []

        self.add_claim_action = QAction("Add claim from selection", self)
        self.add_claim_action.setShortcut(QKeySequence(ADD_CLAIM_SHORTCUT))
        self.add_claim_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.add_claim_action.setToolTip("Make the selected article text a claim")
        self.add_claim_action.setEnabled(False)
        self.add_claim_action.triggered.connect(self._request_add_claim)
        self.selectionChanged.connect(self._update_action)

    # ---------------------------------------------------------------- content

    @property
    def article(self) -> Article | None:
        return self._article

    def set_article(self, article: Article | None) -> None:
        """Show ``article``; the same text again keeps the document and the scroll position.

        (The staged start paints the article from the start-up glance, then
        opens it again through the store: laying out a long article twice
        would stall the window for nothing.)
        """
        same = (
            article is not None
            and self._article is not None
            and self._article.id == article.id
            and self._article.text == article.text
        )
        self._article = article
        self._claims, self._flags, self._selected = [], [], None
        self._base_selections, self._flag_selections = [], []
        if not same:
            text = article.text if article else ""
            self._map = _OffsetMap(text)
            self.setPlainText(text)
            self.moveCursor(QTextCursor.MoveOperation.Start)
        self._apply_selections()

    def set_claims(self, rows: Iterable[ClaimDisplayRow]) -> None:
        """Claim highlights; the flag ranges stay (each kind is rebuilt when it changes)."""
        self._claims = sorted(rows, key=lambda r: (r.start, r.end))
        self._rebuild_claim_selections()
        self._apply_selections()

    def set_flags(self, flags: Sequence[Flag]) -> None:
        self._flags = [f for f in flags if not f.dismissed]
        self._rebuild_flag_selections()
        self._apply_selections()

    def claim_rows(self) -> list[ClaimDisplayRow]:
        return list(self._claims)

    # ---------------------------------------------------------------- selection

    def select_claim(self, claim_id: int | None, *, scroll: bool = True) -> None:
        """Emphasise ``claim_id``'s span and bring it into view."""
        self._selected = claim_id
        self._apply_selections()
        row = next((r for r in self._claims if r.id == claim_id), None)
        if row is None or not scroll:
            return
        self.show_span(row.start, row.end)

    def show_span(self, start: int, end: int) -> None:
        """Scroll to [start, end) without selecting it (the highlight shows it)."""
        cursor = self.textCursor()
        cursor.setPosition(self._clamp(self._map.to_qt(end)))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        cursor.setPosition(self._clamp(self._map.to_qt(start)))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def select_span(self, start: int, end: int) -> None:
        """Select article text [start, end) as the user would (tests, keyboard flows)."""
        cursor = self.textCursor()
        cursor.setPosition(self._clamp(self._map.to_qt(start)))
        cursor.setPosition(self._clamp(self._map.to_qt(end)), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    @property
    def selected_claim(self) -> int | None:
        return self._selected

    def selection_span(self) -> tuple[int, int] | None:
        """The selected text as Python offsets, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self._map.to_py(cursor.selectionStart()), self._map.to_py(cursor.selectionEnd())

    def cursor_offset(self) -> int:
        return self._map.to_py(self.textCursor().position())

    def claim_at(self, offset: int) -> int | None:
        """The innermost claim whose span contains ``offset``."""
        best: ClaimDisplayRow | None = None
        for row in self._claims:
            if row.start > offset:
                break
            if row.start <= offset < row.end and (
                best is None or row.end - row.start < best.end - best.start
            ):
                best = row
        return best.id if best else None

    def claim_at_point(self, point: QPoint) -> int | None:
        position = self.cursorForPosition(point).position()
        return self.claim_at(self._map.to_py(position))

    # ---------------------------------------------------------------- events

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        claim_id = self.claim_at_point(event.position().toPoint())
        if claim_id is not None:
            self.claim_clicked.emit(claim_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            claim_id = self.claim_at(self.cursor_offset())
            if claim_id is not None:
                self.claim_clicked.emit(claim_id)
                return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.createStandardContextMenu(event.pos())
        menu.setAccessibleName("Article menu")
        first = menu.actions()[0] if menu.actions() else None
        if first is None:
            menu.addAction(self.add_claim_action)
        else:
            menu.insertAction(first, self.add_claim_action)
            menu.insertSeparator(first)
        menu.exec(event.globalPos())
        menu.deleteLater()

    # ---------------------------------------------------------------- internals

    def _request_add_claim(self) -> None:
        span = self.selection_span()
        if span is not None and span[0] < span[1]:
            self.add_claim_requested.emit(*span)

    def _update_action(self) -> None:
        self.add_claim_action.setEnabled(self.textCursor().hasSelection())

    def _clamp(self, position: int, last: int | None = None) -> int:
        """``position`` kept inside the document; ``last`` is its last position, if known."""
        return max(0, min(position, self._last_position() if last is None else last))

    def _rebuild_claim_selections(self) -> None:
        formats = {state: _state_format(state, selected=False) for state in ReviewState}
        last = self._last_position()
        self._base_selections = [
            self._selection(row.start, row.end, formats[row.state], last) for row in self._claims
        ]

    def _rebuild_flag_selections(self) -> None:
        flag_format = QTextCharFormat()
        flag_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        flag_format.setUnderlineColor(QColor(FLAG_COLOUR))
        last = self._last_position()
        self._flag_selections = []
        for flag in self._flags:
            for start, end in flag.spans:
                sel = self._selection(start, end, flag_format, last)
                sel.format.setToolTip(flag.message)
                self._flag_selections.append(sel)

    def _last_position(self) -> int:
        return self.document().characterCount() - 1

    def _apply_selections(self) -> None:
        """Base ranges plus the selected claim's overlay: selecting costs one range."""
        overlay: list[QTextEdit.ExtraSelection] = []
        row = next((r for r in self._claims if r.id == self._selected), None)
        if row is not None:
            overlay.append(
                self._selection(row.start, row.end, _state_format(row.state, selected=True))
            )
        self.setExtraSelections(self._base_selections + overlay + self._flag_selections)

    def _selection(
        self, start: int, end: int, fmt: QTextCharFormat, last: int | None = None
    ) -> QTextEdit.ExtraSelection:
        """One highlighted range; ``last`` (the document's last position) saves a
        call into Qt per range when many are built at once."""
        if last is None:
            last = self._last_position()
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._clamp(self._map.to_qt(start), last))
        cursor.setPosition(self._clamp(self._map.to_qt(end), last), QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        sel.format = QTextCharFormat(fmt)
        return sel


def _state_format(state: ReviewState, *, selected: bool) -> QTextCharFormat:
    fmt = QTextCharFormat()
    colour = QColor(STATE_COLOURS[state])
    if selected:
        colour = colour.darker(125)
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
    fmt.setBackground(colour)
    return fmt
