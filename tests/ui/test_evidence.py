"""Attaching and working with evidence in the claim detail panel, against a local server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QUndoStack
from PySide6.QtWidgets import QDialogButtonBox
from pytest_httpserver import HTTPServer
from ui_helpers import make_edits, settle

from workbench.core.model import FetchState, Stance
from workbench.ui.bus import ChangeBus
from workbench.ui.dialogs.evidence_dialog import EvidenceDialog
from workbench.ui.models.evidence_model import COL_STATE, EvidenceModel, FetchStateRole
from workbench.ui.widgets.claim_detail import ClaimDetailPanel
from workbench.ui.widgets.evidence_list import SafeTextBrowser, SnapshotDialog

pytestmark = [
    pytest.mark.network,
    # The offscreen platform plugin says this whenever a top-level window is shown.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

TEXT = "The city spent $4 million on roads in 2023. Crime fell by 12 percent last year."

SUPPORTING = """<!doctype html><html><head><title>City budget 2023</title>
<meta property="og:site_name" content="City Hall">
<script>document.title = 'pwned'; fetch('/beacon');</script></head>
<body><article><h1>City budget 2023</h1>
<p>In 2023 the city spent $4 million on roads, according to the audited accounts.</p>
<p>Spending on parks was flat. The budget office published the figures in March.</p>
<img src="/tracker.png" alt="chart of road spending">
<p onclick="alert(1)">Contact the budget office for details.</p>
</article></body></html>"""

REFUTING = """<!doctype html><html><head><title>Audit finds lower road spending</title></head>
<body><article><h1>Audit finds lower road spending</h1>
<p>The auditor found that the city spent only $3.1 million on roads in 2023.</p>
<p>The remaining funds were carried over to the next year, the report said.</p>
</article></body></html>"""


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    srv = HTTPServer(host="127.0.0.1", port=0)
    srv.start()
    try:
        yield srv
    finally:
        srv.clear()
        srv.stop()


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/gone"


@pytest.fixture
def claim_id(store: Any) -> int:
    article = store.articles.add(title="Roads", text=TEXT)
    end = TEXT.index(".") + 1
    return int(store.claims.add(article.id, start=0, end=end, text=TEXT[:end], score=0.8).id)


@pytest.fixture
def panel(qtbot: Any, store: Any, runner: Any, claim_id: int) -> Iterator[ClaimDetailPanel]:
    bus = ChangeBus()
    stack = QUndoStack()
    widget = ClaimDetailPanel(
        store=store, edits=make_edits(store, runner, bus, stack), runner=runner, bus=bus
    )
    widget._test_refs = (bus, stack, runner)  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.show()
    widget.show_claim(claim_id)
    yield widget
    assert runner.shutdown(30_000)


def stack_of(panel: ClaimDetailPanel) -> QUndoStack:
    return panel._test_refs[1]  # type: ignore[attr-defined, no-any-return]


def wait(qtbot: Any, panel: ClaimDetailPanel) -> None:
    """Let the panel's edits (operations on the database lane) land and report."""
    settle(qtbot, panel._test_refs[2])  # type: ignore[attr-defined]


def undo(qtbot: Any, panel: ClaimDetailPanel) -> None:
    stack_of(panel).undo()
    wait(qtbot, panel)


def fill_and_submit(
    qtbot: Any, dialog: EvidenceDialog, url: str, stance: Stance, excerpt: str = ""
) -> None:
    dialog.url_edit.setText(url)
    dialog.stance_combo.setCurrentIndex(dialog.stance_combo.findData(stance.value))
    dialog.excerpt_edit.setPlainText(excerpt)
    dialog.note_edit.setPlainText("checked by desk")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)


def attach(
    qtbot: Any, panel: ClaimDetailPanel, url: str, stance: Stance, excerpt: str = ""
) -> None:
    dialog = panel.add_evidence()
    assert dialog is not None
    with qtbot.waitSignal(panel.evidence.fetch_finished, timeout=20_000):
        fill_and_submit(qtbot, dialog, url, stance, excerpt)
        # saved first, the fetch follows
        qtbot.waitUntil(
            lambda: any(
                v.source.url == url for v in panel._store.evidence.for_claim(panel.claim_id)
            ),
            timeout=10_000,
        )


def state_texts(model: EvidenceModel) -> dict[str, str]:
    return {
        model.view_at(r).source.url: model.index(r, COL_STATE).data(FetchStateRole)  # type: ignore[union-attr]
        for r in range(model.rowCount())
    }


def test_attach_supporting_and_refuting_sources(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, server: HTTPServer, claim_id: int
) -> None:
    server.expect_request("/budget").respond_with_data(SUPPORTING, content_type="text/html")
    server.expect_request("/audit").respond_with_data(REFUTING, content_type="text/html")
    support_url = server.url_for("/budget")
    refute_url = server.url_for("/audit")

    attach(qtbot, panel, support_url, Stance.SUPPORTS, "the city spent $4 million on roads")
    attach(qtbot, panel, refute_url, Stance.REFUTES, "the city spent $9 million")

    views = {v.source.url: v for v in store.evidence.for_claim(claim_id)}
    assert views[support_url].evidence.stance is Stance.SUPPORTS
    assert views[refute_url].evidence.stance is Stance.REFUTES
    assert views[support_url].source.fetch_state is FetchState.FETCHED
    assert views[support_url].source.title == "City budget 2023"
    assert views[support_url].evidence.excerpt_found is True
    assert views[refute_url].evidence.excerpt_found is False
    assert views[support_url].evidence.note == "checked by desk"

    model = panel.evidence.model
    assert model.rowCount() == 2
    assert state_texts(model) == {
        support_url: "fetched",
        refute_url: "excerpt not found in source",
    }
    titles = {model.index(r, 1).data() for r in range(2)}
    assert titles == {"City budget 2023", "Audit finds lower road spending"}
    # the page's script never ran and its tracker was never requested
    assert [req.path for req, _ in server.log] == ["/budget", "/audit"]
    qtmodeltester_check(model)


def qtmodeltester_check(model: EvidenceModel) -> None:
    from pytestqt.modeltest import ModelTester

    tester = ModelTester(None)
    tester.check(model, force_py=True)


def test_unreachable_url_keeps_evidence_not_fetched_and_fetch_now_retries(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, server: HTTPServer, claim_id: int
) -> None:
    url = closed_port_url()
    attach(qtbot, panel, url, Stance.CONTEXT)
    (view,) = store.evidence.for_claim(claim_id)
    assert view.source.fetch_state is FetchState.FAILED
    assert view.evidence.stance is Stance.CONTEXT
    state = state_texts(panel.evidence.model)[url]
    assert state.startswith("not fetched: ")
    assert len(state) > len("not fetched: ") + 5  # says why
    assert panel.evidence.message_label.isVisible()

    # a flaky page: 500 first, then the article; "Fetch now" records the retry
    server.expect_ordered_request("/flaky").respond_with_data("down", status=500)
    server.expect_ordered_request("/flaky").respond_with_data(SUPPORTING, content_type="text/html")
    flaky = server.url_for("/flaky")
    attach(qtbot, panel, flaky, Stance.SUPPORTS, "spent $4 million on roads")
    assert state_texts(panel.evidence.model)[flaky].startswith("not fetched: ")
    panel.evidence.select_evidence(
        next(v.evidence.id for v in store.evidence.for_claim(claim_id) if v.source.url == flaky)
    )
    with qtbot.waitSignal(panel.evidence.fetch_finished, timeout=20_000):
        qtbot.mouseClick(panel.evidence.buttons["fetch"], Qt.MouseButton.LeftButton)
    assert state_texts(panel.evidence.model)[flaky] == "fetched"


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "javascript:alert(document.cookie)", "file:///etc/passwd", "ftp://a.example/x",
     "data:text/html,<b>x</b>", "not a url"],
)  # fmt: skip
def test_invalid_url_shows_inline_message_and_stores_nothing(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, claim_id: int, bad: str
) -> None:
    dialog = panel.add_evidence()
    assert dialog is not None
    fill_and_submit(qtbot, dialog, bad, Stance.SUPPORTS, "typed excerpt")
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text()
    assert dialog.excerpt_edit.toPlainText() == "typed excerpt"  # nothing typed is lost
    assert store.evidence.for_claim(claim_id) == []
    assert stack_of(panel).count() == 0
    dialog.reject()


def test_snapshot_viewer_is_sanitized_and_loads_nothing(
    qtbot: Any, panel: ClaimDetailPanel, server: HTTPServer
) -> None:
    server.expect_request("/budget").respond_with_data(SUPPORTING, content_type="text/html")
    attach(qtbot, panel, server.url_for("/budget"), Stance.SUPPORTS)
    with qtbot.waitSignal(panel.evidence.snapshot_ready, timeout=10_000) as blocker:
        qtbot.mouseClick(panel.evidence.buttons["snapshot"], Qt.MouseButton.LeftButton)
    dialog: SnapshotDialog = blocker.args[0]
    shown = dialog.browser.toPlainText()
    assert "the city spent $4 million on roads" in shown
    assert "[chart of road spending]" in shown  # the image is its alt text
    assert "pwned" not in shown
    assert "beacon" not in shown
    html = dialog.browser.toHtml()
    assert "<script" not in html.lower()
    assert "onclick" not in html.lower()
    assert dialog.browser.refused == []  # nothing even asked to load
    qtbot.wait(50)  # let any (wrongly) scheduled resource load run
    assert [req.path for req, _ in server.log] == ["/budget"]
    dialog.close()


def test_safe_browser_refuses_remote_resources(qtbot: Any, server: HTTPServer) -> None:
    server.expect_request("/pixel.png").respond_with_data(b"x", content_type="image/png")
    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    pixel = server.url_for("/pixel.png")
    browser.setHtml(f'<p>before</p><img src="{pixel}"><link rel="stylesheet" href="{pixel}">')
    browser.show()
    qtbot.waitExposed(browser)
    assert pixel in browser.refused
    assert browser.loadResource(2, QUrl(pixel)) is None
    assert server.log == []


class _UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_open_copy_citation_wayback_edit_remove_undo(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, server: HTTPServer, claim_id: int
) -> None:
    server.expect_request("/budget").respond_with_data(SUPPORTING, content_type="text/html")
    url = server.url_for("/budget") + "?utm_source=newsletter"
    attach(qtbot, panel, url, Stance.SUPPORTS)
    ev = panel.evidence
    catcher = _UrlCatcher()
    QDesktopServices.setUrlHandler("http", catcher, "open")
    try:
        qtbot.mouseClick(ev.buttons["open"], Qt.MouseButton.LeftButton)
    finally:
        QDesktopServices.unsetUrlHandler("http")
    assert catcher.urls == [url]

    citation = ev.copy_citation()
    assert citation is not None
    assert QGuiApplication.clipboard().text() == citation
    assert "“City budget 2023”" in citation
    assert "City Hall" in citation
    assert url in citation
    assert "snapshot 20" in citation

    address = ev.show_wayback()
    assert address is not None
    assert address.startswith("https://web.archive.org/web/")
    assert address.endswith(server.url_for("/budget"))  # tracking parameter dropped
    assert address in ev.message_label.text()
    assert len(server.log) == 1  # built, not fetched

    dialog = ev.edit_selected()
    assert dialog is not None
    assert dialog.url_edit.isReadOnly()
    dialog.stance_combo.setCurrentIndex(dialog.stance_combo.findData(Stance.MIXED.value))
    dialog.excerpt_edit.setPlainText("spent $4 million on roads")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    wait(qtbot, panel)
    (view,) = store.evidence.for_claim(claim_id)
    assert view.evidence.stance is Stance.MIXED
    assert view.evidence.excerpt_found is True  # checked against the stored snapshot
    assert ev.model.index(0, 0).data() == "Mixed"

    qtbot.mouseClick(ev.buttons["remove"], Qt.MouseButton.LeftButton)
    wait(qtbot, panel)
    assert store.evidence.for_claim(claim_id) == []
    assert ev.model.rowCount() == 0
    undo(qtbot, panel)
    (view,) = store.evidence.for_claim(claim_id)
    assert view.evidence.stance is Stance.MIXED
    assert view.evidence.excerpt_found is True  # checked again against the snapshot
    assert ev.model.rowCount() == 1
    undo(qtbot, panel)  # the edit
    assert store.evidence.for_claim(claim_id)[0].evidence.stance is Stance.SUPPORTS
    undo(qtbot, panel)  # the attach
    assert store.evidence.for_claim(claim_id) == []
    assert ev.model.rowCount() == 0


def test_keyboard_only_attach(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, server: HTTPServer, claim_id: int
) -> None:
    server.expect_request("/k").respond_with_data(REFUTING, content_type="text/html")
    dialog = panel.add_evidence()
    assert dialog is not None
    qtbot.waitUntil(dialog.url_edit.hasFocus)
    qtbot.keyClicks(dialog.url_edit, server.url_for("/k"))
    qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Tab)
    assert dialog.stance_combo.hasFocus()
    qtbot.keyClick(dialog.stance_combo, Qt.Key.Key_Down)  # Supports -> Refutes
    with qtbot.waitSignal(panel.evidence.fetch_finished, timeout=20_000):
        qtbot.keyClick(dialog.url_edit, Qt.Key.Key_Return)
    (view,) = store.evidence.for_claim(claim_id)
    assert view.evidence.stance is Stance.REFUTES
    assert view.source.fetch_state is FetchState.FETCHED


def test_attach_never_waits_for_the_network(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, server: HTTPServer, runner: Any, claim_id: int
) -> None:
    import threading

    from werkzeug import Response

    release = threading.Event()

    def slow(_request: Any) -> Response:
        release.wait(20)
        return Response(SUPPORTING, content_type="text/html")

    server.expect_request("/slow").respond_with_handler(slow)
    lanes: list[str] = []
    runner.task_started.connect(lambda handle: lanes.append(handle.lane))
    dialog = panel.add_evidence()
    assert dialog is not None
    try:
        fill_and_submit(qtbot, dialog, server.url_for("/slow"), Stance.SUPPORTS)
        assert not dialog.isVisible()  # back on the UI thread at once
        # saved on the database lane while the page is still being served
        qtbot.waitUntil(lambda: lanes == ["db", "io"], timeout=10_000)
        (view,) = store.evidence.for_claim(claim_id)
        assert view.source.fetch_state is FetchState.PENDING
        assert state_texts(panel.evidence.model) == {server.url_for("/slow"): "fetching…"}
    finally:
        release.set()
    qtbot.waitUntil(
        lambda: state_texts(panel.evidence.model) == {server.url_for("/slow"): "fetched"},
        timeout=20_000,
    )
