"""Render the main window on the sample article offscreen and save docs/screenshot.png.

Usage: python scripts/screenshot.py [--out docs/screenshot.png] [--size 1400x900]

Works on a throwaway database in a temporary folder: the sample is imported
and extracted, a few claims get verdicts so every highlight colour shows, and
the window is grabbed with ``QWidget.grab()`` (no display needed).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--size", default="1400x900")
    args = parser.parse_args()
    width, height = (int(x) for x in args.size.lower().split("x"))

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from workbench.core.model import Status, Verdict
    from workbench.core.services import articles, claims
    from workbench.core.storage import Store
    from workbench.ui.app import make_application
    from workbench.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        app = make_application([sys.argv[0]])
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        store = Store.open(Path(tmp) / "workbench.sqlite3")
        sample = articles.ensure_sample(store, extract=True)
        assert sample is not None
        found = store.claims.for_article(sample.id)
        demo = [
            (Verdict.TRUE, Status.CHECKED),
            (Verdict.FALSE, Status.CHECKED),
            (None, Status.IN_PROGRESS),
            (Verdict.HALF_TRUE, Status.CHECKED),
            (Verdict.MOSTLY_TRUE, Status.IN_PROGRESS),
        ]
        for claim, (verdict, status) in zip(found[1::2], demo, strict=False):
            claims.set_verdict(store, claim.id, verdict, status=status)
        window = MainWindow(store=store)
        window.resize(width, height)
        window.show()
        window.start()
        window.claims_table.select_claim(found[3].id if len(found) > 3 else found[0].id)
        for _ in range(20):
            app.processEvents()
        window.article_view.verticalScrollBar().setValue(0)
        app.processEvents()
        image = window.grab()
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(out), "PNG"):
            sys.stderr.write(f"could not write {out}\n")
            return 1
        sys.stdout.write(f"saved {out} ({image.width()}x{image.height()})\n")
        window.close()
        store.close()
        QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
