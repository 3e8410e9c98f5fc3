"""Full-text search and candidate lookup for earlier checks.

SQLite uses the FTS5 index from the dialect module; any other database gets
a portable LIKE scan, slower but correct, so the app still works on a server.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from workbench.core.model import SearchHit, Verdict
from workbench.core.storage import convert
from workbench.core.storage import sqlite as dialect
from workbench.core.storage.orm import ArticleRow, ClaimRow, SnapshotRow, SourceRow
from workbench.core.storage.repos.base import Repository


class SearchRepository(Repository):
    def search(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        with self._read() as s:
            if s.get_bind().dialect.name == "sqlite":
                return self._fts(s, query, limit)
            return self._like(s, query, limit)

    def _fts(self, s: Session, query: str, limit: int) -> list[SearchHit]:
        match = dialect.fts_match_expression(query)
        if match is None:
            return []
        rows = dialect.search_rows(s.connection(), match, limit)
        found = [(divmod(rowid, 4), rank, snippet) for rowid, rank, snippet in rows]
        ids: dict[int, list[int]] = {0: [], 1: [], 2: []}
        for (ref_id, kind), _, _ in found:
            ids[kind].append(ref_id)
        claims = {
            r.id: r
            for r in s.execute(
                select(ClaimRow.id, ClaimRow.article_id, ClaimRow.verdict, ArticleRow.title)
                .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
                .where(ClaimRow.id.in_(ids[dialect.SEARCH_KIND_CLAIM]))
            )
        }
        articles = {
            r.id: r.title
            for r in s.execute(
                select(ArticleRow.id, ArticleRow.title).where(
                    ArticleRow.id.in_(ids[dialect.SEARCH_KIND_ARTICLE])
                )
            )
        }
        snapshots = {
            r.id: r
            for r in s.execute(
                select(SnapshotRow.id, SnapshotRow.source_id, SourceRow.title, SourceRow.url)
                .join(SourceRow, SourceRow.id == SnapshotRow.source_id)
                .where(SnapshotRow.id.in_(ids[dialect.SEARCH_KIND_SNAPSHOT]))
            )
        }
        hits: list[SearchHit] = []
        for (ref_id, kind), rank, snippet in found:
            if kind == dialect.SEARCH_KIND_CLAIM and ref_id in claims:
                c = claims[ref_id]
                hits.append(
                    SearchHit(
                        kind="claim",
                        ref_id=ref_id,
                        article_id=c.article_id,
                        claim_id=ref_id,
                        source_id=None,
                        title=c.title,
                        snippet=snippet,
                        rank=rank,
                        verdict=Verdict(c.verdict) if c.verdict else None,
                    )
                )
            elif kind == dialect.SEARCH_KIND_ARTICLE and ref_id in articles:
                hits.append(
                    SearchHit(
                        kind="article",
                        ref_id=ref_id,
                        article_id=ref_id,
                        claim_id=None,
                        source_id=None,
                        title=articles[ref_id],
                        snippet=snippet or articles[ref_id],
                        rank=rank,
                    )
                )
            elif kind == dialect.SEARCH_KIND_SNAPSHOT and ref_id in snapshots:
                sn = snapshots[ref_id]
                hits.append(
                    SearchHit(
                        kind="source",
                        ref_id=ref_id,
                        article_id=None,
                        claim_id=None,
                        source_id=sn.source_id,
                        title=sn.title or sn.url,
                        snippet=snippet,
                        rank=rank,
                    )
                )
        return hits

    def _like(self, s: Session, query: str, limit: int) -> list[SearchHit]:
        """Portable fallback: case-insensitive substring match on claims and titles."""
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
        """Claim ids from other articles that share the rarest of ``terms`` (best first).

        Common words would match a large part of the library and make the
        lookup slow and noisy, so on SQLite the index's own vocabulary picks
        the words that the fewest claims contain (an IDF choice), and only
        those are searched.
        """
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
            ranked = dialect.token_frequencies(s.connection(), terms)
            if not ranked:
                return []
            # Claims sharing all of the 3, then the 2, rarest words (the same
            # claim reworded keeps its names and numbers); if still too few,
            # any of the rare words, leaving out words much of the library holds.
            total = int(s.scalar(select(func.count(ClaimRow.id))) or 1)
            common = max(total * COMMON_FRACTION, MIN_COMMON)
            loose = [t for t, n in ranked[:RARE_TERMS] if n <= common]
            queries = [dialect.all_of([t for t, _ in ranked[:n]]) for n in (3, 2)]
            queries += [dialect.any_of(loose)] if loose else []
            rows: list[Any] = []
            for query in queries:
                rows += s.execute(text(dialect.CANDIDATES_SQL), {"m": query, "l": limit * 3}).all()
                if len({r[0] for r in rows}) >= limit // 4:
                    break
            ids = list(
                dict.fromkeys(
                    ref for ref, kind in (divmod(int(r[0]), 4) for r in rows) if kind == 0
                )
            )
            if not ids:
                return []
            owners = dict(
                s.execute(
                    select(ClaimRow.id, ClaimRow.article_id).where(ClaimRow.id.in_(ids))
                ).all()
            )
            return [i for i in ids if owners.get(i, exclude_article) != exclude_article][:limit]


RARE_TERMS = 6
"""How many of a claim's rarest words the second round accepts any of."""
COMMON_FRACTION = 0.05
"""A word in more than this share of claims says little about which claim it is..."""
MIN_COMMON = 50
"""...unless the library is small, where every word is in a large share."""
