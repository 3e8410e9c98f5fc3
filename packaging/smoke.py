"""Smoke-test the Debian package as a user's machine would run it.

Usage: python3 packaging/smoke.py dist/claim-workbench_<version>_<arch>.deb

Standard library only, and the bundle runs with a minimal environment
(``PATH=/usr/bin:/bin``, a fresh HOME and data folder, no PYTHONPATH, no
virtual environment), so nothing of the development setup can stand in for
what the package lacks.  Steps:

1. ``dpkg-deb --info``; the control fields that matter are present;
2. ``desktop-file-validate`` on the .desktop entry, ``appstreamcli validate``
   on the metainfo (each where installed; CI installs both);
3. ``dpkg-deb -x`` into a scratch root;
4. the launcher is found through the desktop entry's ``Exec`` (its command,
   looked up in the scratch root's /usr/bin, as PATH would);
5. it starts the desktop app headless on a fresh data folder and must print
   ``main window shown: <title>, <n> claims`` with n > 0;
6. from the command line it imports an HTML file, extracts its claims and
   exports the memo as PDF (read back: a PDF with the bundled DejaVu font).

Prints one line per check and the time each took; exits non-zero on the
first failure.
"""

from __future__ import annotations

import configparser
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HTML = """<!doctype html><html><head><meta charset="utf-8"><title>Harbour report</title></head>
<body><article><h1>Harbour report</h1>
<p>The port of Rotterdam handled 4.2 million containers in 2023, the port authority
said on Tuesday, 12% more than in 2022.</p>
<p>"We expect the new terminal to open in March 2025," said director Anna Visser.</p>
<p>Dock workers went on strike for three days in March, according to the union.</p>
</article></body></html>
"""


class SmokeError(Exception):
    pass


def check(name: str, started: float, ok: bool = True, detail: str = "") -> None:
    took = time.monotonic() - started
    line = (
        f"[smoke] {'ok  ' if ok else 'FAIL'} {name} ({took:.1f} s){': ' + detail if detail else ''}"
    )
    print(line, flush=True)
    if not ok:
        raise SmokeError(line)


def run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]


def minimal_env(home: Path, data: Path) -> dict[str, str]:
    """What a desktop session passes, minus the developer's Python."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_RUNTIME_DIR": str(home / "run"),
        "QT_QPA_PLATFORM": "offscreen",
        "WORKBENCH_DATA_DIR": str(data),
    }
    (home / "run").mkdir(parents=True, exist_ok=True, mode=0o700)
    return env


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    deb = Path(sys.argv[1]).resolve()
    total = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="cw-smoke-"))
    try:
        smoke(deb, scratch)
    except SmokeError:
        return 1
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"[smoke] all checks passed in {time.monotonic() - total:.1f} s", flush=True)
    return 0


def smoke(deb: Path, scratch: Path) -> None:
    t = time.monotonic()
    info = run(["dpkg-deb", "--info", str(deb)])
    fields = dict(
        re.findall(
            r"^ (Package|Version|Architecture|Installed-Size|Depends): (.*)$", info.stdout, re.M
        )
    )
    check(
        "dpkg-deb --info",
        t,
        info.returncode == 0 and {"Package", "Version", "Depends", "Installed-Size"} <= set(fields),
        f"{fields.get('Package')} {fields.get('Version')} {fields.get('Architecture')}, "
        f"{int(fields.get('Installed-Size', '0')) // 1024} MiB installed, "
        f"{deb.stat().st_size / 1e6:.0f} MB download",
    )

    t = time.monotonic()
    root = scratch / "root"
    extracted = run(["dpkg-deb", "-x", str(deb), str(root)])
    check("dpkg-deb -x", t, extracted.returncode == 0, extracted.stderr.strip())

    entries = sorted((root / "usr/share/applications").glob("*.desktop"))
    check("one desktop entry", t, len(entries) == 1, ", ".join(e.name for e in entries))
    entry = entries[0]
    if shutil.which("desktop-file-validate"):
        t = time.monotonic()
        done = run(["desktop-file-validate", str(entry)])
        errors = [line for line in done.stdout.splitlines() if "error:" in line]
        check("desktop-file-validate", t, done.returncode == 0 and not errors, done.stdout.strip())
    else:
        print("[smoke] skip desktop-file-validate (apt-get install desktop-file-utils)")
    metainfo = sorted((root / "usr/share/metainfo").glob("*.metainfo.xml"))
    check("one metainfo file", t, len(metainfo) == 1)
    if shutil.which("appstreamcli"):
        t = time.monotonic()
        done = run(["appstreamcli", "validate", "--no-net", str(metainfo[0])])
        check(
            "appstreamcli validate", t, done.returncode == 0, done.stdout.strip().splitlines()[-1]
        )
    else:
        print("[smoke] skip appstreamcli validate (apt-get install appstream)")

    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str  # type: ignore[assignment,method-assign]
    desktop.read(entry, encoding="utf-8")
    exec_line = desktop["Desktop Entry"]["Exec"]
    command = exec_line.split()[0]
    check("Exec opens files", t, "%F" in exec_line or "%f" in exec_line, exec_line)
    icon = desktop["Desktop Entry"]["Icon"]
    icons = list((root / "usr/share/icons/hicolor").glob(f"*/apps/{icon}.*"))
    check(
        "icons in hicolor",
        t,
        any(p.suffix == ".svg" for p in icons) and len(icons) >= 5,
        f"{len(icons)} files",
    )
    launcher = root / "usr" / "bin" / command if "/" not in command else root / command.lstrip("/")
    check("launcher on PATH", t, launcher.is_symlink() or launcher.is_file(), str(launcher))

    home = scratch / "home"
    env = minimal_env(home, scratch / "data")
    t = time.monotonic()
    done = run(
        [str(launcher)],
        env=dict(env, WORKBENCH_EXIT_AFTER_MS="0"),
        timeout=600,
    )
    shown = re.search(r"main window shown: (.*), (\d+) claims", done.stdout)
    check(
        "desktop app on a fresh data folder",
        t,
        done.returncode == 0 and shown is not None and int(shown.group(2)) > 0,
        (
            shown.group(0)
            if shown
            else f"exit {done.returncode}: {done.stdout[-300:]}{done.stderr[-1500:]}"
        ),
    )

    page = scratch / "harbour.html"
    page.write_text(HTML, encoding="utf-8")
    cli = [str(launcher)]
    t = time.monotonic()
    done = run([*cli, "import", str(page)], env=env, timeout=300)
    article = done.stdout.strip().split()[-1] if done.stdout.strip() else ""
    check(
        "import an HTML file",
        t,
        done.returncode == 0 and article.isdigit(),
        done.stdout.strip() or done.stderr.strip(),
    )

    t = time.monotonic()
    done = run([*cli, "extract", "--article", article], env=env, timeout=600)
    check("extract its claims", t, done.returncode == 0, done.stdout.strip() or done.stderr.strip())
    done = run([*cli, "claims", article, "--json"], env=env, timeout=300)
    try:
        claims = json.loads(done.stdout)
    except ValueError:
        claims = []
    check("claims found", t, done.returncode == 0 and len(claims) > 0, f"{len(claims)} claims")

    t = time.monotonic()
    memo = scratch / "memo.pdf"
    done = run([*cli, "export", article, "--format", "pdf", "-o", str(memo)], env=env, timeout=300)
    data = memo.read_bytes() if memo.is_file() else b""
    check(
        "export the memo as PDF",
        t,
        done.returncode == 0 and data.startswith(b"%PDF") and b"%%EOF" in data[-1024:],
        f"{len(data)} bytes" if data else done.stderr.strip(),
    )
    check("the memo uses the bundled DejaVu font", t, b"DejaVuSans" in data)

    t = time.monotonic()
    done = run([*cli, "--version"], env=env, timeout=120)
    check("--version", t, done.returncode == 0, done.stdout.strip())


if __name__ == "__main__":
    raise SystemExit(main())
