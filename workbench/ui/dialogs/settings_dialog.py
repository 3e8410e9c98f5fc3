"""Settings kept in the database (so the CLI and the GUI agree on them).

Keys: ``checker_name`` (named in memos), ``paper_size`` ("A4" or "Letter",
for PDF memos), ``scorer`` (check-worthiness scorer preference) and
``spacy_model`` (the pipeline extraction loads; empty means the default).
A change of scorer or model applies to the next extraction.
"""

from __future__ import annotations

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
from workbench.core.nlp.loader import DEFAULT_NAMES
from workbench.core.storage import Store

PAPER_SIZES = ("A4", "Letter")
SCORERS: tuple[tuple[str, str], ...] = (
    ("auto", "Automatic (best installed)"),
    ("transformer", "Transformer model"),
    ("textcat", "spaCy text classifier"),
    ("cues", "Cue words only (fastest)"),
)
KEYS = ("checker_name", "paper_size", "scorer", "spacy_model")


class SettingsDialog(QDialog):
    """Edits the four settings; saves them when the user presses Save."""

    def __init__(self, *, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
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
        get = self._store.settings.get
        self.checker_edit.setText(get("checker_name") or "")
        paper = (get("paper_size") or "A4").strip()
        self.paper_combo.setCurrentIndex(1 if paper.lower() == "letter" else 0)
        scorer = get("scorer") or "auto"
        index = self.scorer_combo.findData(scorer)
        if index < 0:  # a value set from the CLI that this list does not know: keep it
            self.scorer_combo.addItem(scorer, scorer)
            index = self.scorer_combo.count() - 1
        self.scorer_combo.setCurrentIndex(index)
        self.model_combo.setCurrentText(get("spacy_model") or "")

    def values(self) -> dict[str, str]:
        return {
            "checker_name": self.checker_edit.text().strip(),
            "paper_size": self.paper_combo.currentText(),
            "scorer": str(self.scorer_combo.currentData()),
            "spacy_model": self.model_combo.currentText().strip(),
        }

    def save(self) -> None:
        try:
            for key, value in self.values().items():
                self._store.settings.set(key, value)
        except KnownError as exc:
            self.error_label.setText(exc.one_line())
            self.error_label.show()
            return
        self.accept()
