"""Helpers shared by the UI tests (imported by name: tests/ui is on sys.path)."""

from __future__ import annotations

from typing import Any

import pytest

# The offscreen platform plugin warns that it cannot propagate size hints
# whenever a dock widget is laid out; that is the plugin's limitation, not ours.
OFFSCREEN_NOISE = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

SMALL_TEXT = (
    "The city council approved a budget of 12 million dollars on Monday. "
    "Mayor Ana Ruiz said the plan would cut waiting times by half.\n\n"
    "Critics argued that the budget was 30 percent larger than last year. "
    "The vote passed seven to two."
)


def click_in_next_dialog(qtbot: object, button_text: str) -> None:
    """Answer the next modal message box by clicking the button labelled ``button_text``."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(0, answer)


def article_with_claims(store: Any, title: str, *texts: str) -> tuple[Any, list[Any]]:
    """An article made of ``texts`` (joined by spaces), each one a claim scored 0.7."""
    body = " ".join(texts)
    article = store.articles.add(title=title, text=body)
    claims = []
    for text in texts:
        start = body.index(text)
        claims.append(
            store.claims.add(article.id, start=start, end=start + len(text), text=text, score=0.7)
        )
    return article, claims


def audit_source(store: Any) -> Any:
    """A fetched source (one snapshot) whose text refutes a "12 million" tram claim."""
    from datetime import UTC, datetime

    source, _ = store.sources.get_or_create("https://example.org/audit", "example.org/audit")
    store.sources.add_snapshot(
        source.id,
        fetched_at=datetime.now(UTC),
        final_url=None,
        http_status=200,
        content_type="text/html",
        raw=b"<p>audit</p>",
        text="The audited accounts of the municipal railway list 9 million dollars.",
        title="Municipal railway audit",
    )
    return source


def settle(qtbot: Any, runner: Any, timeout: int = 15_000) -> None:
    """Wait until every job of ``runner`` -- the app's operations included -- has reported.

    Edits are operations on the database lane; their change broadcast and
    callbacks arrive on the UI thread afterwards, so tests wait for that
    instead of sleeping.
    """
    qtbot.waitUntil(lambda: not runner.active(), timeout=timeout)


def make_edits(store: Any, runner: Any, bus: Any, stack: Any = None) -> Any:
    """The app's edit machinery (operation runner + undo steps) for a panel under test."""
    from PySide6.QtGui import QUndoStack

    from workbench.ui.commands import Edits
    from workbench.ui.ops import OpRunner

    failures: list[BaseException] = []
    edits = Edits(OpRunner(store, runner, bus), stack or QUndoStack(), report=failures.append)
    edits.failures = failures  # type: ignore[attr-defined]
    return edits
