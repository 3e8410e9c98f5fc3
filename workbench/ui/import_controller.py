"""Bringing articles in: files, URLs, pasted text and drops, each saved by an operation.

Reading and cleaning a file or a page is slow and can fail on bad input; it
runs off the UI thread (a file on the database lane with its save, a URL's
download on the io lane), and the save is one operation on the database
lane.  Whatever the route, :attr:`ImportController.imported` reports the
stored article; the window opens and extracts it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QObject, QSettings, QUrl, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from workbench.core.model import Article
from workbench.core.services import articles as article_service
from workbench.core.services.operations import OpResult
from workbench.ui.messages import show_error
from workbench.ui.ops import OpRunner
from workbench.ui.tasks import TaskHandle

IMPORTABLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
OPEN_DIR_KEY = "session/open_dir"


class ImportController(QObject):
    """Imports for one window.

    Signals:
        imported(object): an :class:`~workbench.core.model.Article` was stored.
    """

    imported = Signal(object)

    def __init__(self, ops: OpRunner, window: QWidget) -> None:
        super().__init__(window)
        self._ops = ops
        self._window = window

    def _stored(self, result: OpResult[Article]) -> None:
        self.imported.emit(result.value)

    def _failed(self, exc: BaseException) -> None:
        show_error(self._window, exc, title="Import")

    def import_path(self, path: str | Path) -> TaskHandle:
        """Import a .txt/.md/.html file: read, clean and store it on the database lane."""
        source = str(path)
        return self._ops.run(
            lambda store: article_service.import_source(store, source),
            label=f"Importing {Path(source).name}",
            on_success=self._stored,
            on_failure=self._failed,
        )

    def import_url(self, url: str) -> TaskHandle:
        """Fetch and extract the page off the UI thread (io lane); saving is one operation."""

        def save(loaded: Any) -> None:
            self._ops.run(
                lambda store: article_service.save_imported(store, loaded),
                label="Saving the article",
                on_success=self._stored,
                on_failure=self._failed,
            )

        return self._ops.tasks.run(
            lambda _p, cancelled: article_service.load_source(url, is_cancelled=cancelled),
            label="Fetching article",
            lane="io",
            on_success=save,
            on_failure=self._failed,
        )

    def import_text(self, text: str, *, title: str | None = None, **kwargs: Any) -> TaskHandle:
        """Store pasted text as a new article."""
        return self._ops.run(
            lambda store: article_service.import_text(store, text, title=title, **kwargs),
            label="Saving the article",
            on_success=self._stored,
            on_failure=lambda exc: show_error(self._window, exc, title="New article"),
        )

    def new_from_text(self) -> None:
        from workbench.ui.dialogs.import_dialogs import PasteTextDialog

        dialog = PasteTextDialog(self._window)
        if dialog.exec() != PasteTextDialog.DialogCode.Accepted:
            return
        self.import_text(
            dialog.text.toPlainText(),
            title=dialog.title.text().strip() or None,
            url=dialog.url.text().strip() or None,
            published=dialog.published_date(),
        )

    def open_file_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._window,
            "Open article",
            str(QSettings().value(OPEN_DIR_KEY, "") or ""),
            "Articles (*.txt *.md *.markdown *.html *.htm);;All files (*)",
        )
        if path:
            QSettings().setValue(OPEN_DIR_KEY, str(Path(path).parent))
            self.import_path(path)

    def import_url_dialog(self) -> None:
        from workbench.ui.dialogs.import_dialogs import ImportUrlDialog

        dialog = ImportUrlDialog(self._window)
        if dialog.exec() == ImportUrlDialog.DialogCode.Accepted:
            self.import_url(dialog.value())

    def drop(self, mime: QMimeData) -> bool:
        """Import what was dropped; False when nothing in it can be imported."""
        sources = dropped_sources(mime)
        for kind, value in sources:
            if kind == "file":
                self.import_path(value)
            else:
                self.import_url(value)
        return bool(sources)


def dropped_sources(mime: Any) -> list[tuple[str, str]]:
    """Files with an importable suffix and http(s) URLs in a drop."""
    out: list[tuple[str, str]] = []
    if mime.hasUrls():
        for url in mime.urls():
            assert isinstance(url, QUrl)
            if url.isLocalFile():
                path = url.toLocalFile()
                if path.lower().endswith(IMPORTABLE_SUFFIXES):
                    out.append(("file", path))
            elif url.scheme() in ("http", "https"):
                out.append(("url", url.toString()))
    elif mime.hasText():
        text = mime.text().strip()
        if text.lower().startswith(("http://", "https://")) and " " not in text:
            out.append(("url", text))
    return out
