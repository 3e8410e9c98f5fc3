from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.unit.export.memo_factory import make_memo
from workbench.core.export.audit import AuditKind
from workbench.core.export.fmt import fact_line
from workbench.core.export.position import Position, PositionIndex
from workbench.core.export.snapshots import snapshot_for_evidence
from workbench.core.model import FetchState, Snapshot, Source, Stance, Verdict


def test_positions_count_paragraphs_and_sentences() -> None:
    text = (
        "The U.S. President met Mr. Smith on Jan. 5. They spoke. “Was it fair?” He said no.\n"
        "Second paragraph here! Another one follows… And a third.\n"
        "J. R. Doe wrote 3.5 pages. Done."
    )
    index = PositionIndex(text)
    assert index.locate(text.index("The U.S.")) == Position(1, 1)
    assert index.locate(text.index("They spoke")) == Position(1, 2)
    assert index.locate(text.index("“Was")) == Position(1, 3)
    assert index.locate(text.index("He said")) == Position(1, 4)
    assert index.locate(text.index("Another")) == Position(2, 2)
    assert index.locate(text.index("And a third")) == Position(2, 3)
    assert index.locate(text.index("Done")) == Position(3, 2)
    assert index.locate(text.index("3.5")) == Position(3, 1)
    assert index.locate(len(text)) is None
    assert Position(3, 2).describe() == "paragraph 3, sentence 2"


def test_positions_with_blank_line_paragraphs_keep_wrapped_lines_together() -> None:
    text = "First line\nwraps here. Next sentence.\n\nSecond paragraph."
    index = PositionIndex(text)
    assert index.locate(text.index("Next")) == Position(1, 2)
    assert index.locate(text.index("Second")) == Position(2, 1)


def test_sample_article_positions() -> None:
    from pathlib import Path

    text = Path("resources/samples/beijing-summit-article.txt").read_text(encoding="utf-8")
    index = PositionIndex(text)
    pos = index.locate(text.index("This unprecedented meeting"))
    assert pos == Position(1, 2)
    pos = index.locate(text.index("The military parade on Wednesday"))
    assert pos is not None
    assert pos.paragraph == 4
    assert pos.sentence == 1


def test_audit_finds_each_kind_in_claim_order() -> None:
    memo = make_memo()
    kinds = [(a.kind, a.claim_number, a.source_number) for a in memo.audit]
    assert kinds == [
        (AuditKind.CONTRADICTED, 1, None),
        (AuditKind.EXCERPT_NOT_FOUND, 1, 1),
        (AuditKind.NO_EVIDENCE, 2, None),
        (AuditKind.SOURCE_CHANGED, 3, 2),
        (AuditKind.NOT_FETCHED, 3, 3),
    ]
    assert memo.summary.audit_items == 5
    assert "only refuting sources" in memo.audit[0].message


def test_summary_counts() -> None:
    s = make_memo().summary
    assert (s.included, s.checked, s.in_progress, s.unchecked) == (5, 3, 1, 1)
    assert {vc.verdict: vc.count for vc in s.by_verdict} == {
        Verdict.TRUE: 1,
        Verdict.MOSTLY_TRUE: 1,
        Verdict.FALSE: 1,
    }
    assert (s.flags_open, s.flags_dismissed) == (1, 1)


def test_sources_numbered_once_by_first_citation() -> None:
    memo = make_memo()
    assert [(s.number, s.source_id) for s in memo.sources] == [(1, 11), (2, 10), (3, 12)]
    claim3 = memo.claims[2]
    assert [g.stance for g in claim3.groups] == [Stance.SUPPORTS, Stance.MIXED, Stance.CONTEXT]
    assert [i.source_number for g in claim3.groups for i in g.items] == [2, 1, 3]


def test_flags_keep_dismissed_ones_last_and_marked() -> None:
    flags = make_memo().flags
    assert [f.dismissed for f in flags] == [False, True]
    assert flags[0].quotes == ("June 2024", "October 17, 2023")
    assert flags[0].claim_numbers == (4,)


def _snap(sid: int, when: datetime, sha: str | None) -> Snapshot:
    return Snapshot(
        id=sid,
        source_id=1,
        fetched_at=when,
        final_url=None,
        http_status=200,
        content_type="text/html",
        raw_sha256="r" * 64,
        text="t",
        text_sha256=sha,
    )


def test_snapshot_choice_around_the_verdict() -> None:
    src = Source(id=1, url="https://x.example", normalized_url="https://x.example")
    d = [datetime(2024, 1, day, tzinfo=UTC) for day in range(1, 6)]
    snaps = [_snap(1, d[0], "a"), _snap(2, d[2], "a"), _snap(3, d[4], "b")]
    choice = snapshot_for_evidence(src, snaps, verdict_set_at=d[1])
    assert choice.snapshot is not None
    assert choice.snapshot.id == 1
    assert choice.changed_by is not None
    assert choice.changed_by.id == 3
    # Same text fetched again after the verdict is not a change.
    choice = snapshot_for_evidence(src, snaps[:2], verdict_set_at=d[1])
    assert choice.changed_by is None
    # Naive timestamps (as SQLite may return them) compare as UTC.
    choice = snapshot_for_evidence(src, snaps, verdict_set_at=datetime(2024, 1, 4))
    assert choice.snapshot is not None
    assert choice.snapshot.id == 2
    # Saved only after the verdict: shown, with a warning, never a "change".
    choice = snapshot_for_evidence(src, snaps[1:], verdict_set_at=d[0])
    assert choice.snapshot is not None
    assert choice.snapshot.id == 2
    assert choice.changed_by is None
    assert "saved only after the verdict was set" in choice.warnings


@pytest.mark.parametrize(
    ("state", "error", "reason"),
    [
        (FetchState.PENDING, None, "not fetched yet"),
        (FetchState.FAILED, "HTTP 500", "HTTP 500"),
    ],
)
def test_snapshot_choice_without_snapshots(
    state: FetchState, error: str | None, reason: str
) -> None:
    src = Source(
        id=1, url="https://x.example", normalized_url="x", fetch_state=state, fetch_error=error
    )
    choice = snapshot_for_evidence(src, [], verdict_set_at=None)
    assert choice.snapshot is None
    assert choice.not_fetched == reason
    assert choice.warnings == (f"not fetched: {reason}",)


def test_fact_lines_are_readable_and_stable() -> None:
    fact = {"kind": "quantity", "value": 50000.0, "unit": "people", "hedge": "approx", "start": 3}
    assert fact_line(fact) == "Quantity: value 50,000; unit people; hedge approx"
    assert fact_line({"kind": "quote", "text": "old friend", "speaker": "Xi"}) == (
        "Quote: text “old friend”; speaker Xi"
    )
    assert fact_line({"z": [1, 2], "a": {"b": 1}}) == 'a {"b": 1}; z [1, 2]'
