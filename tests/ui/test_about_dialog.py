"""Help > About: version, licences and the scorer's provenance, reachable from the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from ui_helpers import OFFSCREEN_NOISE

from workbench import __version__
from workbench.ui.about_dialog import AboutDialog, app_icon

pytestmark = OFFSCREEN_NOISE


def test_about_shows_version_licences_and_provenance(qtbot, runner) -> None:
    dialog = AboutDialog(runner=runner)
    qtbot.addWidget(dialog)
    dialog.show()
    assert f"Claim Workbench {__version__}" in dialog.heading.text()
    assert dialog.licence.toPlainText().startswith("MIT License")
    # The third-party list is read on the io lane; the dialog is usable meanwhile.
    qtbot.waitUntil(lambda: dialog.components.count() > 20, timeout=30_000)
    titles = dialog.component_titles()
    assert any(t.startswith("spacy ") and t.endswith("— MIT") for t in titles)
    assert any(t.startswith("PySide6_Essentials") and "LGPL-3.0" in t for t in titles)
    assert "Python" in titles
    spacy_row = next(i for i, t in enumerate(titles) if t.startswith("spacy "))
    dialog.components.setCurrentRow(spacy_row)
    assert "Permission is hereby granted" in dialog.component_text.toPlainText()
    provenance = dialog.provenance.toPlainText()
    assert "CheckThat!" in provenance and "all-MiniLM-L6-v2" in provenance


def test_about_tabs_and_close_from_the_keyboard(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    bar = dialog.tabs.tabBar()
    bar.setFocus()
    assert dialog.tabs.currentIndex() == 0
    qtbot.keyClick(bar, Qt.Key.Key_Right)
    assert dialog.tabs.currentIndex() == 1
    qtbot.keyClick(bar, Qt.Key.Key_Right)
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()).replace("&", "") == "Scorer data"
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_help_about_opens_the_dialog(qtbot, make_window, small_article) -> None:
    window = make_window()
    action = next(a for a in window.actions() if a.text().replace("&", "") == "About")
    seen: list[str] = []

    def close_it() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, AboutDialog):
            QTimer.singleShot(20, close_it)
            return
        seen.append(dialog.windowTitle())
        qtbot.waitUntil(lambda: dialog.components.count() > 20, timeout=30_000)
        dialog.reject()

    QTimer.singleShot(0, close_it)
    action.trigger()
    assert seen == ["About Claim Workbench"]


def test_the_app_icon_renders_at_16_px(qapp) -> None:
    icon = app_icon()
    assert not icon.isNull()
    image = icon.pixmap(16, 16).toImage()
    assert image.width() == 16
    # The corner is the blue tile, the middle the white sheet: the drawing is there.
    assert image.pixelColor(1, 8).blue() > image.pixelColor(1, 8).red()
    assert image.pixelColor(4, 12).lightness() > 200


def test_closing_before_the_licences_arrive_is_harmless(qtbot, runner) -> None:
    dialog = AboutDialog(runner=runner)
    dialog.show()
    dialog.reject()
    dialog.deleteLater()
    # The job ends after the dialog is gone; its result must then be dropped quietly.
    qtbot.waitUntil(lambda: not runner.active(), timeout=30_000)
    QApplication.processEvents()


def test_the_desktop_entry_names_the_window_class_qt_sets() -> None:
    """X11 desktops match windows to the menu entry by WM_CLASS's class: the app name."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
    import desktop

    from workbench.ui.app import APPLICATION

    assert f"StartupWMClass={APPLICATION}" in desktop.desktop_entry().splitlines()
