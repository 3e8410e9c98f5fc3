"""The evidence of the selected claim, with everything a fact-checker does to it.

Signals:
    fetch_started(int): a fetch of this source id was submitted (lane "io").
    fetch_finished(int): that fetch ended, saved or failed (the state says which).
    snapshot_ready(object): a :class:`SnapshotDialog` was built and shown.
    message_shown(str): an inline notice or error was shown (for tests and screen readers).

Attaching saves at once through an undo command; the fetch follows in the
background, so a slow or dead site never holds the user up and never costs
what they typed.  A snapshot is shown as sanitized HTML in a browser widget
that refuses every resource load, so a stored page cannot run or fetch
anything.
"""

from __future__ import annotations

import html as htmllib
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from workbench.core.errors import CancelledError, KnownError
from workbench.core.model import Changes, EvidenceView, Snapshot, Source
from workbench.core.services import sources as source_service
from workbench.core.storage import Store
from workbench.ui.bus import ChangeBus
from workbench.ui.commands import AddEvidenceCommand, EditEvidenceCommand, RemoveEvidenceCommand
from workbench.ui.dialogs.evidence_dialog import EvidenceDialog, EvidenceInput
from workbench.ui.models.evidence_model import (
    COL_EXCERPT,
    COL_NOTE,
    COL_STANCE,
    COL_STATE,
    COL_TITLE,
    COL_URL,
    EvidenceModel,
)
from workbench.ui.tasks import TaskRunner


def citation(view: EvidenceView) -> str:
    """A plain-text citation: title, site, URL, the copy it rests on."""
    src = view.source
    parts = []
    if src.title:
        parts.append(f"“{src.title}”")
    if src.site:
        parts.append(src.site)
    if src.author:
        parts.append(src.author)
    if src.published:
        parts.append(f"published {src.published}")
    parts.append(src.url)
    if src.fetched_at is not None:
        stamp = src.fetched_at.strftime("%Y-%m-%d %H:%M UTC")
        sha = f", SHA-256 {src.raw_sha256[:16]}…" if src.raw_sha256 else ""
        parts.append(f"snapshot {stamp}{sha}")
    else:
        parts.append("not yet archived")
    return ". ".join(parts) + "."


class SafeTextBrowser(QTextBrowser):
    """A QTextBrowser that never loads a resource: no images, styles or links followed.

    Sanitized HTML holds no ``src`` already; this is the second lock, in
    case a page slips something past the sanitizer.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.refused: list[str] = []

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        """Refuse every resource, remote or not: a snapshot is text only."""
        self.refused.append(name.toString() if isinstance(name, QUrl) else name)
        return None


def snapshot_html(store: Store, source: Source) -> tuple[Snapshot, str]:
    """Build the safe HTML for a source's current snapshot (runs off the UI thread)."""
    from workbench.core.sources.fetch import decode_body, parse_content_type
    from workbench.core.sources.sanitize import sanitize_html

    if source.current_snapshot_id is None:
        raise KnownError(
            f"{source.normalized_url} has no snapshot yet",
            hint="use “Fetch now” to take one",
        )
    snap = store.sources.snapshot(source.current_snapshot_id)
    media, charset = parse_content_type(snap.content_type)
    raw = (
        store.sources.snapshot_raw(snap.id)
        if media in ("text/html", "application/xhtml+xml")
        else None
    )
    if raw is not None:
        text, _ = decode_body(raw, charset=charset, html=True)
        body = sanitize_html(text, base_url=snap.final_url or source.normalized_url)
    elif snap.text:
        body = f"<pre style='white-space: pre-wrap'>{htmllib.escape(snap.text)}</pre>"
    else:
        body = f"<p><em>{htmllib.escape(snap.note or 'No text was extracted.')}</em></p>"
    head = (
        f"<p><b>{htmllib.escape(snap.title or source.title or source.normalized_url)}</b><br>"
        f"{htmllib.escape(snap.final_url or source.normalized_url)}<br>"
        f"Fetched {htmllib.escape(snap.fetched_at.strftime('%Y-%m-%d %H:%M UTC'))}, "
        f"HTTP {snap.http_status or '?'}, SHA-256 {htmllib.escape(snap.raw_sha256 or '—')}</p><hr>"
    )
    return snap, head + body


class SnapshotDialog(QDialog):
    """Shows one stored snapshot; links are shown, never followed."""

    def __init__(self, title: str, html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Snapshot — {title}")
        self.setAccessibleName("Snapshot viewer")
        self.browser = SafeTextBrowser(self)
        self.browser.setAccessibleName("Snapshot text")
        self.browser.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(800, 600)


class EvidenceList(QWidget):
    """Table of one claim's evidence plus its actions (see the module docstring)."""

    fetch_started = Signal(int)
    fetch_finished = Signal(int)
    snapshot_ready = Signal(object)
    message_shown = Signal(str)

    def __init__(
        self,
        *,
        store: Store,
        undo_stack: QUndoStack,
        runner: TaskRunner,
        bus: ChangeBus,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._stack = undo_stack
        self._runner = runner
        self._bus = bus
        self._dialog: EvidenceDialog | None = None
        self._snapshot: SnapshotDialog | None = None
        self.setAccessibleName("Evidence")

        self.model = EvidenceModel(store, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Evidence list")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setAccessibleName("Evidence columns")
        header.setSectionResizeMode(COL_STANCE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_STATE, QHeaderView.ResizeMode.ResizeToContents)
        for col in (COL_TITLE, COL_URL, COL_EXCERPT, COL_NOTE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.message_label = QLabel(self)
        self.message_label.setAccessibleName("Evidence notice")
        self.message_label.setWordWrap(True)
        # Messages quote servers (reason phrases, URLs): never read them as HTML.
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()

        self.action_map: dict[str, QAction] = {}
        self.buttons: dict[str, QPushButton] = {}
        # Two rows of four: the evidence itself, then its source.  One row of
        # eight made the detail pane 800 px wide at least, so it scrolled
        # sideways at the default window size.
        bar = QGridLayout()
        bar.setColumnStretch(4, 1)
        for n, (key, text, slot, shortcut, needs_row) in enumerate(
            (
                ("add", "&Add…", self.add_evidence, None, False),
                ("edit", "&Edit…", self.edit_selected, "Return", True),
                ("remove", "&Remove", self.remove_selected, QKeySequence.StandardKey.Delete, True),
                ("copy", "&Copy citation", self.copy_citation, QKeySequence.StandardKey.Copy, True),
                ("open", "&Open in browser", self.open_selected, None, True),
                ("fetch", "&Fetch now", self.fetch_selected, None, True),
                ("snapshot", "&View snapshot", self.view_snapshot, None, True),
                ("wayback", "&Wayback address", self.show_wayback, None, True),
            )
        ):
            action = QAction(text.replace("…", "") if key != "add" else text, self)
            action.triggered.connect(slot)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(action)
            self.action_map[key] = action
            button = QPushButton(text, self)
            button.setAccessibleName(text.replace("&", "").replace("…", ""))
            button.clicked.connect(slot)
            button.setProperty("needs_row", needs_row)
            bar.addWidget(button, n // 4, n % 4)
            self.buttons[key] = button

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(bar)
        layout.addWidget(self.message_label)

        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.model.modelReset.connect(self._update_actions)
        bus.changed.connect(self._on_changes)
        self._update_actions()

    # ---------------------------------------------------------------- state

    def set_claim(self, claim_id: int | None) -> None:
        self.model.set_claim(claim_id)
        self.message_label.hide()
        if self.model.rowCount():
            self.table.selectRow(0)

    def _on_changes(self, changes: Changes) -> None:
        if not self.model.concerns(changes):
            return
        keep = self.selected_view()
        if self.model.claim_id is not None and self.model.claim_id in changes.deleted_claims:
            self.model.set_claim(None)
            return
        self.model.reload()
        if keep is not None:
            self.select_evidence(keep.evidence.id)

    def select_evidence(self, evidence_id: int) -> None:
        row = self.model.row_of(evidence_id)
        if row >= 0:
            self.table.selectRow(row)

    def selected_view(self) -> EvidenceView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            index = self.table.currentIndex()
            return self.model.view_at(index.row()) if index.isValid() else None
        return self.model.view_at(rows[0].row())

    def _update_actions(self) -> None:
        has_claim = self.model.claim_id is not None
        has_row = self.selected_view() is not None
        for key, action in self.action_map.items():
            enabled = has_row if self.buttons[key].property("needs_row") else has_claim
            action.setEnabled(enabled)
            self.buttons[key].setEnabled(enabled)

    def _notify(self, text: str, *, error: bool = False) -> None:
        self.message_label.setStyleSheet("color: #b3261e;" if error else "")
        self.message_label.setText(text)
        self.message_label.show()
        self.message_shown.emit(text)

    # ---------------------------------------------------------------- actions

    def add_evidence(self) -> EvidenceDialog | None:
        """Open the add dialog (non-blocking); returns it so callers and tests can drive it."""
        claim_id = self.model.claim_id
        if claim_id is None:
            return None

        def submit(value: EvidenceInput) -> None:
            self.attach(claim_id, value)

        return self._open_dialog(EvidenceDialog(on_submit=submit, parent=self))

    def attach(self, claim_id: int, value: EvidenceInput) -> AddEvidenceCommand:
        """Save the evidence now (undoable) and start its fetch in the background."""
        command = AddEvidenceCommand(
            self._store,
            claim_id,
            value.url,
            value.stance,
            value.excerpt,
            value.note,
            self._bus.emit_changes,
        )
        self._stack.push(command)
        self.select_evidence(command.evidence_id)
        source = self._store.sources.get(command.source_id)
        if source.current_snapshot_id is None:
            self.fetch(source.id)
        return command

    def edit_selected(self) -> EvidenceDialog | None:
        view = self.selected_view()
        if view is None:
            return None
        evidence_id = view.evidence.id

        def submit(value: EvidenceInput) -> None:
            self._stack.push(
                EditEvidenceCommand(
                    self._store,
                    evidence_id,
                    stance=value.stance,
                    excerpt=value.excerpt,
                    note=value.note,
                    on_changes=self._bus.emit_changes,
                )
            )

        initial = EvidenceInput(
            view.source.url, view.evidence.stance, view.evidence.excerpt, view.evidence.note
        )
        return self._open_dialog(
            EvidenceDialog(on_submit=submit, initial=initial, editing=True, parent=self)
        )

    def _open_dialog(self, dialog: EvidenceDialog) -> EvidenceDialog:
        if self._dialog is not None:
            self._dialog.close()
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._forget_dialog(dialog))
        dialog.open()
        return dialog

    def _forget_dialog(self, dialog: EvidenceDialog) -> None:
        if self._dialog is dialog:
            self._dialog = None
        self.table.setFocus()

    def remove_selected(self) -> None:
        view = self.selected_view()
        if view is None:
            return
        try:
            self._stack.push(
                RemoveEvidenceCommand(self._store, view.evidence.id, self._bus.emit_changes)
            )
        except KnownError as exc:
            self._notify(exc.one_line(), error=True)
            return
        self._notify(f"Removed {view.source.normalized_url} (Undo brings it back).")

    def open_selected(self) -> None:
        view = self.selected_view()
        if view is not None:
            QDesktopServices.openUrl(QUrl(view.source.url))

    def copy_citation(self) -> str | None:
        view = self.selected_view()
        if view is None:
            return None
        text = citation(view)
        QGuiApplication.clipboard().setText(text)
        self._notify("Citation copied.")
        return text

    def show_wayback(self) -> str | None:
        """Show (and copy) the Wayback Machine address; built locally, never fetched."""
        view = self.selected_view()
        if view is None:
            return None
        address = source_service.source_wayback_url(self._store, view.source.id)
        QGuiApplication.clipboard().setText(address)
        self._notify(f"Wayback Machine address (copied): {address}")
        return address

    def fetch_selected(self) -> None:
        view = self.selected_view()
        if view is not None:
            self.fetch(view.source.id)

    def fetch(self, source_id: int, *, allow_local: bool | None = None) -> None:
        """Download on the "io" lane, then save on the "db" lane; the bus carries the result.

        The split keeps network waits off the single database-writing thread
        and database writes off the network pool, as the task lanes intend.
        A page on a local address is fetched only once the user allowed it
        for this source (:meth:`_ask_local`); cancelling the task closes the
        connection within a tenth of a second.
        """
        store = self._store
        source = store.sources.get(source_id)
        if allow_local is None:
            allow_local = source_service.local_fetch_allowed(store, source_id)

        def download(progress: Any, is_cancelled: Any) -> source_service.Download:
            progress(0, 1, "fetching")
            return source_service.download_source(
                source, is_cancelled=is_cancelled, allow_local=allow_local
            )

        def save(dl: source_service.Download) -> None:
            def work(progress: Any, _is_cancelled: Any) -> source_service.FetchOutcome:
                outcome = source_service.save_download(store, dl)
                progress(1, 1, "fetched" if outcome.ok else "not fetched")
                return outcome

            self._runner.run(
                work,
                label=f"Saving {source.normalized_url}",
                on_success=done,
                on_failure=failed,
                lane="db",
                cancellable=False,
            )

        def done(outcome: source_service.FetchOutcome) -> None:
            self._bus.emit_changes(outcome.changes)
            if not isValid(self):
                return  # the panel closed while the fetch ran; the result is saved
            self.model.set_fetching(source_id, False)
            if not outcome.ok:
                self._notify(f"Not fetched: {outcome.error}", error=True)
                if outcome.error_kind == "local_address" and not allow_local:
                    self._ask_local(source_id, outcome.source)
            self.fetch_finished.emit(source_id)

        def failed(exc: BaseException) -> None:
            if not isValid(self):
                return
            self.model.set_fetching(source_id, False)
            if not isinstance(exc, CancelledError):
                self._notify(f"Fetch failed: {exc}", error=True)
            self.fetch_finished.emit(source_id)

        self.model.set_fetching(source_id, True)
        self._runner.run(
            download,
            label=f"Fetching {source.normalized_url}",
            on_success=save,
            on_failure=failed,
            lane="io",
        )
        self.fetch_started.emit(source_id)

    def _ask_local(self, source_id: int, source: Source) -> QMessageBox:
        """Ask before fetching a page on this computer or the local network.

        Window-modal and non-blocking (``open``); "Fetch anyway" records the
        per-source permission on the database lane, then fetches again.
        """
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Fetch from a local address?",
            f"{source.normalized_url} points at this computer or its local network, "
            "not the public web. A page there could be a router, printer or internal "
            "service. Fetch it anyway, for this source only?",
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("local-address-question")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the URL is the page's, not ours
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        yes = box.addButton("Fetch anyway", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        store = self._store

        def answered(button: Any) -> None:
            if button is not yes or not isValid(self):
                return
            self._runner.run(
                lambda _p, _c: source_service.allow_local_fetch(store, source_id),
                label="Allowing a local address",
                lane="db",
                cancellable=False,
                on_success=lambda _changes: self.fetch(source_id, allow_local=True),
                on_failure=lambda exc: self._notify(f"Not allowed: {exc}", error=True),
            )

        box.buttonClicked.connect(answered)
        box.open()
        return box

    def view_snapshot(self) -> None:
        """Build the sanitized page off the UI thread, then show it."""
        view = self.selected_view()
        if view is None:
            return
        store, source = self._store, view.source

        def work(_progress: Any, _is_cancelled: Any) -> tuple[Snapshot, str]:
            return snapshot_html(store, store.sources.get(source.id))

        def done(result: tuple[Snapshot, str]) -> None:
            if not isValid(self):
                return
            snap, html = result
            if self._snapshot is not None:
                self._snapshot.close()
            dialog = SnapshotDialog(snap.title or source.normalized_url, html, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._snapshot = dialog
            dialog.destroyed.connect(lambda *_: setattr(self, "_snapshot", None))
            dialog.show()
            self.snapshot_ready.emit(dialog)

        def failed(exc: BaseException) -> None:
            if not isValid(self):
                return
            text = exc.one_line() if isinstance(exc, KnownError) else f"Cannot show it: {exc}"
            self._notify(text, error=True)

        self._runner.run(
            work, label="Preparing snapshot", on_success=done, on_failure=failed, lane="io"
        )
