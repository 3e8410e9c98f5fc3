"""The whole loop as a fact-checker does it, through the window's own controls.

First run shows the sample with claims; a claim is added from a selection;
one source is attached as supporting and one as refuting (served by a local
HTTP server); verdict and rationale are set; undo and redo; the table is
filtered; a memo is exported; the app restarts and everything is as it was.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from ui_helpers import OFFSCREEN_NOISE

from workbench.core.model import Stance, Verdict

pytestmark = OFFSCREEN_NOISE

PAGE = """<html><head><title>{title}</title></head><body><article>
<h1>{title}</h1><p>{body}</p></article></body></html>"""


def _visible(kind):
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def _attach(qtbot, window, url: str, stance: Stance, excerpt: str) -> None:
    from workbench.ui.dialogs.evidence_dialog import EvidenceDialog

    window.add_evidence_action.trigger()
    dialogs = _visible(EvidenceDialog) or [
        d for d in window.findChildren(EvidenceDialog) if d.isVisible()
    ]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.keyClicks(dialog.url_edit, url)
    dialog.stance_combo.setCurrentIndex(dialog.stance_combo.findData(stance.value))
    dialog.excerpt_edit.setPlainText(excerpt)
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible(), dialog.error_label.text()
    qtbot.waitUntil(lambda: not window.runner.active(), timeout=20_000)


def test_the_whole_flow(qtbot, make_window, store, httpserver, tmp_path: Path, nlp_warm) -> None:
    httpserver.expect_request("/support").respond_with_data(
        PAGE.format(title="Ministry confirms", body="The armoured train arrived in Beijing."),
        content_type="text/html",
    )
    httpserver.expect_request("/refute").respond_with_data(
        PAGE.format(title="Agency denies", body="No train arrived that day."),
        content_type="text/html",
    )

    # 1. First run: the sample and its claims.
    window = make_window(start=False)
    with qtbot.waitSignal(window.extraction_finished, timeout=120_000):
        window.start()
    assert "Beijing" in window.article.title
    table = window.claims_table
    n_auto = table.model.rowCount()
    assert n_auto > 5
    assert window.detail is not None, "UI-B's claim detail panel is part of the window"

    # 2. Add a claim from a selection in the article.
    text = window.article.text
    start = text.index("Great Hall of the People")
    end = start + len("Great Hall of the People")
    window.article_view.select_span(start, end)
    window.article_view.add_claim_action.trigger()
    qtbot.waitUntil(lambda: not window.runner.active(), timeout=20_000)
    assert table.model.rowCount() == n_auto + 1
    manual_id = table.current_claim_id()
    assert store.claims.get(manual_id).text == "Great Hall of the People"

    # 3. Back to the first claim; attach evidence to it.
    table.select_claim(table.model.claim_ids()[0])
    claim_id = table.current_claim_id()
    assert window.article_view.selected_claim == claim_id
    _attach(qtbot, window, httpserver.url_for("/support"), Stance.SUPPORTS, "train arrived")
    _attach(qtbot, window, httpserver.url_for("/refute"), Stance.REFUTES, "No train arrived")
    views = store.evidence.for_claim(claim_id)
    assert sorted(v.evidence.stance for v in views) == [Stance.REFUTES, Stance.SUPPORTS]
    row = table.model.cached(claim_id)
    assert (row.supports, row.refutes) == (1, 1)
    assert all(v.source.fetch_state.value == "fetched" for v in views)

    # 4. Verdict by shortcut action, rationale by typing.
    def settled() -> None:
        qtbot.waitUntil(lambda: not window.runner.active(), timeout=20_000)

    window.verdict_actions[Verdict.MISLEADING].trigger()
    settled()
    assert store.claims.get(claim_id).verdict is Verdict.MISLEADING
    window.detail.rationale_edit.setFocus()
    qtbot.keyClicks(window.detail.rationale_edit, "Sources disagree on the arrival.")
    window.detail.flush()
    settled()
    assert store.claims.get(claim_id).rationale == "Sources disagree on the arrival."

    # 5. Undo and redo.
    window.undo_action.trigger()  # rationale
    settled()
    assert store.claims.get(claim_id).rationale == ""
    window.undo_action.trigger()  # verdict
    settled()
    assert store.claims.get(claim_id).verdict is None
    window.redo_action.trigger()
    window.redo_action.trigger()
    settled()
    claim = store.claims.get(claim_id)
    assert claim.verdict is Verdict.MISLEADING
    assert claim.rationale == "Sources disagree on the arrival."

    # 6. Filter the table by verdict.
    combo = table.verdict_combo
    combo.setCurrentIndex(combo.findData(Verdict.MISLEADING.value))
    assert table.proxy.rowCount() == 1
    assert table.proxy.claim_id(0) == claim_id
    table.clear_filters()

    # 7. Export a memo.
    from workbench.ui.dialogs.export_dialog import ExportDialog

    window.export_action.trigger()
    dialogs = [d for d in window.findChildren(ExportDialog) if d.isVisible()]
    assert len(dialogs) == 1
    dialog = dialogs[0]
    dialog.set_format("md")
    out = tmp_path / "memo.md"
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.export_finished, timeout=30_000):
        dialog.start_export()
    memo = out.read_text(encoding="utf-8")
    assert httpserver.url_for("/support") in memo
    assert httpserver.url_for("/refute") in memo
    assert "Sources disagree on the arrival." in memo
    dialog.close()

    # 8. Restart: a new window on the same database.
    window.close()
    again = make_window()
    assert again.article.id == window.article.id
    assert again.claims_table.model.rowCount() == n_auto + 1
    assert again.claims_table.current_claim_id() == claim_id
    row = again.claims_table.model.cached(claim_id)
    assert (row.supports, row.refutes, row.verdict) == (1, 1, Verdict.MISLEADING)
    assert again.store.claims.get(manual_id).origin.value == "manual"
    assert again.detail.rationale_edit.toPlainText() == "Sources disagree on the arrival."
