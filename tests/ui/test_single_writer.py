"""The single writer: typing never waits for another program's lock, and the UI thread never writes.

Another process (here a plain ``sqlite3`` one, as the CLI would be during a
long import) takes the database's write lock.  The user types a rationale
with real key events; the save is queued on the database lane, the panel
and the status bar say it is "waiting for another program…", a 10 ms
QTimer heartbeat shows the event loop never stalls, and once the lock is
released the rationale is stored.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QElapsedTimer, QTimer
from ui_helpers import OFFSCREEN_NOISE, settle

from workbench.core.services.operations import WAITING_LABEL

pytestmark = OFFSCREEN_NOISE

HEARTBEAT_MS = 10
MAX_STALL_MS = 50

HOLDER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE settings SET value = value WHERE 0")
    print("locked", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
    conn.close()
    print("released", flush=True)
    """
)


class Heartbeat:
    """A 10 ms QTimer on the UI thread; the longest gap between beats, less the interval."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.last = 0.0
        self.worst = 0.0

    def start(self) -> None:
        self.clock.start()
        self.last = 0.0
        self.timer.start()

    def _beat(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        self.worst = max(self.worst, now - self.last - HEARTBEAT_MS)
        self.last = now

    def stop(self) -> float:
        self.timer.stop()
        return self.worst


@pytest.fixture
def lock_holder(db_path: Path) -> Any:
    """Another process holding the write lock until told to let go."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBENCH_")}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.readline().strip() == "locked"

    def release() -> None:
        if proc.poll() is None:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
            assert proc.stdout.readline().strip() == "released"

    yield release
    release()
    proc.wait(30)
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            stream.close()


def test_typing_while_another_program_holds_the_lock(
    qtbot: Any, make_window: Any, small_article: Any, store: Any, lock_holder: Any
) -> None:
    window = make_window()
    first = window.claims_table.model.claim_ids()[0]
    window.select_claim(first)
    editor = window.detail.rationale_edit
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    heartbeat = Heartbeat()
    heartbeat.start()
    typed = "Budget documents say 3.1m"
    for ch in typed[:12]:  # real key events, one at a time, with the loop running between
        qtbot.keyClick(editor, ch)
        qtbot.wait(15)
    # the debounce fires; the save waits on the database lane, and says so
    qtbot.waitUntil(window.detail.waiting_label.isVisible, timeout=10_000)
    assert WAITING_LABEL in window.detail.waiting_label.text()
    bar = window.statusBar()
    qtbot.waitUntil(lambda: WAITING_LABEL in bar.task_label.text(), timeout=5_000)
    for ch in typed[12:]:  # typing goes on while the lock is held
        qtbot.keyClick(editor, ch)
        qtbot.wait(15)
    qtbot.wait(600)  # the second burst's save is queued behind the first
    assert editor.toPlainText() == typed
    assert store.claims.get(first).rationale == ""  # nothing could be written yet
    worst = heartbeat.stop()
    print(f"worst event-loop stall while the lock was held: {worst:.1f} ms")
    assert worst < MAX_STALL_MS, f"the event loop stalled for {worst:.1f} ms"

    lock_holder()
    qtbot.waitUntil(lambda: store.claims.get(first).rationale == typed, timeout=15_000)
    settle(qtbot, window.runner)
    assert not window.detail.waiting_label.isVisible()
    assert editor.toPlainText() == typed  # the stored text never overwrote the editor
    assert window.undo_stack.count() == 1
    window.undo_action.trigger()
    settle(qtbot, window.runner)
    assert store.claims.get(first).rationale == ""


def test_the_guard_catches_ui_code_writing_on_the_ui_thread(store: Any, small_article: Any) -> None:
    """The autouse guard in conftest.py is what makes every UI test check the rule."""
    code = compile("store.articles.update(article_id, title='x')", "ui-code", "exec")
    with pytest.raises(AssertionError, match="wrote on the UI thread"):
        exec(
            code, {"__name__": "workbench.ui.fake", "store": store, "article_id": small_article.id}
        )
    assert store.articles.get(small_article.id).title == small_article.title
