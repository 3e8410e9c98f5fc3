"""Dialogs that collect what a new article needs: pasted text, or a URL.

They only collect and validate; the import itself runs through the task
runner so a slow page never freezes the window.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class PasteTextDialog(QDialog):
    """New article from pasted text: title, optional URL and published date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New article from text")
        self.setAccessibleName("New article from text")
        self.resize(640, 520)
        self.title = QLineEdit()
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("Leave empty to use the first line")
        self.url = QLineEdit()
        self.url.setAccessibleName("Article URL")
        self.url.setPlaceholderText("https://… (optional)")
        self.has_date = QCheckBox("Published on")
        self.has_date.setAccessibleName("Set published date")
        self.published = QDateEdit(QDate.currentDate())
        self.published.setAccessibleName("Published date")
        self.published.setCalendarPopup(True)
        self.published.setDisplayFormat("yyyy-MM-dd")
        self.published.setEnabled(False)
        self.has_date.toggled.connect(self.published.setEnabled)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Article text")
        self.text.setPlaceholderText("Paste the article text here")
        self.error = QLabel()
        self.error.setAccessibleName("Error")
        self.error.setStyleSheet("color: #b91c1c")
        self.error.setVisible(False)
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&URL", self.url)
        form.addRow(self.has_date, self.published)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.text.setFocus()

    def _accept(self) -> None:
        if not self.text.toPlainText().strip():
            self.error.setText("Paste some article text first.")
            self.error.setVisible(True)
            self.text.setFocus()
            return
        url = self.url.text().strip()
        if url and not url.lower().startswith(("http://", "https://")):
            self.error.setText("The URL must start with http:// or https://.")
            self.error.setVisible(True)
            self.url.setFocus()
            return
        self.accept()

    def published_date(self) -> date | None:
        if not self.has_date.isChecked():
            return None
        d = self.published.date()
        return date(d.year(), d.month(), d.day())


class ImportUrlDialog(QDialog):
    """Ask for the address of an article page."""

    def __init__(self, parent: QWidget | None = None, *, initial: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Import article from URL")
        self.setAccessibleName("Import article from URL")
        self.resize(560, 120)
        self.url = QLineEdit(initial)
        self.url.setAccessibleName("Article URL")
        self.url.setPlaceholderText("https://example.org/news/story.html")
        self.error = QLabel()
        self.error.setAccessibleName("Error")
        self.error.setStyleSheet("color: #b91c1c")
        self.error.setVisible(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&URL", self.url)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _accept(self) -> None:
        url = self.url.text().strip()
        if not url.lower().startswith(("http://", "https://")) or len(url) < 10:
            self.error.setText("Give an address starting with http:// or https://.")
            self.error.setVisible(True)
            return
        self.accept()

    def value(self) -> str:
        return self.url.text().strip()
