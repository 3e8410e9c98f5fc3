"""Unicode-capable fonts for the PDF memo, found at run time.

The PDF must keep every character a claim or a source holds: the 14 standard
PDF fonts only know Latin-1, so the memo uses TrueType fonts.  DejaVu (wide
coverage: Latin, Greek, Cyrillic, Hebrew, Arabic, many symbols) is taken from
the workbench's resources or the system when present; reportlab's bundled
Bitstream Vera is the fallback that always exists.  Characters no available
font can draw are written as ``[U+XXXX]``: the memo then still says what was
there instead of showing an empty box whose text is lost.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Literal

_FAMILY_FILES = {
    "DejaVuSans": (
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique.ttf",
        "DejaVuSans-BoldOblique.ttf",
    ),
    "Vera": ("Vera.ttf", "VeraBd.ttf", "VeraIt.ttf", "VeraBI.ttf"),
}
# Wide-coverage fonts tried, in order, for characters the main font lacks.
_FALLBACK_FILES = (
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "DroidSansFallbackFull.ttf",
    "DroidSansFallback.ttf",
    "NotoSansSymbols2-Regular.ttf",
    "DejaVuSansMono.ttf",
)
_SYSTEM_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/truetype",
    "/usr/share/fonts/truetype/droid",
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/noto",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts/Supplemental",
    "C:/Windows/Fonts",
)


@dataclass(slots=True)
class FontSet:
    """Registered reportlab font names and their glyph coverage."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    mono: str = "Courier"
    fallbacks: tuple[tuple[str, frozenset[int]], ...] = ()
    _covered: frozenset[int] = frozenset()
    _cache: dict[str, str] = field(default_factory=dict)

    def markup(self, escaped: str) -> str:
        """Reportlab markup for already XML-escaped text, every character kept.

        Characters the main font lacks are drawn with a fallback font, or
        spelled out as ``[U+XXXX]`` when no font has them.  Zero-width
        joiners and variation selectors without a glyph are dropped: they
        only modify the character before them.
        """
        if escaped.isascii():
            return escaped
        out: list[str] = []
        for ch in escaped:
            code = ord(ch)
            if code < 128 or code in self._covered:
                out.append(ch)
                continue
            cached = self._cache.get(ch)
            if cached is None:
                cached = self._fallback(ch)
                self._cache[ch] = cached
            out.append(cached)
        return "".join(out)

    def plain(self, ch: str) -> str:
        """One character for a plain drawString in the main font (no fallback fonts)."""
        code = ord(ch)
        if code < 128 or code in self._covered:
            return ch
        if unicodedata.category(ch) in ("Cf", "Mn", "Me") or 0xFE00 <= code <= 0xFE0F:
            return ""
        return f"[U+{code:04X}]"

    def _fallback(self, ch: str) -> str:
        code = ord(ch)
        for name, covered in self.fallbacks:
            if code in covered:
                return f'<font face="{name}">{ch}</font>'
        if unicodedata.category(ch) in ("Cf", "Mn", "Me") or 0xFE00 <= code <= 0xFE0F:
            return ""
        return f"[U+{code:04X}]"


_LOCK = threading.Lock()
_FONTS: FontSet | None = None


def memo_fonts() -> FontSet:
    """Find and register the memo fonts once per process (thread-safe)."""
    global _FONTS
    with _LOCK:
        if _FONTS is None:
            _FONTS = _register()
        return _FONTS


def _search_dirs() -> list[Path]:
    dirs: list[Path] = []
    env = os.environ.get("WORKBENCH_FONT_DIR")
    if env:
        dirs.append(Path(env))
    try:
        from workbench.core.paths import resource_path

        dirs.append(resource_path("fonts"))
    except (ModuleNotFoundError, ImportError, TypeError):
        pass
    dirs.extend(Path(d) for d in _SYSTEM_DIRS)
    dirs.append(Path.home() / ".fonts")
    dirs.append(Path.home() / ".local/share/fonts")
    # matplotlib bundles DejaVu; use it when installed, without importing it.
    spec = find_spec("matplotlib")
    if spec is not None and spec.origin:
        dirs.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    spec = find_spec("reportlab")
    if spec is not None and spec.origin:
        dirs.append(Path(spec.origin).parent / "fonts")
    return dirs


def _find(filename: str, dirs: list[Path]) -> Path | None:
    for directory in dirs:
        candidate = directory / filename
        if candidate.is_file():
            return candidate
    return None


def _register() -> FontSet:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    dirs = _search_dirs()
    for family, files in _FAMILY_FILES.items():
        paths = [_find(f, dirs) for f in files]
        if paths[0] is None:
            continue
        names = []
        try:
            for style, path in zip(("", "-Bold", "-Italic", "-BoldItalic"), paths, strict=True):
                name = f"WB-{family}{style}"
                # A missing style falls back to the regular face: bold is nice,
                # the text is essential.
                pdfmetrics.registerFont(TTFont(name, str(path or paths[0])))
                names.append(name)
        except (TTFError, OSError):
            continue
        mappings: tuple[tuple[Literal[0, 1], Literal[0, 1], str], ...] = (
            (0, 0, names[0]),
            (1, 0, names[1]),
            (0, 1, names[2]),
        )
        for bold, italic, name in mappings:
            addMapping(names[0], bold, italic, name)
        addMapping(names[0], 1, 1, names[3])
        covered = _coverage(pdfmetrics.getFont(names[0]))
        return FontSet(
            regular=names[0],
            bold=names[1],
            italic=names[2],
            bold_italic=names[3],
            fallbacks=tuple(_fallbacks(dirs, covered)),
            _covered=covered,
        )
    # No TrueType font at all (reportlab without its data files): Latin-1 only.
    return FontSet(
        regular="Helvetica",
        bold="Helvetica-Bold",
        italic="Helvetica-Oblique",
        bold_italic="Helvetica-BoldOblique",
        _covered=frozenset(range(160, 256)),
    )


def _coverage(font: object) -> frozenset[int]:
    face = getattr(font, "face", None)
    char_to_glyph = getattr(face, "charToGlyph", {})
    return frozenset(code for code, glyph in char_to_glyph.items() if glyph)


def _fallbacks(dirs: list[Path], covered: frozenset[int]) -> list[tuple[str, frozenset[int]]]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    result = []
    for filename in _FALLBACK_FILES:
        path = _find(filename, dirs)
        if path is None:
            continue
        name = f"WB-Fallback-{Path(filename).stem}"
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except (TTFError, OSError):
            continue
        extra = _coverage(pdfmetrics.getFont(name)) - covered
        if extra:
            result.append((name, extra))
    return result
