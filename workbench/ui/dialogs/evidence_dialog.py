"""Add or edit one piece of evidence: URL, stance, excerpt, note.

The dialog does not store anything itself; it hands the input to
``on_submit`` (which starts the undoable edit).  A bad URL is caught before
that, and any :class:`KnownError` raised by ``on_submit`` is shown inline
while the dialog stays open with everything the user typed, so nothing is
lost and nothing half-valid is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import KnownError
from workbench.core.model import Stance
from workbench.core.sources.urls import check_url
from workbench.ui.models.evidence_model import STANCE_LABELS


@dataclass(frozen=True, slots=True)
class EvidenceInput:
    url: str
    stance: Stance
    excerpt: str
    note: str


class EvidenceDialog(QDialog):
    """Modal form; ``accepted`` only after ``on_submit`` succeeded."""

    def __init__(
        self,
        *,
        on_submit: Callable[[EvidenceInput], None],
        initial: EvidenceInput | None = None,
        editing: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_submit = on_submit
        self._editing = editing
        self.setWindowTitle("Edit evidence" if editing else "Add evidence")
        self.setAccessibleName(self.windowTitle())

        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText("https://…")
        self.url_edit.setAccessibleName("Source URL")
        self.url_edit.setReadOnly(editing)  # another URL is another source: remove and add
        self.stance_combo = QComboBox(self)
        self.stance_combo.setAccessibleName("Stance")
        for stance, label in STANCE_LABELS.items():
            self.stance_combo.addItem(label, stance.value)
        self.excerpt_edit = QPlainTextEdit(self)
        self.excerpt_edit.setAccessibleName("Excerpt quoted from the source")
        self.excerpt_edit.setTabChangesFocus(True)
        self.excerpt_edit.setPlaceholderText("Words quoted from the page (optional)")
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setAccessibleName("Note")
        self.note_edit.setTabChangesFocus(True)
        self.error_label = QLabel(self)
        self.error_label.setAccessibleName("Error message")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        form = QFormLayout()
        for label, widget in (
            ("&URL:", self.url_edit),
            ("&Stance:", self.stance_combo),
            ("E&xcerpt:", self.excerpt_edit),
            ("&Note:", self.note_edit),
        ):
            lbl = QLabel(label, self)
            lbl.setBuddy(widget)
            form.addRow(lbl, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Save" if editing else "Attach")
        ok.setAccessibleName(ok.text())
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        if initial is not None:
            self.url_edit.setText(initial.url)
            self.stance_combo.setCurrentIndex(self.stance_combo.findData(initial.stance.value))
            self.excerpt_edit.setPlainText(initial.excerpt)
            self.note_edit.setPlainText(initial.note)
        (self.stance_combo if editing else self.url_edit).setFocus()

    def value(self) -> EvidenceInput:
        return EvidenceInput(
            url=self.url_edit.text().strip(),
            stance=Stance(self.stance_combo.currentData()),
            excerpt=self.excerpt_edit.toPlainText().strip(),
            note=self.note_edit.toPlainText().strip(),
        )

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _submit(self) -> None:
        value = self.value()
        try:
            if not self._editing:
                check_url(value.url)
            self._on_submit(value)
        except KnownError as exc:
            self.show_error(exc.one_line())
            if not self._editing:
                self.url_edit.setFocus()
                self.url_edit.selectAll()
            return
        self.error_label.hide()
        self.accept()
