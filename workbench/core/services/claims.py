"""Claim use cases: extraction (with a merge that keeps the user's work) and edits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from workbench.core.errors import UserInputError
from workbench.core.model import (
    CancelFn,
    Changes,
    Claim,
    ExtractedClaim,
    Flag,
    Origin,
    ProgressFn,
    Status,
    Verdict,
)
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
    dateline = article.dateline
    # Settings name the pipeline and scorer; the loaders fall back in order.
    nlp = load_pipeline(store.settings.get("spacy_model") or None)
    scorer = get_scorer(store.settings.get("scorer") or "auto")
    result = extract_claims(
        article.text,
        dateline=dateline,
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
    """Merge an extraction with the stored claims, write it in one transaction, re-check.

    Split from :func:`extract_article` so the GUI can run the NLP in a worker
    process and still save through exactly this code.
    """
    from workbench.core.errors import CancelledError
    from workbench.core.nlp.merge import plan_merge
    from workbench.core.storage import MachineUpdate

    existing = store.claims.for_article(article_id)
    plan = plan_merge(existing, result.claims)
    deletions: list[int] = []
    kept: list[int] = []
    for claim_id in plan.orphaned:
        (kept if store.claims.has_user_work(claim_id) else deletions).append(claim_id)
    if is_cancelled is not None and is_cancelled():
        raise CancelledError("extraction cancelled; nothing was changed")
    updated, added, deleted = store.claims.apply_extraction(
        article_id,
        updates=[MachineUpdate(cid, proposal) for cid, proposal in plan.updates],
        additions=list(plan.additions),
        deletions=deletions,
        scorer=result.scorer_name,
    )
    claims = store.claims.for_article(article_id)
    flags = check_consistency(store, article_id, claims=claims)
    changes = Changes(
        articles={article_id},
        claims=set(updated) | set(added),
        deleted_claims=set(deleted),
        flags={f.id for f in flags},
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
        changes=changes,
    )


def check_consistency(
    store: Store, article_id: int, *, claims: Sequence[Claim] | None = None
) -> list[Flag]:
    """Re-run the consistency rules; dismissals persist by fingerprint."""
    from workbench.core.nlp.consistency import check_article

    article = store.articles.get(article_id)
    report = check_article(article.text, dateline=article.dateline)
    claims = list(claims) if claims is not None else store.claims.for_article(article_id)
    related = [
        sorted({c.id for c in claims for s, e in f.spans if c.start < e and s < c.end})
        for f in report.findings
    ]
    return store.flags.replace_for_article(article_id, report.findings, claim_ids=related)


def add_claim(store: Store, article_id: int, start: int, end: int) -> tuple[Claim, Changes]:
    """A manual claim over ``text[start:end]`` (trimmed of surrounding whitespace)."""
    article = store.articles.get(article_id)
    if not (0 <= start < end <= len(article.text)):
        raise UserInputError(
            f"span {start}-{end} is outside the article (0-{len(article.text)}) or empty",
            hint="give START < END within the article text",
        )
    while start < end and article.text[start].isspace():
        start += 1
    while end > start and article.text[end - 1].isspace():
        end -= 1
    if start == end:
        raise UserInputError("the selection holds only whitespace", hint="select some words")
    text = article.text[start:end]
    facts_types = _analyse(text, offset=start, dateline=article.dateline)
    claim = store.claims.add(
        article_id,
        start=start,
        end=end,
        text=text,
        score=facts_types.score,
        types=facts_types.types,
        entities=(),
        facts=facts_types.facts,
        origin=Origin.MANUAL,
        scorer=facts_types.scorer,
    )
    return claim, Changes(articles={article_id}, claims={claim.id})


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


def edit_claim(store: Store, claim_id: int, text: str) -> tuple[Claim, Changes]:
    """Edit the claim's wording; the extracted text stays for reference."""
    cleaned = text.strip()
    if not cleaned:
        raise UserInputError("the claim text is empty", hint="give the claim's wording")
    claim = store.claims.get(claim_id)
    new = None if cleaned == claim.text_extracted else cleaned
    updated = store.claims.update(claim_id, text_edited=new)
    return updated, Changes(claims={claim_id}, articles={claim.article_id})


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
) -> tuple[Claim, Changes]:
    """Record a verdict; a claim with a verdict is at least in progress."""
    claim = store.claims.get(claim_id)
    if status is None and verdict is not None and claim.status is Status.UNCHECKED:
        status = Status.IN_PROGRESS
    updated = store.claims.update(claim_id, verdict=verdict, rationale=rationale, status=status)
    return updated, Changes(claims={claim_id}, articles={claim.article_id})


def set_status(store: Store, claim_id: int, status: Status) -> tuple[Claim, Changes]:
    claim = store.claims.update(claim_id, status=status)
    return claim, Changes(claims={claim_id}, articles={claim.article_id})


def delete_claim(store: Store, claim_id: int) -> Changes:
    claim = store.claims.get(claim_id)
    evidence_ids = {v.evidence.id for v in store.evidence.for_claim(claim_id)}
    store.claims.delete(claim_id)
    return Changes(
        articles={claim.article_id}, deleted_claims={claim_id}, deleted_evidence=evidence_ids
    )


def split_claim(store: Store, claim_id: int, at: int) -> tuple[tuple[Claim, Claim], Changes]:
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
    first, second = store.claims.split(claim_id, first_end=first_end, second=proposal)
    return (first, second), Changes(articles={claim.article_id}, claims={claim_id, second.id})


def merge_claims(store: Store, claim_ids: Sequence[int]) -> tuple[Claim, Changes]:
    """Merge claims of one article into the earliest, in one transaction.

    Evidence moves over (a source already on the kept claim keeps one row,
    with the other's excerpt and note added to its note); rationales are
    joined; the first verdict found wins and a conflicting one is written
    into the rationale so the decision stays visible.
    """
    if len(set(claim_ids)) < 2:
        raise UserInputError("merging needs at least two claims")
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
    merged = store.claims.merge(
        keep.id, [c.id for c in rest], rationale="\n\n".join(notes), verdict=verdict
    )
    return merged, Changes(
        articles={keep.article_id}, claims={keep.id}, deleted_claims={c.id for c in rest}
    )
