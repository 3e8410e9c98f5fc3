"""Export the verification memo: format, options, the audit first, then the file.

Signals:
    audit_ready(list): the audit (``AuditItem`` list) was computed and shown.
    export_finished(object): an ``ExportResult``; the file is on disk.
    export_failed(str): the message shown for a failed export.

The audit is read and the memo rendered off the UI thread (a memo of
hundreds of claims takes a while to read and lay out as PDF).  Export stays
disabled until the audit is on screen, so the fact-checker always sees
"verdict without evidence" and friends before a memo leaves the desk.  The
dialog is non-modal friendly: ``open()`` it, and it closes itself only when
the user says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from workbench.core.errors import CancelledError, KnownError
from workbench.core.services import export as export_service
from workbench.core.services.workspace import Workspace
from workbench.ui.tasks import TaskHandle, TaskRunner

FORMAT_CHOICES: tuple[tuple[str, str, str], ...] = (
    ("md", "Markdown (.md)", "Markdown (*.md)"),
    ("pdf", "PDF (.pdf)", "PDF (*.pdf)"),
    ("html", "HTML, one self-contained file (.html)", "HTML (*.html)"),
    ("claimreview", "ClaimReview JSON-LD (.jsonld)", "JSON-LD (*.jsonld *.json)"),
)
EXTENSIONS = {"md": ".md", "pdf": ".pdf", "html": ".html", "claimreview": ".jsonld"}
_LAST_DIR_KEY = "export/last_dir"


class ExportDialog(QDialog):
    """See the module docstring."""

    audit_ready = Signal(list)
    export_finished = Signal(object)
    export_failed = Signal(str)

    def __init__(
        self,
        *,
        store: Workspace,
        runner: TaskRunner,
        article_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._runner = runner
        self._article_id = article_id
        self._audit_loaded = False
        self._task: TaskHandle | None = None
        self._base_name = "memo"
        self.setWindowTitle("Export memo")
        self.setAccessibleName("Export memo")

        self.format_combo = QComboBox(self)
        self.format_combo.setAccessibleName("Memo format")
        for key, label, _filter in FORMAT_CHOICES:
            self.format_combo.addItem(label, key)
        self.only_checked = QCheckBox("Only &checked claims", self)
        self.only_checked.setAccessibleName("Only checked claims")
        self.use_min_score = QCheckBox("Only claims scoring at &least", self)
        self.use_min_score.setAccessibleName("Use a minimum score")
        self.min_score = QDoubleSpinBox(self)
        self.min_score.setAccessibleName("Minimum score")
        self.min_score.setRange(0.0, 1.0)
        self.min_score.setSingleStep(0.05)
        self.min_score.setDecimals(2)
        self.min_score.setValue(0.5)
        self.min_score.setEnabled(False)
        self.use_min_score.toggled.connect(self.min_score.setEnabled)

        self.audit_label = QLabel("Checking the memo's audit…", self)
        self.audit_label.setAccessibleName("Audit summary")
        self.audit_label.setWordWrap(True)
        self.audit_list = QListWidget(self)
        self.audit_list.setAccessibleName("Audit findings")
        self.audit_list.setWordWrap(True)

        self.path_edit = QLineEdit(self)
        self.path_edit.setAccessibleName("Output file")
        self.browse_button = QPushButton("&Browse…", self)
        self.browse_button.setAccessibleName("Choose output file")
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)

        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Export progress")
        self.progress.setRange(0, 3)
        self.progress.setValue(0)
        self.progress.hide()
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Export status")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.export_button = QPushButton("&Export", self)
        self.export_button.setAccessibleName("Export")
        self.export_button.setDefault(True)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.start_export)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAccessibleName("Close")
        self.close_button.clicked.connect(self._close_or_cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.close_button)

        form = QFormLayout()
        fmt_label = QLabel("&Format:", self)
        fmt_label.setBuddy(self.format_combo)
        form.addRow(fmt_label, self.format_combo)
        form.addRow("", self.only_checked)
        score_row = QHBoxLayout()
        score_row.addWidget(self.use_min_score)
        score_row.addWidget(self.min_score)
        score_row.addStretch(1)
        form.addRow("", score_row)
        file_label = QLabel("&Save to:", self)
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, path_row)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.audit_label)
        layout.addWidget(self.audit_list, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.resize(640, 480)

        self.format_combo.currentIndexChanged.connect(lambda _i: self._fix_extension())
        runner.task_progressed.connect(self._progressed)
        self._load_audit()

    # ---------------------------------------------------------------- format and path

    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def set_format(self, fmt: str) -> None:
        self.format_combo.setCurrentIndex(self.format_combo.findData(fmt))

    def options(self) -> export_service.MemoOptions:
        return export_service.MemoOptions(
            only_checked=self.only_checked.isChecked(),
            min_score=self.min_score.value() if self.use_min_score.isChecked() else None,
        )

    def _default_dir(self) -> Path:
        last = QSettings().value(_LAST_DIR_KEY, "")
        if isinstance(last, str) and last and Path(last).is_dir():
            return Path(last)
        docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        return Path(docs) if docs and Path(docs).is_dir() else Path.home()

    def _fix_extension(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            return
        path = Path(text)
        if path.suffix.lower() in {".md", ".pdf", ".html", ".jsonld", ".json"}:
            self.path_edit.setText(str(path.with_suffix(EXTENSIONS[self.fmt()])))

    def browse(self) -> None:
        fmt_filter = next(f for key, _l, f in FORMAT_CHOICES if key == self.fmt())
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export memo", self.path_edit.text(), fmt_filter
        )
        if chosen:
            path = Path(chosen)
            if not path.suffix:
                path = path.with_suffix(EXTENSIONS[self.fmt()])
            self.path_edit.setText(str(path))

    # ---------------------------------------------------------------- audit

    def _load_audit(self) -> None:
        store, article_id = self._store, self._article_id

        def work(_progress: Any, _cancelled: Any) -> tuple[list[Any], str]:
            memo = export_service.build_memo(store, article_id)
            return list(memo.audit), export_service.default_filename(memo, "md")

        def done(result: tuple[list[Any], str]) -> None:
            if not isValid(self):
                return
            items, filename = result
            self._base_name = Path(filename).stem
            if not self.path_edit.text():
                target = self._default_dir() / f"{self._base_name}{EXTENSIONS[self.fmt()]}"
                self.path_edit.setText(str(target))
            self.show_audit(items)

        def failed(exc: BaseException) -> None:
            if not isValid(self):
                return
            self.audit_label.setText(f"The audit could not be computed: {_describe(exc)}")
            self.export_button.setEnabled(True)  # the memo itself may still export

        self._runner.run(work, label="Auditing the memo", on_success=done, on_failure=failed)

    def show_audit(self, items: list[Any]) -> None:
        self.audit_list.clear()
        if items:
            self.audit_label.setText(
                f"The audit found {len(items)} problem{'s' if len(items) != 1 else ''}. "
                "You can still export; the memo lists them at the end."
            )
        else:
            self.audit_label.setText(
                "The audit found no problems: every verdict has evidence that agrees with it."
            )
        for item in items:
            entry = QListWidgetItem(
                f"{item.kind.label} — claim {item.claim_number}: {item.message}"
            )
            entry.setToolTip(item.message)
            self.audit_list.addItem(entry)
        self._audit_loaded = True
        self.export_button.setEnabled(self._task is None)
        self.audit_ready.emit(items)

    # ---------------------------------------------------------------- export

    def start_export(self) -> TaskHandle | None:
        text = self.path_edit.text().strip()
        if not text:
            self._fail("Choose a file to export to.")
            return None
        output = Path(text).expanduser()
        if not output.suffix and not output.is_dir():
            output = output.with_suffix(EXTENSIONS[self.fmt()])
            self.path_edit.setText(str(output))
        store, article_id, fmt, options = self._store, self._article_id, self.fmt(), self.options()

        def work(progress: Any, _cancelled: Any) -> export_service.ExportResult:
            return export_service.export_article(
                store, article_id, fmt=fmt, output=output, options=options, progress=progress
            )

        self.status_label.setText(f"Exporting {fmt}…")
        self.status_label.setStyleSheet("")
        self.progress.setValue(0)
        self.progress.show()
        self.export_button.setEnabled(False)
        self.close_button.setText("Cancel")
        self._task = self._runner.run(
            work,
            label=f"Exporting memo ({fmt})",
            on_success=self._finished,
            on_failure=self._failed,
            lane="io",
        )
        return self._task

    def _progressed(self, handle: TaskHandle, done: int, total: int, label: str) -> None:
        if handle is self._task and isValid(self):
            self.progress.setRange(0, max(total, 1))
            self.progress.setValue(done)
            self.status_label.setText(label)

    def _finished(self, result: export_service.ExportResult) -> None:
        if not isValid(self):
            return
        self._task = None
        self._reset_buttons()
        self.progress.setValue(self.progress.maximum())
        if result.path is not None:
            QSettings().setValue(_LAST_DIR_KEY, str(result.path.parent))
        self.status_label.setText(
            f"Saved {result.path} ({_size(result.size)}, {result.claims} claims, "
            f"{result.sources} sources)."
        )
        self.export_finished.emit(result)

    def _failed(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        self._task = None
        self._reset_buttons()
        self.progress.hide()
        if isinstance(exc, CancelledError):
            self.status_label.setText("Export cancelled.")
            return
        self._fail(f"Export failed: {_describe(exc)}")

    def _fail(self, message: str) -> None:
        self.status_label.setStyleSheet("color: #b3261e;")
        self.status_label.setText(message)
        self.export_failed.emit(message)

    def _reset_buttons(self) -> None:
        self.export_button.setEnabled(self._audit_loaded)
        self.close_button.setText("Close")

    def _close_or_cancel(self) -> None:
        if self._task is not None and not self._task.done:
            self._task.cancel()
            self.status_label.setText("Cancelling…")
            return
        self.reject()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, KnownError):
        return exc.one_line()
    return f"{type(exc).__name__}: {exc} (this is a bug; please report it)"


def _size(n: int) -> str:
    return f"{n / 1024:.1f} KB" if n >= 1024 else f"{n} bytes"
