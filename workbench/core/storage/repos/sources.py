"""Sources and their snapshots: one source per normalized URL, many snapshots each."""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import defer

from workbench.core.errors import NotFoundError
from workbench.core.model import FetchState, Snapshot, Source
from workbench.core.storage import convert
from workbench.core.storage.orm import ClaimRow, EvidenceRow, SnapshotRow, SourceRow
from workbench.core.storage.repos.base import Repository


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SourceRepository(Repository):
    def get(self, source_id: int) -> Source:
        with self._read() as s:
            row = s.get(SourceRow, source_id)
            if row is None:
                raise NotFoundError(f"no source with id {source_id}")
            return convert.source(row)

    def get_or_create(self, url: str, normalized_url: str) -> tuple[Source, bool]:
        with self._tx() as s:
            row = s.scalar(select(SourceRow).where(SourceRow.normalized_url == normalized_url))
            if row is not None:
                return convert.source(row), False
            stamp = convert.now()
            row = SourceRow(
                url=url,
                normalized_url=normalized_url,
                fetch_state=FetchState.PENDING.value,
                created_at=stamp,
                updated_at=stamp,
            )
            s.add(row)
            s.flush()
            return convert.source(row), True

    def add_snapshot(
        self,
        source_id: int,
        *,
        fetched_at: datetime,
        final_url: str | None,
        http_status: int | None,
        content_type: str | None,
        raw: bytes | None,
        text: str | None,
        title: str | None = None,
        site: str | None = None,
        author: str | None = None,
        published: str | None = None,
        note: str | None = None,
    ) -> Snapshot:
        with self._tx() as s:
            src = s.get(SourceRow, source_id)
            if src is None:
                raise NotFoundError(f"no source with id {source_id}")
            raw_hash = sha256_bytes(raw) if raw is not None else None
            text_hash = sha256_bytes(text.encode("utf-8")) if text is not None else None
            snap = SnapshotRow(
                source_id=source_id,
                fetched_at=fetched_at,
                final_url=final_url,
                http_status=http_status,
                content_type=content_type,
                raw_compressed=zlib.compress(raw, 6) if raw is not None else None,
                raw_sha256=raw_hash,
                text=text,
                text_sha256=text_hash,
                title=title,
                site=site,
                author=author,
                published=published,
                note=note,
                created_at=convert.now(),
            )
            s.add(snap)
            s.flush()
            src.current_snapshot_id = snap.id
            src.final_url = final_url
            src.http_status = http_status
            src.fetched_at = fetched_at
            src.title = title or src.title
            src.site = site or src.site
            src.author = author or src.author
            src.published = published or src.published
            src.raw_sha256 = raw_hash
            src.text_sha256 = text_hash
            src.fetch_state = FetchState.FETCHED.value
            src.fetch_error = None
            src.updated_at = convert.now()
            s.flush()
            return convert.snapshot(snap)

    def record_failure(
        self, source_id: int, *, error: str, http_status: int | None = None
    ) -> Source:
        """Note a failed fetch; earlier snapshots stay and stay current."""
        with self._tx() as s:
            src = s.get(SourceRow, source_id)
            if src is None:
                raise NotFoundError(f"no source with id {source_id}")
            src.fetch_error = error
            if http_status is not None:
                src.http_status = http_status
            if src.current_snapshot_id is None:
                src.fetch_state = FetchState.FAILED.value
            src.updated_at = convert.now()
            s.flush()
            return convert.source(src)

    def snapshots(self, source_id: int) -> list[Snapshot]:
        with self._read() as s:
            rows = s.scalars(
                select(SnapshotRow)
                .where(SnapshotRow.source_id == source_id)
                .order_by(SnapshotRow.fetched_at, SnapshotRow.id)
            ).all()
            return [convert.snapshot(r) for r in rows]

    def snapshots_for(
        self, source_ids: Sequence[int], *, with_text: bool = False
    ) -> dict[int, list[Snapshot]]:
        """source id -> its snapshots (oldest first) for many sources in one query.

        Without ``with_text`` the snapshot texts are not read (``text`` is None):
        memos need dates and hashes, and texts would cost megabytes.
        """
        if not source_ids:
            return {}
        stmt = (
            select(SnapshotRow)
            .where(SnapshotRow.source_id.in_(list(source_ids)))
            .order_by(SnapshotRow.source_id, SnapshotRow.fetched_at, SnapshotRow.id)
            .options(defer(SnapshotRow.raw_compressed))
        )
        if not with_text:
            stmt = stmt.options(defer(SnapshotRow.text, raiseload=True))
        out: dict[int, list[Snapshot]] = {sid: [] for sid in source_ids}
        with self._read() as s:
            for row in s.scalars(stmt):
                out[row.source_id].append(convert.snapshot(row, with_text=with_text))
        return out

    def snapshot(self, snapshot_id: int) -> Snapshot:
        with self._read() as s:
            row = s.get(SnapshotRow, snapshot_id)
            if row is None:
                raise NotFoundError(f"no snapshot with id {snapshot_id}")
            return convert.snapshot(row)

    def snapshot_raw(self, snapshot_id: int) -> bytes | None:
        with self._read() as s:
            row = s.get(SnapshotRow, snapshot_id)
            if row is None:
                raise NotFoundError(f"no snapshot with id {snapshot_id}")
            return zlib.decompress(row.raw_compressed) if row.raw_compressed is not None else None

    def for_article(self, article_id: int) -> list[Source]:
        stmt = (
            select(SourceRow)
            .join(EvidenceRow, EvidenceRow.source_id == SourceRow.id)
            .join(ClaimRow, ClaimRow.id == EvidenceRow.claim_id)
            .where(ClaimRow.article_id == article_id)
            .distinct()
            .order_by(SourceRow.id)
        )
        with self._read() as s:
            return [convert.source(r) for r in s.scalars(stmt).all()]

    def pending(self, *, article_id: int | None = None) -> list[Source]:
        """Sources with no snapshot yet (never fetched or every fetch failed)."""
        stmt = select(SourceRow).where(SourceRow.current_snapshot_id.is_(None))
        if article_id is not None:
            stmt = (
                stmt.join(EvidenceRow, EvidenceRow.source_id == SourceRow.id)
                .join(ClaimRow, ClaimRow.id == EvidenceRow.claim_id)
                .where(ClaimRow.article_id == article_id)
                .distinct()
            )
        with self._read() as s:
            return [convert.source(r) for r in s.scalars(stmt.order_by(SourceRow.id)).all()]
