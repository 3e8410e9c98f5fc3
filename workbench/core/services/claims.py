"""Claim use cases: extraction (with a merge that keeps the user's work), edits, reads.

Every write here is an operation (:mod:`.operations`): one transaction and
one history entry.  The edits a fact-checker makes -- wording, verdict,
rationale, status, adding, deleting, splitting and merging claims,
dismissing findings -- are undoable; an extraction and a re-check of the
findings are recorded but not undoable (the machine can always redo them,
and they never touch the user's work).

Slow work (spaCy, the scorer, the consistency rules) runs before the
operation's transaction, never inside it, so the write lock is held for
the writes alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from workbench.core.errors import CancelledError, UserInputError
from workbench.core.model import (
    CancelFn,
    Changes,
    Claim,
    ExtractedClaim,
    Flag,
    FlagFinding,
    Origin,
    ProgressFn,
    Status,
    Verdict,
    check_span,
)
from workbench.core.services import operations
from workbench.core.services.operations import OpContext, OpResult
from workbench.core.services.operations import short as _short
from workbench.core.storage import Store

if TYPE_CHECKING:
    from workbench.core.nlp.extract import ExtractionResult


@dataclass(frozen=True, slots=True)
class ExtractReport:
    """What one extraction run did, for the CLI's JSON and the UI's status bar."""

    article_id: int
    claims: list[Claim]
    flags: list[Flag]
    scorer_name: str
    scorer_note: str | None
    pipeline: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    kept_orphans: list[int] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)


def extract_article(
    store: Store,
    article_id: int,
    *,
    progress: ProgressFn | None = None,
    is_cancelled: CancelFn | None = None,
) -> ExtractReport:
    """Run extraction and the consistency checks on a stored article and save them.

    Re-running keeps all the user's work: manual claims are untouched,
    automatic claims matched by span keep their edits, verdicts and evidence,
    and an automatic claim that no longer matches is deleted only when it
    carries no user work (otherwise it stays, listed in ``kept_orphans``).
    The whole result is written in one transaction.
    """
    from workbench.core.nlp.extract import extract_claims
    from workbench.core.nlp.loader import load_pipeline
    from workbench.core.nlp.scoring import get_scorer

    article = store.articles.get(article_id)
    settings = store.settings.load()
    # Settings name the pipeline and scorer; the loaders fall back in order.
    nlp = load_pipeline(settings.spacy_model)
    scorer = get_scorer(settings.scorer_to_use)
    result = extract_claims(
        article.text,
        dateline=article.dateline,
        progress=progress,
        is_cancelled=is_cancelled,
        nlp=nlp,
        scorer=scorer,
    )
    return save_extraction(store, article_id, result, is_cancelled=is_cancelled)


def save_extraction(
    store: Store,
    article_id: int,
    result: ExtractionResult,
    *,
    is_cancelled: CancelFn | None = None,
) -> ExtractReport:
    """Merge an extraction with the stored claims and write it, with the re-checked
    findings, as one operation.

    Split from :func:`extract_article` so the GUI can run the NLP in a worker
    process and still save through exactly this code.  The merge plan is
    made inside the transaction, against the claims as they are when it
    writes, so an edit made while spaCy ran is never overwritten.
    """
    from workbench.core.nlp.merge import plan_merge
    from workbench.core.storage import MachineUpdate

    article = store.articles.get(article_id)
    findings = _findings(article.text, article.dateline)
    if is_cancelled is not None and is_cancelled():
        raise CancelledError("extraction cancelled; nothing was changed")

    def work(op: OpContext) -> ExtractReport:
        existing = store.claims.for_article(article_id)
        plan = plan_merge(existing, result.claims)
        deletions: list[int] = []
        kept: list[int] = []
        for claim_id in plan.orphaned:
            (kept if store.claims.has_user_work(claim_id) else deletions).append(claim_id)
        updated, added, deleted = store.claims.apply_extraction(
            article_id,
            updates=[MachineUpdate(cid, proposal) for cid, proposal in plan.updates],
            additions=list(plan.additions),
            deletions=deletions,
            scorer=result.scorer_name,
        )
        claims = store.claims.for_article(article_id)
        flags = _store_findings(store, article_id, findings, claims)
        op.describe(
            f"extract claims of article {article_id}: {len(added)} new, {len(updated)} "
            f"refreshed, {len(deleted)} removed, {len(kept)} kept for your work",
            article_id=article_id,
            claim_ids=[*added, *deleted],
        )
        op.changes.merge(
            Changes(
                articles={article_id},
                claims=set(updated) | set(added),
                deleted_claims=set(deleted),
                flags={f.id for f in flags},
            )
        )
        return ExtractReport(
            article_id=article_id,
            claims=claims,
            flags=flags,
            scorer_name=result.scorer_name,
            scorer_note=result.scorer_note,
            pipeline=result.pipeline,
            added=len(added),
            updated=len(updated),
            removed=len(deleted),
            kept_orphans=kept,
            changes=op.changes,
        )

    return operations.run(store, "extract", work, undoable=False).value


def _findings(text: str, dateline: date | None) -> list[FlagFinding]:
    from workbench.core.nlp.consistency import check_article

    return list(check_article(text, dateline=dateline).findings)


def _store_findings(
    store: Store, article_id: int, findings: Sequence[FlagFinding], claims: Sequence[Claim]
) -> list[Flag]:
    related = [
        sorted({c.id for c in claims for s, e in f.spans if c.start < e and s < c.end})
        for f in findings
    ]
    return store.flags.replace_for_article(article_id, findings, claim_ids=related)


def check_consistency(
    store: Store, article_id: int, *, claims: Sequence[Claim] | None = None
) -> list[Flag]:
    """Re-run the consistency rules; a finding found again keeps its id and dismissal."""
    article = store.articles.get(article_id)
    findings = _findings(article.text, article.dateline)

    def work(op: OpContext) -> list[Flag]:
        current = list(claims) if claims is not None else store.claims.for_article(article_id)
        flags = _store_findings(store, article_id, findings, current)
        op.describe(
            f"check article {article_id} for consistency: {len(flags)} findings",
            article_id=article_id,
        )
        op.changes.articles.add(article_id)
        op.changes.flags.update(f.id for f in flags)
        return flags

    return operations.run(store, "check-flags", work, undoable=False).value


def dismiss_flag(store: Store, flag_id: int, *, dismissed: bool = True) -> OpResult[Flag]:
    """Dismiss a consistency finding (or, with ``dismissed=False``, bring it back)."""

    def work(op: OpContext) -> Flag:
        flag = store.flags.set_dismissed(flag_id, dismissed)
        verb = "dismiss" if dismissed else "restore"
        op.describe(
            f"{verb} finding {flag_id} “{_short(flag.message)}”",
            article_id=flag.article_id,
            claim_ids=flag.claim_ids,
        )
        op.changes.flags.add(flag_id)
        op.changes.articles.add(flag.article_id)
        return flag

    return operations.run(store, "dismiss-flag" if dismissed else "restore-flag", work)


def add_claim(store: Store, article_id: int, start: int, end: int) -> OpResult[Claim]:
    """A manual claim over ``text[start:end]`` (trimmed of surrounding whitespace)."""
    article = store.articles.get(article_id)
    check_span(article.text, start, end)
    while start < end and article.text[start].isspace():
        start += 1
    while end > start and article.text[end - 1].isspace():
        end -= 1
    if start == end:
        raise UserInputError("the selection holds only whitespace", hint="select some words")
    text = article.text[start:end]
    analysis = _analyse(text, offset=start, dateline=article.dateline)

    def work(op: OpContext) -> Claim:
        claim = store.claims.add(
            article_id,
            start=start,
            end=end,
            text=text,
            score=analysis.score,
            types=analysis.types,
            entities=(),
            facts=analysis.facts,
            origin=Origin.MANUAL,
            scorer=analysis.scorer,
        )
        op.describe(f"add claim {claim.id} “{_short(text)}”", article_id=article_id)
        _touch(op, claim)
        return claim

    return operations.run(store, "add-claim", work)


@dataclass(frozen=True, slots=True)
class _Analysis:
    score: float
    types: tuple[str, ...]
    facts: tuple[dict[str, object], ...]
    scorer: str | None


def _analyse(text: str, *, offset: int, dateline: date | None) -> _Analysis:
    """Score and type a manual span with the same engine, without spaCy NER.

    Fact offsets are article offsets (``offset`` is where the span starts) and
    relative dates resolve against the dateline, as for extracted claims.
    Manual claims are what the fact-checker chose, so a model that cannot
    load must never stop the claim from being saved.
    """
    from workbench.core.errors import KnownError
    from workbench.core.nlp.extract import analyse_span

    try:
        p: ExtractedClaim = analyse_span(text, offset=offset, dateline=dateline)
    except KnownError:
        return _Analysis(0.0, (), (), None)
    return _Analysis(p.score, p.types, p.facts, "manual")


def _touch(op: OpContext, claim: Claim) -> None:
    """Record that ``claim`` changed (its article's views refresh with it)."""
    op.claim_ids.add(claim.id)
    if op.article_id is None:
        op.article_id = claim.article_id
    op.changes.claims.add(claim.id)
    op.changes.articles.add(claim.article_id)


def edit_claim(
    store: Store, claim_id: int, text: str, *, burst: str | None = None
) -> OpResult[Claim]:
    """Edit the claim's wording; the extracted text stays for reference.

    ``burst`` names one burst of typing: its saves undo as one step.
    """
    cleaned = text.strip()
    if not cleaned:
        raise UserInputError("the claim text is empty", hint="give the claim's wording")

    def work(op: OpContext) -> Claim:
        claim = store.claims.get(claim_id)
        new = None if cleaned == claim.text_extracted else cleaned
        updated = store.claims.update(claim_id, text_edited=new)
        op.describe(f"edit the text of claim {claim_id} to “{_short(cleaned)}”")
        _touch(op, updated)
        return updated

    return operations.run(store, "edit-claim", work, burst=burst)


def parse_verdict(value: str) -> Verdict:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Verdict(key)
    except ValueError:
        choices = ", ".join(v.value for v in Verdict)
        raise UserInputError(f"'{value}' is not a verdict", hint=f"use one of: {choices}") from None


def parse_status(value: str) -> Status:
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Status(key)
    except ValueError:
        choices = ", ".join(s.value for s in Status)
        raise UserInputError(f"'{value}' is not a status", hint=f"use one of: {choices}") from None


def set_verdict(
    store: Store,
    claim_id: int,
    verdict: Verdict | None,
    *,
    rationale: str | None = None,
    status: Status | None = None,
) -> OpResult[Claim]:
    """Record a verdict; a claim with a verdict is at least in progress."""

    def work(op: OpContext) -> Claim:
        claim = store.claims.get(claim_id)
        new_status = status
        if new_status is None and verdict is not None and claim.status is Status.UNCHECKED:
            new_status = Status.IN_PROGRESS
        updated = store.claims.update(
            claim_id, verdict=verdict, rationale=rationale, status=new_status
        )
        label = verdict.label if verdict is not None else "none"
        op.describe(f"set the verdict of claim {claim_id} to {label}")
        _touch(op, updated)
        return updated

    return operations.run(store, "verdict", work)


def set_rationale(
    store: Store, claim_id: int, rationale: str, *, burst: str | None = None
) -> OpResult[Claim]:
    """Save the rationale as typed; ``burst`` names one burst of typing (one undo step)."""

    def work(op: OpContext) -> Claim:
        updated = store.claims.update(claim_id, rationale=rationale)
        op.describe(f"edit the rationale of claim {claim_id}")
        _touch(op, updated)
        return updated

    return operations.run(store, "rationale", work, burst=burst)


def set_status(store: Store, claim_id: int, status: Status) -> OpResult[Claim]:
    def work(op: OpContext) -> Claim:
        updated = store.claims.update(claim_id, status=status)
        op.describe(f"set the status of claim {claim_id} to {status.value.replace('_', ' ')}")
        _touch(op, updated)
        return updated

    return operations.run(store, "status", work)


def delete_claim(store: Store, claim_id: int) -> Changes:
    """Delete a claim with its evidence (undoable: both come back under their ids)."""
    return delete_claims(store, [claim_id])


def delete_claims(store: Store, claim_ids: Sequence[int]) -> Changes:
    """Delete several claims with their evidence as one operation (one undo step)."""
    ids = list(dict.fromkeys(claim_ids))
    if not ids:
        raise UserInputError("no claim to delete")

    def work(op: OpContext) -> None:
        texts: list[str] = []
        evidence = 0
        for claim_id in ids:
            claim = store.claims.get(claim_id)
            views = store.evidence.for_claim(claim_id)
            evidence += len(views)
            texts.append(claim.text)
            store.claims.delete(claim_id)
            op.changes.deleted_claims.add(claim_id)
            op.changes.deleted_evidence.update(v.evidence.id for v in views)
            op.changes.articles.add(claim.article_id)
            op.claim_ids.add(claim_id)
            op.article_id = claim.article_id
        with_evidence = f" with {evidence} evidence" if evidence else ""
        if len(ids) == 1:
            op.summary = f"delete claim {ids[0]} “{_short(texts[0])}”{with_evidence}"
        else:
            op.summary = f"delete {len(ids)} claims ({', '.join(map(str, ids))}){with_evidence}"

    return operations.run(store, "delete-claim", work).changes


def split_claim(store: Store, claim_id: int, at: int) -> OpResult[tuple[Claim, Claim]]:
    """Split a claim at article offset ``at``, in one transaction.

    The first half keeps the claim and everything attached to it; the second
    half becomes a new manual claim, so nothing the user did is lost.
    """
    claim = store.claims.get(claim_id)
    if not (claim.start < at < claim.end):
        raise UserInputError(
            f"offset {at} is not inside claim {claim_id} ({claim.start}-{claim.end})",
            hint="split at a position inside the claim",
        )
    article = store.articles.get(claim.article_id)
    text = article.text
    first_end = at
    while first_end > claim.start and text[first_end - 1].isspace():
        first_end -= 1
    second_start = at
    while second_start < claim.end and text[second_start].isspace():
        second_start += 1
    if first_end <= claim.start or second_start >= claim.end:
        raise UserInputError("one half of the split would be empty", hint="split between words")
    second_text = text[second_start : claim.end]
    analysis = _analyse(second_text, offset=second_start, dateline=article.dateline)
    proposal = ExtractedClaim(
        second_start, claim.end, second_text, analysis.score, analysis.types, (), analysis.facts
    )

    def work(op: OpContext) -> tuple[Claim, Claim]:
        current = store.claims.get(claim_id)
        if (current.start, current.end) != (claim.start, claim.end):
            raise UserInputError(
                f"claim {claim_id} changed while it was being split", hint="split it again"
            )
        first, second = store.claims.split(claim_id, first_end=first_end, second=proposal)
        op.describe(f"split claim {claim_id} into {first.id} and {second.id}")
        _touch(op, first)
        _touch(op, second)
        return first, second

    return operations.run(store, "split-claim", work)


def merge_claims(store: Store, claim_ids: Sequence[int]) -> OpResult[Claim]:
    """Merge claims of one article into the earliest, in one transaction.

    Evidence moves over (a source already on the kept claim keeps one row,
    with the other's excerpt and note added to its note); rationales are
    joined; the first verdict found wins and a conflicting one is written
    into the rationale so the decision stays visible.
    """
    if len(set(claim_ids)) < 2:
        raise UserInputError("merging needs at least two claims")

    def work(op: OpContext) -> Claim:
        claims = sorted((store.claims.get(i) for i in set(claim_ids)), key=lambda c: c.start)
        if len({c.article_id for c in claims}) != 1:
            raise UserInputError("claims from different articles cannot be merged")
        keep, rest = claims[0], claims[1:]
        verdict = keep.verdict or next((c.verdict for c in rest if c.verdict), None)
        notes = [c.rationale for c in claims if c.rationale]
        notes += [
            f"(merged claim {c.id} had verdict: {c.verdict.label})"
            for c in rest
            if c.verdict and c.verdict != verdict
        ]
        moved = {v.evidence.id for c in rest for v in store.evidence.for_claim(c.id)}
        merged = store.claims.merge(
            keep.id, [c.id for c in rest], rationale="\n\n".join(notes), verdict=verdict
        )
        kept_evidence = {v.evidence.id for v in store.evidence.for_claim(keep.id)}
        op.describe(
            f"merge claims {', '.join(str(c.id) for c in rest)} into claim {keep.id}",
            claim_ids=[c.id for c in rest],
        )
        _touch(op, merged)
        op.changes.deleted_claims.update(c.id for c in rest)
        op.changes.evidence.update(moved & kept_evidence)
        op.changes.deleted_evidence.update(moved - kept_evidence)
        return merged

    return operations.run(store, "merge-claims", work)


# --------------------------------------------------------------------------- reads


def get_claim(store: Store, claim_id: int) -> Claim:
    return store.claims.get(claim_id)


def claims_for_article(store: Store, article_id: int) -> list[Claim]:
    """The article's claims in reading order."""
    return store.claims.for_article(article_id)


def evidence_counts(store: Store, article_id: int) -> dict[int, dict[str, int]]:
    """claim id -> {stance: count}, for tables that show supporting/refuting counts."""
    return store.claims.evidence_counts(article_id)


def flags_for_article(store: Store, article_id: int) -> list[Flag]:
    return store.flags.for_article(article_id)
