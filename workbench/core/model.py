"""Plain dataclasses and enums: the vocabulary every layer speaks.

Repositories return these, never ORM rows, so that the UI and the CLI cannot
trip over lazy loading or detached sessions.  They are frozen: a change goes
through a service, which returns fresh objects and a :class:`Changes` record.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from workbench.core.errors import UserInputError

JSONValue = Any
"""A value that survives ``json.dumps``; facts and entities are stored as JSON."""

ProgressFn = Callable[[int, int, str], None]
"""``progress(done, total, label)``: long core functions report through this."""

CancelFn = Callable[[], bool]
"""``is_cancelled()``: long core functions poll this and raise CancelledError."""


class StrEnum(enum.StrEnum):
    """An enum whose values are the strings stored in the database and JSON."""


class ClaimType(StrEnum):
    QUANTITY = "quantity"
    TIME = "time"
    QUOTE = "quote"
    ATTRIBUTION = "attribution"
    COMPARISON = "comparison"
    CAUSAL = "causal"
    PREDICTION = "prediction"
    EVENT = "event"


class Origin(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"


class Status(StrEnum):
    UNCHECKED = "unchecked"
    IN_PROGRESS = "in_progress"
    CHECKED = "checked"


class Stance(StrEnum):
    SUPPORTS = "supports"
    REFUTES = "refutes"
    CONTEXT = "context"
    MIXED = "mixed"


class Polarity(StrEnum):
    """Which way a verdict points: the one definition every layer uses.

    ``misleading`` is negative: the claim leaves a false impression even when
    its parts are accurate (ClaimReview rates it with ``mostly_false``).
    ``unverifiable`` points nowhere: no rating applies.
    """

    POSITIVE = "positive"
    MIXED = "mixed"
    NEGATIVE = "negative"
    NONE = "none"


class Verdict(StrEnum):
    """The rating scale; each maps to a ClaimReview ``ratingValue``."""

    TRUE = "true"
    MOSTLY_TRUE = "mostly_true"
    HALF_TRUE = "half_true"
    MOSTLY_FALSE = "mostly_false"
    FALSE = "false"
    MISLEADING = "misleading"
    UNVERIFIABLE = "unverifiable"

    @property
    def label(self) -> str:
        return _VERDICT_LABELS[self]

    @property
    def polarity(self) -> Polarity:
        """Supports (true, mostly true), refutes (false, mostly false, misleading),
        mixed (half true) or none (unverifiable)."""
        return _VERDICT_POLARITY[self]

    @property
    def rating_value(self) -> int:
        """ClaimReview ``ratingValue`` on a 1 (worst) .. 5 (best) scale.

        ``misleading`` sits with ``mostly_false``: the claim leaves a false
        impression even when its parts are accurate.  ``unverifiable`` has no
        place on the scale and is reported as 0 with ``alternateName`` doing
        the talking, which is what ClaimReview consumers expect for
        "unproven" ratings.
        """
        return _VERDICT_RATINGS[self]


_VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.TRUE: "True",
    Verdict.MOSTLY_TRUE: "Mostly true",
    Verdict.HALF_TRUE: "Half true",
    Verdict.MOSTLY_FALSE: "Mostly false",
    Verdict.FALSE: "False",
    Verdict.MISLEADING: "Misleading",
    Verdict.UNVERIFIABLE: "Unverifiable",
}

_VERDICT_POLARITY: dict[Verdict, Polarity] = {
    Verdict.TRUE: Polarity.POSITIVE,
    Verdict.MOSTLY_TRUE: Polarity.POSITIVE,
    Verdict.HALF_TRUE: Polarity.MIXED,
    Verdict.MOSTLY_FALSE: Polarity.NEGATIVE,
    Verdict.FALSE: Polarity.NEGATIVE,
    Verdict.MISLEADING: Polarity.NEGATIVE,
    Verdict.UNVERIFIABLE: Polarity.NONE,
}

_VERDICT_RATINGS: dict[Verdict, int] = {
    Verdict.TRUE: 5,
    Verdict.MOSTLY_TRUE: 4,
    Verdict.HALF_TRUE: 3,
    Verdict.MOSTLY_FALSE: 2,
    Verdict.MISLEADING: 2,
    Verdict.FALSE: 1,
    Verdict.UNVERIFIABLE: 0,
}

RATING_BEST = 5
RATING_WORST = 1


class FetchState(StrEnum):
    """Where a source's offline copy stands."""

    PENDING = "pending"  # attached, fetch not yet attempted
    FETCHED = "fetched"  # at least one snapshot exists
    FAILED = "failed"  # last attempt failed; ``fetch_error`` says why


@dataclass(frozen=True, slots=True)
class Entity:
    label: str
    start: int
    end: int
    text: str

    def to_json(self) -> dict[str, JSONValue]:
        return {"label": self.label, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    title: str
    text: str
    text_sha256: str
    outlet: str | None = None
    url: str | None = None
    author: str | None = None
    dateline: date | None = None
    language: str = "en"
    imported_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    id: int
    article_id: int
    start: int
    end: int
    text_extracted: str
    text_edited: str | None
    score: float
    types: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()
    facts: tuple[dict[str, JSONValue], ...] = ()
    origin: Origin = Origin.AUTO
    status: Status = Status.UNCHECKED
    verdict: Verdict | None = None
    rationale: str = ""
    position: int = 0
    scorer: str | None = None
    verdict_set_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def text(self) -> str:
        """What the fact-checker sees: the edited text if any, else the extracted."""
        return self.text_edited if self.text_edited is not None else self.text_extracted


def check_span(text: str, start: int, end: int) -> None:
    """A claim's span must be a non-empty stretch of its article's text.

    The one home of the rule: the services check it before slow work, and
    the repository again in the transaction that stores the span.
    """
    if not (0 <= start < end <= len(text)):
        raise UserInputError(
            f"span {start}-{end} is outside the article (0-{len(text)}) or empty",
            hint="give START < END within the article text",
        )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One fetch of a source: what the page said at ``fetched_at``."""

    id: int
    source_id: int
    fetched_at: datetime
    final_url: str | None
    http_status: int | None
    content_type: str | None
    raw_sha256: str | None
    text: str | None
    text_sha256: str | None
    title: str | None = None
    site: str | None = None
    author: str | None = None
    published: str | None = None
    note: str | None = None  # e.g. "PDF text was not extracted"


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    url: str
    normalized_url: str
    final_url: str | None = None
    title: str | None = None
    site: str | None = None
    author: str | None = None
    published: str | None = None
    fetched_at: datetime | None = None
    http_status: int | None = None
    fetch_state: FetchState = FetchState.PENDING
    fetch_error: str | None = None
    raw_sha256: str | None = None
    text_sha256: str | None = None
    current_snapshot_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    id: int
    claim_id: int
    source_id: int
    stance: Stance
    excerpt: str = ""
    note: str = ""
    excerpt_found: bool | None = None  # None: not checked yet (no snapshot)
    added_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """Evidence joined with its source, as lists and memos show it."""

    evidence: Evidence
    source: Source


@dataclass(frozen=True, slots=True)
class Flag:
    """A consistency finding on an article.

    ``fingerprint`` identifies the finding across re-runs of the checker, so a
    dismissal survives re-extraction.
    """

    id: int
    article_id: int
    kind: str
    message: str
    spans: tuple[tuple[int, int], ...] = ()
    claim_ids: tuple[int, ...] = ()
    confidence: float = 1.0
    dismissed: bool = False
    dateline_used: date | None = None
    fingerprint: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ExtractedClaim:
    """What the extractor proposes, before it is stored as a :class:`Claim`."""

    start: int
    end: int
    text: str
    score: float
    types: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = ()
    facts: tuple[dict[str, JSONValue], ...] = ()


@dataclass(frozen=True, slots=True)
class FlagFinding:
    """What the consistency checker proposes, before it is stored as a :class:`Flag`."""

    kind: str
    message: str
    spans: tuple[tuple[int, int], ...]
    confidence: float
    dateline_used: date | None
    fingerprint: str


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """A library row: the article and its progress, without the full text."""

    id: int
    title: str
    outlet: str | None
    dateline: date | None
    imported_at: datetime | None
    claims_total: int
    claims_checked: int


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One operation in the history: when, who, what, and the article and claims it touched.

    ``reverts`` is the entry an undo or redo takes back; ``extends`` an
    earlier entry this one continues (one burst of typing, undone as one
    step).  ``undoable`` says whether undo data was kept for it.
    """

    id: int
    at: datetime
    actor: str
    kind: str
    summary: str
    article_id: int | None = None
    claim_ids: tuple[int, ...] = ()
    reverts: int | None = None
    extends: int | None = None
    undoable: bool = False


@dataclass(slots=True)
class Changes:
    """What a mutating service touched, so that views refresh only what they must.

    ``entries`` are the history entries the change was recorded under (one
    per operation): the UI's undo commands keep them, and a shared server
    will broadcast their ids as its change feed.
    """

    articles: set[int] = field(default_factory=set)
    claims: set[int] = field(default_factory=set)
    sources: set[int] = field(default_factory=set)
    evidence: set[int] = field(default_factory=set)
    flags: set[int] = field(default_factory=set)
    deleted_articles: set[int] = field(default_factory=set)
    deleted_claims: set[int] = field(default_factory=set)
    deleted_evidence: set[int] = field(default_factory=set)
    entries: list[HistoryEntry] = field(default_factory=list)

    def merge(self, other: Changes) -> Changes:
        for name in _CHANGE_FIELDS:
            getattr(self, name).update(getattr(other, name))
        self.entries.extend(e for e in other.entries if e not in self.entries)
        return self

    @property
    def entry(self) -> HistoryEntry | None:
        """The history entry of the (last) operation behind this change."""
        return self.entries[-1] if self.entries else None

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in _CHANGE_FIELDS)


_CHANGE_FIELDS = (
    "articles",
    "claims",
    "sources",
    "evidence",
    "flags",
    "deleted_articles",
    "deleted_claims",
    "deleted_evidence",
)


PAPER_SIZES = ("A4", "Letter")
DEFAULT_SCORER = "auto"


@dataclass(frozen=True, slots=True)
class Settings:
    """The settings kept in the database, typed.  Each field is stored under its own name.

    They live in the database, not in QSettings, so the CLI and the GUI agree
    and a database moved to another machine keeps its memo settings.
    ``checker_name`` is also who the history names when no ``--user`` or
    ``WORKBENCH_USER`` says otherwise.
    """

    checker_name: str | None = None
    checker_organization: str | None = None
    paper_size: str = "A4"
    scorer: str | None = None
    """The scorer chosen (None: never chosen, which means the best available)."""
    spacy_model: str | None = None
    review_url: str | None = None

    @property
    def scorer_to_use(self) -> str:
        """The scorer extraction asks for: the one chosen, else the best available."""
        return self.scorer or DEFAULT_SCORER


MATCH_START = "\x02"
MATCH_END = "\x03"
"""How a search snippet marks the words that matched: STX ... ETX.  Control
characters no stored text contains (import strips them), so every front end
-- the app's HTML, the CLI's brackets and JSON offsets -- can render them
safely.  The one definition of the markers; the functions below read them."""


def marked(text: str) -> str:
    """``text`` marked as a match."""
    return f"{MATCH_START}{text}{MATCH_END}"


def snippet_pieces(snippet: str) -> list[tuple[str, bool]]:
    """``(text, matched)`` runs of a snippet.

    Markers toggle and cannot nest, so a stray or unpaired marker (a snippet
    cut in the middle of a match) still gives well-formed runs.
    """
    pieces: list[tuple[str, bool]] = []
    matched = False
    current: list[str] = []
    for ch in snippet:
        if ch in (MATCH_START, MATCH_END):
            now = ch == MATCH_START
            if now != matched and current:
                pieces.append(("".join(current), matched))
                current = []
            matched = now
        else:
            current.append(ch)
    if current:
        pieces.append(("".join(current), matched))
    return pieces


def snippet_text(snippet: str) -> str:
    """The snippet without its markers."""
    return snippet.replace(MATCH_START, "").replace(MATCH_END, "")


def snippet_spans(snippet: str) -> list[tuple[int, int]]:
    """Offsets of the matches in :func:`snippet_text`."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for text, matched in snippet_pieces(snippet):
        if matched:
            spans.append((pos, pos + len(text)))
        pos += len(text)
    return spans


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result; the snippet marks matches (see :data:`MATCH_START`)."""

    kind: str  # "claim" | "article" | "source"
    ref_id: int  # claim id, article id or snapshot id
    article_id: int | None
    claim_id: int | None
    source_id: int | None
    title: str
    snippet: str
    rank: float
    verdict: Verdict | None = None


@dataclass(frozen=True, slots=True)
class SimilarClaim:
    """An earlier check of (probably) the same claim in another article."""

    claim: Claim
    article_title: str
    similarity: float  # 0..1
    reasons: tuple[str, ...]  # e.g. ("shared numbers: 15000", "text 82%")
    evidence: tuple[EvidenceView, ...] = ()
