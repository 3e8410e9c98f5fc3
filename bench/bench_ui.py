"""UI responsiveness: event-loop stalls, cold start, and a 2,000-claim table.

Targets (issue 4):

- longest stall of a 10 ms QTimer heartbeat while a 10,000-word article is
  extracted through the TaskRunner: < 50 ms;
- cold start to the main window with the sample visible, as a ratio to a
  bare PySide6 window started the same way in the same run: <= 1.5;
- with 2,000 claims in the table, scrolling, filtering and sorting: each
  < 50 ms.

Also: the window's start with a 10,000-article store against an empty one.

Usage: QT_QPA_PLATFORM=offscreen python bench/bench_ui.py [--runs 5] [--words 10000]
Prints the figures and writes bench/results/ui.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BARE = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
w = QMainWindow(); label = QLabel("hello"); w.setCentralWidget(label); w.resize(1400, 900)
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: (print(f"first-paint {time.time():.6f}"), app.quit()))
            watched.removeEventFilter(self)
        return False
probe = FirstPaint(); label.installEventFilter(probe)
w.show()
app.exec()
"""
"""A bare PySide6 window, timed the way the app's probe times its first paint."""


def _long_article(words: int) -> str:
    from workbench.core.paths import sample_article_path

    paragraphs = [
        p.strip()
        for p in sample_article_path().read_text(encoding="utf-8").split("\n")
        if p.strip()
    ]
    out: list[str] = []
    count = 0
    i = 0
    while count < words:
        p = paragraphs[i % len(paragraphs)]
        out.append(p)
        count += len(p.split())
        i += 1
    return "\n\n".join(out)


def bench_stall(tmp: Path, words: int) -> dict[str, float]:
    """Heartbeat gaps while extracting, through the window's path and the old one.

    "process": :func:`workbench.ui.spacy_process.start_extraction`, what the
    window runs (spaCy in the worker process, save on the db lane); "cold" is
    the first job (the process spawns and loads the pipeline).  "thread":
    the core ``extract_article`` in the io lane, as the window did before,
    with the pipeline already loaded in this process.
    """
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from workbench.core.services import articles, claims
    from workbench.core.sources.preload import load_extractors
    from workbench.core.storage import Store
    from workbench.ui import spacy_process as extraction
    from workbench.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    # As the app does at start (MainWindow.preload_extractors): load the page
    # readers and gc.freeze() what is alive, so that a full garbage collection
    # triggered by the save thread does not walk (and hold the GIL over) every
    # long-lived object; unfrozen, one such collection took ~100 ms here.
    load_extractors()
    store = Store.open(tmp / "stall.sqlite3")
    text = _long_article(words)
    results: dict[str, float] = {"words": float(len(text.split()))}
    for phase in ("process cold", "process warm", "thread warm"):
        article, _ = articles.import_text(store, text, title=f"Long {phase}")
        runner = TaskRunner()
        if phase == "thread warm":
            from workbench.core.nlp.loader import load_pipeline

            load_pipeline(store.settings.get("spacy_model") or None)
        clock = QElapsedTimer()
        gaps: list[float] = []
        last = [0.0]

        def beat(gaps: list[float] = gaps, last: list[float] = last, clock=clock) -> None:
            now = clock.nsecsElapsed() / 1e6
            gaps.append(now - last[0])
            last[0] = now

        timer = QTimer()
        timer.setInterval(10)
        timer.timeout.connect(beat)
        done: list[object] = []
        clock.start()
        timer.start()
        started = time.perf_counter()
        if phase.startswith("process"):
            from workbench.ui.bus import ChangeBus
            from workbench.ui.ops import OpRunner

            extraction.start_extraction(
                OpRunner(store, runner, ChangeBus()),
                article.id,
                on_success=done.append,
                on_failure=done.append,
            )
        else:
            runner.run(
                lambda p, c, aid=article.id: claims.extract_article(
                    store, aid, progress=p, is_cancelled=c
                ),
                label="extract",
                lane="io",
                on_success=done.append,
                on_failure=done.append,
            )
        while not done:
            app.processEvents()
            time.sleep(0.001)
        elapsed = time.perf_counter() - started
        timer.stop()
        runner.shutdown()
        if isinstance(done[0], BaseException):
            raise done[0]
        n_claims = len(done[0].claims)  # type: ignore[attr-defined]
        worst = max(gaps[1:]) - 10 if len(gaps) > 1 else float("nan")
        results[f"stall_ms {phase}"] = worst
        results[f"extract_s {phase}"] = elapsed
        results[f"claims {phase}"] = float(n_claims)
    extraction.worker().shutdown()
    store.close()
    return results


def bench_cold_start(tmp: Path, runs: int) -> dict[str, float]:
    """Fresh processes, alternating: a bare window and ``python -m workbench``.

    Both report the wall-clock time of their first paint (the workbench's
    ``WORKBENCH_STARTUP_PROBE``: the article view's first frame with the
    article in it); the parent subtracts the moment it spawned them, so
    interpreter start-up and imports count.  The workbench opens a database
    that already holds the extracted sample, with fresh settings each run.
    """
    from workbench.core.services import articles
    from workbench.core.storage import Store

    # As installed (pip writes .pyc files) and as `make run` does: otherwise,
    # with PYTHONDONTWRITEBYTECODE set, every run would compile the package.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "workbench")], check=True)
    db = tmp / "start.sqlite3"
    with Store.open(db) as store:
        articles.ensure_sample(store, extract=True)
    base = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    bare: list[float] = []
    painted: list[float] = []
    ready: list[float] = []
    orm_before_paint = 0
    for i in range(runs):
        t = time.time()
        out = subprocess.run(
            [sys.executable, "-c", BARE], env=base, capture_output=True, text=True, check=True
        )
        bare.append(_epoch(out.stdout, "first-paint") - t)
        env = dict(
            base,
            WORKBENCH_STARTUP_PROBE="1",
            WORKBENCH_EXIT_AFTER_MS="0",
            XDG_CONFIG_HOME=str(tmp / f"config{i}"),
        )
        t = time.time()
        out = subprocess.run(
            [sys.executable, "-m", "workbench", "--db", str(db)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        painted.append(_epoch(out.stdout, "first-paint") - t)
        ready.append(_epoch(out.stdout, "ready") - t)
        orm_before_paint += "orm=True" in out.stdout
        assert "main window shown: Xi, Putin and Kim" in out.stdout, out.stdout
    b, w = statistics.median(bare), statistics.median(painted)
    return {
        "bare_paint_s": b,
        "workbench_paint_s": w,
        "ratio": w / b,
        "workbench_ready_s": statistics.median(ready),
        "bare_min_s": min(bare),
        "workbench_paint_min_s": min(painted),
        "orm_before_paint_runs": float(orm_before_paint),
    }


def _settle(app: Any, quiet_ms: float = 1.0, limit_s: float = 5.0) -> None:
    """Run the event loop until two passes in a row each take under ``quiet_ms``."""
    quiet = 0
    end = time.perf_counter() + limit_s
    while quiet < 2 and time.perf_counter() < end:
        t = time.perf_counter()
        app.processEvents()
        quiet = quiet + 1 if (time.perf_counter() - t) * 1000 < quiet_ms else 0


def _epoch(stdout: str, key: str) -> float:
    for line in stdout.splitlines():
        if line.startswith(key + " "):
            return float(line.split()[1])
    raise AssertionError(f"no {key!r} line in {stdout!r}")


def bench_table(tmp: Path, n: int) -> dict[str, float]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from workbench.core.model import ExtractedClaim
    from workbench.core.storage import Store
    from workbench.ui.main_window import MainWindow
    from workbench.ui.models.claims_model import Column

    app = QApplication.instance() or QApplication([])
    store = Store.open(tmp / "table.sqlite3")
    sentences = [
        f"Officials said {i} schools received {i * 7 % 97} million in {2000 + i % 25}."
        for i in range(n)
    ]
    # Paragraphs of five sentences, as articles come.
    text = "\n\n".join(" ".join(sentences[i : i + 5]) for i in range(0, n, 5))
    article = store.articles.add(title="Two thousand claims", text=text)
    additions = []
    pos = 0
    for i, sentence in enumerate(sentences):
        start = text.index(sentence, pos)
        pos = start + len(sentence)
        additions.append(
            ExtractedClaim(
                start,
                pos,
                sentence,
                ((i * 37) % 100) / 100,
                ("quantity", "time") if i % 3 else ("event",),
            )
        )
    # One transaction, as an extraction stores them.
    store.claims.apply_extraction(
        article.id, updates=[], additions=additions, deletions=[], scorer="bench"
    )
    window = MainWindow(store=store)
    window.resize(1400, 900)
    window.show()
    t = time.perf_counter()
    window.open_article(article.id)
    _settle(app)  # the window's whole first paint belongs to opening, not to the first scroll
    open_ms = (time.perf_counter() - t) * 1000
    table = window.claims_table
    view = table.view
    viewport = view.viewport()  # the harness's own first call into the binding, not timed
    assert table.model.rowCount() == n

    cpu: dict[str, list[float]] = {"scroll": [], "filter": [], "sort": [], "select": []}
    kind = ["scroll"]

    def timed(action) -> float:
        t = time.perf_counter()
        c = time.thread_time()
        action()
        viewport.repaint()
        app.processEvents()
        cpu[kind[0]].append((time.thread_time() - c) * 1000)
        return (time.perf_counter() - t) * 1000

    bar = view.verticalScrollBar()
    scroll = [
        timed(lambda v=v: bar.setValue(v))
        for v in range(0, bar.maximum(), max(1, bar.maximum() // 40))
    ]
    scroll += [
        timed(lambda: bar.triggerAction(bar.SliderAction.SliderPageStepAdd)) for _ in range(20)
    ]
    kind[0] = "filter"
    filters = []
    for query in ("schools", "1", "million in 2003", "", "zzz", ""):
        table.search.setText(query)
        filters.append(timed(table.apply_filters))
    table.min_score.setValue(0.5)
    filters.append(timed(table.apply_filters))
    table.clear_filters()
    kind[0] = "sort"
    sorts = [
        timed(lambda c=c, o=o: view.sortByColumn(c, o))
        for c, o in (
            (Column.SCORE, Qt.SortOrder.DescendingOrder),
            (Column.SCORE, Qt.SortOrder.AscendingOrder),
            (Column.VERDICT, Qt.SortOrder.AscendingOrder),
            (Column.POSITION, Qt.SortOrder.AscendingOrder),
        )
    ]
    kind[0] = "select"
    select = [
        timed(lambda i=i: table.select_claim(table.model.claim_ids()[i])) for i in (0, 999, 1999)
    ]
    window.close()
    store.close()
    return {
        "claims": float(n),
        "open_article_ms": open_ms,
        "scroll_max_ms": max(scroll),
        "scroll_median_ms": statistics.median(scroll),
        "scroll_cpu_max_ms": max(cpu["scroll"]),
        "filter_max_ms": max(filters),
        "filter_median_ms": statistics.median(filters),
        "filter_cpu_max_ms": max(cpu["filter"]),
        "sort_max_ms": max(sorts),
        "sort_median_ms": statistics.median(sorts),
        "sort_cpu_max_ms": max(cpu["sort"]),
        "select_max_ms": max(select),
    }


def bench_library(tmp: Path, n: int) -> dict[str, float]:
    """The window's start with an n-article store vs an empty one (same process).

    The store comes from bench_library.build (real migrations, bulk rows);
    the library reads one page of summaries, so start should not scale with n.
    """
    sys.path.insert(0, str(ROOT / "bench"))
    import bench_library
    from PySide6.QtWidgets import QApplication

    from workbench.core.storage import Store
    from workbench.ui.main_window import MainWindow
    from workbench.ui.widgets.library_panel import LibraryModel

    app = QApplication.instance() or QApplication([])
    big = tmp / "library.sqlite3"
    bench_library.build(big, articles=n, claims_per=5, sources=100)
    empty = tmp / "library-empty.sqlite3"
    Store.open(empty).close()
    out: dict[str, float] = {"articles": float(n)}
    for name, path in (("empty", empty), ("big", big), ("empty2", empty), ("big2", big)):
        store = Store.open(path)
        t = time.perf_counter()
        window = MainWindow(store=store)
        window.show()
        app.processEvents()
        key = name.rstrip("2")
        out[f"window_ms {key}"] = min(
            out.get(f"window_ms {key}", float("inf")), (time.perf_counter() - t) * 1000
        )
        if key == "big":
            t = time.perf_counter()
            LibraryModel(store)
            out["library_model_ms"] = (time.perf_counter() - t) * 1000
            t = time.perf_counter()
            store.articles.list()
            out["list_all_ms"] = (time.perf_counter() - t) * 1000
            out["library_rows"] = float(window.library.model.rowCount())
        window.close()
        window.runner.shutdown()
        store.close()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description="UI responsiveness benchmarks")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--claims", type=int, default=2_000)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "ui.md"))
    parser.add_argument(
        "--start-only", action="store_true", help="only the cold start; print, write nothing"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        QApplication.instance() or QApplication([])
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp_name)
        start = bench_cold_start(tmp, args.runs)
        for k, v in start.items():
            print(f"cold start  {k:28} {v:8.3f}")
        if args.start_only:
            return 0
        stall = bench_stall(tmp, args.words)
        for k, v in stall.items():
            print(f"stall       {k:44} {v:9.1f}")
        table = bench_table(tmp, args.claims)
        for k, v in table.items():
            print(f"table       {k:28} {v:8.1f}")
        library = bench_library(tmp, args.articles)
        for k, v in library.items():
            print(f"library     {k:28} {v:8.1f}")
    write_report(Path(args.out), start, stall, table, library, args)
    return 0


NOTES_MARK = "<!-- notes: kept when the benchmark rewrites this file -->"


def write_report(out: Path, start, stall, table, library, args) -> None:
    def ok(value: float, target: float) -> str:
        return "met" if value < target else "NOT met"

    n = int(table["claims"])
    lines = [
        "# UI responsiveness (bench/bench_ui.py)",
        "",
        f"Machine: 2 shared cores; `QT_QPA_PLATFORM=offscreen`; {args.runs} runs for start-up.",
        "Reproduce: `QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_ui.py`.",
        "",
        "| Measure | Figure | Target | |",
        "|---|---|---|---|",
    ]
    for phase, what in (
        ("process cold", "first job: the worker process spawns and loads spaCy"),
        ("process warm", "pipeline already loaded in the worker"),
        ("thread warm", "for comparison: spaCy in a worker *thread* (the old path)"),
    ):
        v = stall[f"stall_ms {phase}"]
        lines.append(
            f"| Longest event-loop stall, extracting {int(stall['words'])} words, {what} | "
            f"{v:.1f} ms | < 50 ms | {ok(v, 50)} |"
        )
    lines += [
        f"| Extraction time, process warm / thread warm | "
        f"{stall['extract_s process warm']:.1f} s / {stall['extract_s thread warm']:.1f} s, "
        f"{int(stall['claims process warm'])} claims | | |",
        f"| Cold start, main window with the sample visible / bare PySide6 window "
        f"(median time from spawning the process to its first paint) | "
        f"{start['workbench_paint_s']:.3f} s / {start['bare_paint_s']:.3f} s = "
        f"**{start['ratio']:.2f}** | <= 1.5 | {'met' if start['ratio'] <= 1.5 else 'NOT met'} |",
        f"| Cold start to a whole window (docks, menus, store loaded; median) | "
        f"{start['workbench_ready_s']:.2f} s | | |",
        f"| Open an article with {n} claims | {table['open_article_ms']:.1f} ms | | |",
    ]
    for key, what in (
        ("scroll", f"Scroll the {n}-claim table"),
        ("filter", "Filter it (text and score filters)"),
        ("sort", "Sort it (score, verdict, position)"),
    ):
        worst = table[f"{key}_max_ms"]
        lines.append(
            f"| {what}: worst step (median; worst UI-thread CPU) | {worst:.1f} ms "
            f"({table[f'{key}_median_ms']:.1f}; {table[f'{key}_cpu_max_ms']:.1f}) | "
            f"< 50 ms | {ok(worst, 50)} |"
        )
    lines += [
        f"| Select a claim (row, highlight, detail panel) | {table['select_max_ms']:.1f} ms | | |",
        f"| Build the main window, {int(library['articles'])}-article store / empty store "
        f"| {library['window_ms big']:.0f} ms / {library['window_ms empty']:.0f} ms "
        f"= {library['window_ms big'] / library['window_ms empty']:.2f} | | |",
        f"| Library model on that store (first page, {int(library['library_rows'])} rows) "
        f"/ reading every summary (the old way) | {library['library_model_ms']:.1f} ms / "
        f"{library['list_all_ms']:.1f} ms | | |",
        "",
        "How: the stall is the largest gap between beats of a 10 ms `QTimer` on the UI",
        "thread, minus 10 ms. Start-up spawns each program as a fresh process,",
        "alternating (`python -c` for the bare window, `python -m workbench --db …`",
        "for the app, with `WORKBENCH_STARTUP_PROBE=1`); each prints the wall-clock",
        "time of its first paint, and the figure is that minus the spawn time. The",
        "app opens a database that already holds the extracted sample. Table figures",
        "include a forced repaint of the table viewport; CPU is the UI thread's",
        "`time.thread_time`, which other processes on the machine do not inflate.",
    ]
    notes = ""
    if out.exists():
        old = out.read_text(encoding="utf-8")
        if NOTES_MARK in old:
            notes = old[old.index(NOTES_MARK) :]
    out.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines) + "\n"
    if notes:
        text += "\n" + notes
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    raise SystemExit(main())
