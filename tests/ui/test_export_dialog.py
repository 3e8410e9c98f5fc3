"""The export dialog: audit first, then each format written off the UI thread and read back."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from workbench.core.model import Stance, Status, Verdict
from workbench.core.services.export import ExportResult
from workbench.ui.dialogs.export_dialog import ExportDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TEXT = (
    "The city spent $4 million on roads in 2023. "
    "Officials said crime fell by 12 percent last year. "
    "The mayor promised a new bridge by 2030."
)
PAGE = (
    b"<html><head><title>Budget</title></head>"
    b"<body><p>The city spent $4 million on roads.</p></body></html>"
)


def _sentence(n: int) -> tuple[int, int]:
    starts = [0, TEXT.index("Officials"), TEXT.index("The mayor")]
    ends = [*starts[1:], len(TEXT)]
    return starts[n], ends[n] - (1 if n < 2 else 0)


@pytest.fixture
def article_id(store: Any) -> int:
    article = store.articles.add(title="Roads and crime", text=TEXT, outlet="Gazette")
    ids = []
    for n, score in enumerate((0.9, 0.7, 0.3)):
        s, e = _sentence(n)
        ids.append(store.claims.add(article.id, start=s, end=e, text=TEXT[s:e], score=score).id)
    store.claims.update(
        ids[0], verdict=Verdict.TRUE, rationale="Budget page.", status=Status.CHECKED
    )
    store.claims.update(ids[1], verdict=Verdict.FALSE, status=Status.CHECKED)  # no evidence
    source, _ = store.sources.get_or_create(
        "https://budget.example/roads", "https://budget.example/roads"
    )
    store.sources.add_snapshot(
        source.id,
        fetched_at=datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        final_url="https://budget.example/roads",
        http_status=200,
        content_type="text/html; charset=utf-8",
        raw=PAGE,
        text="The city spent $4 million on roads.",
        title="Budget",
        site="City",
    )
    ev, _ = store.evidence.attach(
        ids[0], source.id, stance=Stance.SUPPORTS, excerpt="spent $4 million"
    )
    store.evidence.set_excerpt_found(ev.id, True)
    store.settings.set("checker_name", "Desk Tester")
    return int(article.id)


@pytest.fixture
def dialog(qtbot: Any, store: Any, runner: Any, article_id: int) -> ExportDialog:
    dlg = ExportDialog(store=store, runner=runner, article_id=article_id)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.audit_ready, timeout=20_000):
        dlg.show()
    return dlg


def export(qtbot: Any, dialog: ExportDialog, fmt: str, path: Path) -> ExportResult:
    dialog.set_format(fmt)
    dialog.path_edit.setText(str(path))
    with qtbot.waitSignal(dialog.export_finished, timeout=60_000) as blocker:
        dialog.export_button.click()
    result: ExportResult = blocker.args[0]
    return result


def test_audit_is_shown_before_export(dialog: ExportDialog) -> None:
    texts = [dialog.audit_list.item(i).text() for i in range(dialog.audit_list.count())]
    assert any(t.startswith("Verdict without evidence — claim 2") for t in texts), texts
    assert "problem" in dialog.audit_label.text()
    assert dialog.export_button.isEnabled()
    assert dialog.path_edit.text().endswith(".md")
    assert "memo-roads-and-crime" in dialog.path_edit.text()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_exports_all_four_formats_that_parse(
    qtbot: Any, dialog: ExportDialog, tmp_path: Path
) -> None:
    md = export(qtbot, dialog, "md", tmp_path / "memo.md")
    assert md.path == tmp_path / "memo.md"
    text = md.path.read_text(encoding="utf-8")
    assert "The city spent $4 million on roads in 2023" in text
    assert "Desk Tester" in text
    assert "https://budget.example/roads" in text
    assert dialog.status_label.text().startswith("Saved ")
    assert dialog.progress.value() == dialog.progress.maximum()

    pdf = export(qtbot, dialog, "pdf", tmp_path / "memo.pdf")
    assert pdf.path is not None
    from pypdf import PdfReader

    pdf_text = " ".join(page.extract_text() for page in PdfReader(str(pdf.path)).pages)
    flat = " ".join(pdf_text.split())
    assert "Officials said crime fell by 12 percent last year" in flat
    assert "https://budget.example/roads" in flat
    assert "False" in flat

    html = export(qtbot, dialog, "html", tmp_path / "memo.html")
    assert html.path is not None
    parser = _Tags()
    parser.feed(html.path.read_text(encoding="utf-8"))
    tags = [t for t, _ in parser.tags]
    assert "script" not in tags
    assert not any(t in ("img", "link", "iframe") and a for t, a in parser.tags)
    assert "The mayor promised a new bridge by 2030" in html.path.read_text(encoding="utf-8")

    cr = export(qtbot, dialog, "claimreview", tmp_path / "memo.jsonld")
    assert cr.path is not None
    data = json.loads(cr.path.read_text(encoding="utf-8"))
    reviews = data if isinstance(data, list) else data.get("@graph", [data])
    reviews = [r for r in reviews if r.get("@type") == "ClaimReview"]
    assert len(reviews) == 2  # one per claim with a verdict
    for review in reviews:
        assert review["claimReviewed"]
        assert {"ratingValue", "bestRating", "worstRating", "alternateName"} <= set(
            review["reviewRating"]
        )
        assert review["itemReviewed"]["@type"] == "Claim"


def test_options_and_extension_follow_the_format(
    qtbot: Any, dialog: ExportDialog, tmp_path: Path
) -> None:
    dialog.path_edit.setText(str(tmp_path / "out.md"))
    dialog.set_format("pdf")
    assert dialog.path_edit.text() == str(tmp_path / "out.pdf")
    dialog.set_format("md")
    dialog.only_checked.setChecked(True)
    result = export(qtbot, dialog, "md", tmp_path / "checked.md")
    assert result.claims == 2
    dialog.only_checked.setChecked(False)
    dialog.use_min_score.setChecked(True)
    dialog.min_score.setValue(0.8)
    result = export(qtbot, dialog, "md", tmp_path / "scored.md")
    assert result.claims == 1
    assert "bridge" not in (tmp_path / "scored.md").read_text(encoding="utf-8")


def test_failure_shows_a_clear_message(qtbot: Any, dialog: ExportDialog, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "folder" / "memo.md"
    dialog.path_edit.setText(str(missing))
    with qtbot.waitSignal(dialog.export_failed, timeout=20_000) as blocker:
        dialog.export_button.click()
    message = blocker.args[0]
    assert message.startswith("Export failed: cannot write")
    assert "does not exist" in message
    assert dialog.status_label.text() == message
    assert not missing.exists()
    assert dialog.export_button.isEnabled()
    assert dialog.close_button.text() == "Close"


def test_controls_have_accessible_names(dialog: ExportDialog) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractSpinBox, QWidget

    unnamed = [
        type(w).__name__
        for w in dialog.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and w.isVisibleTo(dialog)
        and not w.accessibleName()
        and not isinstance(w.parent(), QAbstractSpinBox)  # the spin box's own editor
        and type(w).__name__ not in {"QScrollBar", "QWidget"}
    ]
    assert unnamed == []
