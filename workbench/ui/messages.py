"""How errors reach the user: a plain message for known failures, a crash dialog for bugs.

The core raises; only this module decides how it looks.  A
:class:`~workbench.core.errors.KnownError` (bad file, busy database, no
network) is the user's or the environment's business and is shown as its
one-line message.  Anything else is a bug: the user gets the traceback in a
dialog with a Copy button, so the report they send is useful, and the window
keeps running.

Dialogs are opened window-modal with ``open()`` rather than ``exec()``, so a
message never starts a nested event loop inside a task callback (and tests
never hang on one).
"""

from __future__ import annotations

import sys
import threading
import traceback
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench import __version__
from workbench.core.errors import CancelledError, KnownError


def describe(exc: BaseException) -> str:
    """The line shown for a known error (the CLI prints the same line)."""
    if isinstance(exc, KnownError):
        return exc.one_line()
    return f"{type(exc).__name__}: {exc}"


def show_error(parent: QWidget | None, exc: BaseException, *, title: str = "Workbench") -> None:
    """Show ``exc``: known errors as a message, cancellations not at all, bugs as a crash."""
    if isinstance(exc, CancelledError):
        return
    if isinstance(exc, KnownError):
        show_message(parent, title, exc.one_line(), icon=QMessageBox.Icon.Warning)
        return
    show_crash(parent, exc)


def show_message(
    parent: QWidget | None,
    title: str,
    text: str,
    *,
    icon: QMessageBox.Icon = QMessageBox.Icon.Information,
) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("workbench-message")
    box.setAccessibleName(title)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box


def confirm(parent: QWidget | None, title: str, text: str, *, action: str = "Delete") -> bool:
    """Ask a yes/no question; the destructive answer is never the default."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton)
    box.setParent(parent, box.windowFlags())
    box.setObjectName("workbench-confirm")
    box.setAccessibleName(title)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    yes.setAccessibleName(action)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    answer = box.clickedButton() is yes
    box.deleteLater()
    return answer


class CrashDialog(QDialog):
    """A bug report the user can copy: what happened and the traceback."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crash-dialog")
        self.setWindowTitle("Workbench: internal error")
        self.setAccessibleName("Internal error")
        self.details = details
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Something went wrong inside the workbench. Your work up to this point is "
            "saved. Please copy the details below into a bug report."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        text = QPlainTextEdit(details)
        text.setReadOnly(True)
        text.setAccessibleName("Error details")
        text.setMinimumSize(560, 240)
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = QPushButton("Copy details")
        copy.setAccessibleName("Copy details")
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details)


def crash_details(exc: BaseException) -> str:
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return f"workbench {__version__}, Python {sys.version.split()[0]}\n\n{tb}"


def show_crash(parent: QWidget | None, exc: BaseException) -> CrashDialog:
    if parent is None:
        parent = QApplication.activeWindow()
    dialog = CrashDialog(crash_details(exc), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class _CrashRelay(QObject):
    """Carries exceptions from any thread to the UI thread."""

    crashed = Signal(object)


_relay: _CrashRelay | None = None


def install_hooks() -> None:
    """Route uncaught exceptions (UI thread and worker threads) to the crash dialog.

    Installed once, from :func:`workbench.ui.app.main`; the original hooks
    still run so that the traceback also reaches stderr.
    """
    global _relay
    if _relay is not None:
        return
    relay = _CrashRelay()
    relay.crashed.connect(lambda exc: show_error(None, exc))
    _relay = relay
    previous = sys.excepthook

    def excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        previous(kind, exc, tb)
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        relay.crashed.emit(exc)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
