"""Help > About: version, licence, third-party licences, and where the scorer's data came from.

The facts come from :mod:`workbench.core.about`.  Reading every bundled
distribution's metadata and licence files takes most of a second, so the
third-party tab is filled from the task runner's io lane (the dialog opens
at once and says "Reading licences…" until then); without a runner (tests,
embedders) it is read in place.
"""

from __future__ import annotations

import platform
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from workbench.core import about
from workbench.core.paths import resource_path

if TYPE_CHECKING:
    from workbench.ui.tasks import TaskRunner

ICON_FILE = ("icons", "claim-workbench.svg")
LEGEND = (
    "Highlight colours: amber unchecked, blue in progress, green supported, red refuted, "
    "violet mixed, grey unverifiable; a red wavy underline marks a consistency flag."
)


def app_icon() -> QIcon:
    """The application icon: the installed theme's (hicolor, from the package), else the SVG."""
    fallback = QIcon(str(resource_path(*ICON_FILE)))
    return QIcon.fromTheme(about.APP_ID, fallback)


class AboutDialog(QDialog):
    """The About box: a header and four tabs (Licence, Third-party licences,
    Scorer data, and the keyboard-reachable Close button)."""

    def __init__(self, parent: QWidget | None = None, *, runner: TaskRunner | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about-dialog")
        self.setWindowTitle("About Claim Workbench")
        self.resize(760, 560)
        layout = QVBoxLayout(self)

        header = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(64, 64)))
        logo.setAccessibleName("Claim Workbench icon")
        header.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        self.heading = QLabel(
            f"<h2>Claim Workbench {about.version()}</h2>"
            "<p>A desktop workbench for fact-checkers: claims, sources, snapshots, verdicts "
            "and memos, offline.</p>"
            f"<p>Licence: MIT. Qt {qVersion()}, Python {platform.python_version()}.</p>"
            f"<p><small>{LEGEND}</small></p>"
        )
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header.addWidget(self.heading, 1)
        layout.addLayout(header)

        self.tabs = QTabWidget()
        self.licence = _text_view(about.app_licence(), "Licence")
        self.tabs.addTab(self.licence, "&Licence")

        third = QSplitter(Qt.Orientation.Horizontal)
        self.components = QListWidget()
        self.components.setAccessibleName("Third-party components")
        self.component_text = _text_view("", "Licence text")
        third.addWidget(self.components)
        third.addWidget(self.component_text)
        third.setSizes([260, 480])
        self.components.currentItemChanged.connect(self._show_component)
        self.tabs.addTab(third, "&Third-party licences")

        self.provenance = QTextBrowser()
        self.provenance.setAccessibleName("Scorer data provenance")
        self.provenance.setOpenExternalLinks(False)
        models = about.provenance()
        self.provenance.setMarkdown(
            "\n\n---\n\n".join(text for _name, text in models)
            or "No scorer models are installed: claims are scored by cue rules only."
        )
        self.tabs.addTab(self.provenance, "Scorer &data")
        layout.addWidget(self.tabs, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self._loading = QListWidgetItem("Reading licences…")
        self.components.addItem(self._loading)
        if runner is None:
            self._fill(_read_components())
        else:
            runner.run(
                lambda _p, _c: _read_components(),
                label="Reading licences",
                lane="io",
                cancellable=False,
                on_success=lambda entries: self._fill(entries) if isValid(self) else None,
                on_failure=self._failed,
            )

    def _failed(self, exc: BaseException) -> None:
        if isValid(self):  # the dialog may have been closed (and deleted) meanwhile
            self._loading.setText(f"Could not read the licences: {exc}")

    def _fill(self, entries: list[tuple[str, str]]) -> None:
        self.components.clear()
        for title, text in entries:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, text)
            self.components.addItem(item)
        if self.components.count():
            self.components.setCurrentRow(0)

    def _show_component(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        text = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.component_text.setPlainText(text if isinstance(text, str) else "")

    def component_titles(self) -> list[str]:
        return [self.components.item(i).text() for i in range(self.components.count())]


def _read_components() -> list[tuple[str, str]]:
    """(list title, text) for the runtime's own notices, then each distribution."""
    entries = [(title, text) for title, text in about.other_notices()]
    for component in about.third_party():
        files = "\n\n".join(f"==> {name} <==\n{text}" for name, text in component.texts)
        body = f"{component.name} {component.version}\nLicence: {component.licence}\n\n" + (
            files or "(no licence file in the distribution; see the licence named above)"
        )
        entries.append((f"{component.name} {component.version} — {component.licence}", body))
    return entries


def _text_view(text: str, name: str) -> QPlainTextEdit:
    view = QPlainTextEdit(text)
    view.setReadOnly(True)
    view.setAccessibleName(name)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    return view
