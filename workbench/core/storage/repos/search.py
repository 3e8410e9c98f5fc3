"""Full-text search and candidate lookup for earlier checks.

SQLite uses the FTS5 index from the dialect module; any other database gets
a portable LIKE scan, slower but correct, so the app still works on a server.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select, text

from workbench.core.model import SearchHit, Verdict
from workbench.core.storage import convert
from workbench.core.storage import sqlite as dialect
from workbench.core.storage.orm import ArticleRow, ClaimRow, SnapshotRow, SourceRow
from workbench.core.storage.repos.base import Repository

HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"


class SearchRepository(Repository):
    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        with self._read() as s:
            if s.get_bind().dialect.name == "sqlite":
                return self._fts(s, query, limit)
            return self._like(s, query, limit)

    def _fts(self, s: object, query: str, limit: int) -> list[SearchHit]:
        from sqlalchemy.orm import Session

        assert isinstance(s, Session)
        match = dialect.fts_match_expression(query)
        if match is None:
            return []
        rows = s.execute(text(dialect.SEARCH_SQL), {"match": match, "limit": limit}).all()
        hits: list[SearchHit] = []
        for rowid, rank, snip_title, snip_body, snip_extra in rows:
            ref_id, kind = divmod(int(rowid), 4)
            snippet = _best_snippet(snip_body, snip_extra, snip_title)
            hit = self._resolve(s, kind, ref_id, snippet, float(rank))
            if hit is not None:
                hits.append(hit)
        return hits

    @staticmethod
    def _resolve(s: object, kind: int, ref_id: int, snippet: str, rank: float) -> SearchHit | None:
        from sqlalchemy.orm import Session

        assert isinstance(s, Session)
        if kind == dialect.SEARCH_KIND_CLAIM:
            claim = s.get(ClaimRow, ref_id)
            if claim is None:
                return None
            article = s.get(ArticleRow, claim.article_id)
            return SearchHit(
                kind="claim",
                ref_id=ref_id,
                article_id=claim.article_id,
                claim_id=claim.id,
                source_id=None,
                title=article.title if article else "",
                snippet=snippet,
                rank=rank,
                verdict=Verdict(claim.verdict) if claim.verdict else None,
            )
        if kind == dialect.SEARCH_KIND_ARTICLE:
            article = s.get(ArticleRow, ref_id)
            if article is None:
                return None
            return SearchHit(
                kind="article",
                ref_id=ref_id,
                article_id=ref_id,
                claim_id=None,
                source_id=None,
                title=article.title,
                snippet=snippet or article.title,
                rank=rank,
            )
        snap = s.get(SnapshotRow, ref_id)
        if snap is None:
            return None
        source = s.get(SourceRow, snap.source_id)
        return SearchHit(
            kind="source",
            ref_id=ref_id,
            article_id=None,
            claim_id=None,
            source_id=snap.source_id,
            title=(source.title if source else None) or (source.url if source else ""),
            snippet=snippet,
            rank=rank,
        )

    def _like(self, s: object, query: str, limit: int) -> list[SearchHit]:
        """Portable fallback: case-insensitive substring match on claims and titles."""
        from sqlalchemy.orm import Session

        assert isinstance(s, Session)
        words = [w for w in query.split() if w.strip('"')]
        if not words:
            return []
        conds = [
            or_(
                func.lower(ClaimRow.text_extracted).contains(w.strip('"').lower()),
                func.lower(func.coalesce(ClaimRow.text_edited, "")).contains(w.strip('"').lower()),
                func.lower(ClaimRow.rationale).contains(w.strip('"').lower()),
            )
            for w in words
        ]
        stmt = select(ClaimRow, ArticleRow.title).join(ArticleRow).where(*conds).limit(limit)
        return [
            SearchHit(
                kind="claim",
                ref_id=c.id,
                article_id=c.article_id,
                claim_id=c.id,
                source_id=None,
                title=title,
                snippet=convert.claim(c).text,
                rank=0.0,
                verdict=Verdict(c.verdict) if c.verdict else None,
            )
            for c, title in s.execute(stmt)
        ]

    def claim_candidates(
        self, terms: list[str], *, exclude_article: int, limit: int = 200
    ) -> list[int]:
        """Claim ids from other articles that share any of ``terms`` (best first)."""
        if not terms:
            return []
        with self._read() as s:
            if s.get_bind().dialect.name != "sqlite":
                conds = [func.lower(ClaimRow.text_extracted).contains(t.lower()) for t in terms]
                stmt = (
                    select(ClaimRow.id)
                    .where(or_(*conds), ClaimRow.article_id != exclude_article)
                    .limit(limit)
                )
                return [int(i) for i in s.scalars(stmt)]
            match = " OR ".join('"' + t.replace('"', "") + '"' for t in terms)
            rows = s.execute(
                text(
                    "SELECT si.rowid / 4 FROM search_index si "
                    "JOIN claims c ON c.id = si.rowid / 4 "
                    "WHERE search_index MATCH :m AND si.rowid % 4 = 0 AND c.article_id != :a "
                    "ORDER BY bm25(search_index) LIMIT :l"
                ),
                {"m": f"body: ({match})", "a": exclude_article, "l": limit},
            ).all()
            return [int(r[0]) for r in rows]


def _best_snippet(*candidates: str | None) -> str:
    for c in candidates:
        if c and HIGHLIGHT_START in c:
            return c
    return next((c for c in candidates if c), "")
