"""Build the desktop distribution: the bundle, the .tar.gz and (on Debian) the .deb.

Usage (what ``make dist`` runs, inside build/dist-venv where the app is
pip-installed, not editable):

    python packaging/build.py [--out dist] [--skip-deb]

Steps, each timed in ``build/dist/summary.json``:

1. stage the files that are not Python packages: icons rendered from the
   SVG (``render_icons.py``), the DejaVu fonts of the PDF memo, and the
   licences of what ships without Python metadata (Python, Qt's LGPL text,
   the fonts);
2. PyInstaller with ``claim-workbench.spec`` (one folder, Qt trimmed by
   ``trim.py``);
3. strip debug information from the compiled modules that carry it
   (spaCy's, ~90 % of their size) and check that every library a bundled
   file links is either in the bundle or a known system library;
4. ``claim-workbench-<version>-linux-<arch>.tar.gz``: the bundle plus the
   desktop entry, icons and metainfo under ``share/``;
5. ``claim-workbench_<version>_<arch>.deb`` with dpkg-deb (``debian.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import desktop  # noqa: E402
import elf  # noqa: E402
import trim  # noqa: E402
from render_icons import render_all  # noqa: E402

from workbench import __version__  # noqa: E402
from workbench.core.about import APP_ID, COMMAND, system_notices  # noqa: E402

BUILD = ROOT / "build" / "dist"
FONT_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSans-Oblique.ttf",
    "DejaVuSans-BoldOblique.ttf",
    "DejaVuSansMono.ttf",
)
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)


def say(message: str) -> None:
    sys.stdout.write(f"[dist] {message}\n")
    sys.stdout.flush()


def stage_extra(extra: Path) -> dict[str, object]:
    """Files for the bundle's workbench/resources that are built, not kept in git."""
    for folder in (extra, BUILD / "icons"):
        if folder.exists():
            shutil.rmtree(folder)
    icons = render_all(BUILD / "icons", "claim-workbench")
    fonts = extra / "fonts"
    fonts.mkdir(parents=True)
    found = []
    for name in FONT_FILES:
        for folder in FONT_DIRS:
            path = Path(folder) / name
            if path.is_file():
                shutil.copyfile(path, fonts / name)
                found.append(name)
                break
    if "DejaVuSans.ttf" not in found:
        say("warning: DejaVu fonts not found (apt-get install fonts-dejavu-core); the PDF memo")
        say("         will use reportlab's Vera fonts, which cover fewer scripts")
    licences = extra / "licenses"
    licences.mkdir()
    for title, path in system_notices():
        if title.startswith("DejaVu") and not found:
            continue
        shutil.copyfile(path, licences / f"{title}.txt")
    return {"icons": len(icons), "fonts": found, "licences": sorted(os.listdir(licences))}


def run_pyinstaller(extra: Path, bundle_parent: Path, report: Path) -> Path:
    env = dict(
        os.environ,
        WORKBENCH_DIST_EXTRA=str(extra),
        WORKBENCH_DIST_ICONS=str(BUILD / "icons"),
        WORKBENCH_DIST_REPORT=str(report),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--workpath",
            str(BUILD / "pyinstaller"),
            "--distpath",
            str(bundle_parent),
            str(HERE / "claim-workbench.spec"),
        ],
        check=True,
        env=env,
        # Not the repository: its workbench/ folder would shadow the installed
        # package, which alone has resources/ and migrations/ inside it.
        cwd=BUILD,
    )
    return bundle_parent / COMMAND


def strip_debug_info(bundle: Path) -> int:
    """``strip --strip-debug`` on ELF files with debug sections; bytes saved.

    Only debug sections go: symbol tables stay, and libraries already
    stripped (Qt, the wheels' vendored ``*.libs``) are not rewritten.
    """
    tool = shutil.which("strip")
    if tool is None or not sys.platform.startswith("linux"):
        say("strip not found: debug information stays in the bundle (apt-get install binutils)")
        return 0
    saved = 0
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or not path.is_file() or not elf.is_elf(path):
            continue
        if any(part.endswith(".libs") for part in path.parts):
            continue
        if not elf.Elf(path).has_debug_info():
            continue
        before = path.stat().st_size
        subprocess.run([tool, "--strip-debug", str(path)], check=True)
        saved += before - path.stat().st_size
    return saved


def check_links(bundle: Path) -> tuple[list[str], list[str]]:
    """(Debian packages the bundle needs, problems): every DT_NEEDED must resolve.

    A library resolves when a file of that name is in the bundle or it is in
    :data:`trim.SYSTEM_LIBRARIES`; anything else would fail to load on a
    clean machine, so it is a problem to fix in trim.py, not to ship.
    """
    if not sys.platform.startswith("linux"):
        return [], []
    names = {p.name for p in bundle.rglob("*") if p.is_file() or p.is_symlink()}
    packages: set[str] = set()
    problems: list[str] = []
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or not path.is_file() or not elf.is_elf(path):
            continue
        for soname in elf.Elf(path).needed():
            if soname in names:
                continue
            package = trim.SYSTEM_LIBRARIES.get(soname)
            if package is None:
                problems.append(f"{path.relative_to(bundle)} links {soname}, which is not bundled")
            else:
                packages.add(package)
    return sorted(packages), problems


def share_files(share: Path, icons: Path, metainfo: str) -> None:
    """Desktop entry, icons and metainfo as ``share/`` (for the .tar.gz)."""
    (share / "applications").mkdir(parents=True)
    (share / "applications" / f"{APP_ID}.desktop").write_text(
        desktop.desktop_entry(), encoding="utf-8"
    )
    (share / "metainfo").mkdir(parents=True)
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(metainfo, encoding="utf-8")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copyfile(icons / "claim-workbench.svg", scalable / f"{APP_ID}.svg")
    for png in sorted((icons / "hicolor").glob("*/apps/claim-workbench.png")):
        target = share / "icons" / "hicolor" / png.parent.parent.name / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, target)


def platform_tag() -> str:
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return f"{system.rstrip('0123456789')}-{platform.machine().lower()}"


def make_tarball(bundle: Path, icons: Path, metainfo: str, out: Path) -> Path:
    top = f"{COMMAND}-{__version__}"
    path = out / f"{top}-{platform_tag()}.tar.gz"
    staging = BUILD / "tar" / top
    if staging.parent.exists():
        shutil.rmtree(staging.parent)
    shutil.copytree(bundle, staging, symlinks=True)
    share_files(staging / "share", icons, metainfo)
    (staging / "README.txt").write_text(TARBALL_README, encoding="utf-8")
    with tarfile.open(path, "w:gz", compresslevel=6) as tar:
        tar.add(staging, arcname=top)
    return path


TARBALL_README = """Claim Workbench, self-contained build for Linux.

It runs on distributions at least as new as the one it was built on (its
Python and libraries need that glibc or a newer one): CI builds on Debian 12
(glibc 2.36).

Run it from here:       ./claim-workbench            (the desktop app)
                        ./claim-workbench --help     (the command line)
Add it to your menu:    cp -r share/* ~/.local/share/
                        and link the launcher onto your PATH:
                        ln -s "$PWD/claim-workbench" ~/.local/bin/claim-workbench

Qt needs the desktop's own libraries (X11/xcb or Wayland, OpenGL, fontconfig,
GLib, D-Bus). On Debian or Ubuntu:
  sudo apt-get install libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \\
      libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \\
      libfontconfig1 libdbus-1-3 fonts-dejavu-core
Licences: Help > About in the app; the texts are in
_internal/workbench/resources/licenses and each bundled package's metadata.
"""

COPYRIGHT = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: claim-workbench
Comment: The package bundles Python, Qt (PySide6, LGPL-3.0) and the Python
 libraries the app uses, under /opt/claim-workbench. Their licences are shown
 by Help > About and are installed under
 /opt/claim-workbench/_internal/workbench/resources/licenses/ and in each
 bundled distribution's metadata (/opt/claim-workbench/_internal/*.dist-info/).
 The check-worthiness models carry their own terms: see
 /opt/claim-workbench/_internal/workbench/resources/models/*/PROVENANCE.md.

Files: *
Copyright: Claim Workbench developers
License: MIT

License: MIT
{licence}
"""


def biggest_parts(bundle: Path, n: int = 12) -> list[tuple[str, int]]:
    internal = bundle / "_internal"
    sizes: dict[str, int] = {}
    for path in internal.rglob("*"):
        if path.is_file() and not path.is_symlink():
            rel = path.relative_to(internal)
            key = rel.parts[0] if len(rel.parts) > 1 else "(top-level libraries)"
            if rel.parts[0] == "PySide6" and len(rel.parts) > 3:
                key = "/".join(rel.parts[:3])
            if rel.parts[0] == "workbench" and len(rel.parts) > 3:
                key = "/".join(rel.parts[:4])
            sizes[key] = sizes.get(key, 0) + path.stat().st_size
    return sorted(sizes.items(), key=lambda kv: -kv[1])[:n]


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--skip-deb", action="store_true", help="bundle and .tar.gz only")
    parser.add_argument(
        "--without-models",
        action="store_true",
        help="leave out the trained scorers (resources/models; see docs/PACKAGING.md)",
    )
    args = parser.parse_args()
    started = time.monotonic()
    timings: dict[str, float] = {}
    BUILD.mkdir(parents=True, exist_ok=True)
    args.out.mkdir(parents=True, exist_ok=True)

    def timed(step: str, t0: float) -> None:
        timings[step] = round(time.monotonic() - t0, 1)
        say(f"{step}: {timings[step]} s")

    t0 = time.monotonic()
    extra = BUILD / "extra"
    staged = stage_extra(extra)
    timed("stage", t0)

    t0 = time.monotonic()
    report_path = BUILD / "trim-report.json"
    if args.without_models:
        os.environ["WORKBENCH_DIST_WITHOUT_MODELS"] = "1"
    bundle = run_pyinstaller(extra, BUILD / "bundle", report_path)
    timed("pyinstaller", t0)
    trimmed = json.loads(report_path.read_text(encoding="utf-8"))

    t0 = time.monotonic()
    saved = strip_debug_info(bundle)
    packages, problems = check_links(bundle)
    timed("strip and check", t0)
    if trimmed.get("unresolved") or problems:
        for line in [*trimmed.get("unresolved", []), *problems]:
            say(f"error: {line}")
        return 1

    releases = desktop.changelog_releases(
        (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"),
        version=__version__,
        date=time.strftime("%Y-%m-%d", time.gmtime(_build_epoch())),
    )
    metainfo = desktop.metainfo(releases)

    t0 = time.monotonic()
    tarball = make_tarball(bundle, BUILD / "icons", metainfo, args.out)
    timed("tar.gz", t0)

    deb = None
    installed_kib = None
    if not args.skip_deb and shutil.which("dpkg-deb"):
        import debian

        t0 = time.monotonic()
        root = BUILD / "deb-root"
        if root.exists():
            shutil.rmtree(root)
        licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
        debian.lay_out(
            root,
            bundle=bundle,
            icons=BUILD / "icons",
            desktop_entry=desktop.desktop_entry(),
            metainfo=metainfo,
            copyright_text=COPYRIGHT.format(
                licence="\n".join(
                    f" {line}" if line.strip() else " ." for line in licence.splitlines()
                )
            ),
        )
        installed_kib = debian.installed_size_kib(root)
        arch = debian.architecture()
        control = debian.control(
            version=__version__,
            arch=arch,
            installed_kib=installed_kib,
            depends=debian.with_glibc_floor(packages),
            summary=desktop.SUMMARY,
        )
        deb = debian.build(
            root,
            args.out / f"{debian.PACKAGE}_{debian.debian_version(__version__)}_{arch}.deb",
            control_text=control,
        )
        timed("deb", t0)

    timings["total"] = round(time.monotonic() - started, 1)
    summary = {
        "version": __version__,
        "tarball": str(tarball),
        "tarball_bytes": tarball.stat().st_size,
        "deb": str(deb) if deb else None,
        "deb_bytes": deb.stat().st_size if deb else None,
        "installed_kib": installed_kib,
        "bundle_bytes": tree_size(bundle),
        "strip_saved_bytes": saved,
        "biggest": biggest_parts(bundle),
        "depends": packages,
        "staged": staged,
        "trimmed": trimmed,
        "timings_s": timings,
    }
    (BUILD / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    mb = 1e6
    tar_mb = tarball.stat().st_size / mb
    say(f"bundle {tree_size(bundle) / mb:.0f} MB; {tarball.name} {tar_mb:.0f} MB")
    if deb and installed_kib:
        say(
            f"{deb.name} {deb.stat().st_size / mb:.0f} MB, installed {installed_kib / 1024:.0f} MiB"
        )
    say(f"done in {timings['total']} s")
    return 0


def _build_epoch() -> int:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return int(epoch)
    try:
        return int(
            subprocess.run(
                ["git", "log", "-1", "--format=%ct"],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            ).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError, ValueError):
        return int(time.time())


if __name__ == "__main__":
    raise SystemExit(main())
