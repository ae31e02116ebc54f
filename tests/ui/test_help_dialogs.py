"""Help ▸ About says which release is running, as ``moot --version`` does."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from app import moot_version
from ui.window import MainWindow

REPO = Path(__file__).resolve().parents[2]


def test_about_names_the_release(qtbot: QtBot, make_window: Callable[[], MainWindow]) -> None:
    window = make_window()
    help_menu = next(
        action.menu()
        for action in window.menuBar().actions()
        if action.text().replace("&", "") == "Help"
    )
    assert isinstance(help_menu, QMenu)
    about = next(a for a in help_menu.actions() if a.text().replace("&", "") == "About Moot")
    about.trigger()
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox)))
    box = window.findChildren(QMessageBox)[-1]
    release = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert moot_version() == release
    assert f"Moot {release}" in box.text()
    assert box.windowTitle() == "About Moot"
    box.close()
