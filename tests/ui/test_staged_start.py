"""The staged start: the article is painted from the glance, the rest loads behind it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings

from workbench.core.services.startup import glance
from workbench.ui.main_window import MainWindow


def _staged(qtbot, store, db_path: Path, article_id: int) -> MainWindow:
    seen = glance(db_path, prefer=article_id)
    assert seen is not None
    window = MainWindow(store=store, staged=True)
    qtbot.addWidget(window)
    window.show_glance(seen)
    window.show()
    return window


def _close(window: MainWindow) -> None:
    window.close()
    assert window.runner.wait(30_000)


def test_staged_window_shows_the_article_then_becomes_whole(
    qtbot, store, db_path, small_article
) -> None:
    window = _staged(qtbot, store, db_path, small_article.id)
    try:
        # Painted from the glance: text, title, both claims and their highlights.
        assert window.article_view.toPlainText() == small_article.text
        assert window.article_title.text() == "Council budget"
        assert window.claims_table.model.rowCount() == 2
        assert len(window.article_view.claim_rows()) == 2
        assert not window.is_ready and not hasattr(window, "detail")
        assert not hasattr(window, "library") and window.menuBar().actions() == []
        assert window.statusBar().currentMessage() == "Opening the library…"
        # Selecting a claim already works: the span is marked in the article.
        first = window.claims_table.model.claim_ids()[0]
        window.claims_table.select_claim(first)
        assert window.article_view.selected_claim == first

        with qtbot.waitSignal(window.ready, timeout=30_000):
            window.finish_start()
        assert window.is_ready and window.detail is not None
        assert window.statusBar().currentMessage() != "Opening the library…"
        assert window.library.model.total() == 1
        titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
        assert titles == ["File", "Edit", "Claim", "View", "Help"]
        assert window.article is not None and window.article.id == small_article.id
        assert window.claims_table.model.rowCount() == 2
        # The whole window works as usual now: a verdict through the menu shortcut path.
        window.claims_table.select_claim(first)
        window.verdict_actions[next(iter(window.verdict_actions))].trigger()
        qtbot.waitUntil(lambda: store.claims.get(first).verdict is not None, timeout=10_000)
        qtbot.waitUntil(lambda: window.undo_stack.count() == 1, timeout=10_000)
        window.undo_stack.undo()
        qtbot.waitUntil(lambda: store.claims.get(first).verdict is None, timeout=10_000)
    finally:
        _close(window)


def test_closing_before_the_rest_loaded_keeps_the_saved_dock_layout(
    qtbot, store, db_path, small_article
) -> None:
    QSettings().setValue("window/state", b"dock-layout-from-last-session")
    window = _staged(qtbot, store, db_path, small_article.id)
    _close(window)
    assert QSettings().value("window/state") == b"dock-layout-from-last-session"
    assert QSettings().value("window/geometry") is not None


def _run_app(db: Path, tmp_path: Path) -> list[str]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        WORKBENCH_STARTUP_PROBE="1",
        WORKBENCH_EXIT_AFTER_MS="0",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        HOME=str(tmp_path),
    )
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_app_paints_before_it_imports_the_orm(store, db_path, small_article, tmp_path) -> None:
    store.close()
    lines = _run_app(db_path, tmp_path)
    kinds = [line.split()[0] for line in lines]
    assert kinds == ["first-paint", "ready", "main"], lines
    assert lines[0].endswith("orm=False"), lines  # the staged start: no SQLAlchemy yet
    painted, ready = (float(line.split()[1]) for line in lines[:2])
    assert painted <= ready
    assert lines[2] == "main window shown: Council budget, 2 claims"


def test_an_edit_before_the_rest_loaded_shows_at_once_and_survives(
    qtbot, store, db_path, small_article
) -> None:
    window = _staged(qtbot, store, db_path, small_article.id)
    try:
        first = window.claims_table.model.claim_ids()[0]
        window.claims_table.select_claim(first)
        window.claims_table.delete_selected()  # no evidence: no question asked
        qtbot.waitUntil(lambda: window.claims_table.model.rowCount() == 1, timeout=10_000)
        assert window.claims_table.model.claim_ids() == [
            c.id for c in store.claims.for_article(small_article.id)
        ]
        assert len(window.article_view.claim_rows()) == 1
        with qtbot.waitSignal(window.ready, timeout=30_000):
            window.finish_start()
        assert window.claims_table.model.rowCount() == 1
        window.undo_stack.undo()  # the step pushed before the docks existed still undoes
        qtbot.waitUntil(lambda: window.claims_table.model.rowCount() == 2, timeout=10_000)
        assert window.claims_table.model.claim_ids()[0] == first  # the same id, back
        assert len(store.claims.for_article(small_article.id)) == 2
    finally:
        _close(window)


def test_closing_while_the_rest_loads_finishes_nothing(
    qtbot, store, db_path, small_article
) -> None:
    window = _staged(qtbot, store, db_path, small_article.id)
    handle = window.finish_start()
    window.close()
    assert window.runner.wait(30_000)
    qtbot.waitUntil(lambda: handle.done, timeout=30_000)
    qtbot.wait(50)  # let a queued completion callback run, if one were coming
    assert not window.is_ready and not hasattr(window, "library")
    assert window.extractions() == []
