"""Benchmark: export a memo of 200 claims and 600 sources (issue 6; PDF target < 2 s).

A fresh SQLite database under a temporary directory is seeded through the
store API with a 200-paragraph article, 200 claims (most with a verdict and a
rationale), 600 distinct sources with a saved snapshot each, and three
evidence items per claim (excerpts and notes).  Then each format is exported
with ``export_article`` to a file, as the CLI does: reading from the store,
building the memo, rendering and writing atomically.  Each figure is the
median of ``--runs`` runs after one warm-up (font registration and imports
are paid once per process and reported separately).

Run from the repository root::

    .venv/bin/python bench/bench_export.py --write bench/results/export.md
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.model import Stance, Status, Verdict
from workbench.core.services.export import MemoOptions, build_memo, export_article
from workbench.core.storage import Store

CLAIMS = 200
SOURCES = 600
TARGET_PDF_SECONDS = 2.0
VERDICTS = list(Verdict)
STANCES = [Stance.SUPPORTS, Stance.REFUTES, Stance.CONTEXT, Stance.MIXED]


def seed(store: Store) -> int:
    paragraphs = []
    for i in range(CLAIMS):
        paragraphs.append(
            f"Officials said that {1000 + i * 37:,} people attended event number {i} in "
            f"the capital on Wednesday, according to a statement from the ministry. "
            f"Observers noted the turnout was the largest since {1950 + i % 70}."
        )
    text = "\n".join(paragraphs)
    article = store.articles.add(
        title="Benchmark article with two hundred claims",
        text=text,
        url="https://outlet.example/bench",
        outlet="Bench Outlet",
        author="B. Writer",
        dateline=date(2023, 10, 17),
    )
    fetched = datetime.now(UTC) - timedelta(days=1)
    page = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 40
    source_ids = []
    for j in range(SOURCES):
        url = f"https://source{j % 50}.example.org/articles/{j}/report-on-the-event?ref=bench"
        source, _ = store.sources.get_or_create(url, url)
        store.sources.add_snapshot(
            source.id,
            fetched_at=fetched,
            final_url=None,
            http_status=200,
            content_type="text/html",
            raw=f"<html><body>{page}{j}</body></html>".encode(),
            text=f"{page}{j}",
            title=f"Report {j}: what the ministry said about attendance",
            site=f"source{j % 50}.example.org",
        )
        source_ids.append(source.id)
    pos = 0
    for i, para in enumerate(paragraphs):
        start = text.index(para, pos)
        end = start + para.index(".") + 1
        pos = start + len(para)
        claim = store.claims.add(
            article.id,
            start=start,
            end=end,
            text=text[start:end],
            score=0.5 + (i % 50) / 100,
            types=("quantity", "attribution", "time"),
            facts=({"kind": "quantity", "value": 1000 + i * 37, "unit": "people"},),
        )
        for k in range(3):
            store.evidence.attach(
                claim.id,
                source_ids[i * 3 + k],
                stance=STANCES[(i + k) % 4],
                excerpt="Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
                note=f"Checked against the ministry's figure for event {i}.",
            )
        if i % 10 != 9:
            store.claims.update(
                claim.id,
                verdict=VERDICTS[i % len(VERDICTS)],
                rationale=(
                    "The ministry's own statement gives a different figure, and two "
                    "independent reports put the attendance lower. " * 3
                ),
                status=Status.CHECKED,
            )
    store.settings.set("checker_name", "Bench Checker")
    return article.id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, help="also write the results as Markdown here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = Store.open(folder / "bench.sqlite3")
        t0 = time.perf_counter()
        article_id = seed(store)
        seed_s = time.perf_counter() - t0

        t0 = time.perf_counter()
        memo = build_memo(store, article_id, options=MemoOptions(), memo_date=date(2024, 1, 1))
        build_s = time.perf_counter() - t0
        print(f"seeded {len(memo.claims)} claims, {len(memo.sources)} sources in {seed_s:.1f} s")
        print(f"build_memo (store reads + memo model): {build_s * 1000:.0f} ms")

        t0 = time.perf_counter()
        export_article(store, article_id, fmt="pdf", output=folder / "warm.pdf")
        warm_s = time.perf_counter() - t0
        print(f"first PDF export in this process (imports, font registration): {warm_s:.2f} s")

        rows = []
        for fmt in ("pdf", "md", "html", "claimreview"):
            times = []
            cpu = []
            size = 0
            for _ in range(args.runs):
                t0 = time.perf_counter()
                c0 = time.process_time()
                result = export_article(
                    store,
                    article_id,
                    fmt=fmt,
                    output=folder / f"memo.{fmt}",
                    memo_date=date(2024, 1, 1),
                )
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
                size = result.size
            median = statistics.median(times)
            rows.append((fmt, median, min(times), max(times), statistics.median(cpu), size))
            print(
                f"{fmt:12s} median {median:.3f} s wall (min {min(times):.3f}, max "
                f"{max(times):.3f}), {statistics.median(cpu):.3f} s CPU; {size / 1024:.0f} KiB"
            )
        pdf_median = rows[0][1]
        pdf_cpu = rows[0][4]
        load = os.getloadavg()[0]
        pages = _pages(folder / "memo.pdf")
        verdict = "PASS" if pdf_median < TARGET_PDF_SECONDS else "FAIL"
        print(
            f"PDF: {pdf_median:.2f} s wall, {pdf_cpu:.2f} s CPU for {CLAIMS} claims / {SOURCES} "
            f"sources, {pages} pages (target < {TARGET_PDF_SECONDS:.0f} s): {verdict}; "
            f"load average {load:.1f} on {os.cpu_count()} cores"
        )
        store.close()

    if args.write:
        lines = [
            "# Export benchmark (issue 6)",
            "",
            f"Command: `.venv/bin/python bench/bench_export.py --runs {args.runs}`",
            "",
            f"Machine: {platform.machine()}, Python {platform.python_version()}, "
            f"{platform.system()}; 2 cores shared with other work.",
            "",
            f"A memo of {CLAIMS} claims and {SOURCES} sources (3 evidence items per claim, 90% "
            "with a verdict and rationale), exported with `export_article` to a file: store "
            "reads, memo model, rendering, atomic write. Median of "
            f"{args.runs} runs after a warm-up.",
            "",
            f"Load average during the run: {load:.1f} on {os.cpu_count()} cores (wall times "
            "stretch accordingly; CPU time is the process's own).",
            "",
            "| format | median wall s | min s | max s | median CPU s | size KiB |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {fmt} | {m:.3f} | {lo:.3f} | {hi:.3f} | {c:.3f} | {size / 1024:.0f} |"
            for fmt, m, lo, hi, c, size in rows
        ]
        lines += [
            "",
            f"- PDF pages: {pages}",
            f"- build_memo alone (store reads + model): {build_s * 1000:.0f} ms",
            f"- first PDF export in a fresh process (imports, font registration): {warm_s:.2f} s",
            f"- Target: PDF under {TARGET_PDF_SECONDS:.0f} s wall: **{verdict}** "
            f"({pdf_median:.2f} s wall, {pdf_cpu:.2f} s CPU)",
            "",
        ]
        args.write.write_text("\n".join(lines), encoding="utf-8")
    return 0 if pdf_median < TARGET_PDF_SECONDS else 1


def _pages(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages)


if __name__ == "__main__":
    sys.exit(main())
