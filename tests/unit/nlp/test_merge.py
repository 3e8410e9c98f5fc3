"""plan_merge: re-extraction keeps the user's work and drops nothing silently."""

from __future__ import annotations

from typing import Any

from workbench.core.model import Claim, ExtractedClaim, Origin, Status, Verdict
from workbench.core.nlp.merge import plan_merge


def claim(cid: int, start: int, end: int, text: str = "", **kw: Any) -> Claim:
    fields: dict[str, Any] = {"text_edited": None, **kw}
    return Claim(
        id=cid,
        article_id=1,
        start=start,
        end=end,
        text_extracted=text or f"claim {cid}",
        score=0.7,
        **fields,
    )


def prop(start: int, end: int, text: str = "", score: float = 0.8) -> ExtractedClaim:
    return ExtractedClaim(start=start, end=end, text=text or f"p{start}", score=score)


def test_identical_spans_refresh_in_place() -> None:
    existing = [claim(1, 0, 50), claim(2, 51, 100)]
    proposed = [prop(0, 50), prop(51, 100)]
    plan = plan_merge(existing, proposed)
    assert [(cid, p.start) for cid, p in plan.updates] == [(1, 0), (2, 51)]
    assert plan.additions == ()
    assert plan.orphaned == ()
    assert not plan.is_noop


def test_shifted_span_matches_by_overlap_and_new_sentence_is_added() -> None:
    existing = [claim(1, 0, 50, verdict=Verdict.FALSE, status=Status.CHECKED)]
    proposed = [prop(2, 48), prop(60, 90)]
    plan = plan_merge(existing, proposed)
    assert [(cid, p.start) for cid, p in plan.updates] == [(1, 2)]
    assert [p.start for p in plan.additions] == [60]


def test_unmatched_auto_claim_is_orphaned_not_dropped() -> None:
    existing = [claim(1, 0, 50), claim(2, 200, 260, text_edited="user wording")]
    plan = plan_merge(existing, [prop(0, 50)])
    assert plan.orphaned == (2,)
    assert [cid for cid, _p in plan.updates] == [1]


def test_manual_claims_are_never_touched() -> None:
    manual = claim(7, 0, 50, origin=Origin.MANUAL)
    plan = plan_merge([manual], [prop(0, 50), prop(100, 150)])
    assert plan.manual == (7,)
    assert plan.updates == ()
    assert 7 not in plan.orphaned
    # The proposal duplicating the manual claim is reported, not added and not lost.
    assert [(cid, p.start) for cid, p in plan.covered_by_manual] == [(7, 0)]
    assert [p.start for p in plan.additions] == [100]


def test_small_manual_clause_does_not_block_the_sentence() -> None:
    manual = claim(7, 10, 20, origin=Origin.MANUAL)
    plan = plan_merge([manual], [prop(0, 100)])
    assert [p.start for p in plan.additions] == [0]


def test_split_sentence_matches_one_piece_and_adds_the_rest() -> None:
    # An old whole-sentence claim; the new extractor splits it in two.
    existing = [claim(1, 0, 100)]
    proposed = [prop(0, 40), prop(41, 100)]
    plan = plan_merge(existing, proposed)
    assert [(cid, p.start) for cid, p in plan.updates] == [(1, 41)]
    assert [p.start for p in plan.additions] == [0]
    assert plan.orphaned == ()


def test_one_to_one_matching() -> None:
    existing = [claim(1, 0, 50), claim(2, 0, 50)]
    plan = plan_merge(existing, [prop(0, 50)])
    assert len(plan.updates) == 1
    assert len(plan.orphaned) == 1
    assert {plan.updates[0][0], plan.orphaned[0]} == {1, 2}


def test_same_text_matches_after_offsets_moved() -> None:
    existing = [claim(1, 0, 30, text="Prices rose 12 percent in 2022.")]
    proposed = [prop(500, 530, text="Prices rose 12 percent in 2022.")]
    plan = plan_merge(existing, proposed)
    assert [(cid, p.start) for cid, p in plan.updates] == [(1, 500)]


def test_nothing_in_nothing_out() -> None:
    plan = plan_merge([], [])
    assert plan.is_noop
    plan = plan_merge([claim(1, 0, 10)], [])
    assert plan.orphaned == (1,)
