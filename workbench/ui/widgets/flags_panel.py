"""The article's consistency findings, each linked to the spans it is about.

Signals:
    span_activated(int, int): the user chose a finding or one of its spans;
        the main window scrolls the article to ``[start, end)`` and selects it.

A finding shows its message, kind, the checker's confidence and the
dateline it reasoned from ("dateline used"), because a finding such as
"Tuesday was not the 3rd" is only as right as the date it assumed.
Dismissing is undoable and survives re-running the checker (a finding found
again keeps its row).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import KnownError
from workbench.core.model import Changes, Flag
from workbench.core.services import articles as article_service
from workbench.core.services import claims as claim_service
from workbench.core.services.workspace import Workspace
from workbench.ui.bus import ChangeBus
from workbench.ui.commands import Edits
from workbench.ui.tasks import TaskHandle

FlagRole = Qt.ItemDataRole.UserRole + 1
SpanRole = Qt.ItemDataRole.UserRole + 2

KIND_LABELS = {
    "dateline": "Dateline",
    "anachronism": "Anachronism",
    "anniversary": "Anniversary",
    "weekday": "Weekday",
    "numbers": "Numbers",
    "office_term": "Office term",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


class FlagsPanel(QWidget):
    """See the module docstring."""

    span_activated = Signal(int, int)

    def __init__(
        self,
        *,
        store: Workspace,
        edits: Edits,
        bus: ChangeBus,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._edits = edits
        self._bus = bus
        self._article_id: int | None = None
        self._text = ""
        self._flags: list[Flag] = []
        self.setAccessibleName("Consistency findings")

        self.tree = QTreeWidget(self)
        self.tree.setAccessibleName("Findings list")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Finding", "Kind", "Confidence", "Dateline used"])
        header = self.tree.header()
        header.setAccessibleName("Finding columns")
        # The dock is narrow: the finding's message takes the room left by the
        # short columns (full text in its tooltip, with the dateline used), so
        # the list never scrolls sideways at the default width.
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setColumnHidden(3, True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.show_dismissed = QCheckBox("Show &dismissed", self)
        self.show_dismissed.setAccessibleName("Show dismissed findings")
        self.show_dismissed.toggled.connect(lambda _on: self.reload())
        self.dismiss_button = QPushButton("Dis&miss", self)
        self.dismiss_button.setAccessibleName("Dismiss finding")
        self.dismiss_button.clicked.connect(self.toggle_dismissed)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Findings summary")
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.tree)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self.toggle_dismissed)

        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.show_dismissed)
        bar.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        layout.addLayout(bar)
        bus.changed.connect(self._on_changes)
        self._update_buttons()

    # ---------------------------------------------------------------- API

    def show_article(self, article_id: int | None) -> None:
        self._article_id = article_id
        self._text = (
            article_service.get_article(self._store, article_id).text
            if article_id is not None
            else ""
        )
        self.reload()

    def reload(self) -> None:
        selected = self.current_flag()
        keep = selected.id if selected is not None else None  # ids survive re-checks
        self._flags = (
            claim_service.flags_for_article(self._store, self._article_id)
            if self._article_id is not None
            else []
        )
        self.tree.clear()
        visible = [f for f in self._flags if self.show_dismissed.isChecked() or not f.dismissed]
        for flag in sorted(visible, key=lambda f: (f.spans[0] if f.spans else (0, 0), f.id)):
            item = self._item(flag)
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)  # only takes effect once the item is in the tree
            if keep is not None and flag.id == keep:
                self.tree.setCurrentItem(item)
        active = sum(1 for f in self._flags if not f.dismissed)
        dismissed = len(self._flags) - active
        self.summary.setText(
            f"{active} finding{'s' if active != 1 else ''}"
            + (f", {dismissed} dismissed" if dismissed else "")
        )
        self._update_buttons()

    def current_flag(self) -> Flag | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        if item is None:
            return None
        flag_id = item.data(0, FlagRole)
        return next((f for f in self._flags if f.id == flag_id), None)

    def select_flag(self, flag_id: int) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and item.data(0, FlagRole) == flag_id:
                self.tree.setCurrentItem(item)
                return

    def toggle_dismissed(self) -> TaskHandle | None:
        """Dismiss the selected finding, or restore it if it is dismissed (undoable)."""
        flag = self.current_flag()
        if flag is None:
            return None
        return self._edits.dismiss_flag(flag, dismissed=not flag.dismissed, on_failure=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, KnownError):
            self.summary.setText(exc.one_line())
        else:
            import sys

            sys.excepthook(type(exc), exc, exc.__traceback__)

    # ---------------------------------------------------------------- internals

    def _item(self, flag: Flag) -> QTreeWidgetItem:
        dateline = flag.dateline_used.isoformat() if flag.dateline_used else "none"
        title = flag.message + (" (dismissed)" if flag.dismissed else "")
        item = QTreeWidgetItem([title, kind_label(flag.kind), f"{flag.confidence:.0%}", dateline])
        item.setData(0, FlagRole, flag.id)
        item.setToolTip(
            0,
            f"{flag.message}\nDateline used: {dateline}" if flag.dateline_used else flag.message,
        )
        if flag.spans:
            item.setData(0, SpanRole, list(flag.spans[0]))
        if flag.dismissed:
            grey = QBrush(QColor("#808080"))
            for col in range(4):
                item.setForeground(col, grey)
        for start, end in flag.spans:
            snippet = " ".join(self._text[start:end].split()) or "(empty span)"
            child = QTreeWidgetItem([f"“{snippet}”", "", "", f"{start}–{end}"])
            child.setData(0, FlagRole, flag.id)
            child.setData(0, SpanRole, [start, end])
            child.setToolTip(0, "Show this passage in the article")
            item.addChild(child)
        return item

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        span = item.data(0, SpanRole)
        if span:
            self.span_activated.emit(int(span[0]), int(span[1]))

    def _update_buttons(self) -> None:
        flag = self.current_flag()
        self.dismiss_button.setEnabled(flag is not None)
        restore = flag is not None and flag.dismissed
        self.dismiss_button.setText("Re&store" if restore else "Dis&miss")
        self.dismiss_button.setAccessibleName("Restore finding" if restore else "Dismiss finding")

    def _on_changes(self, changes: Changes) -> None:
        if self._article_id is None:
            return
        if self._article_id in changes.deleted_articles:
            self.show_article(None)
            return
        mine = {f.id for f in self._flags}
        if changes.flags & mine or (
            # A re-check may have replaced the findings (even with none): one
            # cheap query tells, and the tree is rebuilt only if they differ.
            self._article_id in changes.articles
            and claim_service.flags_for_article(self._store, self._article_id) != self._flags
        ):
            self.reload()
