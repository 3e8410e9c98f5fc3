"""Consistency flags; dismissals survive re-checks through the fingerprint."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from workbench.core.errors import NotFoundError
from workbench.core.model import Flag, FlagFinding
from workbench.core.storage import convert
from workbench.core.storage.orm import ArticleRow, FlagRow
from workbench.core.storage.repos.base import Repository


class FlagRepository(Repository):
    def for_article(self, article_id: int) -> list[Flag]:
        with self._read() as s:
            rows = s.scalars(
                select(FlagRow).where(FlagRow.article_id == article_id).order_by(FlagRow.id)
            ).all()
            return [convert.flag(r) for r in rows]

    def replace_for_article(
        self,
        article_id: int,
        findings: Sequence[FlagFinding],
        *,
        claim_ids: Sequence[Sequence[int]] | None = None,
    ) -> list[Flag]:
        """Store a fresh run of the checker, keeping each dismissal by fingerprint."""
        with self._tx() as s:
            if s.get(ArticleRow, article_id) is None:
                raise NotFoundError(f"no article with id {article_id}")
            old = s.scalars(select(FlagRow).where(FlagRow.article_id == article_id)).all()
            dismissed = {r.fingerprint for r in old if r.dismissed}
            for r in old:
                s.delete(r)
            s.flush()
            stamp = convert.now()
            rows = []
            for i, f in enumerate(findings):
                row = FlagRow(
                    article_id=article_id,
                    kind=f.kind,
                    message=f.message,
                    spans=[list(span) for span in f.spans],
                    claim_ids=list(claim_ids[i]) if claim_ids else [],
                    confidence=f.confidence,
                    dismissed=f.fingerprint in dismissed,
                    dateline_used=f.dateline_used,
                    fingerprint=f.fingerprint,
                    created_at=stamp,
                    updated_at=stamp,
                )
                s.add(row)
                rows.append(row)
            s.flush()
            return [convert.flag(r) for r in rows]

    def set_dismissed(self, flag_id: int, dismissed: bool) -> Flag:
        with self._tx() as s:
            row = s.get(FlagRow, flag_id)
            if row is None:
                raise NotFoundError(f"no flag with id {flag_id}")
            row.dismissed = dismissed
            row.updated_at = convert.now()
            s.flush()
            return convert.flag(row)
