"""The search panel on a real store: typing, highlights, activation, hostile input, errors."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from PySide6.QtCore import Qt
from ui_helpers import article_with_claims, audit_source

from workbench.core.model import Stance, Verdict
from workbench.ui.models.search_model import (
    ArticleIdRole,
    ClaimIdRole,
    HeadingRole,
    KindRole,
    SearchResultsModel,
    SnippetHtmlRole,
    SourceIdRole,
    snippet_html,
    snippet_plain,
)
from workbench.ui.widgets.search_panel import DEBOUNCE_MS, SearchPanel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TRAM = "The city spent 12 million dollars on the Northside tram in 2023."
TRAM2 = "Officials said the Northside tram carried 40,000 riders a day last spring."
HARBOUR = "Fishing catches in the harbour fell by a third after the storm."
HOSTILE = "Critics wrote <img src=x onerror=alert(1)> & <b>bold</b> about the tramway fares."


@pytest.fixture
def world(store: Any) -> dict[str, Any]:
    a1, (c1, c1b) = article_with_claims(store, "Transit budget doubles", TRAM, TRAM2)
    store.claims.update(c1.id, verdict=Verdict.FALSE, rationale="Audited accounts show 9 million.")
    a2, (c2,) = article_with_claims(store, "Harbour report", HARBOUR)
    a3, (c3,) = article_with_claims(store, "Letters <script>x</script>", HOSTILE)
    src = audit_source(store)
    store.evidence.attach(c1.id, src.id, stance=Stance.REFUTES, excerpt="9 million dollars")
    return {"a1": a1, "c1": c1, "c1b": c1b, "a2": a2, "c2": c2, "a3": a3, "c3": c3, "src": src}


@pytest.fixture
def panel(qtbot: Any, store: Any, runner: Any) -> SearchPanel:
    widget = SearchPanel(store=store, runner=runner)
    qtbot.addWidget(widget)
    widget.resize(500, 600)
    widget.show()
    return widget


def search(qtbot: Any, panel: SearchPanel, text: str) -> int:
    """Type ``text`` and wait for the (debounced, background) search to show its hits."""
    with qtbot.waitSignal(panel.search_finished, timeout=10_000) as blocker:
        panel.set_query(text)
    return int(blocker.args[0])


def rows(panel: SearchPanel, role: int) -> list[Any]:
    return [panel.model.index(r, 0).data(role) for r in range(panel.model.rowCount())]


def test_typing_finds_claims_with_highlighted_matches(
    qtbot: Any, panel: SearchPanel, world: dict[str, Any]
) -> None:
    n = search(qtbot, panel, "tram")
    assert n == panel.model.rowCount() >= 2
    claim_ids = rows(panel, ClaimIdRole)
    assert world["c1"].id in claim_ids
    assert world["c1b"].id in claim_ids
    assert world["c2"].id not in claim_ids
    row = claim_ids.index(world["c1"].id)
    index = panel.model.index(row, 0)
    assert index.data(KindRole) == "claim"
    assert index.data(HeadingRole) == "Claim · Transit budget doubles · False"
    assert "<b>tram</b>" in index.data(SnippetHtmlRole)
    assert "Northside" in index.data(Qt.ItemDataRole.DisplayRole)
    assert "\x02" not in index.data(Qt.ItemDataRole.DisplayRole)
    assert panel.status_label.text().startswith(f"{n} result")
    # an unverdicted claim says so
    other = panel.model.index(claim_ids.index(world["c1b"].id), 0)
    assert other.data(HeadingRole).endswith("· no verdict")


def test_prefix_and_phrase_queries(qtbot: Any, panel: SearchPanel, world: dict[str, Any]) -> None:
    assert search(qtbot, panel, "harb") >= 1  # the last word matches as a prefix
    assert world["c2"].id in rows(panel, ClaimIdRole)
    search(qtbot, panel, '"Northside tram carried"')
    assert rows(panel, ClaimIdRole) == [world["c1b"].id]


def test_sources_and_articles_are_found_too(
    qtbot: Any, panel: SearchPanel, world: dict[str, Any]
) -> None:
    search(qtbot, panel, "municipal railway")
    kinds = rows(panel, KindRole)
    assert "source" in kinds
    row = kinds.index("source")
    assert panel.model.index(row, 0).data(SourceIdRole) == world["src"].id
    assert panel.model.index(row, 0).data(HeadingRole).startswith("Source · Municipal railway")
    search(qtbot, panel, "Harbour report")
    assert world["a2"].id in [
        a
        for a, k in zip(rows(panel, ArticleIdRole), rows(panel, KindRole), strict=True)
        if k == "article"
    ]


def test_markup_in_data_is_escaped_never_interpreted(
    qtbot: Any, panel: SearchPanel, world: dict[str, Any]
) -> None:
    search(qtbot, panel, "tramway")
    claim_ids = rows(panel, ClaimIdRole)
    index = panel.model.index(claim_ids.index(world["c3"].id), 0)
    html = index.data(SnippetHtmlRole)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&amp;" in html
    assert "<b>tramway</b>" in html
    assert "<script>" in index.data(HeadingRole)  # plain text; the delegate escapes it
    # painting the row must work (the delegate renders through QTextDocument)
    panel.results_view.viewport().grab()


def test_snippet_markers_become_balanced_bold() -> None:
    assert snippet_html("a \x02b\x03 c") == "a <b>b</b> c"
    assert snippet_html("\x02open to the end") == "<b>open to the end</b>"
    assert snippet_html("stray\x03 end \x02x\x02y\x03") == "stray end <b>xy</b>"
    assert snippet_html("<i>&\x01\x00") == "&lt;i&gt;&amp;"
    assert snippet_plain(" a\n\x02b\x03\tc ") == "a b c"


def test_activation_emits_the_right_signal(
    qtbot: Any, panel: SearchPanel, world: dict[str, Any]
) -> None:
    search(qtbot, panel, "Northside")
    row = rows(panel, ClaimIdRole).index(world["c1b"].id)
    panel.results_view.setFocus()
    panel.results_view.setCurrentIndex(panel.model.index(row, 0))
    with qtbot.waitSignal(panel.claim_activated, timeout=2000) as blocker:
        qtbot.keyClick(panel.results_view, Qt.Key.Key_Return)
    assert blocker.args == [world["a1"].id, world["c1b"].id]

    search(qtbot, panel, "Harbour report")
    row = rows(panel, KindRole).index("article")
    with qtbot.waitSignal(panel.article_activated, timeout=2000) as blocker:
        panel.results_view.activated.emit(panel.model.index(row, 0))
    assert blocker.args == [world["a2"].id]

    search(qtbot, panel, "audited accounts municipal")
    row = rows(panel, KindRole).index("source")
    with qtbot.waitSignal(panel.source_activated, timeout=2000) as blocker:
        panel.activate_row(row)
    assert blocker.args == [world["src"].id]


def test_enter_in_the_box_opens_the_first_hit_and_down_moves_into_the_list(
    qtbot: Any, panel: SearchPanel, world: dict[str, Any]
) -> None:
    search(qtbot, panel, '"Northside tram carried"')
    with qtbot.waitSignal(panel.claim_activated, timeout=2000) as blocker:
        qtbot.keyClick(panel.search_box, Qt.Key.Key_Return)
    assert blocker.args == [world["a1"].id, world["c1b"].id]
    qtbot.keyClick(panel.search_box, Qt.Key.Key_Down)
    assert panel.results_view.currentIndex().row() == 0


@pytest.mark.parametrize(
    "query",
    [
        "AND (",
        '"',
        '"unterminated tram',
        "*",
        "tram*",
        "NEAR(tram dollars)",
        "tram OR",
        "-tram",
        "title:tram",
        "^tram",
        "''",
        "\\",
        "%_%",
        "tram' ; DROP TABLE claims; --",
        "\x00\x02\x03",
        "ü" * 300,
    ],
)
def test_hostile_queries_never_error(
    qtbot: Any, panel: SearchPanel, world: dict[str, Any], store: Any, query: str
) -> None:
    search(qtbot, panel, query)
    status = panel.status_label.text()
    assert status == "No matches." or "result" in status, status
    assert store.claims.get(world["c1"].id).text == TRAM  # nothing was harmed


def test_empty_and_whitespace_clear_without_error(
    qtbot: Any, panel: SearchPanel, world: dict[str, Any]
) -> None:
    assert search(qtbot, panel, "tram") > 0
    with qtbot.waitSignal(panel.search_finished, timeout=1000) as blocker:
        panel.set_query("   \t ")
    assert blocker.args == [0]
    assert panel.model.rowCount() == 0
    assert panel.status_label.text() == ""
    assert not panel.is_searching()


def test_typing_is_debounced_into_one_background_search(
    qtbot: Any, panel: SearchPanel, runner: Any, world: dict[str, Any]
) -> None:
    labels: list[str] = []
    runner.task_started.connect(lambda h: labels.append(h.label))
    with qtbot.waitSignal(panel.search_finished, timeout=10_000):
        qtbot.keyClicks(panel.search_box, "harbour")
    assert labels == ["Searching for harbour"]
    assert [c for c in rows(panel, ClaimIdRole) if c is not None] == [world["c2"].id]
    assert DEBOUNCE_MS >= 100


def test_stale_results_are_dropped(
    qtbot: Any, panel: SearchPanel, runner: Any, world: dict[str, Any]
) -> None:
    finished: list[object] = []
    runner.task_finished.connect(lambda h, result: finished.append(result))
    panel.set_query("harbour")
    panel.search_now()
    panel.set_query("Northside")
    with qtbot.waitSignal(panel.search_finished, timeout=10_000):
        panel.search_now()
    qtbot.waitUntil(lambda: runner.active() == [], timeout=10_000)
    # whether or not the first job ran, only the newest answer is on screen
    assert world["c2"].id not in rows(panel, ClaimIdRole)
    assert world["c1"].id in rows(panel, ClaimIdRole)
    assert panel.query() == "Northside"


def test_known_errors_show_inline(
    qtbot: Any, panel: SearchPanel, world: dict[str, Any], store: Any
) -> None:
    """A damaged file (SQLITE_CORRUPT / NOTADB) is the environment: one line in the panel."""
    assert search(qtbot, panel, "tram") > 0
    store.close()  # the app's connections let go, as after a crash of the disk
    with open(store.path, "r+b") as fh:
        fh.write(b"this is no longer an SQLite header" * 4)
    assert search(qtbot, panel, "harbour") == 0
    assert panel.model.rowCount() == 0
    assert panel.status_label.text().startswith("database "), panel.status_label.text()
    assert "damaged" in panel.status_label.text()


def test_a_broken_schema_is_a_bug_not_a_known_error(
    qtbot: Any, panel: SearchPanel, world: dict[str, Any], store: Any
) -> None:
    """ "no such table" is SQLITE_ERROR: a bug, reported with its traceback, never dressed
    up as "check the file" (the error is sorted by code, not by its wording)."""
    assert search(qtbot, panel, "tram") > 0
    con = sqlite3.connect(store.path)
    try:
        con.execute("DROP TABLE search_index")
        con.commit()
    finally:
        con.close()
    with qtbot.capture_exceptions() as caught:
        assert search(qtbot, panel, "harbour") == 0
    assert panel.model.rowCount() == 0
    assert "bug" in panel.status_label.text()
    assert len(caught) == 1
    assert "no such table: search_index" in str(caught[0][1])


def test_focus_search_selects_the_query(qtbot: Any, panel: SearchPanel) -> None:
    panel.set_query("tram")
    panel.activateWindow()
    panel.results_view.setFocus()
    panel.focus_search()
    qtbot.waitUntil(panel.search_box.hasFocus, timeout=2000)
    assert panel.search_box.selectedText() == "tram"
    assert panel.search_box.accessibleName()
    assert panel.results_view.accessibleName()


def test_model_passes_qtmodeltester(
    qtbot: Any, qtmodeltester: Any, panel: SearchPanel, world: dict[str, Any]
) -> None:
    search(qtbot, panel, "tram")
    assert panel.model.rowCount() > 0
    qtmodeltester.check(panel.model, force_py=True)
    empty = SearchResultsModel()
    qtmodeltester.check(empty, force_py=True)
