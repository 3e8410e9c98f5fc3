"""Run the benchmarks one after another, each writing its report to bench/results/.

``make bench`` runs this. Each benchmark compares itself with a baseline measured
in the same run (the machine is shared, so absolute times drift), so they run
one at a time, never in parallel. The whole set takes about half an hour, most
of it building the 10,000-article library store.

Usage: QT_QPA_PLATFORM=offscreen python bench/run_all.py [NAME ...]
       (NAME: ui, extract, scorer, attach, export, library, ops; default all)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"

# name -> arguments; the ones without --write/--out write their own report.
RUNS: dict[str, list[str]] = {
    "ui": ["bench_ui.py"],
    "extract": ["bench_extract.py"],
    "scorer": ["bench_scorer.py", "--write", str(RESULTS / "scorer.md")],
    "attach": ["bench_attach.py", "--write", str(RESULTS / "attach.md")],
    "export": ["bench_export.py", "--write", str(RESULTS / "export.md")],
    "library": ["bench_library.py"],
    "ops": ["bench_ops.py", "--write", str(RESULTS / "ops.md")],
}


def main(argv: list[str]) -> int:
    names = argv or list(RUNS)
    unknown = [n for n in names if n not in RUNS]
    if unknown:
        print(
            f"error: no benchmark named {', '.join(unknown)}; choose from {', '.join(RUNS)}",
            file=sys.stderr,
        )
        return 2
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    failed: list[str] = []
    for name in names:
        script, *args = RUNS[name]
        print(f"== {name}: {script} {' '.join(args)}", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(BENCH / script), *args], env=env)
        took = time.perf_counter() - started
        print(f"== {name}: exit {done.returncode} after {took:.0f} s", flush=True)
        if done.returncode != 0:
            failed.append(name)
    if failed:
        print(f"error: {', '.join(failed)} failed; see the output above", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
