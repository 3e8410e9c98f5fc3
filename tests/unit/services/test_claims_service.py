"""The claims service on a real SQLite file: every edit, re-extraction and its history.

Each write is an operation, so each test also checks what the history says
(kind, claims, article) and that a failed one leaves neither rows nor an entry.
"""

from __future__ import annotations

import pytest

from workbench.core.errors import NotFoundError, UserInputError
from workbench.core.model import ExtractedClaim, FlagFinding, Origin, Stance, Status, Verdict
from workbench.core.nlp.extract import ExtractionResult
from workbench.core.services import claims as service
from workbench.core.services import history as history_service
from workbench.core.services import sources as source_service
from workbench.core.storage import Store

TEXT = (
    "The city spent $4 million on roads in 2023. "
    "Officials said crime fell by 12 percent last year. "
    "The mayor was elected in 2019."
)
FIRST = (0, TEXT.index(".") + 1)
SECOND = (TEXT.index("Officials"), TEXT.index("year.") + 5)
THIRD = (TEXT.index("The mayor"), len(TEXT))


def _proposal(
    span: tuple[int, int], score: float = 0.7, types: tuple[str, ...] = ()
) -> ExtractedClaim:
    start, end = span
    return ExtractedClaim(start, end, TEXT[start:end], score, types)


def _result(*proposals: ExtractedClaim) -> ExtractionResult:
    return ExtractionResult(
        claims=list(proposals), scorer_name="test-scorer", scorer_note=None, pipeline="none"
    )


@pytest.fixture
def article_id(store: Store) -> int:
    return store.articles.add(title="Roads", text=TEXT).id


def _auto(store: Store, article_id: int, span: tuple[int, int]) -> int:
    start, end = span
    return store.claims.add(
        article_id, start=start, end=end, text=TEXT[start:end], score=0.5, origin=Origin.AUTO
    ).id


def _kinds(store: Store) -> list[str]:
    return [e.kind for e in store.history.list()]


# --------------------------------------------------------------------------- edits


def test_add_claim_trims_whitespace_and_is_manual(store: Store, article_id: int) -> None:
    start, end = SECOND
    claim, changes = service.add_claim(store, article_id, start - 1, end + 1)  # spaces around
    assert (claim.start, claim.end) == SECOND
    assert claim.origin is Origin.MANUAL
    assert claim.text == TEXT[start:end]
    assert changes.claims == {claim.id} and changes.articles == {article_id}
    (entry,) = store.history.list()
    assert (entry.kind, entry.article_id, entry.claim_ids) == ("add-claim", article_id, (claim.id,))
    assert entry.undoable


@pytest.mark.parametrize(("start", "end"), [(5, 5), (-1, 4), (10, len(TEXT) + 1), (43, 44)])
def test_add_claim_refuses_a_bad_or_blank_span(
    store: Store, article_id: int, start: int, end: int
) -> None:
    with pytest.raises(UserInputError):
        service.add_claim(store, article_id, start, end)
    assert store.claims.for_article(article_id) == []
    assert store.history.list() == []


def test_edit_claim_keeps_the_extracted_text(store: Store, article_id: int) -> None:
    cid = _auto(store, article_id, FIRST)
    claim, _ = service.edit_claim(store, cid, "  The city spent $4m.  ")
    assert (claim.text, claim.text_extracted) == ("The city spent $4m.", TEXT[: FIRST[1]])
    claim, _ = service.edit_claim(store, cid, TEXT[: FIRST[1]])  # back to the original
    assert claim.text_edited is None
    with pytest.raises(UserInputError, match="empty"):
        service.edit_claim(store, cid, "   ")
    assert _kinds(store) == ["edit-claim", "edit-claim"]


def test_a_verdict_puts_an_unchecked_claim_in_progress(store: Store, article_id: int) -> None:
    cid = _auto(store, article_id, FIRST)
    claim, _ = service.set_verdict(store, cid, Verdict.FALSE, rationale="Budget says 3.1m")
    assert (claim.verdict, claim.status, claim.rationale) == (
        Verdict.FALSE,
        Status.IN_PROGRESS,
        "Budget says 3.1m",
    )
    assert claim.verdict_set_at is not None
    claim, _ = service.set_status(store, cid, Status.CHECKED)
    claim, _ = service.set_verdict(store, cid, Verdict.TRUE)
    assert claim.status is Status.CHECKED  # an explicit status is not lowered
    claim, _ = service.set_verdict(store, cid, None)
    assert (claim.verdict, claim.verdict_set_at) == (None, None)
    with pytest.raises(NotFoundError):
        service.set_verdict(store, 999, Verdict.TRUE)
    assert _kinds(store) == ["verdict", "status", "verdict", "verdict"]
    assert "False" in store.history.list()[0].summary


def test_delete_claims_takes_the_evidence_and_undo_brings_both_back(
    store: Store, article_id: int
) -> None:
    first, second = _auto(store, article_id, FIRST), _auto(store, article_id, SECOND)
    view, _ = source_service.attach_evidence(
        store, first, "https://example.org/a", stance=Stance.SUPPORTS, excerpt="spent"
    )
    changes = service.delete_claims(store, [first, second])
    assert changes.deleted_claims == {first, second}
    assert changes.deleted_evidence == {view.evidence.id}
    assert store.claims.for_article(article_id) == []
    entry = store.history.list()[-1]
    assert (entry.kind, entry.claim_ids) == ("delete-claim", (first, second))
    assert "delete 2 claims" in entry.summary
    history_service.undo(store)
    assert [c.id for c in store.claims.for_article(article_id)] == [first, second]
    (back,) = store.evidence.for_claim(first)
    assert back.evidence.id == view.evidence.id and back.evidence.excerpt == "spent"


def test_split_keeps_the_claim_and_adds_a_manual_second_half(store: Store, article_id: int) -> None:
    cid = _auto(store, article_id, FIRST)
    service.set_verdict(store, cid, Verdict.MOSTLY_TRUE)
    (first, second), changes = service.split_claim(store, cid, TEXT.index("on roads"))
    assert first.id == cid and first.verdict is Verdict.MOSTLY_TRUE
    assert first.text == "The city spent $4 million"
    assert second.text == "on roads in 2023." and second.origin is Origin.MANUAL
    assert changes.claims == {cid, second.id}
    for at in (0, FIRST[1], TEXT.index("$4") + 1 - 1000):
        with pytest.raises(UserInputError):
            service.split_claim(store, cid, at)


def test_merge_joins_rationales_and_notes_a_conflicting_verdict(
    store: Store, article_id: int
) -> None:
    """The first verdict wins; a different one is written into the rationale, and
    evidence on a source both claims cite keeps one row with the other's words added."""
    keep = _auto(store, article_id, FIRST)
    other = _auto(store, article_id, SECOND)
    service.set_verdict(store, keep, Verdict.TRUE, rationale="Budget documents agree.")
    service.set_verdict(store, other, Verdict.FALSE, rationale="Police data disagree.")
    shared = "https://example.org/shared"
    source_service.attach_evidence(store, keep, shared, stance=Stance.SUPPORTS, note="mine")
    source_service.attach_evidence(
        store, other, shared, stance=Stance.REFUTES, excerpt="fell by 12", note="theirs"
    )
    moved, _ = source_service.attach_evidence(
        store, other, "https://example.org/only-other", stance=Stance.CONTEXT
    )
    merged, changes = service.merge_claims(store, [other, keep])  # order does not matter
    assert merged.id == keep
    assert (merged.start, merged.end) == (FIRST[0], SECOND[1])
    assert merged.verdict is Verdict.TRUE
    assert merged.rationale == (
        "Budget documents agree.\n\nPolice data disagree.\n\n"
        f"(merged claim {other} had verdict: False)"
    )
    views = {v.source.normalized_url: v.evidence for v in store.evidence.for_claim(keep)}
    assert set(views) == {shared, "https://example.org/only-other"}
    assert views[shared].stance is Stance.SUPPORTS  # the kept claim's own row wins
    assert views[shared].note == "mine\nfell by 12\ntheirs"
    assert views["https://example.org/only-other"].id == moved.evidence.id  # moved, same id
    assert changes.deleted_claims == {other}
    assert moved.evidence.id in changes.evidence
    with pytest.raises(NotFoundError):
        store.claims.get(other)
    # undo puts both claims and every evidence row back as they were
    history_service.undo(store)
    assert store.claims.get(other).verdict is Verdict.FALSE
    assert store.claims.get(keep).rationale == "Budget documents agree."
    notes = {v.evidence.note for v in store.evidence.for_claim(keep)}
    assert notes == {"mine"}
    assert {v.evidence.note for v in store.evidence.for_claim(other)} == {"theirs", ""}


def test_merge_needs_two_claims_of_one_article(store: Store, article_id: int) -> None:
    cid = _auto(store, article_id, FIRST)
    other_article = store.articles.add(title="Other", text=TEXT).id
    elsewhere = _auto(store, other_article, FIRST)
    with pytest.raises(UserInputError, match="at least two"):
        service.merge_claims(store, [cid, cid])
    with pytest.raises(UserInputError, match="different articles"):
        service.merge_claims(store, [cid, elsewhere])
    assert store.history.list() == []


# --------------------------------------------------------------------------- extraction


def test_reextraction_keeps_orphans_with_user_work_and_deletes_the_rest(
    store: Store, article_id: int
) -> None:
    """An automatic claim the new run no longer proposes goes, unless the user worked on it."""
    worked = _auto(store, article_id, FIRST)
    idle = _auto(store, article_id, SECOND)
    with_evidence = _auto(store, article_id, THIRD)
    service.set_verdict(store, worked, Verdict.FALSE)
    source_service.attach_evidence(
        store, with_evidence, "https://example.org/e", stance=Stance.SUPPORTS
    )
    manual, _ = service.add_claim(store, article_id, *SECOND)
    report = service.save_extraction(store, article_id, _result())  # proposes nothing
    assert sorted(report.kept_orphans) == sorted([worked, with_evidence])
    assert report.removed == 1
    assert idle in report.changes.deleted_claims
    ids = {c.id for c in store.claims.for_article(article_id)}
    assert ids == {worked, with_evidence, manual.id}  # manual claims are never touched
    entry = store.history.list()[-1]
    assert entry.kind == "extract" and not entry.undoable
    assert "1 removed, 2 kept for your work" in entry.summary


def test_reextraction_refreshes_matched_claims_and_keeps_their_ids(
    store: Store, article_id: int
) -> None:
    cid = _auto(store, article_id, FIRST)
    service.set_verdict(store, cid, Verdict.TRUE, rationale="ok")
    report = service.save_extraction(
        store,
        article_id,
        _result(_proposal(FIRST, 0.95, ("quantity",)), _proposal(THIRD, 0.6)),
    )
    assert (report.updated, report.added, report.removed) == (1, 1, 0)
    claim = store.claims.get(cid)
    assert (claim.score, claim.types, claim.scorer) == (0.95, ("quantity",), "test-scorer")
    assert (claim.verdict, claim.rationale) == (Verdict.TRUE, "ok")
    assert len(store.claims.for_article(article_id)) == 2


def test_a_cancelled_extraction_changes_nothing(store: Store, article_id: int) -> None:
    from workbench.core.errors import CancelledError

    cid = _auto(store, article_id, FIRST)
    with pytest.raises(CancelledError):
        service.save_extraction(store, article_id, _result(), is_cancelled=lambda: True)
    assert [c.id for c in store.claims.for_article(article_id)] == [cid]
    assert store.history.list() == []


def test_findings_keep_their_ids_and_dismissals_across_rechecks(
    store: Store, article_id: int
) -> None:
    finding = FlagFinding("numbers", "12 percent twice", ((50, 60),), 0.7, None, "fp-1")
    (flag,) = store.flags.replace_for_article(article_id, [finding])
    dismissed, _ = service.dismiss_flag(store, flag.id)
    assert dismissed.dismissed
    flags = service.check_consistency(store, article_id)  # the real checker runs again
    assert all(f.id != flag.id for f in flags)  # not found again: the row went
    (again,) = store.flags.replace_for_article(article_id, [finding])
    assert again.id != flag.id and not again.dismissed
    (same,) = store.flags.replace_for_article(article_id, [finding])
    assert same.id == again.id  # found again: same row
    assert [e.kind for e in store.history.list()] == ["dismiss-flag", "check-flags"]
