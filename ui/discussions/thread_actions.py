"""What can be done to an open discussion, as actions with shortcuts and a menu.

Each action reports ``chosen(name, value)``; the thread view carries it out. Which
ones show depends on who is reading: organisers moderate, a discussion's starter
may rename, resolve or delete it, everyone may follow and mute.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from app.services.thread_view import ThreadContents
from ui.discussions import tr


class ThreadActions(QObject):
    chosen = Signal(str, str)  # action name, value (a category id for "move", say)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.reply = self._action("reply", tr("&Reply"), "Ctrl+R", tr("Write a reply"))
        self.follow = self._action(
            "follow", tr("Follow"), "Ctrl+Shift+F", tr("Hear about new replies here")
        )
        self.mute = self._action(
            "mute", tr("Mute"), "Ctrl+Shift+M", tr("Leave it out of Following")
        )
        self.poll = self._action("poll", tr("New &poll"), "Ctrl+Shift+O", tr("Ask a quick poll"))
        self.pin = self._action("pinned", tr("&Pin to the top"), "Ctrl+Shift+P")
        self.lock = self._action("locked", tr("&Lock (no more replies)"), "Ctrl+Shift+L")
        self.resolve = self._action("resolved", tr("Mark &resolved"), "Ctrl+Shift+R")
        self.follow_category = self._action("follow", tr("&Follow the category"), value="category")
        self.mute_category = self._action("mute", tr("M&ute the category"), value="category")
        self.rename = self._action("rename", tr("Re&name…"), tip=tr("Change the title"))
        self.delete = self._action("delete", tr("&Delete the discussion"))
        self.refresh = self._action("refresh", tr("Re&fresh"))  # F5 is Sync now
        for action in (
            self.follow,
            self.mute,
            self.pin,
            self.lock,
            self.resolve,
            self.follow_category,
            self.mute_category,
        ):
            action.setCheckable(True)

        self.menu = QMenu(parent)
        self.menu.setAccessibleName(tr("Discussion actions"))
        self.menu.addActions([self.reply, self.poll])
        self.menu.addSeparator()
        self.menu.addActions([self.follow, self.mute, self.follow_category, self.mute_category])
        self.menu.addSeparator()
        self.menu.addActions([self.pin, self.lock, self.resolve])
        self.move_menu = self.menu.addMenu(tr("&Move to"))
        self.move_group = QActionGroup(self)
        self.menu.addSeparator()
        self.menu.addActions([self.rename, self.delete, self.refresh])
        self.set_idle()

    def _action(
        self, name: str, text: str, keys: str = "", tip: str = "", value: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.setToolTip(tip or text.replace("&", ""))
        action.triggered.connect(lambda _=False: self.chosen.emit(name, value))
        return action

    def all(self) -> list[QAction]:
        """The actions with shortcuts, for the page to listen for."""
        return [
            self.reply,
            self.follow,
            self.mute,
            self.poll,
            self.pin,
            self.lock,
            self.resolve,
            self.refresh,
        ]

    def set_idle(self) -> None:
        """No thread is open: nothing to act on."""
        for action in self.menu.actions():
            action.setEnabled(False)
        for action in self.all():
            action.setEnabled(False)

    def update_for(self, data: ThreadContents) -> None:
        s = data.summary
        organiser = data.role == "organiser"
        starter = s.created_by == data.me
        member = data.role != "removed"
        open_to_replies = member and not s.locked
        self.refresh.setEnabled(True)
        self.move_menu.menuAction().setEnabled(organiser)
        self.reply.setEnabled(open_to_replies)
        self.poll.setEnabled(open_to_replies)
        self.follow.setChecked(data.following == "following")
        self.follow.setText(tr("Following") if data.following == "following" else tr("Follow"))
        self.mute.setChecked(data.following == "muted")
        self.mute.setText(tr("Muted") if data.following == "muted" else tr("Mute"))
        in_menu = _literal(s.category)
        self.follow_category.setText(tr("&Follow all of %1").replace("%1", in_menu))
        self.follow_category.setChecked(data.category_following == "following")
        self.mute_category.setText(tr("M&ute all of %1").replace("%1", in_menu))
        self.mute_category.setChecked(data.category_following == "muted")
        for action in (self.follow, self.mute, self.follow_category, self.mute_category):
            action.setEnabled(member)
        self.pin.setChecked(s.pinned)
        self.lock.setChecked(s.locked)
        self.resolve.setChecked(s.resolved)
        self.pin.setVisible(organiser)
        self.pin.setEnabled(organiser)
        self.lock.setVisible(organiser)
        self.lock.setEnabled(organiser)
        self.resolve.setVisible(organiser or starter)
        self.resolve.setEnabled(member and (organiser or starter))
        for action in (self.rename, self.delete):  # the starter's own, or moderation
            action.setVisible(organiser or starter)
            action.setEnabled(member and (organiser or starter))
        self.move_menu.menuAction().setVisible(organiser)
        self.move_menu.clear()
        for category in data.categories:
            move = self.move_menu.addAction(_literal(category.name))
            move.setCheckable(True)
            move.setChecked(category.id == s.category_id)
            move.setEnabled(category.id != s.category_id)
            move.triggered.connect(lambda _=False, c=category.id: self.chosen.emit("move", c))
            self.move_group.addAction(move)


def _literal(name: str) -> str:
    """A name as it reads in a menu: its "&" (as in "Planning & Roads") is no shortcut."""
    return name.replace("&", "&&")
