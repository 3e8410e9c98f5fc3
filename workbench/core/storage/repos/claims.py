"""Claims: machine fields from extraction, user fields from the fact-checker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.core.errors import NotFoundError
from workbench.core.model import (
    Claim,
    Entity,
    ExtractedClaim,
    JSONValue,
    Origin,
    Status,
    Verdict,
    check_span,
)
from workbench.core.storage import changelog, convert
from workbench.core.storage.orm import ArticleRow, ClaimRow, EvidenceRow
from workbench.core.storage.repos.base import Repository

_UNSET: Any = object()


@dataclass(frozen=True, slots=True)
class MachineUpdate:
    """New machine fields for an existing automatic claim (re-extraction)."""

    claim_id: int
    proposal: ExtractedClaim


class ClaimRepository(Repository):
    def add(
        self,
        article_id: int,
        *,
        start: int,
        end: int,
        text: str,
        score: float = 0.0,
        types: Sequence[str] = (),
        entities: Sequence[Entity] = (),
        facts: Sequence[dict[str, JSONValue]] = (),
        origin: Origin = Origin.MANUAL,
        scorer: str | None = None,
        position: int | None = None,
    ) -> Claim:
        with self._tx() as s:
            article = s.get(ArticleRow, article_id)
            if article is None:
                raise NotFoundError(f"no article with id {article_id}")
            check_span(article.text, start, end)
            row = self._new_row(
                article_id,
                ExtractedClaim(
                    start, end, text, score, tuple(types), tuple(entities), tuple(facts)
                ),
                origin=origin,
                scorer=scorer,
                position=position if position is not None else 0,
            )
            s.add(row)
            s.flush()
            self._renumber(s, article_id)
            return convert.claim(row)

    def apply_extraction(
        self,
        article_id: int,
        *,
        updates: Sequence[MachineUpdate],
        additions: Sequence[ExtractedClaim],
        deletions: Sequence[int],
        scorer: str | None,
    ) -> tuple[list[int], list[int], list[int]]:
        """Apply a re-extraction plan in ONE transaction: all of it or none of it.

        Returns (updated ids, added ids, deleted ids).
        """
        updated: list[int] = []
        added: list[int] = []
        with self._tx() as s:
            article = s.get(ArticleRow, article_id)
            if article is None:
                raise NotFoundError(f"no article with id {article_id}")
            stamp = convert.now()
            for upd in updates:
                row = s.get(ClaimRow, upd.claim_id)
                if row is None or row.article_id != article_id:
                    continue
                p = upd.proposal
                check_span(article.text, p.start, p.end)
                row.start, row.end, row.text_extracted = p.start, p.end, p.text
                row.score, row.scorer = p.score, scorer
                row.types = list(p.types)
                row.entities = [e.to_json() for e in p.entities]
                row.facts = list(p.facts)
                row.updated_at = stamp
                updated.append(row.id)
            for p in additions:
                check_span(article.text, p.start, p.end)
                row = self._new_row(article_id, p, origin=Origin.AUTO, scorer=scorer, position=0)
                s.add(row)
                s.flush()
                added.append(row.id)
            deleted = []
            for claim_id in deletions:
                row = s.get(ClaimRow, claim_id)
                if row is not None and row.article_id == article_id:
                    s.delete(row)
                    deleted.append(claim_id)
            s.flush()
            self._renumber(s, article_id)
        return updated, added, deleted

    @staticmethod
    def _new_row(
        article_id: int, p: ExtractedClaim, *, origin: Origin, scorer: str | None, position: int
    ) -> ClaimRow:
        stamp = convert.now()
        return ClaimRow(
            article_id=article_id,
            start=p.start,
            end=p.end,
            text_extracted=p.text,
            text_edited=None,
            score=float(p.score),
            scorer=scorer,
            types=list(p.types),
            entities=[e.to_json() for e in p.entities],
            facts=list(p.facts),
            origin=origin.value,
            status=Status.UNCHECKED.value,
            verdict=None,
            rationale="",
            position=position,
            verdict_set_at=None,
            created_at=stamp,
            updated_at=stamp,
        )

    @staticmethod
    def _renumber(s: Session, article_id: int) -> None:
        """Positions follow the article: by start offset, then end, then id."""
        changelog.renumber(s, (article_id,))

    def get(self, claim_id: int) -> Claim:
        with self._read() as s:
            row = s.get(ClaimRow, claim_id)
            if row is None:
                raise NotFoundError(
                    f"no claim with id {claim_id}",
                    hint="list an article's claims with 'workbench claims ARTICLE_ID'",
                )
            return convert.claim(row)

    def get_many(self, claim_ids: Sequence[int]) -> list[Claim]:
        """Claims by id, in the order given; missing ids are skipped."""
        if not claim_ids:
            return []
        with self._read() as s:
            rows = s.scalars(select(ClaimRow).where(ClaimRow.id.in_(list(claim_ids)))).all()
            by_id = {r.id: convert.claim(r) for r in rows}
        return [by_id[i] for i in claim_ids if i in by_id]

    def for_article(self, article_id: int) -> list[Claim]:
        with self._read() as s:
            rows = s.scalars(
                select(ClaimRow)
                .where(ClaimRow.article_id == article_id)
                .order_by(ClaimRow.position)
            ).all()
            return [convert.claim(r) for r in rows]

    def evidence_counts(self, article_id: int) -> dict[int, dict[str, int]]:
        """claim id -> {stance: count}, for tables that show supporting/refuting counts."""
        stmt = (
            select(EvidenceRow.claim_id, EvidenceRow.stance, func.count(EvidenceRow.id))
            .join(ClaimRow, ClaimRow.id == EvidenceRow.claim_id)
            .where(ClaimRow.article_id == article_id)
            .group_by(EvidenceRow.claim_id, EvidenceRow.stance)
        )
        out: dict[int, dict[str, int]] = {}
        with self._read() as s:
            for claim_id, stance, n in s.execute(stmt):
                out.setdefault(claim_id, {})[stance] = int(n)
        return out

    def update(
        self,
        claim_id: int,
        *,
        text_edited: str | None = _UNSET,
        verdict: Verdict | None = _UNSET,
        rationale: str | None = None,
        status: Status | None = None,
        start: int | None = None,
        end: int | None = None,
        text_extracted: str | None = None,
        types: Sequence[str] | None = None,
        verdict_set_at: datetime | None = _UNSET,
    ) -> Claim:
        """Change user fields; pass ``verdict=None`` to clear a verdict.

        Setting a verdict stamps ``verdict_set_at`` so the memo can cite the
        snapshot that was current at that moment.  Undo passes the old
        ``verdict_set_at`` explicitly, so restoring a verdict restores its time.
        """
        with self._tx() as s:
            row = s.get(ClaimRow, claim_id)
            if row is None:
                raise NotFoundError(f"no claim with id {claim_id}")
            stamp = convert.now()
            if text_edited is not _UNSET:
                row.text_edited = text_edited
            if verdict is not _UNSET:
                new = verdict.value if verdict is not None else None
                if new != row.verdict:
                    row.verdict = new
                    row.verdict_set_at = stamp if new is not None else None
            if verdict_set_at is not _UNSET:
                row.verdict_set_at = verdict_set_at
            if rationale is not None:
                row.rationale = rationale
            if status is not None:
                row.status = status.value
            if types is not None:
                row.types = list(types)
            if start is not None or end is not None or text_extracted is not None:
                article = s.get(ArticleRow, row.article_id)
                assert article is not None
                new_start = row.start if start is None else start
                new_end = row.end if end is None else end
                check_span(article.text, new_start, new_end)
                row.start, row.end = new_start, new_end
                row.text_extracted = (
                    text_extracted
                    if text_extracted is not None
                    else article.text[new_start:new_end]
                )
            row.updated_at = stamp
            s.flush()
            if start is not None:
                self._renumber(s, row.article_id)
            return convert.claim(row)

    def delete(self, claim_id: int) -> None:
        """Delete the claim and its evidence.

        The evidence rows are deleted one by one rather than left to the
        database's ON DELETE CASCADE, so that an operation sees (and undo
        can restore) every row that went.
        """
        with self._tx() as s:
            row = s.get(ClaimRow, claim_id)
            if row is None:
                raise NotFoundError(f"no claim with id {claim_id}")
            article_id = row.article_id
            for ev in s.scalars(select(EvidenceRow).where(EvidenceRow.claim_id == claim_id)):
                s.delete(ev)
            s.flush()
            s.delete(row)
            s.flush()
            self._renumber(s, article_id)

    def has_user_work(self, claim_id: int) -> bool:
        """True when deleting the claim would lose something the user did."""
        with self._read() as s:
            row = s.get(ClaimRow, claim_id)
            if row is None:
                return False
            n = s.scalar(select(func.count(EvidenceRow.id)).where(EvidenceRow.claim_id == claim_id))
            return bool(
                row.origin == Origin.MANUAL.value
                or row.text_edited is not None
                or row.verdict is not None
                or row.rationale
                or row.status != Status.UNCHECKED.value
                or n
            )


class ClaimEdits(ClaimRepository):
    """Multi-row edits (split, merge) that must land whole or not at all."""

    def split(
        self,
        claim_id: int,
        *,
        first_end: int,
        second: ExtractedClaim,
    ) -> tuple[Claim, Claim]:
        """Shorten the claim to ``first_end`` and add ``second`` as a manual claim."""
        with self._tx() as s:
            row = s.get(ClaimRow, claim_id)
            if row is None:
                raise NotFoundError(f"no claim with id {claim_id}")
            article = s.get(ArticleRow, row.article_id)
            assert article is not None
            check_span(article.text, row.start, first_end)
            check_span(article.text, second.start, second.end)
            row.end = first_end
            row.text_extracted = article.text[row.start : first_end]
            row.text_edited = None
            row.updated_at = convert.now()
            new = self._new_row(
                row.article_id, second, origin=Origin.MANUAL, scorer="manual", position=0
            )
            s.add(new)
            s.flush()
            self._renumber(s, row.article_id)
            return convert.claim(row), convert.claim(new)

    def merge(
        self,
        keep_id: int,
        other_ids: Sequence[int],
        *,
        rationale: str,
        verdict: Verdict | None,
    ) -> Claim:
        """Fold ``other_ids`` into ``keep_id``: span widened, evidence moved, others deleted."""
        with self._tx() as s:
            keep = s.get(ClaimRow, keep_id)
            if keep is None:
                raise NotFoundError(f"no claim with id {keep_id}")
            article = s.get(ArticleRow, keep.article_id)
            assert article is not None
            have = {
                e.source_id: e
                for e in s.scalars(select(EvidenceRow).where(EvidenceRow.claim_id == keep_id))
            }
            start, end = keep.start, keep.end
            for other_id in other_ids:
                other = s.get(ClaimRow, other_id)
                if other is None or other.article_id != keep.article_id:
                    raise NotFoundError(f"no claim with id {other_id} in the same article")
                start, end = min(start, other.start), max(end, other.end)
                moved = s.scalars(select(EvidenceRow).where(EvidenceRow.claim_id == other_id))
                for ev in list(moved):
                    if ev.source_id in have:
                        mine = have[ev.source_id]
                        extra = [t for t in (ev.excerpt, ev.note) if t and t not in mine.note]
                        if extra:
                            mine.note = "\n".join([mine.note, *extra]).strip()
                        s.delete(ev)
                    else:
                        ev.claim_id = keep_id
                        have[ev.source_id] = ev
                s.flush()
                s.delete(other)
            stamp = convert.now()
            keep.start, keep.end = start, end
            keep.text_extracted = article.text[start:end]
            keep.text_edited = None
            keep.rationale = rationale
            new_verdict = verdict.value if verdict else None
            if new_verdict != keep.verdict:
                keep.verdict = new_verdict
                keep.verdict_set_at = stamp if new_verdict else None
            keep.updated_at = stamp
            s.flush()
            self._renumber(s, keep.article_id)
            return convert.claim(keep)
