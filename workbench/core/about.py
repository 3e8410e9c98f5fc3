"""What the About dialog says: version, licence, third-party licences, scorer provenance.

Qt-free, so the same facts can be printed or tested without a display.  The
third-party list is read from the metadata of the installed distributions
the app depends on (its dependency closure, not whatever else shares the
environment).  A pip install and the PyInstaller bundle answer the same way:
the bundle carries each of those distributions' metadata and licence files
(``packaging/claim-workbench.spec`` copies them, using
:func:`runtime_distributions` too).  Licences of what is not a Python
distribution (the Python runtime itself, Qt's LGPL text, the DejaVu fonts of
the PDF memo) are files in ``resources/licenses/`` in a bundle, found on the
system otherwise.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from workbench import __version__
from workbench.core.identity import APP_ID, COMMAND
from workbench.core.paths import resource_path

__all__ = ["APP_ID", "COMMAND", "Component", "runtime_distributions", "third_party"]

APP_DISTRIBUTION = "claim-workbench"
LICENCE_FILE = re.compile(r"(?i)^(licen[cs]e|copying|notice|thirdpartynotices|authors)")
_SPDX_HINTS = (
    ("apache", "Apache-2.0"),
    ("lgpl", "LGPL"),
    ("gpl", "GPL"),
    ("mit", "MIT"),
    ("bsd", "BSD"),
    ("psf", "PSF-2.0"),
    ("python software foundation", "PSF-2.0"),
    ("mozilla", "MPL-2.0"),
    ("isc", "ISC"),
)


@dataclass(frozen=True, slots=True)
class Component:
    """One third-party component and the terms it ships under."""

    name: str
    version: str
    licence: str
    """A short name (an SPDX expression where the metadata gives one)."""
    texts: tuple[tuple[str, str], ...]
    """(file name, text) of each licence or notice file found."""


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_distributions(root: str = APP_DISTRIBUTION) -> list[str]:
    """``root`` and every distribution it requires, transitively, as installed here.

    Extras are followed where a requirement asks for them (justext needs
    ``lxml[html_clean]``), not otherwise; requirements whose environment
    marker is false are skipped, and so are requirements that are not
    installed (they cannot ship).  Sorted case-insensitively.
    """
    from packaging.requirements import InvalidRequirement, Requirement

    seen: dict[str, str] = {}
    extras_seen: set[tuple[str, str]] = set()
    todo: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    while todo:
        name, extras = todo.pop()
        key = _key(name)
        new_extras = {e for e in extras if (key, e) not in extras_seen}
        if key in seen and not new_extras:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist.metadata["Name"] or name
        extras_seen.update((key, e) for e in new_extras)
        wanted = ["", *sorted(new_extras)]
        for line in dist.requires or ():
            try:
                req = Requirement(line)
            except InvalidRequirement:
                continue
            if req.marker is not None and not any(
                req.marker.evaluate({"extra": extra}) for extra in wanted
            ):
                continue
            todo.append((req.name, frozenset(_key(e) for e in req.extras)))
    return sorted(seen.values(), key=str.lower)


def licence_name(meta: metadata.PackageMetadata) -> str:
    """The licence in a few words: the SPDX expression, else the License field, else classifiers."""
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    field = _field(meta, "License")
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::") and c.split("::")[-1].strip() != "OSI Approved"
    ]
    if field and "\n" not in field and len(field) <= 80:
        return field
    if classifiers:
        return " / ".join(classifiers)
    if field:  # the whole licence text pasted into the field: name it by its first words
        head = field.lower()[:200]
        for needle, short in _SPDX_HINTS:
            if needle in head:
                return short
        return field.splitlines()[0][:80]
    return "unknown (see the distribution's files)"


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    values = meta.get_all(name) or []
    return str(values[0]).strip() if values else ""


def licence_files(dist: metadata.Distribution) -> list[Path]:
    """Licence and notice files of an installed distribution that exist on disk."""
    found: list[Path] = []
    for entry in dist.files or ():
        name = Path(str(entry)).name
        if not LICENCE_FILE.match(name) or str(entry).endswith((".py", ".pyc")):
            continue
        path = Path(str(dist.locate_file(entry)))
        if path.is_file() and path not in found:
            found.append(path)
    return found


def third_party(root: str = APP_DISTRIBUTION) -> list[Component]:
    """Every distribution the app ships with (itself excluded), with its licence texts."""
    components: list[Component] = []
    for name in runtime_distributions(root):
        if _key(name) == _key(root):
            continue
        dist = metadata.distribution(name)
        base = Path(str(dist.locate_file("")))
        texts = tuple((_relative(p, base), _read(p)) for p in licence_files(dist))
        components.append(Component(name, dist.version, licence_name(dist.metadata), texts))
    return components


def app_licence() -> str:
    """The workbench's own licence text (MIT), from its installed metadata."""
    try:
        dist = metadata.distribution(APP_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "MIT License (the LICENSE file of the source tree)."
    for path in licence_files(dist):
        if path.name.upper().startswith("LICEN"):
            return _read(path)
    return licence_name(dist.metadata)


def other_notices() -> list[tuple[str, str]]:
    """(title, text) of licences for what ships without Python metadata.

    A bundle carries them in ``resources/licenses/`` (build time: the Python
    runtime's licence, Qt's LGPL-3.0 and GPL-3.0 texts, the DejaVu fonts'
    licence).  In a development install the Python licence is read from the
    interpreter's standard library folder.
    """
    notices: list[tuple[str, str]] = []
    folder = resource_path("licenses")
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file():
                notices.append((path.stem.replace("_", " "), _read(path)))
        return notices
    for title, path in system_notices():
        notices.append((title, _read(path)))
    return notices


def system_notices() -> list[tuple[str, Path]]:
    """Licence files on this system for the parts that ship without Python metadata.

    ``packaging/build.py`` copies these into a bundle's ``resources/licenses/``;
    a development install shows them from where they are.
    """
    common = Path("/usr/share/common-licenses")
    candidates = (
        ("Python", Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"),
        ("Qt and PySide6 (LGPL-3.0)", common / "LGPL-3"),
        (
            "Qt and PySide6 (GPL-3.0, referenced by the LGPL)",
            Path("/usr/share/common-licenses/GPL-3"),
        ),
        ("DejaVu fonts", Path("/usr/share/doc/fonts-dejavu-core/copyright")),
    )
    return [(title, path) for title, path in candidates if path.is_file()]


def provenance() -> list[tuple[str, str]]:
    """(model folder, PROVENANCE.md text) of each scorer model that ships."""
    models = resource_path("models")
    if not models.is_dir():
        return []
    return [
        (folder.name, _read(folder / "PROVENANCE.md"))
        for folder in sorted(models.iterdir())
        if (folder / "PROVENANCE.md").is_file()
    ]


def version() -> str:
    return __version__


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.name


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"({path.name} could not be read: {exc.strerror or exc})"
