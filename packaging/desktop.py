"""The desktop integration files: the .desktop entry and the AppStream metainfo.

Both are generated, not kept as templates, because two of their parts come
from elsewhere in the repository: the version (``workbench.__version__``)
and the release notes (CHANGELOG.md, Keep a Changelog format).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from workbench.core.about import APP_ID, COMMAND

NAME = "Claim Workbench"
SUMMARY = "Check the claims in a news article against offline copies of their sources"
# The project's public web address.  AppStream requires web URLs for the
# screenshot (software centres download it); set WORKBENCH_PROJECT_URL when
# building to publish elsewhere.  docs/screenshot.png must be served at
# <project URL>/screenshot.png.
PROJECT_URL = os.environ.get("WORKBENCH_PROJECT_URL", "https://claim-workbench.invalid")
WM_CLASS = "workbench"
MIME_TYPES = ("text/html", "text/plain", "text/markdown")
DESCRIPTION = (
    "A desktop workbench for fact-checkers. Open a news article and the workbench shows "
    "it beside the claims worth checking, each with a check-worthiness score, its types "
    "and the facts it contains: numbers with their hedges, dates resolved against the "
    "dateline, quotes with their speakers, attributions with their sources. It also flags "
    "what the article contradicts about itself.",
    "For each claim you attach source URLs that support or refute it. The workbench keeps "
    "an offline snapshot of every source, with SHA-256 hashes, records your verdict and "
    "rationale, and exports a verification memo as Markdown, PDF, HTML or ClaimReview "
    "JSON-LD.",
    "It works fully offline. Everything lives in one SQLite file, and every change is "
    "saved the moment you make it.",
)


def desktop_entry() -> str:
    """The ``.desktop`` file.  ``%F``: files chosen with "Open with" arrive as paths."""
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            f"Name={NAME}",
            "GenericName=Fact-checking workbench",
            "Comment=Check the claims in a news article against their sources",
            f"Exec={COMMAND} %F",
            f"TryExec={COMMAND}",
            f"Icon={APP_ID}",
            "Terminal=false",
            "Categories=Office;Utility;",
            f"MimeType={';'.join(MIME_TYPES)};",
            "Keywords=fact-check;claims;verification;journalism;sources;memo;",
            "StartupNotify=true",
            # Qt on X11 sets WM_CLASS to (argv[0] name, application name): the
            # class is ui/app.APPLICATION, which desktops match against this.
            f"StartupWMClass={WM_CLASS}",
            "",
        ]
    )


@dataclass
class Release:
    version: str
    date: str
    kind: str  # "stable" or "development"
    sections: list[tuple[str, list[str]]] = field(default_factory=list)


_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?:\s*-\s*(?P<date>\d{4}-\d{2}-\d{2}))?")


def changelog_releases(text: str, *, version: str, date: str) -> list[Release]:
    """The releases in a Keep a Changelog file, newest first.

    ``[Unreleased]`` becomes a development release of ``version`` dated
    ``date`` (the build's), unless the file already has a section for that
    version.  List items may span several lines.
    """
    releases: list[Release] = []
    current: Release | None = None
    items: list[str] | None = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            name = heading.group("version")
            if name.lower() == "unreleased":
                current = Release(version, date, "development")
            else:
                current = Release(name, heading.group("date") or date, "stable")
            releases.append(current)
            items = None
        elif current is not None and line.startswith("### "):
            items = []
            current.sections.append((line[4:].strip(), items))
        elif items is not None and line.startswith("- "):
            items.append(line[2:].strip())
        elif items is not None and items and line.startswith("  ") and line.strip():
            items[-1] += " " + line.strip()
    if any(r.version == version and r.kind == "stable" for r in releases):
        releases = [r for r in releases if r.kind != "development"]
    return releases


def _inline(text: str) -> str:
    """Markdown inline marks to the few AppStream allows (code, em); the rest as text."""
    out: list[str] = []
    for i, part in enumerate(re.split(r"`([^`]*)`", text)):
        if i % 2:
            out.append(f"<code>{escape(part)}</code>")
        else:
            part = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", part)  # links: their text
            escaped = escape(part)
            escaped = re.sub(r"\*\*([^*]+)\*\*", r"<em>\1</em>", escaped)
            out.append(escaped)
    return "".join(out)


def metainfo(releases: list[Release]) -> str:
    """The AppStream metainfo XML (``/usr/share/metainfo/<id>.metainfo.xml``)."""
    description = "\n".join(f"    <p>{escape(p)}</p>" for p in DESCRIPTION)
    release_xml: list[str] = []
    for release in releases:
        body: list[str] = []
        for title, entries in release.sections:
            if not entries:
                continue
            body.append(f"          <p>{escape(title)}:</p>")
            body.append("          <ul>")
            body.extend(f"            <li>{_inline(entry)}</li>" for entry in entries)
            body.append("          </ul>")
        release_xml.append(
            f'    <release version="{escape(release.version)}" date="{release.date}" '
            f'type="{release.kind}">\n        <description>\n'
            + "\n".join(body)
            + "\n        </description>\n    </release>"
        )
    mimes = "\n".join(f"    <mediatype>{m}</mediatype>" for m in MIME_TYPES)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<component type="desktop-application">
  <id>{APP_ID}</id>
  <metadata_license>CC0-1.0</metadata_license>
  <project_license>MIT</project_license>
  <name>{NAME}</name>
  <summary>{escape(SUMMARY)}</summary>
  <developer_name>Claim Workbench developers</developer_name>
  <description>
{description}
  </description>
  <launchable type="desktop-id">{APP_ID}.desktop</launchable>
  <icon type="stock">{APP_ID}</icon>
  <url type="homepage">{PROJECT_URL}</url>
  <categories>
    <category>Office</category>
    <category>Utility</category>
  </categories>
  <keywords>
    <keyword>fact-check</keyword>
    <keyword>claims</keyword>
    <keyword>verification</keyword>
    <keyword>journalism</keyword>
  </keywords>
  <provides>
    <binary>{COMMAND}</binary>
{mimes}
  </provides>
  <screenshots>
    <screenshot type="default">
      <caption>An article beside its claims, with a claim's detail and evidence</caption>
      <image type="source" width="1400" height="900">{PROJECT_URL}/screenshot.png</image>
    </screenshot>
  </screenshots>
  <content_rating type="oars-1.1"/>
  <supports>
    <control>pointing</control>
    <control>keyboard</control>
  </supports>
  <releases>
{chr(10).join(release_xml)}
  </releases>
</component>
"""
