"""The packaging scripts' parts that run without PyInstaller: entry, metainfo, trimming, ELF, deb.

The whole build is exercised by CI's packaging job (``make dist`` then
``make dist-smoke``); these tests pin the pieces it is made of, with the
real validators and dpkg-deb where the machine has them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import debian
import desktop
import elf
import pytest
import trim

from workbench.core.about import APP_ID, COMMAND

ROOT = Path(__file__).resolve().parents[3]

CHANGELOG = """# Changelog

## [Unreleased]

### Added
- A **bold** move: `claim-workbench FILE` opens the file,
  and the item goes on here.
- Second item with <angle> & ampersand.

## [0.0.9] - 2026-01-02

### Fixed
- Something [linked](https://example.invalid/x) was fixed.
"""


def test_changelog_sections_become_releases_newest_first() -> None:
    releases = desktop.changelog_releases(CHANGELOG, version="0.1.0", date="2026-02-03")
    assert [(r.version, r.date, r.kind) for r in releases] == [
        ("0.1.0", "2026-02-03", "development"),
        ("0.0.9", "2026-01-02", "stable"),
    ]
    title, items = releases[0].sections[0]
    assert title == "Added"
    assert items[0] == (
        "A **bold** move: `claim-workbench FILE` opens the file, and the item goes on here."
    )


def test_a_released_version_replaces_the_unreleased_section() -> None:
    text = CHANGELOG.replace("## [0.0.9]", "## [0.1.0]")
    releases = desktop.changelog_releases(text, version="0.1.0", date="2026-02-03")
    assert [(r.version, r.kind) for r in releases] == [("0.1.0", "stable")]


def test_metainfo_is_well_formed_and_carries_the_release_notes() -> None:
    releases = desktop.changelog_releases(CHANGELOG, version="0.1.0", date="2026-02-03")
    root = ET.fromstring(desktop.metainfo(releases))
    assert root.findtext("id") == APP_ID
    assert root.find("launchable").text == f"{APP_ID}.desktop"  # type: ignore[union-attr]
    assert root.find("screenshots/screenshot/image").text.startswith("https://")  # type: ignore[union-attr]
    first = root.find("releases/release")
    assert first is not None and first.get("version") == "0.1.0"
    items = first.findall("description/ul/li")
    assert ET.tostring(items[0], encoding="unicode").count("<code>claim-workbench FILE</code>") == 1
    assert items[1].text == "Second item with <angle> & ampersand."
    assert "linked was fixed" in "".join(root.find("releases/release[2]").itertext())  # type: ignore[union-attr]


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream not installed")
def test_the_real_metainfo_passes_appstreamcli(tmp_path: Path) -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = desktop.changelog_releases(changelog, version="0.1.0", date="2026-02-03")
    assert releases and releases[0].sections
    path = tmp_path / f"{APP_ID}.metainfo.xml"
    path.write_text(desktop.metainfo(releases), encoding="utf-8")
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout


def test_the_desktop_entry_opens_files_and_names_the_types() -> None:
    entry = desktop.desktop_entry()
    lines = dict(line.split("=", 1) for line in entry.splitlines() if "=" in line)
    assert lines["Exec"] == f"{COMMAND} %F"
    assert lines["Icon"] == APP_ID
    assert lines["Categories"] == "Office;Utility;"
    assert {"text/html", "text/plain"} <= set(lines["MimeType"].rstrip(";").split(";"))


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no desktop-file-utils")
def test_the_desktop_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    path = tmp_path / f"{APP_ID}.desktop"
    path.write_text(desktop.desktop_entry(), encoding="utf-8")
    done = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and "error" not in done.stdout, done.stdout


@pytest.mark.parametrize(
    ("folder", "filename", "kept"),
    [
        ("platforms", "libqxcb.so", True),
        ("platforms", "libqwayland.so", True),
        ("platforms", "libqoffscreen.so", True),
        ("platforms", "qwindows.dll", True),
        ("platforms", "libqeglfs.so", False),
        ("platforms", "libqvnc.so", False),
        ("imageformats", "libqsvg.so", True),
        ("imageformats", "libqjpeg.so", False),
        ("tls", "libqopensslbackend.so", False),
        ("sqldrivers", "libqsqlite.so", False),
        ("platformthemes", "libqgtk3.so", False),
        ("brand-new-folder", "libqwhatever.so", False),
    ],
)
def test_only_the_plugins_the_app_uses_stay(folder: str, filename: str, kept: bool) -> None:
    keep, why = trim.plugin_verdict(folder, filename)
    assert keep is kept
    assert why


def test_trimmed_data_keeps_english_locale_data_only() -> None:
    pattern, _why = trim.TRIMMED_DATA["babel/locale-data/"]
    assert pattern.match("en.dat") and pattern.match("en_GB.dat") and pattern.match("root.dat")
    assert not pattern.match("de.dat") and not pattern.match("english.dat")


def _pyside_module(name: str) -> Path:
    import PySide6

    return next(Path(PySide6.__file__).parent.glob(f"{name}.*.so"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF is Linux's format")
def test_elf_reading_finds_direct_links_only() -> None:
    qtcore = _pyside_module("QtCore")
    needed = elf.needed(qtcore)
    assert "libQt6Core.so.6" in needed
    # ICU is linked by libQt6Core, not by the Python module: no transitive entries.
    assert not any(n.startswith("libicu") for n in needed)
    assert elf.needed(ROOT / "README.md") == []


def test_libc6_gets_the_build_machines_glibc_as_its_floor() -> None:
    assert debian.with_glibc_floor(["libc6", "libx11-6"], glibc="2.36") == [
        "libc6 (>= 2.36)",
        "libx11-6",
    ]
    if sys.platform.startswith("linux"):
        assert debian.with_glibc_floor(["libc6"])[0].startswith("libc6 (>= 2.")


def test_debian_versions_sort_pre_releases_first() -> None:
    assert debian.debian_version("0.1.0") == "0.1.0"
    assert debian.debian_version("0.2.0rc1") == "0.2.0~rc1"
    assert debian.debian_version("1.0.0.dev3") == "1.0.0~dev3"


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is Debian's")
def test_the_package_layout_with_dpkg_deb(tmp_path: Path) -> None:
    """A stand-in bundle (one script) packaged for real; the launcher symlink is relative."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    program = bundle / COMMAND
    program.write_text('#!/bin/sh\necho bundled "$@"\n', encoding="utf-8")
    program.chmod(0o700)
    icons = tmp_path / "icons"
    (icons / "hicolor" / "16x16" / "apps").mkdir(parents=True)
    (icons / "claim-workbench.svg").write_text("<svg/>", encoding="utf-8")
    (icons / "hicolor" / "16x16" / "apps" / "claim-workbench.png").write_bytes(b"png")
    root = tmp_path / "root"
    debian.lay_out(
        root,
        bundle=bundle,
        icons=icons,
        desktop_entry=desktop.desktop_entry(),
        metainfo="<component/>",
        copyright_text="Files: *\n",
    )
    control = debian.control(
        version="0.1.0",
        arch="all",
        installed_kib=debian.installed_size_kib(root),
        depends=debian.with_glibc_floor(["libc6"], glibc="2.36"),
        summary="test",
    )
    deb = debian.build(root, tmp_path / "out" / "x.deb", control_text=control)
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    assert f"./usr/bin/{COMMAND} -> ../../opt/claim-workbench/{COMMAND}" in listing
    assert "-rwxr-xr-x root/root" in next(
        line for line in listing.splitlines() if line.endswith(f"opt/claim-workbench/{COMMAND}")
    )
    assert f"./usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg" in listing
    info = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Depends"], capture_output=True, text=True, check=True
    ).stdout
    assert info.strip() == "libc6 (>= 2.36)"
    assert f"./usr/share/icons/hicolor/16x16/apps/{APP_ID}.png" in listing
    extracted = tmp_path / "extracted"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(extracted)], check=True)
    ran = subprocess.run(
        [str(extracted / "usr" / "bin" / COMMAND), "hello"], capture_output=True, text=True
    )
    assert ran.stdout.strip() == "bundled hello"
