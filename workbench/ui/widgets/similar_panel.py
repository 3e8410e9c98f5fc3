"""Earlier checks: the same claim as checked in other articles, and reuse of its evidence.

The lookup (full-text candidates, then fact and fuzzy-text ranking) runs on
the runner's "io" lane; each request carries a generation number so a slow
answer for a claim the user already left is dropped.  Copying evidence is
one undoable operation on the database lane
(:meth:`~workbench.ui.commands.Edits.copy_evidence`), so Ctrl+Z takes it
back like any other edit.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import KnownError, UserInputError
from workbench.core.model import Changes, EvidenceView, SimilarClaim
from workbench.core.services import library
from workbench.core.services.workspace import Workspace
from workbench.ui.bus import ChangeBus
from workbench.ui.commands import Edits
from workbench.ui.lookup import LatestLookup
from workbench.ui.models.similar_model import (
    COL_CLAIM,
    COL_REASONS,
    SimilarClaimsModel,
)
from workbench.ui.tasks import TaskHandle, TaskRunner

RESULT_LIMIT = 10
REFRESH_DELAY_MS = 300
"""Edits arrive in bursts (typing a rationale); look again once they settle."""

Index = QModelIndex | QPersistentModelIndex


class SimilarClaimsPanel(QWidget):
    """Lists earlier checks of the shown claim; opens one or copies its evidence here.

    Signals:
        claim_activated(int article_id, int claim_id): "Open" on an earlier check.
        lookup_finished(int rows): the list for the current claim is shown.
        copied(int rows): evidence was copied onto the shown claim.
    """

    claim_activated = Signal(int, int)
    lookup_finished = Signal(int)
    copied = Signal(int)

    def __init__(
        self,
        *,
        store: Workspace,
        runner: TaskRunner,
        edits: Edits,
        bus: ChangeBus,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._edits = edits
        self._bus = bus
        self._claim_id: int | None = None
        self._lookup: LatestLookup[list[SimilarClaim]] = LatestLookup(
            self,
            runner,
            on_result=self._show_rows,
            on_failure=self._show_failure,
            bug_line="Looking for earlier checks failed because of a bug.",
        )

        self.status_label = QLabel("No claim selected.", self)
        self.status_label.setAccessibleName("Earlier checks status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)

        self.model = SimilarClaimsModel(self)
        self.table = QTableView(self)
        self.table.setAccessibleName("Earlier checks of this claim")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_CLAIM, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_REASONS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COL_REASONS, 260)

        self.open_button = QPushButton("&Open", self)
        self.open_button.setAccessibleName("Open the earlier check")
        self.copy_button = QPushButton("Copy &evidence to this claim", self)
        self.copy_button.setAccessibleName("Copy the earlier check's evidence to this claim")

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.status_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)

        self.open_button.clicked.connect(self.open_selected)
        self.copy_button.clicked.connect(self.copy_selected)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._update_buttons)
        bus.changed.connect(self._on_changes)
        self._update_buttons()

    # ----------------------------------------------------------------- API
    @property
    def claim_id(self) -> int | None:
        return self._claim_id

    def show_claim(self, claim_id: int | None) -> None:
        """Look up earlier checks of ``claim_id`` (None clears the panel)."""
        self._claim_id = claim_id
        self._refresh_timer.stop()
        self.model.clear()
        if claim_id is None:
            self._lookup.cancel()
            self.status_label.setText("No claim selected.")
            self.lookup_finished.emit(0)
            return
        self.status_label.setText("Looking for earlier checks…")
        self.refresh()

    def refresh(self) -> None:
        """Look again for the current claim, keeping the selected row if it is still there."""
        self._refresh_timer.stop()
        claim_id = self._claim_id
        if claim_id is None:
            return
        store = self._store
        self._lookup.start(
            lambda: library.similar_claims(store, claim_id, limit=RESULT_LIMIT),
            label="Looking for earlier checks",
        )

    def is_busy(self) -> bool:
        return self._lookup.busy

    def selected(self) -> SimilarClaim | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.item(rows[0].row())

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def open_selected(self) -> None:
        item = self.selected()
        if item is not None:
            self.claim_activated.emit(item.claim.article_id, item.claim.id)

    def copy_selected(self) -> TaskHandle | None:
        """Copy the selected check's evidence onto the shown claim, as one undo step."""
        item = self.selected()
        if item is None or self._claim_id is None:
            return None
        have = {v.source.id for v in self._target_evidence()}
        if all(v.source.id in have for v in item.evidence):
            self.status_label.setText(
                UserInputError(
                    "nothing to copy: this claim already cites every source of that check",
                    hint="pick an earlier check with other sources",
                ).one_line()
            )
            return None

        def copied(changes: Changes) -> None:
            n = len(changes.evidence)
            self.status_label.setText(
                f"Copied {n} source{'s' if n != 1 else ''} from the earlier check (Ctrl+Z undoes)."
            )
            self.copied.emit(n)

        def failed(exc: BaseException) -> None:
            self.status_label.setText(
                exc.one_line() if isinstance(exc, KnownError) else f"Copy failed: {exc}"
            )

        return self._edits.copy_evidence(
            item.claim.id, self._claim_id, on_success=copied, on_failure=failed
        )

    def _target_evidence(self) -> list[EvidenceView]:
        from workbench.core.services.sources import evidence_for_claim

        return evidence_for_claim(self._store, self._claim_id) if self._claim_id is not None else []

    # ------------------------------------------------------------- internals
    def _show_rows(self, rows: list[SimilarClaim]) -> None:
        keep = self.selected()
        self.model.set_rows(rows)
        if keep is not None:
            for row, item in enumerate(rows):
                if item.claim.id == keep.claim.id:
                    self.table.selectRow(row)
                    break
        if rows:
            self.status_label.setText(
                f"{len(rows)} earlier check{'s' if len(rows) != 1 else ''} in other articles."
            )
        else:
            self.status_label.setText("No earlier checks of this claim in other articles.")
        self.lookup_finished.emit(len(rows))

    def _show_failure(self, line: str) -> None:
        self.model.clear()
        self.status_label.setText(line)
        self.lookup_finished.emit(0)

    def _on_changes(self, changes: Changes) -> None:
        if self._claim_id is None:
            return
        if self._claim_id in changes.deleted_claims:
            self.show_claim(None)
            return
        watched = {self._claim_id} | self.model.claim_ids()
        if (changes.claims | changes.deleted_claims) & watched:
            self._refresh_timer.start()

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.selected()
        self.open_button.setEnabled(item is not None)
        self.copy_button.setEnabled(
            item is not None and self._claim_id is not None and len(item.evidence) > 0
        )
