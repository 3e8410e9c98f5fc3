"""Benchmark: attach 200 URLs and fetch them, while a Qt event loop keeps beating.

What it shows (issue 5): attaching many sources finishes with bounded
concurrency, and the work, run on a worker thread as the app runs it, does
not freeze the UI thread.

* A local HTTP server (127.0.0.1 only, port chosen by the OS, in a child
  process) serves N distinct article pages (~12 KB each, realistic markup so trafilatura does
  its full work) with a simulated server latency.  It refuses anything past
  a fixed request budget, so a runaway client cannot hammer it.
* The database is opened and seeded first (the app's start-up, not
  measured); by default the extractors are preloaded then too, as the app
  should do (``--cold`` leaves that to the first fetch, inside the window).
* A worker thread (the app's database lane) attaches the N URLs to claims
  (``attach_evidence``: validation, normalization, DB writes, no network),
  then runs ``fetch_pending`` with ``--workers`` download threads.
* Meanwhile the main thread runs a Qt event loop (QT_QPA_PLATFORM=offscreen)
  with a 10 ms QTimer and records the longest gap between two beats.
* Before that, the same heartbeat is measured with an idle and with a busy
  pure-Python worker: on a shared 2-core machine these floors matter.

Run from the repository root (``--write`` appends a Markdown section)::

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_attach.py --write bench/results/attach.md

``--debug`` also prints the worst gaps with the phase they fell in and every
garbage-collector pause over 20 ms.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from workbench.core.storage import Store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The pages are served on 127.0.0.1, which the fetcher refuses by default.
os.environ.setdefault("WORKBENCH_ALLOW_LOCAL_FETCH", "1")

HEARTBEAT_MS = 10
TARGET_GAP_MS = 50

WORDS = (
    "minister trade agreement tariff steel grain port customs delegation summit budget "
    "deficit growth percent figures quarter report analysts officials parliament vote "
    "harbour exports imports shipping union talks capital province reform pension"
).split()


def page_html(n: int) -> bytes:
    """A distinct article page: header, nav, 24 paragraphs, footer, scripts."""
    paragraphs = []
    for p in range(24):
        words = [WORDS[(n * 7 + p * 13 + i * 3) % len(WORDS)] for i in range(70)]
        sentence = " ".join(words).capitalize()
        paragraphs.append(f"<p>{sentence}, said source {n}-{p}, citing {n + p} documents.</p>")
    body = "\n".join(paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Story {n}: trade talks continue | Bench Gazette</title>
<meta property="og:site_name" content="Bench Gazette">
<meta name="author" content="Reporter {n % 17}">
<meta property="article:published_time" content="2024-0{1 + n % 9}-1{n % 10}T09:00:00Z">
<script>window.tracker = {{id: {n}}};</script><style>body{{font:14px serif}}</style>
</head><body><header><nav><a href="/">Home</a> <a href="/world">World</a>
<a href="/business">Business</a></nav></header>
<main><article><h1>Story {n}: trade talks continue</h1>
<p class="lead">Officials said on Monday that the figure for story {n} was {n % 50} percent.</p>
{body}
</article><aside><h2>Related</h2><ul><li><a href="/a">Other story</a></li></ul></aside></main>
<footer>Copyright Bench Gazette. <a href="/privacy">Privacy</a></footer>
<script src="/static/app.js"></script></body></html>""".encode()


@dataclass
class ServerStats:
    budget: int
    served: int = 0
    refused: int = 0
    active: int = 0
    peak: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def serve(conn: Connection, pages: int, latency: float, budget: int) -> None:
    """Child process: serve the pages until told to stop, then report the counts.

    The server runs in its own process, as a real web server would: in the
    benchmark's process its threads would compete for the GIL with the UI
    thread and blur what is being measured.
    """
    stats = ServerStats(budget=budget)
    bodies = [page_html(i) for i in range(pages)]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with stats.lock:
                over = stats.served + stats.refused >= stats.budget
                if over:
                    stats.refused += 1
                else:
                    stats.served += 1
                    stats.active += 1
                    stats.peak = max(stats.peak, stats.active)
            if over:
                self.send_error(503, "request budget exhausted")
                return
            try:
                time.sleep(latency)
                index = int(self.path.rsplit("/", 1)[-1].split("?")[0])
                body = bodies[index]
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            finally:
                with stats.lock:
                    stats.active -= 1

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="bench-http", daemon=True).start()
    conn.send(server.server_address[1])
    conn.recv()  # "stop"
    server.shutdown()
    server.server_close()
    conn.send({"served": stats.served, "refused": stats.refused, "peak": stats.peak})


@dataclass
class WorkResult:
    attach_s: float = 0.0
    fetch_s: float = 0.0
    fetched: int = 0
    failed: int = 0
    excerpts_found: int = 0
    errors: list[str] = field(default_factory=list)
    exception: BaseException | None = None
    phase: str = "start"


def seed(store: Store) -> list[int]:
    """One article with 20 claims to attach evidence to; returns the claim ids."""
    text = " ".join(f"Claim sentence {i} about trade." for i in range(20))
    article = store.articles.add(title="Bench article", text=text)
    return [
        store.claims.add(article.id, start=0, end=10, text=text[:10], position=i).id
        for i in range(20)
    ]


def work(
    store: Store, claim_ids: list[int], base: str, count: int, workers: int, result: WorkResult
) -> None:
    """What the app's database lane runs: attach every URL, then fetch them."""
    from workbench.core.services.sources import attach_evidence, fetch_pending

    try:
        started = time.perf_counter()
        result.phase = "attach"
        for n in range(count):
            attach_evidence(
                store,
                claim_ids[n % len(claim_ids)],
                f"{base}/story/{n}?utm_source=bench&fbclid=x{n}",
                stance="supports",
                excerpt=f"the figure for story {n} was {n % 50} percent",
            )
        result.attach_s = time.perf_counter() - started
        started = time.perf_counter()
        result.phase = "fetch"

        def progress(done: int, total: int, label: str) -> None:
            result.phase = f"fetch {done}/{total}"

        article_id = store.claims.get(claim_ids[0]).article_id
        report = fetch_pending(store, article_id=article_id, max_workers=workers, progress=progress)
        result.fetch_s = time.perf_counter() - started
        result.phase = "done"
        result.fetched, result.failed = report.fetched, report.failed
        result.errors = [o.error for o in report.outcomes if o.error][:5]
        result.excerpts_found = sum(
            1
            for c in claim_ids
            for v in store.evidence.for_claim(c)
            if v.evidence.excerpt_found is True
        )
    except BaseException as exc:  # re-raised by the main thread
        result.exception = exc


def heartbeat(app: QApplication, worker: threading.Thread, probe: Callable[[], str]) -> Beats:
    """Run the Qt event loop with a 10 ms timer until ``worker`` ends."""
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer

    beats = Beats()
    clock = QElapsedTimer()
    last = [0.0]

    def beat() -> None:
        now = clock.nsecsElapsed() / 1e6
        beats.gaps.append(now - last[0])
        beats.labels.append(probe())
        last[0] = now
        if not worker.is_alive():
            app.quit()

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(HEARTBEAT_MS)
    timer.timeout.connect(beat)
    started = time.perf_counter()
    clock.start()
    timer.start()
    worker.start()
    app.exec()
    beats.seconds = time.perf_counter() - started
    timer.stop()
    worker.join()
    return beats


@dataclass
class Beats:
    gaps: list[float] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def max(self) -> float:
        return max(self.gaps, default=0.0)

    @property
    def p99(self) -> float:
        ordered = sorted(self.gaps)
        return ordered[max(0, int(len(ordered) * 0.99) - 1)] if ordered else 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.gaps) if self.gaps else 0.0


def busy_python(seconds: float) -> None:
    """A reference load: one thread running pure Python, no I/O."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        sum(i * i for i in range(2000))


def baselines(app: QApplication, seconds: float) -> dict[str, Beats]:
    """Heartbeat gaps with an idle worker and with a busy pure-Python worker.

    On a shared machine these set the floor: no in-process Python work can
    beat the "busy" figure, which is all scheduling and GIL hand-over.
    """
    idle = threading.Thread(target=time.sleep, args=(seconds,), name="idle")
    busy = threading.Thread(target=busy_python, args=(seconds,), name="busy")
    return {
        "idle": heartbeat(app, idle, lambda: "idle"),
        "busy": heartbeat(app, busy, lambda: "busy"),
    }


def run(
    count: int,
    workers: int,
    latency: float,
    *,
    debug: bool = False,
    baseline_s: float = 5.0,
    cold: bool = False,
) -> dict[str, Any]:
    import gc

    from PySide6.QtWidgets import QApplication

    from workbench.core.services import sources as _services  # noqa: F401  (app start-up)
    from workbench.core.storage import Store

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    load_before = os.getloadavg()
    reference = baselines(app, baseline_s) if baseline_s > 0 else {}
    spawn = multiprocessing.get_context("spawn")
    parent_conn, child_conn = spawn.Pipe()
    server = spawn.Process(target=serve, args=(child_conn, count, latency, count + 20), daemon=True)
    server.start()
    if not parent_conn.poll(60):
        raise RuntimeError("the benchmark's HTTP server did not start")
    base = f"http://127.0.0.1:{parent_conn.recv()}"
    result = WorkResult()
    gc_log: list[tuple[float, int, str]] = []
    gc_start = [0.0]

    def on_gc(stage: str, info: dict[str, int]) -> None:
        if stage == "start":
            gc_start[0] = time.perf_counter()
        else:
            pause = (time.perf_counter() - gc_start[0]) * 1000
            gc_log.append((pause, info["generation"], result.phase))

    if debug:
        gc.callbacks.append(on_gc)
    with tempfile.TemporaryDirectory(prefix="bench-attach-") as tmp:
        # App start-up (not measured): the database is open and has content.
        store = Store.open(Path(tmp) / "bench.sqlite3")
        claim_ids = seed(store)
        if not cold:
            # The app preloads the extractors on a worker at start-up, before
            # the user can attach anything; --cold leaves it to the first fetch.
            from workbench.core.sources.preload import load_extractors

            load_extractors()
        worker = threading.Thread(
            target=work, args=(store, claim_ids, base, count, workers, result), name="db-lane"
        )
        beats = heartbeat(app, worker, lambda: result.phase)
        store.close()
    parent_conn.send("stop")
    stats = parent_conn.recv()
    server.join(10)
    if debug:
        gc.callbacks.remove(on_gc)
        print("GC pauses > 20 ms:", [(round(d), g, p) for d, g, p in gc_log if d > 20])
        worst = sorted(zip(beats.gaps, beats.labels, strict=True), reverse=True)[:10]
        print("worst gaps:", [(round(g), p) for g, p in worst])
    if result.exception is not None:
        raise result.exception
    return {
        "count": count,
        "workers": workers,
        "latency_ms": latency * 1000,
        "switch_interval": sys.getswitchinterval(),
        "cold": cold,
        "load": load_before,
        "total_s": beats.seconds,
        "attach_s": result.attach_s,
        "fetch_s": result.fetch_s,
        "fetched": result.fetched,
        "failed": result.failed,
        "errors": result.errors,
        "excerpts_found": result.excerpts_found,
        "served": stats["served"],
        "refused": stats["refused"],
        "peak_concurrent": stats["peak"],
        "beats": beats,
        "reference": reference,
    }


def render(r: dict[str, Any], command: str) -> str:
    beats: Beats = r["beats"]
    ok = beats.max < TARGET_GAP_MS
    verdict = f"target < {TARGET_GAP_MS} ms: {'met' if ok else 'NOT met'}"
    load = ", ".join(f"{x:.1f}" for x in r["load"])
    start = (
        "Cold start: the first fetch loads TLS, trafilatura and pypdf (inside the measured time)."
        if r["cold"]
        else "Extractors preloaded before the measured time, as at app start-up."
    )
    rows = "".join(
        f"| reference: worker {name} for the same loop | {b.max:.1f} ms | {b.p99:.1f} ms |\n"
        for name, b in r["reference"].items()
    )
    return f"""## Run: `{command}`

Machine: {platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs;
load average before the run: {load} (the machine is shared with other work).
Switch interval: {r["switch_interval"] * 1000:g} ms. {start}

Setup: {r["count"]} distinct ~12 KB article pages from a local HTTP server on 127.0.0.1 in a
child process (simulated latency {r["latency_ms"]:g} ms per request, request budget
{r["count"]} + 20). A worker thread (the app's database lane) attaches all URLs (validation,
normalization, DB writes, no network), then `fetch_pending(max_workers={r["workers"]})`
downloads on {r["workers"]} threads and extracts (trafilatura), stores a snapshot and
re-verifies every excerpt on the lane thread. The main thread runs a Qt event loop with a
{HEARTBEAT_MS} ms `QTimer` heartbeat.

| figure | value |
|---|---|
| **total time (attach + fetch)** | **{r["total_s"]:.2f} s** |
| attach {r["count"]} URLs (no network) | {r["attach_s"]:.2f} s |
| fetch + extract + store | {r["fetch_s"]:.2f} s |
| fetched / failed | {r["fetched"]} / {r["failed"]} |
| excerpts found | {r["excerpts_found"]} / {r["count"]} |
| requests served / refused | {r["served"]} / {r["refused"]} |
| peak concurrent requests at the server | {r["peak_concurrent"]} (bound: {r["workers"]}) |
| **longest heartbeat gap** | **{beats.max:.1f} ms** ({verdict}) |
| 99th percentile / median gap | {beats.p99:.1f} ms / {beats.median:.1f} ms |
| heartbeats recorded | {len(beats.gaps)} |

| heartbeat floor measured just before | longest gap | p99 |
|---|---|---|
{rows}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--baseline-s", type=float, default=5.0, help="0 skips the floor runs")
    parser.add_argument("--write", metavar="FILE", help="append the Markdown report to FILE")
    parser.add_argument("--debug", action="store_true", help="print the worst gaps and GC pauses")
    parser.add_argument(
        "--cold", action="store_true", help="do not preload the extractors before measuring"
    )
    parser.add_argument(
        "--switch-interval",
        type=float,
        metavar="SECONDS",
        help="sys.setswitchinterval for the run (Python's default is 0.005)",
    )
    args = parser.parse_args()
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)
    r = run(
        args.count,
        args.workers,
        args.latency_ms / 1000,
        debug=args.debug,
        baseline_s=args.baseline_s,
        cold=args.cold,
    )
    beats: Beats = r["beats"]
    print(
        f"total time: {r['total_s']:.2f} s "
        f"(attach {r['attach_s']:.2f} s, fetch {r['fetch_s']:.2f} s)"
    )
    print(f"fetched {r['fetched']}, failed {r['failed']}, excerpts found {r['excerpts_found']}")
    print(
        f"server: {r['served']} served, {r['refused']} refused, "
        f"peak concurrency {r['peak_concurrent']}"
    )
    print(f"longest heartbeat gap: {beats.max:.1f} ms (p99 {beats.p99:.1f} ms)")
    for name, b in r["reference"].items():
        print(f"  floor with a {name} worker: longest {b.max:.1f} ms (p99 {b.p99:.1f} ms)")
    print(f"load average before: {r['load'][0]:.1f}")
    if r["errors"]:
        print("first errors:", *r["errors"], sep="\n  ")
    if args.write:
        command = "QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_attach.py " + " ".join(
            a for a in sys.argv[1:] if not a.startswith("--write") and a != args.write
        )
        with Path(args.write).open("a", encoding="utf-8") as fh:
            fh.write(render(r, command.strip()) + "\n")
        print(f"appended to {args.write}")
    return 0 if r["failed"] == 0 and beats.max < TARGET_GAP_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
