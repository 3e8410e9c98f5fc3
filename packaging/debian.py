"""Lay out and build the Debian package with dpkg-deb (no debhelper, no fakeroot).

::

    /opt/claim-workbench/                      the PyInstaller bundle
    /usr/bin/claim-workbench                   -> ../../opt/claim-workbench/claim-workbench
    /usr/share/applications/<id>.desktop
    /usr/share/icons/hicolor/{scalable,NxN}/apps/<id>.{svg,png}
    /usr/share/metainfo/<id>.metainfo.xml
    /usr/share/doc/claim-workbench/copyright

The launcher is a *relative* symlink, so the package also works extracted
into any folder (``dpkg-deb -x``; the CI smoke test runs it that way); the
bundle finds its own files from the real path of its executable.  The menu
and icon caches are refreshed by the triggers of desktop-file-utils and the
icon theme, so the package needs no maintainer scripts.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

from workbench.core.about import APP_ID, COMMAND

PACKAGE = "claim-workbench"
INSTALL_DIR = Path("opt") / PACKAGE
MAINTAINER = "Claim Workbench developers <maintainers@claim-workbench.invalid>"


def architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], check=True, capture_output=True, text=True
    ).stdout.strip()


def debian_version(version: str) -> str:
    """``0.1.0`` -> ``0.1.0``; a PEP 440 pre-release ``0.2.0rc1`` -> ``0.2.0~rc1`` (sorts first)."""
    for mark in ("rc", "b", "a", ".dev"):
        if mark in version:
            head, _, tail = version.partition(mark)
            return f"{head}~{mark.lstrip('.')}{tail}"
    return version


def lay_out(
    root: Path,
    *,
    bundle: Path,
    icons: Path,
    desktop_entry: str,
    metainfo: str,
    copyright_text: str,
) -> None:
    """Fill ``root`` with the package's files (``root`` must not exist)."""
    shutil.copytree(bundle, root / INSTALL_DIR, symlinks=True)
    bin_dir = root / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / COMMAND).symlink_to(Path("..", "..", INSTALL_DIR, COMMAND))
    share = root / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    (share / "applications" / f"{APP_ID}.desktop").write_text(desktop_entry, encoding="utf-8")
    (share / "metainfo").mkdir(parents=True)
    (share / "metainfo" / f"{APP_ID}.metainfo.xml").write_text(metainfo, encoding="utf-8")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copyfile(icons / f"{PACKAGE}.svg", scalable / f"{APP_ID}.svg")
    for png in sorted((icons / "hicolor").glob(f"*/apps/{PACKAGE}.png")):
        target = share / "icons" / "hicolor" / png.parent.parent.name / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, target)
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(copyright_text, encoding="utf-8")
    _normalise_modes(root)


def _normalise_modes(root: Path) -> None:
    """0755 for folders and executables, 0644 for the rest, whatever the umask was."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        if path.is_dir() or mode & stat.S_IXUSR:
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def with_glibc_floor(depends: list[str], glibc: str | None = None) -> list[str]:
    """``libc6`` with the build machine's glibc as the lowest version.

    The bundle's Python and libraries were linked there and may use symbols
    of that glibc; on an older system the package would install and then not
    start.  The build's own version is a safe floor (the true one may be lower).
    """
    import platform

    version = glibc or platform.libc_ver()[1]
    if not version:
        return depends
    return [f"libc6 (>= {version})" if d == "libc6" else d for d in depends]


def installed_size_kib(root: Path) -> int:
    """Installed-Size as dpkg computes it: KiB, each file rounded up, symlinks one each."""
    total = 0
    for path in root.rglob("*"):
        if path.is_symlink() or path.is_dir():
            total += 1
        elif path.is_file():
            total += (path.stat().st_size + 1023) // 1024
    return total


def control(
    *, version: str, arch: str, installed_kib: int, depends: list[str], summary: str
) -> str:
    """The DEBIAN/control file."""
    description = "\n".join(
        [
            f"Description: {summary}",
            " A desktop workbench for fact-checkers: open a news article and see the",
            " claims worth checking, with their facts (numbers, dates, quotes,",
            " attributions) and what the article contradicts about itself. Attach",
            " sources, keep offline snapshots with hashes, record verdicts and export",
            " a verification memo (Markdown, PDF, HTML, ClaimReview JSON-LD).",
            " .",
            " Self-contained: Python, Qt, spaCy and the scorer models are bundled",
            " under /opt/claim-workbench; it works fully offline.",
        ]
    )
    return (
        "\n".join(
            [
                f"Package: {PACKAGE}",
                f"Version: {debian_version(version)}",
                f"Architecture: {arch}",
                f"Maintainer: {MAINTAINER}",
                f"Installed-Size: {installed_kib}",
                f"Depends: {', '.join(depends)}",
                "Recommends: fonts-dejavu-core",
                "Section: text",
                "Priority: optional",
                description,
            ]
        )
        + "\n"
    )


def build(root: Path, out: Path, *, control_text: str) -> Path:
    """Write DEBIAN/control and run dpkg-deb; returns the .deb."""
    debian = root / "DEBIAN"
    debian.mkdir()
    (debian / "control").write_text(control_text, encoding="utf-8")
    debian.chmod(0o755)
    (debian / "control").chmod(0o644)
    out.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", str(_source_date_epoch()))
    subprocess.run(
        [
            "dpkg-deb",
            "--root-owner-group",
            "-Zxz",
            "-z6",
            "--build",
            str(root),
            str(out),
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return out


def _source_date_epoch() -> int:
    try:
        return int(
            subprocess.run(
                ["git", "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True
            ).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError, ValueError):
        return 0
