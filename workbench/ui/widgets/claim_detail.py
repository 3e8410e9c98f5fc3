"""Everything about one claim: wording, analysis, verdict, rationale, status, evidence.

Signals:
    claim_shown(object): the panel now shows this claim id (or None).

Every edit is saved as it is made, through :class:`~workbench.ui.commands.Edits`
(an operation on the database lane, then an undo step on the window's
single QUndoStack).  Typing is debounced: the text and the rationale are
written :data:`DEBOUNCE_MS` after the last keystroke (and at once when the
editor loses focus or the user switches claims), and the saves of one
burst of typing merge into one undo step.  A pause longer than
:data:`BURST_GAP_MS`, leaving the editor or switching claims starts a new
burst, so Undo takes back what the user typed last, not the whole day.

Saves are asynchronous: while one is on its way the editor is never
refilled from the database (the stored text lags behind what was typed),
and when another program holds the database the panel says it is
"waiting for another program…" while the user types on.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import KnownError, NotFoundError
from workbench.core.export.fmt import fact_line, type_label
from workbench.core.model import Changes, Claim, Status, Verdict
from workbench.core.services import claims as claim_service
from workbench.core.services.operations import WAITING_LABEL
from workbench.core.services.workspace import Workspace
from workbench.ui.bus import ChangeBus
from workbench.ui.commands import Edits
from workbench.ui.dialogs.evidence_dialog import EvidenceDialog
from workbench.ui.tasks import TaskHandle, TaskRunner
from workbench.ui.widgets.evidence_list import EvidenceList

DEBOUNCE_MS = 400
BURST_GAP_MS = 2000

STATUS_LABELS = {
    Status.UNCHECKED: "Unchecked",
    Status.IN_PROGRESS: "In progress",
    Status.CHECKED: "Checked",
}

_bursts = iter(range(1, 1 << 62))


def describe_entities(claim: Claim) -> str:
    if not claim.entities:
        return "none found"
    return "; ".join(f"{e.text} ({e.label})" for e in claim.entities)


def describe_facts(claim: Claim) -> str:
    if not claim.facts:
        return "none found"
    return "\n".join(f"• {fact_line(f)}" for f in claim.facts)


class _DebouncedEditor(QObject):
    """Saves a QPlainTextEdit after a pause, in merge-able bursts.

    ``save(text, burst)`` returns the save's task (or None when nothing was
    saved); while saves are on their way the editor is not refilled.
    """

    def __init__(
        self,
        editor: QPlainTextEdit,
        save: Callable[[str, int], TaskHandle | None],
        parent: QObject,
        *,
        trims: bool = False,
    ) -> None:
        super().__init__(parent)
        self._trims = trims
        self.editor = editor
        self._save = save
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._fire)
        self._burst = next(_bursts)
        self._last_save = 0.0
        self._loading = False
        self._in_flight: list[TaskHandle] = []
        self.submitted: str | None = None
        """The text last handed to a save (None: nothing since the last load)."""
        editor.textChanged.connect(self._changed)
        editor.installEventFilter(self)

    def pending(self) -> bool:
        """Typing not yet handed to a save, or a save not yet stored."""
        self._in_flight = [h for h in self._in_flight if not h.done]
        return self._timer.isActive() or bool(self._in_flight)

    def new_burst(self) -> None:
        self._burst = next(_bursts)

    def load(self, text: str, *, force: bool = False) -> None:
        """Show stored text without saving it back; keeps the cursor where it can.

        Text that differs only in what the save trimmed (a trailing space
        the user just typed) is left alone, or the next word would be glued
        to the last one.
        """
        self.submitted = None
        current = self.editor.toPlainText()
        if current == text or (not force and self._same(current, text)):
            return
        self._loading = True
        try:
            cursor = self.editor.textCursor().position()
            self.editor.setPlainText(text)
            c = self.editor.textCursor()
            c.setPosition(min(cursor, len(text)))
            self.editor.setTextCursor(c)
        finally:
            self._loading = False

    def _same(self, shown: str, stored: str) -> bool:
        return self._trims and shown.strip() == stored.strip()

    def _changed(self) -> None:
        if not self._loading:
            self._timer.start()

    def flush(self) -> None:
        """Save now if typing is waiting to be saved."""
        if self._timer.isActive():
            self._timer.stop()
            self._fire()

    def _fire(self) -> None:
        now = time.monotonic()
        if now - self._last_save > BURST_GAP_MS / 1000:
            self.new_burst()
        self._last_save = now
        handle = self._save(self.editor.toPlainText(), self._burst)
        if handle is not None:
            self._in_flight.append(handle)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor:
            if event.type() == QEvent.Type.FocusOut:
                self.flush()
                self.new_burst()
            elif event.type() == QEvent.Type.FocusIn:
                self.new_burst()
        return False


class ClaimDetailPanel(QWidget):
    """The right-hand panel; see the module docstring.  Signals: ``claim_shown``."""

    claim_shown = Signal(object)

    def __init__(
        self,
        *,
        store: Workspace,
        edits: Edits,
        runner: TaskRunner,
        bus: ChangeBus,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._edits = edits
        self._runner = runner
        self._bus = bus
        self._claim: Claim | None = None
        self._gone: int | None = None  # id of a shown claim that was deleted (undo may restore it)
        self._updating = False
        self.setAccessibleName("Claim detail")

        self.placeholder = QLabel("Select a claim to see its details.", self)
        self.placeholder.setAccessibleName("No claim selected")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        body = QWidget(self)
        self.heading = QLabel(body)
        self.heading.setAccessibleName("Claim heading")
        self.original_label = QLabel(body)
        self.original_label.setAccessibleName("Original claim text")
        self.original_label.setWordWrap(True)
        self.original_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.original_label.setStyleSheet("color: palette(mid);")
        self.text_edit = QPlainTextEdit(body)
        self.text_edit.setAccessibleName("Claim text")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMaximumHeight(90)
        self.types_label = QLabel(body)
        self.types_label.setAccessibleName("Claim types")
        self.entities_label = QLabel(body)
        self.entities_label.setAccessibleName("Entities")
        self.entities_label.setWordWrap(True)
        self.facts_label = QLabel(body)
        self.facts_label.setAccessibleName("Facts")
        self.facts_label.setWordWrap(True)
        for label in (self.types_label, self.entities_label, self.facts_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setTextFormat(Qt.TextFormat.PlainText)
        self.original_label.setTextFormat(Qt.TextFormat.PlainText)

        self.verdict_combo = QComboBox(body)
        self.verdict_combo.setAccessibleName("Verdict")
        # item data are plain strings: Qt would turn a str-enum into one anyway
        self.verdict_combo.addItem("(no verdict)", "")
        for verdict in Verdict:
            self.verdict_combo.addItem(verdict.label, verdict.value)
        self.status_combo = QComboBox(body)
        self.status_combo.setAccessibleName("Status")
        for status, status_text in STATUS_LABELS.items():
            self.status_combo.addItem(status_text, status.value)
        self.rationale_edit = QPlainTextEdit(body)
        self.rationale_edit.setAccessibleName("Rationale")
        self.rationale_edit.setTabChangesFocus(True)
        self.rationale_edit.setPlaceholderText("Why this verdict? Saved as you type.")
        self.message_label = QLabel(body)
        self.message_label.setAccessibleName("Claim notice")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #b3261e;")
        self.message_label.hide()
        self.waiting_label = QLabel(f"Saving… {WAITING_LABEL}", body)
        self.waiting_label.setAccessibleName("Saving notice")
        self.waiting_label.setStyleSheet("color: #8a5a00;")
        self.waiting_label.hide()
        edits.ops.waiting.connect(self.waiting_label.setVisible)

        self.evidence = EvidenceList(store=store, edits=edits, runner=runner, bus=bus, parent=body)

        form = QFormLayout()
        for text, widget in (
            ("Original:", self.original_label),
            ("&Text:", self.text_edit),
            ("Types:", self.types_label),
            ("Entities:", self.entities_label),
            ("Facts:", self.facts_label),
            ("&Verdict:", self.verdict_combo),
            ("&Status:", self.status_combo),
            ("&Rationale:", self.rationale_edit),
        ):
            label = QLabel(text, body)
            label.setBuddy(widget)
            form.addRow(label, widget)
        group = QGroupBox("Evidence", body)
        group.setAccessibleName("Evidence group")
        group_layout = QVBoxLayout(group)
        group_layout.addWidget(self.evidence)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.heading)
        body_layout.addLayout(form)
        body_layout.addWidget(self.waiting_label)
        body_layout.addWidget(self.message_label)
        body_layout.addWidget(group, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setAccessibleName("Claim detail scroll area")

        self._pages = QStackedWidget(self)
        self._pages.addWidget(self.placeholder)
        self._pages.addWidget(scroll)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._pages)

        self._text = _DebouncedEditor(self.text_edit, self._save_text, self, trims=True)
        self._rationale = _DebouncedEditor(self.rationale_edit, self._save_rationale, self)
        self.verdict_combo.activated.connect(self._verdict_chosen)
        self.status_combo.activated.connect(self._status_chosen)
        bus.changed.connect(self._on_changes)
        self.show_claim(None)

    # ---------------------------------------------------------------- public API

    @property
    def claim_id(self) -> int | None:
        return self._claim.id if self._claim is not None else None

    def show_claim(self, claim_id: int | None) -> None:
        """Show a claim (saving any pending typing on the previous one first)."""
        self.flush()
        self._gone = None
        claim: Claim | None = None
        if claim_id is not None:
            try:
                claim = claim_service.get_claim(self._store, claim_id)
            except NotFoundError:
                claim = None
        self._claim = claim
        self._text.new_burst()
        self._rationale.new_burst()
        self.message_label.hide()
        self._pages.setCurrentIndex(0 if claim is None else 1)
        self._fill(claim, force=True)
        self.evidence.set_claim(claim.id if claim is not None else None)
        self.claim_shown.emit(self.claim_id)

    def add_evidence(self) -> EvidenceDialog | None:
        """Open the add-evidence dialog for the shown claim (the main window's shortcut)."""
        return self.evidence.add_evidence()

    def set_verdict(self, verdict: Verdict | None) -> TaskHandle | None:
        """Set the verdict of the shown claim (verdict shortcuts)."""
        if self._claim is None:
            return None
        self.flush()
        claim_id = self._claim_id()
        return self._edit(
            lambda: self._edits.set_verdict(claim_id, verdict, on_failure=self._failed)
        )

    def set_status(self, status: Status) -> TaskHandle | None:
        if self._claim is None:
            return None
        claim_id = self._claim_id()
        return self._edit(lambda: self._edits.set_status(claim_id, status, on_failure=self._failed))

    def focus_text(self) -> None:
        self.text_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_rationale(self) -> None:
        self.rationale_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def flush(self) -> None:
        """Save pending typing now (before a claim switch, an undo, or closing)."""
        if self._claim is None:
            return
        if self._text.pending():
            self._text.flush()
        if self._rationale.pending():
            self._rationale.flush()

    def hideEvent(self, event: QHideEvent) -> None:
        # Closing the window hides the panel: typing still in the debounce
        # must reach the database ("nothing lost on a crash" or a quit).
        self.flush()
        super().hideEvent(event)

    # ---------------------------------------------------------------- internals

    def _claim_id(self) -> int:
        assert self._claim is not None
        return self._claim.id

    def _edit(self, start: Callable[[], TaskHandle]) -> TaskHandle | None:
        """Start an edit; a problem found before it runs shows here at once."""
        self.message_label.hide()
        try:
            return start()
        except KnownError as exc:
            self._failed(exc)
            return None

    def _failed(self, exc: BaseException) -> None:
        """An edit that could not be saved: say why, and show what is stored."""
        if not isinstance(exc, KnownError):
            import sys

            sys.excepthook(type(exc), exc, exc.__traceback__)
            return
        self.message_label.setText(exc.one_line())
        self.message_label.show()
        if self._claim is not None:
            try:
                self._fill(claim_service.get_claim(self._store, self._claim.id), force=False)
            except NotFoundError:
                self.show_claim(None)

    def _save_text(self, text: str, burst: int) -> TaskHandle | None:
        if self._claim is None:
            return None
        last = self._text.submitted if self._text.submitted is not None else self._claim.text
        if text.strip() == last:
            return None
        self._text.submitted = text.strip()
        claim_id = self._claim_id()
        return self._edit(
            lambda: self._edits.edit_text(
                claim_id, text, burst=f"text-{burst}", on_failure=self._failed
            )
        )

    def _save_rationale(self, text: str, burst: int) -> TaskHandle | None:
        if self._claim is None:
            return None
        last = (
            self._rationale.submitted
            if self._rationale.submitted is not None
            else self._claim.rationale
        )
        if text == last:
            return None
        self._rationale.submitted = text
        claim_id = self._claim_id()
        return self._edit(
            lambda: self._edits.set_rationale(
                claim_id, text, burst=f"rationale-{burst}", on_failure=self._failed
            )
        )

    def _verdict_chosen(self, index: int) -> None:
        if self._updating or self._claim is None:
            return
        data = self.verdict_combo.itemData(index)
        verdict = Verdict(data) if data else None
        if verdict != self._claim.verdict:
            self.set_verdict(verdict)

    def _status_chosen(self, index: int) -> None:
        if self._updating or self._claim is None:
            return
        status = Status(self.status_combo.itemData(index))
        if status != self._claim.status:
            self.set_status(status)

    def _on_changes(self, changes: Changes) -> None:
        if self._claim is None:
            if self._gone is not None and self._gone in changes.claims:
                self.show_claim(self._gone)  # undo brought the deleted claim back
            return
        if self._claim.id in changes.deleted_claims:
            gone = self._claim.id
            self._claim = None
            self.show_claim(None)
            self._gone = gone
            return
        if self._claim.id not in changes.claims:
            return
        try:
            claim = claim_service.get_claim(self._store, self._claim.id)
        except NotFoundError:
            self.show_claim(None)
            return
        self._claim = claim
        self._fill(claim, force=False)

    def _fill(self, claim: Claim | None, *, force: bool) -> None:
        self._updating = True
        try:
            if claim is None:
                self._text.load("")
                self._rationale.load("")
                return
            self.heading.setText(
                f"Claim {claim.position + 1} · score {claim.score:.2f} · "
                f"{'added by hand' if claim.origin.value == 'manual' else 'found automatically'}"
            )
            edited = claim.text_edited is not None
            self.original_label.setText(claim.text_extracted + ("" if edited else "  (unchanged)"))
            if force or not self._text.pending():
                self._text.load(claim.text, force=force)
            if force or not self._rationale.pending():
                self._rationale.load(claim.rationale, force=force)
            self.types_label.setText(", ".join(type_label(t) for t in claim.types) or "none")
            self.entities_label.setText(describe_entities(claim))
            self.facts_label.setText(describe_facts(claim))
            verdict = claim.verdict.value if claim.verdict else ""
            self.verdict_combo.setCurrentIndex(max(0, self.verdict_combo.findData(verdict)))
            self.status_combo.setCurrentIndex(
                max(0, self.status_combo.findData(claim.status.value))
            )
        finally:
            self._updating = False
