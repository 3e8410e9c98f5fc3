"""The app's side of the address policy and of cancelling a fetch.

A source on a local address is refused until the user answers "Fetch anyway"
in a window-modal question; the answer is remembered for that source only.
Cancelling a fetch whose server trickles its headers ends the task at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.reliability.hostile_server import HostileServer, Trickle, hostile_server, respond
from workbench.core.model import FetchState, Stance
from workbench.core.services import sources as source_service
from workbench.ui.bus import ChangeBus
from workbench.ui.widgets.claim_detail import ClaimDetailPanel

pytestmark = [
    pytest.mark.network,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

TEXT = "The city spent $4 million on roads in 2023. Crime fell by 12 percent last year."
PAGE = (
    b"<html><head><title>Intranet budget</title></head><body><article>"
    b"<p>In 2023 the city spent $4 million on roads, according to the audited accounts.</p>"
    b"</article></body></html>"
)


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with hostile_server() as s:
        yield s


@pytest.fixture
def panel(qtbot: Any, store: Any, runner: Any) -> Iterator[ClaimDetailPanel]:
    article = store.articles.add(title="Roads", text=TEXT)
    end = TEXT.index(".") + 1
    claim = store.claims.add(article.id, start=0, end=end, text=TEXT[:end], score=0.8)
    bus, stack = ChangeBus(), QUndoStack()
    widget = ClaimDetailPanel(store=store, undo_stack=stack, runner=runner, bus=bus)
    widget._test_refs = (bus, stack)  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.show()
    widget.show_claim(claim.id)
    yield widget
    assert runner.shutdown(30_000)


def _attach(store: Any, panel: ClaimDetailPanel, url: str) -> int:
    view, _ = source_service.attach_evidence(store, panel.claim_id, url, stance=Stance.SUPPORTS)
    panel.show_claim(panel.claim_id)
    return int(view.source.id)


def _question(qtbot: Any) -> QMessageBox:
    found: list[QMessageBox] = []

    def shown() -> None:
        found[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox)
            and w.objectName() == "local-address-question"
            and w.isVisible()
        ]
        assert found

    qtbot.waitUntil(shown, timeout=5_000)
    return found[0]


def _button(box: QMessageBox, text: str) -> Any:
    return next(b for b in box.buttons() if b.text().replace("&", "") == text)


def test_local_source_is_fetched_only_after_the_user_confirms(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, server: HostileServer, monkeypatch: Any
) -> None:
    monkeypatch.delenv("WORKBENCH_ALLOW_LOCAL_FETCH", raising=False)
    source = _attach(
        store, panel, server.route("/b", respond(headers={"Content-Type": "text/html"}, body=PAGE))
    )
    with qtbot.waitSignal(panel.evidence.fetch_finished, timeout=20_000):
        panel.evidence.fetch(source)
    assert store.sources.get(source).fetch_state is FetchState.FAILED
    assert server.connections == 0
    box = _question(qtbot)
    assert "local network" in box.text()
    with qtbot.waitSignal(panel.evidence.fetch_finished, timeout=20_000):
        qtbot.mouseClick(_button(box, "Fetch anyway"), Qt.MouseButton.LeftButton)
    assert store.sources.get(source).fetch_state is FetchState.FETCHED
    assert source_service.local_fetch_allowed(store, source)


def test_declining_keeps_the_source_unfetched(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, server: HostileServer, monkeypatch: Any
) -> None:
    monkeypatch.delenv("WORKBENCH_ALLOW_LOCAL_FETCH", raising=False)
    source = _attach(store, panel, server.route("/b", respond(body=b"x")))
    with qtbot.waitSignal(panel.evidence.fetch_finished, timeout=20_000):
        panel.evidence.fetch(source)
    box = _question(qtbot)
    qtbot.mouseClick(_button(box, "Cancel"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=5_000)
    assert not source_service.local_fetch_allowed(store, source)
    assert store.sources.get(source).fetch_state is FetchState.FAILED
    assert server.connections == 0


def test_cancelling_a_trickling_fetch_ends_it_at_once(
    qtbot: Any, panel: ClaimDetailPanel, store: Any, server: HostileServer, runner: Any
) -> None:
    stop = threading.Event()
    trickle = Trickle(b"HTTP/1.1 200 OK\r\n" * 50, every=2.0, stop=stop)
    source = _attach(store, panel, server.route("/slow", trickle))
    handles: list[Any] = []
    runner.task_started.connect(handles.append)
    try:
        panel.evidence.fetch(source)
        qtbot.waitUntil(lambda: bool(trickle.started), timeout=20_000)
        started = time.monotonic()
        with qtbot.waitSignal(panel.evidence.fetch_finished, timeout=5_000):
            handles[-1].cancel()
        assert time.monotonic() - started < 1.0
        qtbot.waitUntil(lambda: bool(trickle.client_closed), timeout=5_000)
    finally:
        stop.set()
