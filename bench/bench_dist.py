"""The desktop distribution: package sizes, and the bundled app's cold start against the venv's.

Targets (issue 21):

- the .deb under 150 MB to download and under 400 MB installed;
- the bundled app's cold start to first paint within 1.2x the venv app's,
  both measured in the same run, alternating.

Cold start is measured as bench/bench_ui.py measures it (``WORKBENCH_STARTUP_PROBE``:
the article view's first frame with the article in it, minus the moment of
spawning; the staged start).  Both programs open the same database, which
already holds the extracted sample, with fresh settings each run.  The bundle
runs from the .deb extracted with ``dpkg-deb -x``, through its /usr/bin
launcher, in a minimal environment (PATH=/usr/bin:/bin).

Usage (after ``make dist``):
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_dist.py [--runs 7] [--deb dist/…deb]
Prints the figures and writes bench/results/dist.md (notes below the marker are kept).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_ui import _epoch  # noqa: E402  (the same first-paint reading as the UI benchmark)

NOTES_MARK = "<!-- notes: kept when the benchmark rewrites this file -->"
DOWNLOAD_TARGET_MB = 150
INSTALLED_TARGET_MB = 400
START_TARGET = 1.2


def find_deb(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    debs = sorted((ROOT / "dist").glob("claim-workbench_*.deb"))
    if not debs:
        raise SystemExit("error: no dist/claim-workbench_*.deb; run `make dist` first")
    return debs[-1]


def cold_starts(launcher: Path, tmp: Path, runs: int) -> dict[str, object]:
    from workbench.core.services import articles
    from workbench.core.storage import Store

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "workbench")], check=True)
    db = tmp / "start.sqlite3"
    with Store.open(db) as store:
        articles.ensure_sample(store, extract=True)
    probe = {"QT_QPA_PLATFORM": "offscreen", "WORKBENCH_STARTUP_PROBE": "1"}
    probe["WORKBENCH_EXIT_AFTER_MS"] = "0"
    venv_env = dict(os.environ, PYTHONPATH=str(ROOT), **probe)
    home = tmp / "home"
    home.mkdir()
    bundle_env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", **probe}
    figures: dict[str, list[float]] = {
        "venv": [],
        "bundle": [],
        "venv_ready": [],
        "bundle_ready": [],
    }
    claims: dict[str, str] = {}
    for i in range(runs):
        for kind, cmd, env in (
            ("venv", [sys.executable, "-m", "workbench", "--db", str(db)], venv_env),
            ("bundle", [str(launcher), "--db", str(db)], bundle_env),
        ):
            env = dict(env, XDG_CONFIG_HOME=str(tmp / f"config-{kind}-{i}"))
            env["XDG_RUNTIME_DIR"] = str(tmp / f"run-{kind}-{i}")
            Path(env["XDG_RUNTIME_DIR"]).mkdir(mode=0o700)
            t = time.time()
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            figures[kind].append(_epoch(out.stdout, "first-paint") - t)
            figures[f"{kind}_ready"].append(_epoch(out.stdout, "ready") - t)
            shown = [line for line in out.stdout.splitlines() if line.startswith("main window")]
            assert shown and "Xi, Putin and Kim" in shown[0], out.stdout + out.stderr
            claims[kind] = shown[0]
    venv, bundle = statistics.median(figures["venv"]), statistics.median(figures["bundle"])
    return {
        "venv_paint_s": venv,
        "bundle_paint_s": bundle,
        "ratio": bundle / venv,
        "venv_ready_s": statistics.median(figures["venv_ready"]),
        "bundle_ready_s": statistics.median(figures["bundle_ready"]),
        "venv_all": figures["venv"],
        "bundle_all": figures["bundle"],
        "shown": claims,
    }


def extract(deb: Path, tmp: Path) -> Path:
    root = tmp / "root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root / "usr" / "bin" / "claim-workbench"


def write(out: Path, deb: Path, summary: dict[str, object], start: dict[str, object]) -> None:
    mb = 1e6
    deb_mb = deb.stat().st_size / mb
    installed_kib = int(summary.get("installed_kib") or 0)
    installed_mb = installed_kib * 1024 / mb

    def ok(value: float, target: float) -> str:
        return "met" if value <= target else "NOT met"

    timings = summary.get("timings_s", {})
    assert isinstance(timings, dict)
    trimmed = summary.get("trimmed", {})
    assert isinstance(trimmed, dict)
    plugins = trimmed.get("plugins", [])
    libraries = trimmed.get("libraries", [])
    data = trimmed.get("data", {})
    assert isinstance(plugins, list) and isinstance(libraries, list) and isinstance(data, dict)
    runs = len(start["venv_all"])  # type: ignore[arg-type]
    ratio = float(start["ratio"])  # type: ignore[arg-type]
    paint = f"{start['bundle_paint_s']:.3f} s / {start['venv_paint_s']:.3f} s"
    ready = f"{start['bundle_ready_s']:.2f} s / {start['venv_ready_s']:.2f} s"
    shown = start["shown"]
    assert isinstance(shown, dict)
    tar_mb = int(summary.get("tarball_bytes") or 0) / mb
    stripped_mb = int(summary.get("strip_saved_bytes") or 0) / mb
    lines = [
        "# Desktop distribution (bench/bench_dist.py)",
        "",
        "Machine: 2 shared cores; `QT_QPA_PLATFORM=offscreen`. Build: `make dist`;",
        "measure: `QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_dist.py`.",
        "",
        "| Measure | Figure | Target | |",
        "|---|---|---|---|",
        f"| `{deb.name}` download | {deb_mb:.1f} MB | < {DOWNLOAD_TARGET_MB} MB "
        f"| {ok(deb_mb, DOWNLOAD_TARGET_MB)} |",
        f"| Installed size (dpkg Installed-Size) | {installed_mb:.0f} MB "
        f"({installed_kib / 1024:.0f} MiB) | < {INSTALLED_TARGET_MB} MB "
        f"| {ok(installed_mb, INSTALLED_TARGET_MB)} |",
        f"| `.tar.gz` of the bundle | {tar_mb:.1f} MB | | |",
        f"| Cold start to first paint, bundle / venv app (median of {runs}, alternating) "
        f"| {paint} = **{ratio:.2f}** | <= {START_TARGET} | {ok(ratio, START_TARGET)} |",
        f"| Cold start to the whole window (docks, menus, store), bundle / venv | {ready} | | |",
        "| Build time (`make dist`, steps of packaging/build.py) | "
        + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
        + " | | |",
        "",
        "Every run: " + "; ".join(f"{k}: {v}" for k, v in shown.items()),
        "",
        "## The biggest parts of the bundle (installed, after stripping debug data)",
        "",
        "| Part | MB |",
        "|---|---|",
    ]
    biggest = summary.get("biggest", [])
    assert isinstance(biggest, list)
    lines += [f"| `{name}` | {size / mb:.1f} |" for name, size in biggest]
    lines += [
        "",
        f"Debug information stripped from compiled modules: {stripped_mb:.0f} MB, "
        "mostly from spaCy's Cython modules.",
        "",
        "## What was left out, and why",
        "",
        "Qt plugins kept: "
        + ", ".join(f"`{p.split('/plugins/')[-1]}`" for p in trimmed.get("kept_plugins", []))
        + ".",
        "",
        "| Left out | Size | Why |",
        "|---|---|---|",
    ]
    by_reason: dict[str, list[dict[str, object]]] = {}
    for item in plugins:
        by_reason.setdefault(str(item["why"]), []).append(item)
    for why, items in sorted(by_reason.items()):
        names = ", ".join(f"`{str(i['file']).split('/plugins/')[-1]}`" for i in items)
        size = sum(int(i["bytes"]) for i in items) / mb  # type: ignore[call-overload]
        lines.append(f"| Qt plugins {names} | {size:.1f} MB | {why} |")
    qt_libs = [i for i in libraries if "PySide6/" in str(i["file"])]
    if qt_libs:
        names = ", ".join(f"`{str(i['file']).rsplit('/', 1)[-1]}`" for i in qt_libs)
        size = sum(int(i["bytes"]) for i in qt_libs) / mb  # type: ignore[call-overload]
        lines.append(f"| Qt libraries {names} | {size:.1f} MB | linked only by what was left out |")
    system = [i for i in libraries if "provided by the system" in str(i["why"])]
    unused = [i for i in libraries if i not in system and i not in qt_libs]
    if system:
        size = sum(int(i["bytes"]) for i in system) / mb  # type: ignore[call-overload]
        lines.append(
            f"| {len(system)} desktop libraries (X11/xcb, Wayland, GL, fontconfig, GLib, D-Bus, "
            f"libstdc++) | {size:.1f} MB | the system provides them; the .deb depends on them |"
        )
    if unused:
        size = sum(int(i["bytes"]) for i in unused) / mb  # type: ignore[call-overload]
        names = ", ".join(sorted(f"`{str(i['file']).rsplit('/', 1)[-1]}`" for i in unused)[:12])
        lines.append(
            f"| {len(unused)} libraries that only left-out plugins linked ({names}, …) "
            f"| {size:.1f} MB | GTK theme, Kerberos, evdev: nothing kept links them |"
        )
    for prefix, item in data.items():
        size = int(item["bytes"]) / mb
        lines.append(f"| `{prefix}` ({item['files']} files) | {size:.1f} MB | {item['why']} |")
    lines.append(
        f"| Qt translations | {int(trimmed.get('translations_bytes', 0)) / mb:.1f} MB "
        "| the app is English-only and installs no Qt translator |"
    )
    lines += [
        "",
        "Depends (from the libraries the bundle links): "
        + ", ".join(str(d) for d in summary.get("depends", [])),  # type: ignore[union-attr]
        "",
    ]
    notes = ""
    if out.exists():
        old = out.read_text(encoding="utf-8")
        if NOTES_MARK in old:
            notes = old[old.index(NOTES_MARK) :]
    text = "\n".join(lines) + "\n"
    if notes:
        text += "\n" + notes
    out.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--deb", help="the .deb (default: the newest in dist/)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "dist.md"))
    args = parser.parse_args()
    deb = find_deb(args.deb)
    summary_path = ROOT / "build" / "dist" / "summary.json"
    summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.exists() else {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        launcher = extract(deb, tmp)
        start = cold_starts(launcher, tmp, args.runs)
    for key in ("venv_paint_s", "bundle_paint_s", "ratio", "venv_ready_s", "bundle_ready_s"):
        print(f"{key}: {float(start[key]):.3f}")  # type: ignore[arg-type]
    print(f"deb: {deb.stat().st_size / 1e6:.1f} MB; installed: {summary.get('installed_kib')} KiB")
    write(Path(args.out), deb, summary, start)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
