"""The window's actions and menus: every one with a shortcut or a mnemonic.

File holds what concerns the profile (groups in and out, settings); Group what concerns
the group on screen; Go moves between places (Ctrl+1…7).
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ui.i18n import tr
from ui.icons import icon

GO_PLACES = (
    ("discussions", "&Discussions"),
    ("following", "&Following"),
    ("unread", "&Unread"),
    ("notes", "&Notes"),
    ("members", "&Members"),
    ("meetings", "M&eetings"),
    ("deleted", "Recently &deleted"),
    ("overview", "&Overview"),
    ("notifications", "No&tifications"),
)


def _key(standard: QKeySequence.StandardKey, fallback: str) -> QKeySequence:
    """The platform's own shortcut (Cmd+, on a Mac), or ``fallback`` where it has none."""
    keys = QKeySequence.keyBindings(standard)
    return keys[0] if keys else QKeySequence(fallback)


class Actions:
    def __init__(self, window: QMainWindow) -> None:
        def make(
            text: str,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            icon_name: str = "",
        ) -> QAction:
            action = QAction(tr(text), window)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            if icon_name:
                action.setIcon(icon(icon_name))
            plain = tr(text).replace("&", "").rstrip("…")
            action.setToolTip(
                f"{plain} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                if shortcut
                else plain
            )
            return action

        self.new_group = make("&New group…", "Ctrl+Shift+G", "new-group")
        self.join_hub = make("&Join group on a hub…", "Ctrl+J", "join")
        self.import_bundle = make("&Import bundle…", "Ctrl+I", "import")
        self.connect_hub = make("&Connect this group to a hub…", "Ctrl+Shift+H", "hub")
        self.export_bundle = make("&Export bundle…", "Ctrl+E", "export")
        self.settings = make(
            "&Settings…", _key(QKeySequence.StandardKey.Preferences, "Ctrl+,"), "settings"
        )
        self.quit = make("&Quit", _key(QKeySequence.StandardKey.Quit, "Ctrl+Q"), "quit")
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.settings.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.find = make("&Find…", "Ctrl+K", "search")
        self.new_discussion = make(
            "&New discussion", QKeySequence.StandardKey.New, "new-discussion"
        )
        self.sync_now = make("&Sync now", "F5", "sync")
        self.cancel_sync = make("S&top syncing", "Shift+F5", "cancel")
        self.shortcuts = make("&Keyboard shortcuts", "F1")
        self.about = make("&About Moot")
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self.go: dict[str, QAction] = {}
        for number, (place, label) in enumerate(GO_PLACES, start=1):
            self.go[place] = make(label, f"Ctrl+{number}")
        # What needs a group on screen to mean anything.
        self.group_actions = [
            self.connect_hub,
            self.export_bundle,
            self.new_discussion,
            self.sync_now,
            self.find,
            *self.go.values(),
        ]

    def build_menus(self, window: QMainWindow) -> dict[str, QMenu]:
        bar = window.menuBar()
        file_menu = bar.addMenu(tr("&File"))
        file_menu.addActions([self.new_group, self.join_hub, self.import_bundle])
        file_menu.addSeparator()
        file_menu.addActions([self.connect_hub, self.export_bundle])
        file_menu.addSeparator()
        file_menu.addAction(self.settings)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)

        edit = bar.addMenu(tr("&Edit"))
        edit.addAction(self.find)

        go = bar.addMenu(tr("&Go"))
        go.addActions(list(self.go.values()))

        group = bar.addMenu(tr("&Group"))
        group.addAction(self.new_discussion)
        group.addSeparator()
        group.addActions([self.sync_now, self.cancel_sync])
        group.addSeparator()
        group.addActions([self.connect_hub, self.export_bundle])

        help_menu = bar.addMenu(tr("&Help"))
        help_menu.addActions([self.shortcuts, self.about])
        return {"file": file_menu, "edit": edit, "go": go, "group": group, "help": help_menu}

    def set_group_open(self, has_group: bool) -> None:
        for action in self.group_actions:
            action.setEnabled(has_group)
