"""Articles and their library summaries."""

from __future__ import annotations

import builtins
import hashlib
from datetime import date

from sqlalchemy import ColumnElement, Subquery, case, delete, func, or_, select

from workbench.core.errors import NotFoundError
from workbench.core.model import Article, ArticleSummary, Status
from workbench.core.storage import convert
from workbench.core.storage.orm import ArticleRow, ClaimRow
from workbench.core.storage.repos.base import Repository


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _matching(query: str | None) -> ColumnElement[bool] | None:
    """Title or outlet contains ``query`` (None: no condition)."""
    needle = (query or "").strip().lower()
    if not needle:
        return None
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(
        func.lower(ArticleRow.title).like(pattern, escape="\\"),
        func.lower(func.coalesce(ArticleRow.outlet, "")).like(pattern, escape="\\"),
    )


class ArticleRepository(Repository):
    def add(
        self,
        *,
        title: str,
        text: str,
        url: str | None = None,
        outlet: str | None = None,
        author: str | None = None,
        dateline: date | None = None,
        language: str = "en",
    ) -> Article:
        stamp = convert.now()
        with self._tx() as s:
            row = ArticleRow(
                title=title,
                text=text,
                url=url,
                outlet=outlet,
                author=author,
                dateline=dateline,
                language=language,
                text_sha256=text_sha256(text),
                imported_at=stamp,
                created_at=stamp,
                updated_at=stamp,
            )
            s.add(row)
            s.flush()
            return convert.article(row)

    def get(self, article_id: int) -> Article:
        with self._read() as s:
            row = s.get(ArticleRow, article_id)
            if row is None:
                raise NotFoundError(
                    f"no article with id {article_id}",
                    hint="list them with 'workbench articles'",
                )
            return convert.article(row)

    def titles(self, article_ids: list[int]) -> dict[int, str]:
        """article id -> title, without loading the texts."""
        if not article_ids:
            return {}
        with self._read() as s:
            rows = s.execute(
                select(ArticleRow.id, ArticleRow.title).where(ArticleRow.id.in_(article_ids))
            )
            return {int(i): str(t) for i, t in rows}

    def exists(self, article_id: int) -> bool:
        with self._read() as s:
            return s.get(ArticleRow, article_id) is not None

    def count(self, query: str | None = None) -> int:
        """How many articles there are (whose title or outlet contains ``query``)."""
        stmt = select(func.count(ArticleRow.id))
        condition = _matching(query)
        if condition is not None:
            stmt = stmt.where(condition)
        with self._read() as s:
            return int(s.scalar(stmt) or 0)

    def list(self) -> list[ArticleSummary]:
        return self._summaries(select(ArticleRow.id).subquery())

    def page(
        self, *, offset: int, limit: int, query: str | None = None
    ) -> builtins.list[ArticleSummary]:
        """One page of :meth:`list`'s order, optionally only titles/outlets containing ``query``.

        The library shows a few hundred rows at a time; counting claims for
        10,000 articles to show the first 200 would make opening the app
        scale with the size of the store.  ``query`` matches case-insensitively
        (ASCII letters only: SQLite's ``lower``), with ``%`` and ``_`` literal.
        """
        ids = select(ArticleRow.id)
        condition = _matching(query)
        if condition is not None:
            ids = ids.where(condition)
        ids = (
            ids.order_by(ArticleRow.imported_at.desc(), ArticleRow.id.desc())
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        return self._summaries(ids.subquery())

    def _summaries(self, ids: Subquery) -> builtins.list[ArticleSummary]:
        checked = func.sum(case((ClaimRow.status == Status.CHECKED.value, 1), else_=0))
        stmt = (
            select(
                ArticleRow.id,
                ArticleRow.title,
                ArticleRow.outlet,
                ArticleRow.dateline,
                ArticleRow.imported_at,
                func.count(ClaimRow.id),
                checked,
            )
            .join(ids, ids.c.id == ArticleRow.id)
            .outerjoin(ClaimRow, ClaimRow.article_id == ArticleRow.id)
            .group_by(ArticleRow.id)
            .order_by(ArticleRow.imported_at.desc(), ArticleRow.id.desc())
        )
        with self._read() as s:
            return [
                ArticleSummary(
                    id=r[0],
                    title=r[1],
                    outlet=r[2],
                    dateline=r[3],
                    imported_at=convert.aware(r[4]),
                    claims_total=int(r[5] or 0),
                    claims_checked=int(r[6] or 0),
                )
                for r in s.execute(stmt)
            ]

    def update(
        self,
        article_id: int,
        *,
        title: str | None = None,
        dateline: date | None = None,
        clear_dateline: bool = False,
        outlet: str | None = None,
        url: str | None = None,
        author: str | None = None,
    ) -> Article:
        with self._tx() as s:
            row = s.get(ArticleRow, article_id)
            if row is None:
                raise NotFoundError(f"no article with id {article_id}")
            if title is not None:
                row.title = title
            if dateline is not None or clear_dateline:
                row.dateline = dateline
            if outlet is not None:
                row.outlet = outlet
            if url is not None:
                row.url = url
            if author is not None:
                row.author = author
            row.updated_at = convert.now()
            s.flush()
            return convert.article(row)

    def delete(self, article_id: int) -> None:
        """Delete the article; claims, evidence and flags go with it (ON DELETE CASCADE)."""
        with self._tx() as s:
            result = s.execute(delete(ArticleRow).where(ArticleRow.id == article_id))
            if result.rowcount == 0:  # type: ignore[attr-defined]
                raise NotFoundError(f"no article with id {article_id}")
