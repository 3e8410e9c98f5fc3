"""Earlier checks panel on a real store: listing, opening, copying evidence with undo/redo."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from ui_helpers import make_edits, settle

from workbench.core.model import Changes, Stance, Verdict
from workbench.core.services import library as library_service
from workbench.ui.bus import ChangeBus
from workbench.ui.models.similar_model import (
    COL_ARTICLE,
    COL_EVIDENCE,
    COL_REASONS,
    COL_SIM,
    COL_VERDICT,
    ClaimIdRole,
    SimilarClaimsModel,
)
from workbench.ui.widgets.similar_panel import SimilarClaimsPanel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

EARLIER = "The city spent 12 million dollars on the Northside tram in 2023."
NOW = "The city spent 12 million dollars on the Northside tram line in 2023."
SAME_ARTICLE = "The city spent 12 million dollars on the Northside tram during 2023."
UNRELATED = "Fishing catches in the harbour fell by a third after the storm."


def _source(store: Any, url: str, text: str) -> Any:
    src, _ = store.sources.get_or_create(url, url.removeprefix("https://"))
    store.sources.add_snapshot(
        src.id,
        fetched_at=datetime.now(UTC),
        final_url=None,
        http_status=200,
        content_type="text/html",
        raw=text.encode(),
        text=text,
    )
    return src


@pytest.fixture
def world(store: Any) -> dict[str, Any]:
    def claim(title: str, *texts: str) -> list[Any]:
        body = " ".join(texts)
        a = store.articles.add(title=title, text=body)
        out = []
        for t in texts:
            start = body.index(t)
            out.append(store.claims.add(a.id, start=start, end=start + len(t), text=t, score=0.8))
        return out

    (earlier,) = claim("Transit budget doubles", EARLIER)
    store.claims.update(earlier.id, verdict=Verdict.FALSE, rationale="Audit says 9 million.")
    (unrelated,) = claim("Harbour report", UNRELATED)
    now, sibling = claim("Tram line review", NOW, SAME_ARTICLE)
    audit = _source(store, "https://example.org/audit", "The audit lists 9 million dollars.")
    minutes = _source(store, "https://example.org/minutes", "Council minutes, March 2023.")
    shared = _source(store, "https://example.org/press", "Press release about the tram.")
    own = _source(store, "https://example.org/own", "A source only the new claim cites.")
    store.evidence.attach(earlier.id, audit.id, stance=Stance.REFUTES, excerpt="9 million dollars")
    e_min, _ = store.evidence.attach(earlier.id, minutes.id, stance=Stance.CONTEXT, note="vote")
    store.evidence.set_excerpt_found(e_min.id, True)
    store.evidence.attach(earlier.id, shared.id, stance=Stance.SUPPORTS, excerpt="tram")
    # the new claim already cites two sources, one of them also on the earlier claim
    store.evidence.attach(now.id, shared.id, stance=Stance.MIXED, note="my own reading")
    store.evidence.attach(now.id, own.id, stance=Stance.CONTEXT)
    return {
        "earlier": earlier,
        "unrelated": unrelated,
        "now": now,
        "sibling": sibling,
        "audit": audit,
        "minutes": minutes,
        "shared": shared,
        "own": own,
    }


@pytest.fixture
def panel(qtbot: Any, store: Any, runner: Any) -> SimilarClaimsPanel:
    bus = ChangeBus()
    stack = QUndoStack()
    edits = make_edits(store, runner, bus, stack)
    widget = SimilarClaimsPanel(store=store, runner=runner, edits=edits, bus=bus)
    widget._test_bus = bus  # type: ignore[attr-defined]  # keep Python refs alive
    widget._test_stack = stack  # type: ignore[attr-defined]
    widget._test_runner = runner  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(900, 300)
    widget.show()
    return widget


def stack_of(panel: SimilarClaimsPanel) -> QUndoStack:
    return panel._test_stack  # type: ignore[attr-defined, no-any-return]


def bus_of(panel: SimilarClaimsPanel) -> ChangeBus:
    return panel._test_bus  # type: ignore[attr-defined, no-any-return]


def wait(qtbot: Any, panel: SimilarClaimsPanel) -> None:
    settle(qtbot, panel._test_runner)  # type: ignore[attr-defined]


def show(qtbot: Any, panel: SimilarClaimsPanel, claim_id: int | None) -> int:
    with qtbot.waitSignal(panel.lookup_finished, timeout=10_000) as blocker:
        panel.show_claim(claim_id)
    return int(blocker.args[0])


def cell(panel: SimilarClaimsPanel, row: int, col: int) -> str:
    return str(panel.model.index(row, col).data())


def evidence_state(store: Any, claim_id: int) -> set[tuple[int, str, str, str, bool | None]]:
    return {
        (
            v.source.id,
            v.evidence.stance.value,
            v.evidence.excerpt,
            v.evidence.note,
            v.evidence.excerpt_found,
        )
        for v in store.evidence.for_claim(claim_id)
    }


def test_lists_earlier_checks_from_other_articles(
    qtbot: Any, panel: SimilarClaimsPanel, world: dict[str, Any]
) -> None:
    assert show(qtbot, panel, world["now"].id) == 1
    assert panel.model.index(0, 0).data(ClaimIdRole) == world["earlier"].id
    assert cell(panel, 0, COL_VERDICT) == "False"
    assert cell(panel, 0, COL_ARTICLE) == "Transit budget doubles"
    assert cell(panel, 0, COL_EVIDENCE) == "3 sources"
    assert cell(panel, 0, COL_SIM).endswith("%")
    assert int(cell(panel, 0, COL_SIM).rstrip("%")) >= 80
    assert "shared numbers" in cell(panel, 0, COL_REASONS)
    assert "1 earlier check" in panel.status_label.text()
    # the sibling in the same article and the unrelated claim are not offered
    assert panel.model.claim_ids() == {world["earlier"].id}
    assert show(qtbot, panel, world["unrelated"].id) == 0
    assert "No earlier checks" in panel.status_label.text()
    assert show(qtbot, panel, None) == 0
    assert panel.claim_id is None
    assert panel.model.rowCount() == 0


def test_open_emits_claim_activated(
    qtbot: Any, panel: SimilarClaimsPanel, world: dict[str, Any]
) -> None:
    show(qtbot, panel, world["now"].id)
    assert not panel.open_button.isEnabled()
    panel.select_row(0)
    assert panel.open_button.isEnabled()
    with qtbot.waitSignal(panel.claim_activated, timeout=2000) as blocker:
        qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [world["earlier"].article_id, world["earlier"].id]
    with qtbot.waitSignal(panel.claim_activated, timeout=2000) as blocker:
        panel.table.activated.emit(panel.model.index(0, 2))
    assert blocker.args == [world["earlier"].article_id, world["earlier"].id]


def test_copy_evidence_then_undo_and_redo(
    qtbot: Any, panel: SimilarClaimsPanel, world: dict[str, Any], store: Any
) -> None:
    now, earlier = world["now"].id, world["earlier"].id
    before = evidence_state(store, now)
    earlier_before = evidence_state(store, earlier)
    seen: list[Changes] = []
    bus_of(panel).changed.connect(seen.append)
    show(qtbot, panel, now)
    panel.select_row(0)
    assert panel.copy_button.isEnabled()
    with qtbot.waitSignal(panel.copied, timeout=10_000):
        qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    stack = stack_of(panel)
    assert stack.count() == 1
    assert "Copy 2 sources" in stack.undoText()
    after = evidence_state(store, now)
    added = after - before
    assert {a[0] for a in added} == {world["audit"].id, world["minutes"].id}
    assert (
        world["audit"].id,
        "refutes",
        "9 million dollars",
        f"(copied from claim {earlier})",
        None,
    ) in added
    assert (
        world["minutes"].id,
        "context",
        "",
        f"vote\n(copied from claim {earlier})",
        True,
    ) in added
    assert before <= after  # the claim's own evidence (and its stance on the shared source) stays
    assert evidence_state(store, earlier) == earlier_before
    assert seen and now in seen[-1].claims and len(seen[-1].evidence) == 2
    assert "Copied 2 sources" in panel.status_label.text()

    stack.undo()
    wait(qtbot, panel)
    assert evidence_state(store, now) == before
    assert seen[-1].deleted_evidence and now in seen[-1].claims

    stack.redo()
    wait(qtbot, panel)
    assert evidence_state(store, now) == after
    stack.undo()
    wait(qtbot, panel)
    assert evidence_state(store, now) == before
    stack.redo()
    wait(qtbot, panel)
    assert evidence_state(store, now) == after
    # the panel refreshes from the bus once the edits settle
    qtbot.waitUntil(lambda: not panel.is_busy() and panel.model.rowCount() == 1, timeout=10_000)


def test_copy_with_nothing_new_is_refused_inline(
    qtbot: Any, panel: SimilarClaimsPanel, world: dict[str, Any], store: Any
) -> None:
    now, earlier = world["now"].id, world["earlier"].id
    library_service.copy_evidence(store, earlier, now)  # done elsewhere, not on the stack
    show(qtbot, panel, now)
    panel.select_row(0)
    before = evidence_state(store, now)
    assert panel.copy_selected() is None
    assert stack_of(panel).count() == 0
    assert panel.status_label.text().startswith("nothing to copy")
    assert evidence_state(store, now) == before


def test_bus_changes_refresh_the_list(
    qtbot: Any, panel: SimilarClaimsPanel, world: dict[str, Any], store: Any
) -> None:
    show(qtbot, panel, world["now"].id)
    assert cell(panel, 0, COL_EVIDENCE) == "3 sources"
    panel.select_row(0)
    extra = _source(store, "https://example.org/extra", "More about the tram.")
    e, _ = store.evidence.attach(world["earlier"].id, extra.id, stance=Stance.SUPPORTS)
    with qtbot.waitSignal(panel.lookup_finished, timeout=10_000):
        bus_of(panel).emit_changes(Changes(claims={world["earlier"].id}, evidence={e.id}))
    assert cell(panel, 0, COL_EVIDENCE) == "4 sources"
    assert panel.selected() is not None  # the selection survives the refresh
    # a change elsewhere does not trigger a lookup
    bus_of(panel).emit_changes(Changes(claims={world["unrelated"].id}))
    assert not panel._refresh_timer.isActive()
    bus_of(panel).emit_changes(Changes(deleted_claims={world["now"].id}))
    assert panel.claim_id is None


def test_switching_claims_drops_the_stale_answer(
    qtbot: Any, panel: SimilarClaimsPanel, runner: Any, world: dict[str, Any]
) -> None:
    panel.show_claim(world["now"].id)
    with qtbot.waitSignal(panel.lookup_finished, timeout=10_000):
        panel.show_claim(world["unrelated"].id)
    qtbot.waitUntil(lambda: runner.active() == [], timeout=10_000)
    assert panel.claim_id == world["unrelated"].id
    assert panel.model.rowCount() == 0


def test_known_errors_show_inline(
    qtbot: Any, panel: SimilarClaimsPanel, world: dict[str, Any]
) -> None:
    assert show(qtbot, panel, 999_999) == 0
    assert "999999" in panel.status_label.text()


def test_model_passes_qtmodeltester(
    qtbot: Any, qtmodeltester: Any, panel: SimilarClaimsPanel, world: dict[str, Any]
) -> None:
    show(qtbot, panel, world["now"].id)
    assert panel.model.rowCount() == 1
    qtmodeltester.check(panel.model, force_py=True)
    qtmodeltester.check(SimilarClaimsModel(), force_py=True)
