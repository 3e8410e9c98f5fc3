"""ORM row -> model dataclass conversions, in one place (for both readers)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from workbench.core.model import (
    Article,
    Claim,
    Entity,
    Evidence,
    FetchState,
    Flag,
    Origin,
    Snapshot,
    Source,
    Stance,
    Status,
    Verdict,
)

if TYPE_CHECKING:
    # Only names for the type checker: :mod:`.glance` hands these functions
    # plain rows read with ``sqlite3``, which have the same attributes, so
    # both readers build dataclasses in one place without importing the ORM.
    from workbench.core.storage.orm import (
        ArticleRow,
        ClaimRow,
        EvidenceRow,
        FlagRow,
        SnapshotRow,
        SourceRow,
    )


def now() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def article(row: ArticleRow) -> Article:
    return Article(
        id=row.id,
        title=row.title,
        text=row.text,
        text_sha256=row.text_sha256,
        outlet=row.outlet,
        url=row.url,
        author=row.author,
        dateline=row.dateline,
        language=row.language,
        imported_at=aware(row.imported_at),
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


def claim(row: ClaimRow) -> Claim:
    return Claim(
        id=row.id,
        article_id=row.article_id,
        start=row.start,
        end=row.end,
        text_extracted=row.text_extracted,
        text_edited=row.text_edited,
        score=row.score,
        types=tuple(row.types or ()),
        entities=tuple(
            Entity(label=e["label"], start=e["start"], end=e["end"], text=e["text"])
            for e in (row.entities or ())
        ),
        facts=tuple(row.facts or ()),
        origin=Origin(row.origin),
        status=Status(row.status),
        verdict=Verdict(row.verdict) if row.verdict else None,
        rationale=row.rationale,
        position=row.position,
        scorer=row.scorer,
        verdict_set_at=aware(row.verdict_set_at),
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


def source(row: SourceRow) -> Source:
    return Source(
        id=row.id,
        url=row.url,
        normalized_url=row.normalized_url,
        final_url=row.final_url,
        title=row.title,
        site=row.site,
        author=row.author,
        published=row.published,
        fetched_at=aware(row.fetched_at),
        http_status=row.http_status,
        fetch_state=FetchState(row.fetch_state),
        fetch_error=row.fetch_error,
        raw_sha256=row.raw_sha256,
        text_sha256=row.text_sha256,
        current_snapshot_id=row.current_snapshot_id,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


def snapshot(row: SnapshotRow, *, with_text: bool = True) -> Snapshot:
    return Snapshot(
        id=row.id,
        source_id=row.source_id,
        fetched_at=_aware(row.fetched_at),
        final_url=row.final_url,
        http_status=row.http_status,
        content_type=row.content_type,
        raw_sha256=row.raw_sha256,
        text=row.text if with_text else None,
        text_sha256=row.text_sha256,
        title=row.title,
        site=row.site,
        author=row.author,
        published=row.published,
        note=row.note,
    )


def evidence(row: EvidenceRow) -> Evidence:
    return Evidence(
        id=row.id,
        claim_id=row.claim_id,
        source_id=row.source_id,
        stance=Stance(row.stance),
        excerpt=row.excerpt,
        note=row.note,
        excerpt_found=row.excerpt_found,
        added_at=aware(row.added_at),
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


def flag(row: FlagRow) -> Flag:
    return Flag(
        id=row.id,
        article_id=row.article_id,
        kind=row.kind,
        message=row.message,
        spans=tuple((int(s[0]), int(s[1])) for s in (row.spans or ())),
        claim_ids=tuple(int(c) for c in (row.claim_ids or ())),
        confidence=row.confidence,
        dismissed=row.dismissed,
        dateline_used=row.dateline_used,
        fingerprint=row.fingerprint,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )
