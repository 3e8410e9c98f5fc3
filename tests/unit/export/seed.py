"""Seed a real store with the sample article, checked claims, sources and snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from workbench.core.model import Stance, Status, Verdict
from workbench.core.storage import Store

SAMPLE = (
    Path(__file__).resolve().parents[3] / "resources" / "samples" / "beijing-summit-article.txt"
)

SENTENCES = (
    "This unprecedented meeting, held on October 17, 2023, is set to reshape geopolitical "
    "dynamics as the trio prepares for a massive military parade on Wednesday.",
    "Analysts are closely monitoring these developments, particularly the potential for "
    "enhanced military cooperation following a defense pact signed between Russia and North "
    "Korea in June 2024.",
    "The event is expected to attract around 50,000 spectators, including high-profile "
    "leaders from non-Western nations.",
)
URLS = (
    "https://example.org/summit-report",
    "https://news.example.com/parade?id=7&lang=en",
    "https://archive.example.net/pact",
)


@dataclass
class Seeded:
    article_id: int
    claim_ids: list[int]
    source_ids: list[int]


def seed(store: Store) -> Seeded:
    text = SAMPLE.read_text(encoding="utf-8")
    article = store.articles.add(
        title="Xi hosts Putin and Kim in Beijing",
        text=text,
        url="https://outlet.example/beijing-summit",
        outlet="Example Outlet",
        author="A. Reporter",
    )
    claim_ids = []
    for i, sentence in enumerate(SENTENCES):
        start = text.index(sentence)
        claim = store.claims.add(
            article.id,
            start=start,
            end=start + len(sentence),
            text=sentence,
            score=0.9 - 0.2 * i,
            types=("time", "event") if i != 1 else ("quantity",),
            facts=({"kind": "quantity", "value": 50000, "hedge": "approx"},) if i == 1 else (),
        )
        claim_ids.append(claim.id)
    past = datetime.now(UTC) - timedelta(days=2)
    source_ids = []
    for i, url in enumerate(URLS):
        source, _ = store.sources.get_or_create(url, url)
        source_ids.append(source.id)
        if i < 2:
            store.sources.add_snapshot(
                source.id,
                fetched_at=past,
                final_url=None,
                http_status=200,
                content_type="text/html",
                raw=f"<p>page {i}</p>".encode(),
                text=f"page {i} text",
                title=f"Page {i} title",
                site=f"site{i}.example",
            )
        else:
            store.sources.record_failure(source.id, error="HTTP 404 Not Found", http_status=404)
    # Claim 1: true, supported by source 0, with context from the unfetched source 2.
    store.evidence.attach(claim_ids[0], source_ids[0], stance=Stance.SUPPORTS, excerpt="page 0")
    store.evidence.attach(claim_ids[0], source_ids[2], stance=Stance.CONTEXT, note="offline")
    store.claims.update(
        claim_ids[0], verdict=Verdict.TRUE, rationale="Both sources agree.", status=Status.CHECKED
    )
    # Claim 2: false with no evidence.
    store.claims.update(
        claim_ids[1], verdict=Verdict.FALSE, rationale="No count found.", status=Status.CHECKED
    )
    # Claim 3: mostly false, refuted by source 1, which changes after the verdict.
    ev, _ = store.evidence.attach(
        claim_ids[2], source_ids[1], stance=Stance.REFUTES, excerpt="not on the page"
    )
    store.evidence.set_excerpt_found(ev.id, False)
    store.claims.update(claim_ids[2], verdict=Verdict.MOSTLY_FALSE, status=Status.CHECKED)
    store.sources.add_snapshot(
        source_ids[1],
        fetched_at=datetime.now(UTC) + timedelta(hours=1),
        final_url=None,
        http_status=200,
        content_type="text/html",
        raw=b"<p>changed</p>",
        text="changed text",
        title="Page 1 title (updated)",
    )
    store.settings.set("checker_name", "Dana Checker")
    return Seeded(article.id, claim_ids, source_ids)
