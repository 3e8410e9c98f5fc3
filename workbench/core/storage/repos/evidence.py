"""Evidence rows link a claim to a source with a stance."""

from __future__ import annotations

from sqlalchemy import select

from workbench.core.errors import NotFoundError
from workbench.core.model import Evidence, EvidenceView, Stance
from workbench.core.storage import convert
from workbench.core.storage.orm import ClaimRow, EvidenceRow, SourceRow
from workbench.core.storage.repos.base import Repository


class EvidenceRepository(Repository):
    def attach(
        self,
        claim_id: int,
        source_id: int,
        *,
        stance: Stance,
        excerpt: str = "",
        note: str = "",
    ) -> tuple[Evidence, bool]:
        """Link claim and source; the same pair twice stays one row (updated)."""
        with self._tx() as s:
            if s.get(ClaimRow, claim_id) is None:
                raise NotFoundError(f"no claim with id {claim_id}")
            if s.get(SourceRow, source_id) is None:
                raise NotFoundError(f"no source with id {source_id}")
            stamp = convert.now()
            row = s.scalar(
                select(EvidenceRow).where(
                    EvidenceRow.claim_id == claim_id, EvidenceRow.source_id == source_id
                )
            )
            created = row is None
            if row is None:
                row = EvidenceRow(
                    claim_id=claim_id,
                    source_id=source_id,
                    stance=stance.value,
                    excerpt=excerpt,
                    note=note,
                    excerpt_found=None,
                    added_at=stamp,
                    created_at=stamp,
                    updated_at=stamp,
                )
                s.add(row)
            else:
                if row.excerpt != excerpt:
                    row.excerpt_found = None
                row.stance, row.excerpt, row.note = stance.value, excerpt, note
                row.updated_at = stamp
            s.flush()
            return convert.evidence(row), created

    def get(self, evidence_id: int) -> Evidence:
        with self._read() as s:
            row = s.get(EvidenceRow, evidence_id)
            if row is None:
                raise NotFoundError(f"no evidence with id {evidence_id}")
            return convert.evidence(row)

    def update(
        self,
        evidence_id: int,
        *,
        stance: Stance | None = None,
        excerpt: str | None = None,
        note: str | None = None,
    ) -> Evidence:
        with self._tx() as s:
            row = s.get(EvidenceRow, evidence_id)
            if row is None:
                raise NotFoundError(f"no evidence with id {evidence_id}")
            if stance is not None:
                row.stance = stance.value
            if excerpt is not None and excerpt != row.excerpt:
                row.excerpt = excerpt
                row.excerpt_found = None
            if note is not None:
                row.note = note
            row.updated_at = convert.now()
            s.flush()
            return convert.evidence(row)

    def delete(self, evidence_id: int) -> None:
        with self._tx() as s:
            row = s.get(EvidenceRow, evidence_id)
            if row is None:
                raise NotFoundError(f"no evidence with id {evidence_id}")
            s.delete(row)

    def set_excerpt_found(self, evidence_id: int, found: bool | None) -> Evidence:
        with self._tx() as s:
            row = s.get(EvidenceRow, evidence_id)
            if row is None:
                raise NotFoundError(f"no evidence with id {evidence_id}")
            row.excerpt_found = found
            row.updated_at = convert.now()
            s.flush()
            return convert.evidence(row)

    def for_claim(self, claim_id: int) -> list[EvidenceView]:
        stmt = (
            select(EvidenceRow, SourceRow)
            .join(SourceRow, SourceRow.id == EvidenceRow.source_id)
            .where(EvidenceRow.claim_id == claim_id)
            .order_by(EvidenceRow.added_at, EvidenceRow.id)
        )
        with self._read() as s:
            return [
                EvidenceView(convert.evidence(e), convert.source(src)) for e, src in s.execute(stmt)
            ]

    def for_claims(self, claim_ids: list[int]) -> dict[int, list[EvidenceView]]:
        """claim id -> its evidence for many claims in one query (earlier checks)."""
        if not claim_ids:
            return {}
        stmt = (
            select(EvidenceRow, SourceRow)
            .join(SourceRow, SourceRow.id == EvidenceRow.source_id)
            .where(EvidenceRow.claim_id.in_(claim_ids))
            .order_by(EvidenceRow.added_at, EvidenceRow.id)
        )
        out: dict[int, list[EvidenceView]] = {}
        with self._read() as s:
            for e, src in s.execute(stmt):
                out.setdefault(e.claim_id, []).append(
                    EvidenceView(convert.evidence(e), convert.source(src))
                )
        return out

    def for_article(self, article_id: int) -> dict[int, list[EvidenceView]]:
        """claim id -> its evidence, in one query (memos and claim lists)."""
        stmt = (
            select(EvidenceRow, SourceRow)
            .join(SourceRow, SourceRow.id == EvidenceRow.source_id)
            .join(ClaimRow, ClaimRow.id == EvidenceRow.claim_id)
            .where(ClaimRow.article_id == article_id)
            .order_by(EvidenceRow.added_at, EvidenceRow.id)
        )
        out: dict[int, list[EvidenceView]] = {}
        with self._read() as s:
            for e, src in s.execute(stmt):
                out.setdefault(e.claim_id, []).append(
                    EvidenceView(convert.evidence(e), convert.source(src))
                )
        return out

    def for_source(self, source_id: int) -> list[Evidence]:
        with self._read() as s:
            rows = s.scalars(
                select(EvidenceRow)
                .where(EvidenceRow.source_id == source_id)
                .order_by(EvidenceRow.id)
            ).all()
            return [convert.evidence(r) for r in rows]
