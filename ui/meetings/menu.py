"""The Meeting menu: everything the meetings page does, each with its keys.

The menu sits in the window's menu bar while the page is on screen, so its shortcuts
are listed in Help ▸ Keyboard shortcuts with the rest. The page enables each action
as the meeting on screen allows, and none while it is hidden: a shortcut of a page
out of sight must not act on a meeting no one is looking at.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from ui.meetings import tr


class MeetingActions:
    def __init__(self, parent: QWidget) -> None:
        def make(text: str, keys: str = "", tip: str = "") -> QAction:
            action = QAction(tr(text), parent)
            if keys:
                action.setShortcut(QKeySequence(keys))
            plain = tip or tr(text).replace("&", "").rstrip("…")
            action.setToolTip(f"{plain} ({keys})" if keys else plain)
            return action

        self.new_meeting = make("&New meeting…", "Ctrl+Shift+C", tr("Call a new meeting"))
        self.details = make("Meeting &details…", "Ctrl+Shift+E", tr("Change the meeting's details"))
        self.add_item = make("Add agenda &item…", "Ctrl+Shift+I", tr("Add an agenda item"))
        self.exempt = make("&Part II (confidential) item")
        self.exempt.setCheckable(True)
        self.attach = make("Attach a pa&per…", "", tr("Put a file with the item (at most 4 MB)"))
        self.declare = make("&Declare an interest…", "Ctrl+Shift+D")
        self.vote = make("Record a &vote…", "Ctrl+Shift+V", tr("Record a vote"))
        self.action = make("Add an a&ction…", "Ctrl+Shift+A", tr("Add an action"))
        self.summon = make("Issue the su&mmons and agenda")
        self.circulate = make("Ci&rculate the draft minutes", "Ctrl+Shift+U")
        self.approve = make("&Approve earlier minutes…", "Ctrl+Shift+Y")
        self.sign = make("Record the chair's &signature…", "Ctrl+Shift+S")
        self.verify = make("Chec&k the approved record", "Ctrl+Shift+K")
        self.print = make("&Print to PDF…", "Ctrl+P")

    def menu(self, parent: QWidget) -> QMenu:
        menu = QMenu(tr("M&eeting"), parent)
        menu.addActions([self.new_meeting, self.details])
        menu.addSeparator()
        menu.addActions([self.add_item, self.exempt, self.attach])
        menu.addActions([self.declare, self.vote, self.action])
        menu.addSeparator()
        menu.addActions([self.summon, self.circulate, self.approve, self.sign, self.verify])
        menu.addSeparator()
        menu.addAction(self.print)
        return menu
