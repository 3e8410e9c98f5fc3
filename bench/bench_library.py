"""Claim library at scale: 10,000 articles, 200,000 claims, 300,000 sources.

Builds a seeded store (through the real migrations, so the FTS triggers run),
then measures what a fact-checker waits for:

- opening an article with 50 claims (target < 100 ms),
- search p50 / p95 (target p95 < 50 ms),
- earlier-checks lookup (target < 200 ms),
- the app's start time and memory with that store open, as a ratio to an
  empty store measured in the same run (target < 1.2).

Usage: python bench/bench_library.py [--articles 10000] [--keep PATH]
Writes bench/results/library.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.core.services import library  # noqa: E402
from workbench.core.storage import Store  # noqa: E402

DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "checkworthy" / "ct24_en_dev.tsv"
SEED = 20261128


def _sentences() -> list[str]:
    sample = (ROOT / "resources" / "samples" / "beijing-summit-article.txt").read_text()
    out = [s.strip() + "." for s in sample.replace("\n", " ").split(". ") if len(s) > 30]
    if DEV.exists():
        import csv

        with DEV.open(encoding="utf-8") as fh:
            out += [row[1] for row in csv.reader(fh, delimiter="\t") if row and row[0] != "id"]
    return out


def build(path: Path, *, articles: int, claims_per: int, sources: int) -> dict[str, float]:
    rng = random.Random(SEED)
    Store.open(path).close()  # migrations, triggers, indexes
    sentences = _sentences()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    now = datetime(2026, 1, 1, tzinfo=UTC).isoformat(" ")
    t0 = time.perf_counter()
    with conn:
        article_rows = []
        claim_rows = []
        cid = 0
        for aid in range(1, articles + 1):
            n = 50 if aid % 100 == 0 else claims_per  # every 100th article: 50 claims
            picked = [rng.choice(sentences) for _ in range(n)]
            picked = [_vary(s, rng) for s in picked]
            text = " ".join(picked)
            article_rows.append(
                (
                    aid,
                    f"Article {aid}: {picked[0][:60]}",
                    "Outlet",
                    None,
                    None,
                    "2024-01-01",
                    text,
                    "en",
                    f"{aid:064x}",
                    now,
                    now,
                    now,
                )
            )
            pos = 0
            for i, s in enumerate(picked):
                cid += 1
                start = text.index(s, pos)
                end = start + len(s)
                pos = end
                nums = [int(n) for n in _numbers(s)]
                facts = json.dumps([{"kind": "quantity", "value": n} for n in nums[:3]])
                verdict = rng.choice([None, None, None, "true", "false", "half_true"])
                claim_rows.append(
                    (
                        cid,
                        aid,
                        start,
                        end,
                        s,
                        None,
                        rng.random(),
                        "bench",
                        '["quantity"]',
                        "[]",
                        facts,
                        "auto",
                        "checked" if verdict else "unchecked",
                        verdict,
                        "",
                        i,
                        now if verdict else None,
                        now,
                        now,
                    )
                )
        conn.executemany("INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", article_rows)
        conn.executemany(
            "INSERT INTO claims (id, article_id, start, end, text_extracted, text_edited, score,"
            " scorer, types, entities, facts, origin, status, verdict, rationale, position,"
            " verdict_set_at, created_at, updated_at) VALUES"
            " (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            claim_rows,
        )
        source_rows, snap_rows, ev_rows = [], [], []
        for sid in range(1, sources + 1):
            url = f"https://site{sid % 997}.example/page/{sid}"
            source_rows.append(
                (
                    sid,
                    url,
                    url,
                    url,
                    f"Report {sid}",
                    f"site{sid % 997}.example",
                    None,
                    None,
                    now,
                    200,
                    "fetched",
                    None,
                    "a" * 64,
                    "b" * 64,
                    sid,
                    now,
                    now,
                )
            )
            body = " ".join(rng.choice(sentences) for _ in range(3))
            snap_rows.append(
                (
                    sid,
                    sid,
                    now,
                    url,
                    200,
                    "text/html",
                    None,
                    "a" * 64,
                    body,
                    "b" * 64,
                    f"Report {sid}",
                    f"site{sid % 997}.example",
                    None,
                    None,
                    None,
                    now,
                )
            )
            claim = rng.randint(1, cid)
            ev_rows.append(
                (
                    sid,
                    claim,
                    sid,
                    rng.choice(["supports", "refutes", "context"]),
                    "",
                    "",
                    None,
                    now,
                    now,
                    now,
                )
            )
        conn.executemany(
            "INSERT INTO sources VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", source_rows
        )
        conn.executemany(
            "INSERT INTO snapshots VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", snap_rows
        )
        conn.executemany("INSERT OR IGNORE INTO evidence VALUES (?,?,?,?,?,?,?,?,?,?)", ev_rows)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    return {"build_s": time.perf_counter() - t0, "claims": cid}


def _numbers(s: str) -> list[str]:
    import re

    return [n.replace(",", "") for n in re.findall(r"\d[\d,]*", s)][:3]


def _vary(s: str, rng: random.Random) -> str:
    """Same claim, other wording now and then, so earlier-checks has real work."""
    if rng.random() < 0.3:
        return s.replace("the ", "the reported ", 1)
    return s


def _percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q * (len(values) - 1))))
    return values[k]


def measure(path: Path, *, articles: int) -> dict[str, float]:
    rng = random.Random(SEED + 1)
    store = Store.open(path)
    out: dict[str, float] = {}
    # opening an article: everything the article view and claims table read
    opens = []
    for _ in range(30):
        aid = 100 * rng.randint(1, max(1, articles // 100))  # the 50-claim articles
        t = time.perf_counter()
        store.articles.get(aid)
        store.claims.for_article(aid)
        store.claims.evidence_counts(aid)
        store.evidence.for_article(aid)
        store.flags.for_article(aid)
        opens.append((time.perf_counter() - t) * 1000)
    out["open_article_p50_ms"] = statistics.median(opens)
    out["open_article_max_ms"] = max(opens)
    words = [
        "troops",
        "budget",
        "taxes",
        "Medicare",
        "percent",
        "jobs",
        "Putin",
        "military",
        "million",
        "spectators",
        "energy",
        "unemployment",
        "deficit",
        '"old friend"',
        "China",
        "nuclear",
        "health care",
        "Iraq",
        "oil",
        "schools",
    ]
    times = []
    for i in range(200):
        q = words[i % len(words)] if i % 3 else " ".join(rng.sample(words[:13], 2))
        t = time.perf_counter()
        library.search(store, q, limit=20)
        times.append((time.perf_counter() - t) * 1000)
    out["search_p50_ms"] = statistics.median(times)
    out["search_p95_ms"] = _percentile(times, 0.95)
    sims = []
    for _ in range(30):
        cid = rng.randint(1, articles * 20 - 1)
        t = time.perf_counter()
        library.similar_claims(store, cid)
        sims.append((time.perf_counter() - t) * 1000)
    out["similar_p50_ms"] = statistics.median(sims)
    out["similar_p95_ms"] = _percentile(sims, 0.95)
    store.close()
    return out


def with_sample(path: Path) -> None:
    """Make sure the store holds the sample article, extracted, so the app opens it.

    Both stores then start the same way (reopen the sample, no first-run
    extraction), and the ratio isolates what the large store costs.
    """
    from workbench.core.services.articles import SAMPLE_OUTLET, import_text
    from workbench.core.services.claims import extract_article

    store = Store.open(path)
    try:
        found = [a for a in store.articles.list() if a.outlet == SAMPLE_OUTLET]
        if not found:
            text = (ROOT / "resources" / "samples" / "beijing-summit-article.txt").read_text()
            article, _ = import_text(store, text, title="Sample", outlet=SAMPLE_OUTLET)
            extract_article(store, article.id)
    finally:
        store.close()


def app_start(path: Path) -> tuple[float, float] | None:
    """(seconds to the main window, peak RSS MB) for the GUI on ``path``, or None."""
    code = (
        "import os, resource, sys, time; t=time.perf_counter();"
        "from workbench.ui.app import main;"
        "rc = main(db=sys.argv[1], data_dir=None);"
        "print('RESULT', time.perf_counter()-t,"
        " resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024)"
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "WORKBENCH_EXIT_AFTER_MS": "1",
        "WORKBENCH_SKIP_FIRST_RUN": "1",
    }
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return None
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT"):
            _, secs, mem = line.split()
            return float(secs), float(mem)
    print("app start failed:", proc.stderr.strip()[-500:], file=sys.stderr)
    return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--claims-per", type=int, default=20)
    ap.add_argument("--sources", type=int, default=300_000)
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "big.sqlite3"
        empty = Path(tmp) / "empty.sqlite3"
        Store.open(empty).close()
        if not path.exists():
            built = build(
                path, articles=args.articles, claims_per=args.claims_per, sources=args.sources
            )
        else:
            built = {"build_s": float("nan"), "claims": float("nan")}  # not rebuilt: --keep
        size_mb = path.stat().st_size / 1e6
        figures = measure(path, articles=args.articles)
        with_sample(path)
        with_sample(empty)
        app_start(empty)  # warm the OS file cache for both runs alike
        start_big = app_start(path)
        start_empty = app_start(empty)
    lines = [
        "# Claim library at scale",
        "",
        f"Store: {args.articles:,} articles, {args.articles * args.claims_per:,} claims, "
        f"{args.sources:,} sources with one snapshot each (seed {SEED}).",
        f"Measured {datetime.now(UTC):%Y-%m-%d} on a 2-core machine with `python "
        "bench/bench_library.py`.",
        "",
        "| figure | value | target |",
        "|---|---|---|",
        f"| build time | {built['build_s']:.1f} s | - |",
        f"| database size | {size_mb:.0f} MB | - |",
        "| open an article with 50 claims, p50 | "
        f"{figures['open_article_p50_ms']:.1f} ms | < 100 ms |",
        f"| open an article, worst of 30 | {figures['open_article_max_ms']:.1f} ms | < 100 ms |",
        f"| search p50 | {figures['search_p50_ms']:.1f} ms | - |",
        f"| search p95 | {figures['search_p95_ms']:.1f} ms | < 50 ms |",
        f"| earlier checks p50 | {figures['similar_p50_ms']:.1f} ms | < 200 ms |",
        f"| earlier checks p95 | {figures['similar_p95_ms']:.1f} ms | < 200 ms |",
    ]
    if start_big and start_empty:
        lines += [
            f"| app start, large store | {start_big[0]:.2f} s | - |",
            f"| app start, store with only the sample | {start_empty[0]:.2f} s | - |",
            f"| start time ratio | {start_big[0] / start_empty[0]:.2f} | < 1.2 |",
            f"| peak memory, large / empty | {start_big[1]:.0f} / {start_empty[1]:.0f} MB "
            f"= {start_big[1] / start_empty[1]:.2f} | < 1.2 |",
        ]
    else:
        lines.append("| app start | not measured (the GUI did not start headless) | < 1.2 |")
    report = "\n".join(lines) + "\n"
    print(report)
    out = ROOT / "bench" / "results" / "library.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
