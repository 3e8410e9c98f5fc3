"""Render the application icon's PNG sizes (and .ico/.icns) from the SVG sources.

Usage: python packaging/render_icons.py OUT_DIR

Uses Qt's own SVG renderer (PySide6, already a dependency), so no other
tool is needed.  16 px comes from ``claim-workbench-16.svg``, drawn on a
16-unit pixel grid; every larger size from ``claim-workbench.svg``.  Writes
``OUT_DIR/hicolor/<N>x<N>/apps/<name>.png``, ``OUT_DIR/<name>.svg``, and the
Windows ``.ico`` and macOS ``.icns`` files where Qt's image plugins can write
them (PyInstaller's spec uses those on those platforms).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "resources" / "icons" / "claim-workbench.svg"
SMALL_SOURCE = ROOT / "resources" / "icons" / "claim-workbench-16.svg"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
SMALL_UP_TO = 16


def render(svg: Path, size: int) -> object:
    """One QImage of ``svg`` at ``size`` px, transparent around the drawing."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"error: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def render_all(out: Path, name: str) -> list[Path]:
    """Write every size; returns the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImageWriter

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    written: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)
    scalable = out / f"{name}.svg"
    shutil.copyfile(SOURCE, scalable)
    written.append(scalable)
    images = {}
    for size in SIZES:
        image = render(SMALL_SOURCE if size <= SMALL_UP_TO else SOURCE, size)
        images[size] = image
        path = out / "hicolor" / f"{size}x{size}" / "apps" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path), "PNG"):  # type: ignore[attr-defined]
            raise SystemExit(f"error: could not write {path}")
        written.append(path)
    formats = {bytes(f).decode() for f in QImageWriter.supportedImageFormats()}
    for fmt, size in (("ico", 256), ("icns", 512)):
        if fmt in formats:
            path = out / f"{name}.{fmt}"
            if images[size].save(str(path), fmt.upper()):  # type: ignore[attr-defined]
                written.append(path)
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--name", default="claim-workbench")
    args = parser.parse_args()
    for path in render_all(args.out, args.name):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
