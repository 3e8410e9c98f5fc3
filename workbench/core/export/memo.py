"""The format-neutral verification memo, built from model dataclasses.

Every decision about *what* the memo says lives here (which claims, in which
order, which snapshot an evidence item is judged by, what the audit finds,
how sources are numbered); the renderers only decide how it looks.  That keeps
the four formats saying the same thing, and lets tests build memos without a
database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from workbench.core.export.audit import AuditItem, AuditKind, audit_evidence, audit_verdict
from workbench.core.export.fmt import STANCE_HEADINGS, STANCE_ORDER, fact_line, type_label
from workbench.core.export.position import Position, PositionIndex
from workbench.core.export.snapshots import SnapshotChoice, snapshot_for_evidence
from workbench.core.model import (
    Article,
    Claim,
    EvidenceView,
    FetchState,
    Flag,
    Snapshot,
    Stance,
    Status,
    Verdict,
)

__all__ = [
    "AuditItem",
    "AuditKind",
    "EvidenceGroup",
    "Memo",
    "MemoClaim",
    "MemoEvidence",
    "MemoFlag",
    "MemoHeader",
    "MemoOptions",
    "MemoSettings",
    "MemoSource",
    "MemoSummary",
    "VerdictCount",
    "build_memo_model",
]

_FLAG_QUOTE_MAX = 200


@dataclass(frozen=True, slots=True)
class MemoOptions:
    """What the user chose to leave out; the memo states it in its header."""

    only_checked: bool = False
    min_score: float | None = None

    def includes(self, claim: Claim) -> bool:
        if self.only_checked and not is_checked(claim):
            return False
        return self.min_score is None or claim.score >= self.min_score

    def describe(self) -> str:
        parts = []
        if self.only_checked:
            parts.append("only checked claims")
        if self.min_score is not None:
            parts.append(f"only claims scoring at least {self.min_score:g}")
        return ", ".join(parts) if parts else "all claims"


@dataclass(frozen=True, slots=True)
class MemoSettings:
    """Who, when and with what: values from settings and the app, injectable for tests."""

    memo_date: date
    app_version: str
    checker_name: str | None = None
    organization: str | None = None
    scorer: str | None = None
    paper_size: str = "A4"
    review_url: str | None = None


@dataclass(frozen=True, slots=True)
class MemoHeader:
    title: str
    outlet: str | None
    url: str | None
    author: str | None
    dateline: date | None
    imported_at: datetime | None
    text_sha256: str
    checker: str | None
    organization: str | None
    memo_date: date
    app_version: str
    scorer: str
    options: str


@dataclass(frozen=True, slots=True)
class MemoSource:
    """A source as numbered in the memo: each URL once, cited as [n]."""

    number: int
    source_id: int
    url: str
    final_url: str | None
    title: str | None
    site: str | None
    fetch_state: FetchState
    fetch_error: str | None


@dataclass(frozen=True, slots=True)
class MemoEvidence:
    evidence_id: int
    source_number: int
    stance: Stance
    url: str
    title: str | None
    site: str | None
    snapshot_date: datetime | None
    snapshot_sha256: str | None
    sha_of: str  # "text" or "raw": what the hash covers
    excerpt: str
    note: str
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EvidenceGroup:
    stance: Stance
    heading: str
    items: tuple[MemoEvidence, ...]


@dataclass(frozen=True, slots=True)
class MemoClaim:
    number: int
    claim_id: int
    text: str
    position: Position | None
    score: float
    status: Status
    types: tuple[str, ...]
    facts: tuple[str, ...]
    verdict: Verdict | None
    rationale: str
    verdict_set_at: datetime | None
    groups: tuple[EvidenceGroup, ...]

    @property
    def location(self) -> str:
        return self.position.describe() if self.position else "position not found in the text"

    @property
    def verdict_label(self) -> str:
        return self.verdict.label if self.verdict else "No verdict"

    @property
    def evidence_count(self) -> int:
        return sum(len(g.items) for g in self.groups)


@dataclass(frozen=True, slots=True)
class MemoFlag:
    kind: str
    message: str
    confidence: float
    dismissed: bool
    dateline_used: date | None
    quotes: tuple[str, ...]
    claim_numbers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class VerdictCount:
    verdict: Verdict
    count: int


@dataclass(frozen=True, slots=True)
class MemoSummary:
    article_claims: int
    included: int
    checked: int
    in_progress: int
    unchecked: int
    by_verdict: tuple[VerdictCount, ...]
    flags_open: int
    flags_dismissed: int
    audit_items: int

    @property
    def excluded(self) -> int:
        return self.article_claims - self.included


@dataclass(frozen=True, slots=True)
class Memo:
    header: MemoHeader
    summary: MemoSummary
    claims: tuple[MemoClaim, ...]
    flags: tuple[MemoFlag, ...]
    audit: tuple[AuditItem, ...]
    sources: tuple[MemoSource, ...]
    methodology: tuple[str, ...]
    paper_size: str
    review_url: str | None


def is_checked(claim: Claim) -> bool:
    """A claim counts as checked once it is marked so or carries a verdict."""
    return claim.status is Status.CHECKED or claim.verdict is not None


def build_memo_model(
    article: Article,
    claims: Sequence[Claim],
    *,
    evidence: Mapping[int, Sequence[EvidenceView]],
    snapshots: Mapping[int, Sequence[Snapshot]],
    flags: Sequence[Flag],
    options: MemoOptions,
    settings: MemoSettings,
) -> Memo:
    """Assemble the memo; ``evidence`` is keyed by claim id, ``snapshots`` by source id."""
    ordered = sorted(claims, key=lambda c: (c.start, c.position, c.id))
    included = [c for c in ordered if options.includes(c)]
    index = PositionIndex(article.text)
    numbering = _SourceNumbering()
    memo_claims: list[MemoClaim] = []
    audit: list[AuditItem] = []
    for number, claim in enumerate(included, start=1):
        views = sorted(
            evidence.get(claim.id, ()),
            key=lambda v: (STANCE_ORDER.index(v.evidence.stance), v.evidence.id),
        )
        items: list[MemoEvidence] = []
        evidence_audit: list[AuditItem] = []
        for view in views:
            choice = snapshot_for_evidence(
                view.source, snapshots.get(view.source.id, ()), verdict_set_at=claim.verdict_set_at
            )
            source_number = numbering.number(view)
            items.append(_memo_evidence(view, choice, source_number))
            evidence_audit.extend(
                audit_evidence(claim, number, view, choice, source_number=source_number)
            )
        # Verdict-level findings first: they are the ones an editor acts on.
        audit.extend(audit_verdict(claim, number, views))
        audit.extend(evidence_audit)
        memo_claims.append(_memo_claim(claim, number, index, items))
    return Memo(
        header=_header(article, options, settings, claims),
        summary=_summary(len(claims), included, flags, len(audit)),
        claims=tuple(memo_claims),
        flags=tuple(_memo_flags(article, flags, memo_claims)),
        audit=tuple(audit),
        sources=tuple(numbering.sources),
        methodology=methodology(),
        paper_size=settings.paper_size,
        review_url=settings.review_url,
    )


class _SourceNumbering:
    """Numbers sources in order of first citation, so [1] is the first one read."""

    def __init__(self) -> None:
        self._numbers: dict[int, int] = {}
        self.sources: list[MemoSource] = []

    def number(self, view: EvidenceView) -> int:
        source = view.source
        found = self._numbers.get(source.id)
        if found is not None:
            return found
        number = len(self.sources) + 1
        self._numbers[source.id] = number
        self.sources.append(
            MemoSource(
                number=number,
                source_id=source.id,
                url=source.url,
                final_url=source.final_url if source.final_url != source.url else None,
                title=source.title,
                site=source.site,
                fetch_state=source.fetch_state,
                fetch_error=source.fetch_error,
            )
        )
        return number


def _memo_evidence(view: EvidenceView, choice: SnapshotChoice, source_number: int) -> MemoEvidence:
    snap = choice.snapshot
    sha, sha_of = None, "text"
    if snap is not None:
        sha, sha_of = (snap.text_sha256, "text") if snap.text_sha256 else (snap.raw_sha256, "raw")
    title = (snap.title if snap and snap.title else None) or view.source.title
    site = (snap.site if snap and snap.site else None) or view.source.site
    return MemoEvidence(
        evidence_id=view.evidence.id,
        source_number=source_number,
        stance=view.evidence.stance,
        url=view.source.url,
        title=title,
        site=site,
        snapshot_date=snap.fetched_at if snap else None,
        snapshot_sha256=sha,
        sha_of=sha_of,
        excerpt=view.evidence.excerpt,
        note=view.evidence.note,
        warnings=choice.warnings,
    )


def _memo_claim(
    claim: Claim, number: int, index: PositionIndex, items: Sequence[MemoEvidence]
) -> MemoClaim:
    groups = tuple(
        EvidenceGroup(
            stance=stance,
            heading=STANCE_HEADINGS[stance],
            items=tuple(i for i in items if i.stance is stance),
        )
        for stance in STANCE_ORDER
        if any(i.stance is stance for i in items)
    )
    return MemoClaim(
        number=number,
        claim_id=claim.id,
        text=claim.text,
        position=index.locate(_first_visible(claim)),
        score=claim.score,
        status=claim.status,
        types=tuple(type_label(t) for t in claim.types),
        facts=tuple(fact_line(f) for f in claim.facts),
        verdict=claim.verdict,
        rationale=claim.rationale,
        verdict_set_at=claim.verdict_set_at,
        groups=groups,
    )


def _first_visible(claim: Claim) -> int:
    """The offset of the claim's first non-space character (spans may start on a space)."""
    lead = len(claim.text_extracted) - len(claim.text_extracted.lstrip())
    return claim.start + lead


def _header(
    article: Article, options: MemoOptions, settings: MemoSettings, claims: Sequence[Claim]
) -> MemoHeader:
    return MemoHeader(
        title=article.title,
        outlet=article.outlet,
        url=article.url,
        author=article.author,
        dateline=article.dateline,
        imported_at=article.imported_at,
        text_sha256=article.text_sha256,
        checker=settings.checker_name,
        organization=settings.organization,
        memo_date=settings.memo_date,
        app_version=settings.app_version,
        scorer=describe_scorer(settings.scorer, claims),
        options=options.describe(),
    )


def describe_scorer(setting: str | None, claims: Sequence[Claim]) -> str:
    """Name every scorer that scored these claims; the setting when claims do not say."""
    used = sorted({c.scorer for c in claims if c.scorer})
    if used:
        return ", ".join(used)
    return setting or "not recorded"


def _summary(
    article_claims: int, included: Sequence[Claim], flags: Sequence[Flag], audit_items: int
) -> MemoSummary:
    counts = {v: 0 for v in Verdict}
    for claim in included:
        if claim.verdict is not None:
            counts[claim.verdict] += 1
    checked = sum(1 for c in included if is_checked(c))
    in_progress = sum(1 for c in included if not is_checked(c) and c.status is Status.IN_PROGRESS)
    return MemoSummary(
        article_claims=article_claims,
        included=len(included),
        checked=checked,
        in_progress=in_progress,
        unchecked=len(included) - checked - in_progress,
        by_verdict=tuple(VerdictCount(v, n) for v, n in counts.items() if n),
        flags_open=sum(1 for f in flags if not f.dismissed),
        flags_dismissed=sum(1 for f in flags if f.dismissed),
        audit_items=audit_items,
    )


def _memo_flags(
    article: Article, flags: Sequence[Flag], claims: Sequence[MemoClaim]
) -> list[MemoFlag]:
    numbers = {c.claim_id: c.number for c in claims}
    result = []
    for flag in sorted(flags, key=lambda f: (f.dismissed, min(f.spans, default=(0, 0)), f.id)):
        quotes = []
        for start, end in flag.spans:
            if 0 <= start < end <= len(article.text):
                quote = " ".join(article.text[start:end].split())
                if len(quote) > _FLAG_QUOTE_MAX:
                    quote = quote[: _FLAG_QUOTE_MAX - 1].rstrip() + "…"
                quotes.append(quote)
        result.append(
            MemoFlag(
                kind=flag.kind.replace("_", " ").capitalize(),
                message=flag.message,
                confidence=flag.confidence,
                dismissed=flag.dismissed,
                dateline_used=flag.dateline_used,
                quotes=tuple(quotes),
                claim_numbers=tuple(numbers[i] for i in flag.claim_ids if i in numbers),
            )
        )
    return result


def methodology() -> tuple[str, ...]:
    """The short note at the end of every memo: how to read and verify it."""
    return (
        "Claims were extracted from the article text and ranked by a check-worthiness "
        "score; the fact-checker added, edited and checked them by hand. Positions count "
        "paragraphs and sentences from the start of the imported text.",
        "Each verdict rests on the sources cited with it. Every source was saved when it "
        "was fetched; the snapshot shown is the one that was current when the verdict was "
        "set, and its SHA-256 lets anyone confirm that a stored copy is the one consulted.",
        "The audit lists what deserves a second look before publication: verdicts without "
        "evidence, verdicts their own evidence contradicts, sources that changed after the "
        "verdict, excerpts not found in the saved page, and sources never fetched.",
        "Verdict scale, best to worst: True, Mostly true, Half true, Mostly false or "
        "Misleading, False; Unverifiable when the evidence settles nothing.",
    )
