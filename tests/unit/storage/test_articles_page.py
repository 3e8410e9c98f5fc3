"""Paged, searchable article summaries for the library (10,000-article stores)."""

from __future__ import annotations

from typing import Any

from workbench.core.model import Status


def _seed(store: Any) -> list[Any]:
    articles = []
    for i in range(7):
        a = store.articles.add(
            title=f"Story {i} about {'the harbour' if i % 2 else 'Trams'}",
            text=f"Body {i}. Second sentence {i}.",
            outlet="Daily 100% News" if i == 3 else f"Outlet_{i}",
        )
        for n in range(i % 3):
            c = store.claims.add(a.id, start=0, end=7, text=f"Body {i}", score=0.5)
            if n == 0:
                store.claims.update(c.id, status=Status.CHECKED)
        articles.append(a)
    return articles


def test_pages_follow_the_full_list_order_with_counts(store: Any) -> None:
    _seed(store)
    full = store.articles.list()
    assert len(full) == 7 == store.articles.count()
    pages = [store.articles.page(offset=o, limit=3) for o in (0, 3, 6)]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [s for p in pages for s in p] == full  # same rows, same progress counts
    assert any(s.claims_total == 2 and s.claims_checked == 1 for s in full)
    assert store.articles.page(offset=7, limit=3) == []
    assert store.articles.page(offset=0, limit=0) == []


def test_query_matches_title_or_outlet_case_insensitively(store: Any) -> None:
    _seed(store)
    harbour = store.articles.page(offset=0, limit=50, query="HARBOUR")
    assert {s.title for s in harbour} == {f"Story {i} about the harbour" for i in (1, 3, 5)}
    assert store.articles.count("harbour") == 3
    assert store.articles.count("  trams ") == 4
    assert [s.title for s in store.articles.page(offset=1, limit=2, query="trams")] == [
        s.title for s in store.articles.list() if "Trams" in s.title
    ][1:3]
    # outlet matches, and LIKE wildcards are literal
    assert [s.outlet for s in store.articles.page(offset=0, limit=9, query="100%")] == [
        "Daily 100% News"
    ]
    assert store.articles.count("%") == 1
    assert store.articles.count("t_2") == 1  # "Outlet_2"
    assert store.articles.count("y_2") == 0  # a wildcard "_" would match "Story 2"
    assert store.articles.count("nothing like this") == 0
    assert store.articles.count("") == store.articles.count(None) == 7
