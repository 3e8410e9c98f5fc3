"""The first run asks who is working: the name the history and the memos show.

The history records who made each change (``--user``, WORKBENCH_USER, the
checker name in settings, or the login name, in that order), and memos say
"Checked by" the same checker name.  A login name such as ``jdoe`` is a poor
name for either, so the app asks once.  It never asks where nobody could
answer -- the offscreen platform of tests and headless runs, a run that
quits by itself (``WORKBENCH_EXIT_AFTER_MS``) -- nor when WORKBENCH_USER
already names the person, nor when a name is set.
"""

from __future__ import annotations

import os
from dataclasses import replace

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

from workbench.core.services import settings as settings_service
from workbench.core.services.operations import USER_ENV, login_name
from workbench.ui.ops import OpRunner

ASKED_KEY = "first_run/asked_name"
EXIT_ENV = "WORKBENCH_EXIT_AFTER_MS"


def should_ask(ops: OpRunner) -> bool:
    """True on a real display, once, while no name is known."""
    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return False
    if os.environ.get(USER_ENV, "").strip() or os.environ.get(EXIT_ENV, "").strip():
        return False
    if QSettings().value(ASKED_KEY, False, type=bool):
        return False
    return not settings_service.load_settings(ops.store).checker_name


def ask_display_name(parent: QWidget, ops: OpRunner) -> QInputDialog | None:
    """Ask for the name (non-blocking); it is saved as the checker name when given."""
    if not should_ask(ops):
        return None
    QSettings().setValue(ASKED_KEY, True)
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("Who is checking?")
    dialog.setLabelText(
        "Your name, as the history of changes and the memos' “Checked by” should show it:"
    )
    dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
    dialog.setTextValue(login_name())
    dialog.setAccessibleName("Your name")

    def chosen(name: str) -> None:
        name = name.strip()
        if not name:
            return
        current = settings_service.load_settings(ops.store)
        updated = replace(current, checker_name=name)
        ops.run(
            lambda store: settings_service.save_settings(store, updated),
            label="Saving your name",
        )

    dialog.textValueSelected.connect(chosen)
    dialog.open()
    return dialog
