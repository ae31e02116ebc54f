"""Help: every keyboard shortcut in one list, and a few words about Moot."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QMessageBox, QWidget

from app import moot_version
from ui.i18n import tr

EXTRA_KEYS = (
    ("Alt+S / Alt+J / Alt+O", "On the welcome page: start, join, or open a bundle"),
    ("F6 / Shift+F6", "Move between the side panel, the page and the search box"),
    ("Tab / Shift+Tab", "Move from control to control"),
    ("Esc", "Close a dialog (a running task is asked to stop first)"),
)


def shortcut_rows(menus: QMenuBar) -> list[tuple[str, str]]:
    """(keys, what) for every menu action that has a shortcut, in menu order."""
    rows = []
    for menu_action in menus.actions():
        menu = menu_action.menu()
        if not isinstance(menu, QMenu):
            continue
        for action in menu.actions():
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                rows.append((keys, action.text().replace("&", "").rstrip("…")))
    return rows


def show_shortcuts(parent: QWidget, menus: QMenuBar) -> QMessageBox:
    rows = [*shortcut_rows(menus), *EXTRA_KEYS]
    table = "".join(
        f"<tr><td style='padding:2px 18px 2px 0'><b>{keys}</b></td><td>{tr(what)}</td></tr>"
        for keys, what in rows
    )
    box = QMessageBox(parent)
    box.setWindowTitle(tr("Keyboard shortcuts"))
    box.setText(f"<table>{table}</table>")
    box.open()
    return box


def show_about(parent: QWidget) -> QMessageBox:
    """Which release this is, first: what someone asking for help is asked."""
    box = QMessageBox(parent)
    box.setWindowTitle(tr("About Moot"))
    box.setText(
        tr("<b>Moot {version}</b>").format(version=moot_version())
        + tr(
            "<p>Discussions, notes and decisions for community groups, kept on "
            "this laptop and shared through a council hub or a bundle file.</p>"
        )
    )
    box.open()
    return box
