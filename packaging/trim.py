"""Which parts of Qt go into the bundle: the plugins the app uses, and the libraries they need.

PyInstaller's PySide6 hooks collect every plugin of the Qt modules the app
imports (QtCore, QtGui, QtWidgets and, for the single-instance socket,
QtNetwork), and then every library those plugins link.  Most of them serve
programs unlike this one: embedded displays, QML, SQL, printing, TLS.  The
spec calls :func:`prune` on the analysis; what it leaves out, and why, is
written to a report that ``build.py`` turns into ``bench/results/dist.md``.

Platform-neutral: the plugin names below cover Linux (xcb, Wayland), Windows
and macOS; a plugin that does not exist on a platform simply never matches.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

# Plugin folder -> {plugin name (file stem without "lib"): why it stays}.
# A folder that is not listed is left out whole (see LEFT_OUT_FOLDERS).
KEPT_PLUGINS: dict[str, dict[str, str]] = {
    "platforms": {
        "qxcb": "X11 desktops",
        "qwayland": "Wayland desktops (GNOME and KDE default)",
        "qoffscreen": "headless runs (CI smoke test, QT_QPA_PLATFORM=offscreen)",
        "qwindows": "Windows",
        "qcocoa": "macOS",
    },
    "xcbglintegrations": {
        "qxcb-glx-integration": "the xcb plugin probes GL through it",
        "qxcb-egl-integration": "the xcb plugin probes GL through it",
    },
    "wayland-shell-integration": {"xdg-shell": "the window shell every Wayland desktop speaks"},
    "wayland-decoration-client": {"bradient": "title bars where the compositor draws none"},
    "platformthemes": {"qxdgdesktopportal": "native file dialogs through the desktop portal"},
    "platforminputcontexts": {
        "composeplatforminputcontextplugin": "dead keys and compose sequences (accents)",
        "ibusplatforminputcontextplugin": "input methods (IBus)",
    },
    "imageformats": {"qsvg": "the SVG application icon"},
    "iconengines": {"qsvgicon": "the SVG application icon at every size"},
    "styles": {
        "qwindowsvistastyle": "native look on Windows",
        "qmodernwindowsstyle": "native look on Windows 11",
        "qmacstyle": "native look on macOS",
    },
}

LEFT_OUT_PLUGINS: dict[str, str] = {
    "platforms/qeglfs": "full-screen embedded displays",
    "platforms/qlinuxfb": "framebuffer without a window system",
    "platforms/qminimal": "test platform without output",
    "platforms/qminimalegl": "test platform without output",
    "platforms/qvnc": "serving the window over VNC",
    "platforms/qvkkhrdisplay": "Vulkan on a bare display",
    "platformthemes/qgtk3": "needs GTK 3 libraries; the portal theme gives native dialogs",
    "platforminputcontexts/qtvirtualkeyboardplugin": "on-screen keyboard; needs QtQuick",
    "imageformats": "the app shows no raster images other than PNG (built into Qt)",
}

LEFT_OUT_FOLDERS: dict[str, str] = {
    "egldeviceintegrations": "embedded EGL displays (eglfs)",
    "generic": "evdev/tslib input for embedded displays",
    "networkinformation": "network reachability; the app uses only a local socket",
    "tls": "TLS for QtNetwork; the fetcher uses Python's own ssl, not Qt",
    "printsupport": "printing; the memo is exported as PDF by reportlab",
    "sqldrivers": "QtSql; storage is SQLAlchemy on sqlite3",
    "qmltooling": "QML debugging",
    "designer": "Qt Designer plugins",
    "vectorimageformats": "Lottie animations; needs QtQuick",
    "wayland-graphics-integration-client": "OpenGL on Wayland; the widgets draw in software",
    "wayland-graphics-integration-server": "for Wayland compositors, not clients",
    "wayland-decoration-client": "other decoration styles",
    "wayland-shell-integration": "shells other than xdg-shell (IVI, layer shell, wl-shell)",
    "multimedia": "sound and video",
    "position": "positioning",
    "sensors": "sensors",
    "sceneparsers": "Qt3D",
    "renderers": "Qt3D",
    "geometryloaders": "Qt3D",
    "accessiblebridge": "(none on Linux)",
}

EXCLUDED_MODULES = [
    # Development and training tools that may sit in the build environment.
    "tkinter",
    "torch",
    "matplotlib",
    "IPython",
    "pytest",
    "hypothesis",
    "mypy",
    "ruff",
    # Pillow: reportlab imports PIL.Image at start (it must stay), but the memo
    # embeds no images, so the codecs and font/colour/Qt/Tk bridges that link
    # big libraries (AVIF, WebP, FreeType, LittleCMS) stay out.
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL._imagingft",
    "PIL.ImageFont",
    "PIL._imagingcms",
    "PIL.ImageCms",
    "PIL._imagingtk",
    "PIL.ImageTk",
    "PIL.ImageQt",
    # Qt modules the app never imports (PySide6-Essentials ships them).
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtPrintSupport",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtXml",
    "PySide6.QtDBus",
    "PySide6.QtConcurrent",
    "PySide6.QtSvgWidgets",
]

# Linux: libraries the desktop provides.  The bundle leaves them out (a copy
# from the build machine can clash with the system's drivers and font
# configuration: Mesa's libGL wants the system libstdc++, fontconfig its own
# config format), and the Debian package depends on them instead.  These are
# the same packages the README lists for a pip install.  soname -> package.
SYSTEM_LIBRARIES: dict[str, str] = {
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libgmodule-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libz.so.1": "zlib1g",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6",
    "librt.so.1": "libc6",
    "libutil.so.1": "libc6",
    "libresolv.so.2": "libc6",
    "ld-linux-x86-64.so.2": "libc6",
    "ld-linux-aarch64.so.1": "libc6",
}

# Data files left out, by bundle path prefix: (kept file names, why).
# Babel's locale data (33 MB) serves courlan's language filter for URLs,
# which runs only when a target language is given; the workbench never
# gives one.  English and the root locale stay, for anything that asks.
TRIMMED_DATA: dict[str, tuple[re.Pattern[str], str]] = {
    "babel/locale-data/": (
        re.compile(r"^(root|en|en_[A-Za-z0-9_]+)\.dat$"),
        "courlan's URL language filter, never used by the app (English and root kept)",
    ),
}

_PLUGIN = re.compile(r"(?:^|/)PySide6/(?:Qt/)?plugins/([^/]+)/([^/]+)$")
_TRANSLATION = re.compile(r"(?:^|/)PySide6/(?:Qt/)?translations/")


def plugin_name(filename: str) -> str:
    """``libqxcb.so`` -> ``qxcb``; ``qwindows.dll`` -> ``qwindows``."""
    stem = PurePosixPath(filename).name.split(".")[0]
    return stem[3:] if stem.startswith("lib") else stem


def plugin_verdict(folder: str, filename: str) -> tuple[bool, str]:
    """(keep it?, why) for one plugin file."""
    name = plugin_name(filename)
    kept = KEPT_PLUGINS.get(folder, {})
    if name in kept:
        return True, kept[name]
    reason = (
        LEFT_OUT_PLUGINS.get(f"{folder}/{name}")
        or LEFT_OUT_PLUGINS.get(folder)
        or LEFT_OUT_FOLDERS.get(folder)
        or "not used by the app"
    )
    return False, reason


Entry = tuple[str, str, str]
"""A PyInstaller TOC entry: (destination in the bundle, source, type code)."""


def _posix(dest: str) -> str:
    return dest.replace("\\", "/")


def _is_shared_library_home(dest: str) -> bool:
    """Libraries PyInstaller gathered as dependencies (not a package's own files):
    the top of the bundle, and Qt's library folder."""
    return "/" not in dest or dest.startswith("PySide6/Qt/lib/")


def prune(
    binaries: Iterable[Entry], datas: Iterable[Entry]
) -> tuple[tuple[list[Entry], list[Entry]], dict[str, object]]:
    """Drop unused plugins, Qt's translations, and (Linux) libraries nothing kept links.

    Returns ``((binaries, datas), report)``.  The report lists what was left
    out with reasons and sizes, the system libraries the kept files link
    (with their Debian packages), and any linked library that is neither
    bundled nor known to the system list (``unresolved``: the build fails
    on it, as the bundle would not start).
    """
    report: dict[str, object] = {"plugins": [], "libraries": [], "system": {}, "unresolved": []}
    kept: list[Entry] = []
    for entry in binaries:
        dest = _posix(entry[0])
        match = _PLUGIN.search(dest)
        if match:
            keep, why = plugin_verdict(match.group(1), match.group(2))
            if not keep:
                report["plugins"].append({"file": dest, "why": why, "bytes": _size(entry[1])})  # type: ignore[union-attr]
                continue
        kept.append(entry)

    translations = 0
    trimmed: dict[str, dict[str, object]] = {}
    kept_datas: list[Entry] = []
    for entry in datas:
        dest = _posix(entry[0])
        if _TRANSLATION.search(dest):
            translations += _size(entry[1])
            continue
        prefix = next((p for p in TRIMMED_DATA if dest.startswith(p)), None)
        if prefix is not None:
            keep, why = TRIMMED_DATA[prefix]
            if not keep.match(dest[len(prefix) :]):
                item = trimmed.setdefault(prefix, {"why": why, "files": 0, "bytes": 0})
                item["files"] = int(item["files"]) + 1  # type: ignore[call-overload]
                item["bytes"] = int(item["bytes"]) + _size(entry[1])  # type: ignore[call-overload]
                continue
        kept_datas.append(entry)
    report["translations_bytes"] = translations
    report["data"] = trimmed

    if sys.platform.startswith("linux"):
        kept, kept_datas = _prune_libraries(kept, kept_datas, report)
    report["kept_plugins"] = sorted(_posix(e[0]) for e in kept if _PLUGIN.search(_posix(e[0])))
    return (kept, kept_datas), report


def _prune_libraries(
    binaries: list[Entry], datas: list[Entry], report: dict[str, object]
) -> tuple[list[Entry], list[Entry]]:
    """Keep a gathered library only if a kept file links it and the system does not provide it."""
    from elf import needed as elf_needed

    by_name: dict[str, Entry] = {}
    for entry in binaries:
        by_name.setdefault(PurePosixPath(_posix(entry[0])).name, entry)
    # Symlinks PyInstaller made at the top (libQt6Core.so.6 -> PySide6/Qt/lib/...).
    links = {
        PurePosixPath(_posix(e[0])).name: PurePosixPath(_posix(e[1])).name
        for e in (*binaries, *datas)
        if e[2] == "SYMLINK"
    }
    roots = [
        e
        for e in binaries
        if not _is_shared_library_home(_posix(e[0])) or _posix(e[0]).startswith("libpython")
    ]
    reached: set[str] = set()
    system: dict[str, str] = {}
    unresolved: dict[str, list[str]] = {}
    todo = list(roots)
    walked: set[str] = set()
    while todo:
        entry = todo.pop()
        if entry[1] in walked:
            continue
        walked.add(entry[1])
        for soname in elf_needed(Path(entry[1])):
            if soname in SYSTEM_LIBRARIES:
                system[soname] = SYSTEM_LIBRARIES[soname]
                continue
            target = by_name.get(links.get(soname, soname))
            if target is None:
                unresolved.setdefault(soname, []).append(_posix(entry[0]))
                continue
            name = PurePosixPath(_posix(target[0])).name
            if name not in reached:
                reached.add(name)
                todo.append(target)
    kept: list[Entry] = []
    dropped: set[str] = set()
    for entry in binaries:
        dest = _posix(entry[0])
        name = PurePosixPath(dest).name
        if _is_shared_library_home(dest) and entry not in roots:
            why = None
            if name in SYSTEM_LIBRARIES:
                why = f"provided by the system (Debian package {SYSTEM_LIBRARIES[name]})"
            elif name not in reached:
                why = "linked only by plugins or modules left out"
            if why:
                report["libraries"].append({"file": dest, "why": why, "bytes": _size(entry[1])})  # type: ignore[union-attr]
                dropped.add(name)
                continue
        kept.append(entry)
    # Symlinks to what was dropped would dangle.
    kept = [
        e for e in kept if not (e[2] == "SYMLINK" and PurePosixPath(_posix(e[1])).name in dropped)
    ]
    datas = [
        e for e in datas if not (e[2] == "SYMLINK" and PurePosixPath(_posix(e[1])).name in dropped)
    ]
    report["system"] = dict(sorted(system.items()))
    report["unresolved"] = sorted(
        f"{k} (linked by {', '.join(sorted(set(v))[:3])})" for k, v in unresolved.items()
    )
    return kept, datas


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0
