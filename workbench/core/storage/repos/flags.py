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
        """Store a fresh run of the checker; a finding found again keeps its row.

        Findings are matched to the stored ones by fingerprint (in order,
        when one repeats): a match keeps its id and its dismissal and gets
        the new wording, spans and claims; stored findings not found again
        are deleted and new ones inserted.  Ids therefore stay stable across
        re-checks, so a dismissal can be undone after one.
        """
        with self._tx() as s:
            if s.get(ArticleRow, article_id) is None:
                raise NotFoundError(f"no article with id {article_id}")
            old = s.scalars(
                select(FlagRow).where(FlagRow.article_id == article_id).order_by(FlagRow.id)
            ).all()
            waiting: dict[str, list[FlagRow]] = {}
            for r in old:
                waiting.setdefault(r.fingerprint, []).append(r)
            stamp = convert.now()
            rows: list[FlagRow] = []
            for i, f in enumerate(findings):
                related = list(claim_ids[i]) if claim_ids else []
                spans = [list(span) for span in f.spans]
                matches = waiting.get(f.fingerprint)
                row = matches.pop(0) if matches else None
                if row is None:
                    row = FlagRow(
                        article_id=article_id,
                        kind=f.kind,
                        message=f.message,
                        spans=spans,
                        claim_ids=related,
                        confidence=f.confidence,
                        dismissed=False,
                        dateline_used=f.dateline_used,
                        fingerprint=f.fingerprint,
                        created_at=stamp,
                        updated_at=stamp,
                    )
                    s.add(row)
                elif (row.kind, row.message, row.spans, row.claim_ids, row.confidence) != (
                    f.kind,
                    f.message,
                    spans,
                    related,
                    f.confidence,
                ) or row.dateline_used != f.dateline_used:
                    row.kind, row.message, row.spans = f.kind, f.message, spans
                    row.claim_ids, row.confidence = related, f.confidence
                    row.dateline_used = f.dateline_used
                    row.updated_at = stamp
                rows.append(row)
            for left in waiting.values():
                for r in left:
                    s.delete(r)
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
