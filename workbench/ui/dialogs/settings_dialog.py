"""Settings kept in the database (so the CLI and the GUI agree on them).

The checker name (named in memos, and in the history when no ``--user`` or
WORKBENCH_USER says otherwise), the paper size of PDF memos, the
check-worthiness scorer and the spaCy pipeline extraction loads (empty
means the default).  A change of scorer or model applies to the next
extraction.  Saving is one operation on the database lane: all four
settings or none.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import KnownError
from workbench.core.model import PAPER_SIZES, Settings
from workbench.core.nlp.loader import DEFAULT_NAMES
from workbench.core.services import settings as settings_service
from workbench.ui.ops import OpRunner
from workbench.ui.tasks import TaskHandle

SCORERS: tuple[tuple[str, str], ...] = (
    ("auto", "Automatic (best installed)"),
    ("transformer", "Transformer model"),
    ("textcat", "spaCy text classifier"),
    ("cues", "Cue words only (fastest)"),
)


class SettingsDialog(QDialog):
    """Edits the four settings; saves them when the user presses Save.

    Signals:
        saved(): the settings were stored (the dialog then closes).
    """

    saved = Signal()

    def __init__(self, *, ops: OpRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._loaded = Settings()
        self.setWindowTitle("Settings")
        self.setAccessibleName("Settings")

        self.checker_edit = QLineEdit(self)
        self.checker_edit.setAccessibleName("Checker name")
        self.checker_edit.setPlaceholderText("Your name, as memos should show it")
        self.paper_combo = QComboBox(self)
        self.paper_combo.setAccessibleName("Paper size")
        self.paper_combo.addItems(list(PAPER_SIZES))
        self.scorer_combo = QComboBox(self)
        self.scorer_combo.setAccessibleName("Scorer")
        for key, scorer_text in SCORERS:
            self.scorer_combo.addItem(scorer_text, key)
        self.model_combo = QComboBox(self)
        self.model_combo.setAccessibleName("spaCy model")
        self.model_combo.setEditable(True)
        self.model_combo.addItem("")  # empty: the default search order
        self.model_combo.addItems(list(DEFAULT_NAMES))
        line = self.model_combo.lineEdit()
        if line is not None:
            line.setAccessibleName("spaCy model name")
            line.setPlaceholderText("default (" + ", ".join(DEFAULT_NAMES) + ")")
        self.error_label = QLabel(self)
        self.error_label.setAccessibleName("Settings error")
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()

        form = QFormLayout()
        for text, widget in (
            ("&Checker name:", self.checker_edit),
            ("&Paper size:", self.paper_combo),
            ("S&corer:", self.scorer_combo),
            ("spaCy &model:", self.model_combo),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleName("Save")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Scorer and model changes apply to the next extraction.", self))
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.load()

    def load(self) -> None:
        settings = settings_service.load_settings(self._ops.store)
        self._loaded = settings
        self.checker_edit.setText(settings.checker_name or "")
        self.paper_combo.setCurrentIndex(PAPER_SIZES.index(settings.paper_size))
        scorer = settings.scorer_to_use
        index = self.scorer_combo.findData(scorer)
        if index < 0:  # a value set from the CLI that this list does not know: keep it
            self.scorer_combo.addItem(scorer, scorer)
            index = self.scorer_combo.count() - 1
        self.scorer_combo.setCurrentIndex(index)
        self.model_combo.setCurrentText(settings.spacy_model or "")

    def values(self) -> Settings:
        """The form's settings; the ones it does not show keep their stored values."""
        return replace(
            self._loaded,
            checker_name=self.checker_edit.text().strip() or None,
            paper_size=self.paper_combo.currentText(),
            scorer=str(self.scorer_combo.currentData()),
            spacy_model=self.model_combo.currentText().strip() or None,
        )

    def save(self) -> TaskHandle:
        """Store the settings (on the database lane); the dialog closes once they are."""
        values = self.values()
        self.buttons.setEnabled(False)

        def saved(_result: object) -> None:
            self.saved.emit()
            self.accept()

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            text = exc.one_line() if isinstance(exc, KnownError) else f"Not saved: {exc}"
            self.error_label.setText(text)
            self.error_label.show()

        return self._ops.run(
            lambda store: settings_service.save_settings(store, values),
            label="Saving settings",
            on_success=saved,
            on_failure=failed,
        )
