"""Desktop notifications: as posts arrive (a sync, a bundle), a reply to you, an
@mention of you or a new post where you follow pops up from the system tray, outside
quiet hours. Where there is no tray (some Linux desktops, offscreen), it is said in
the window's status bar instead. Clicking one opens the post.

What to tell is worked out by ``app.services.notifications.take_new`` on a worker,
which says each post once however often the group changes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from app.services import discussions, groups, notifications
from app.services.notifications import FOLLOWED, MENTION, Notification
from ui.context import AppContext
from ui.i18n import tr
from ui.icons import app_icon

SHOWN_MS = 8_000


def in_quiet_hours(hour: int, quiet: tuple[int, int]) -> bool:
    """Whether ``hour`` (0–23) falls in quiet hours from ``quiet[0]`` until ``quiet[1]``,
    which may run past midnight (22 until 7)."""
    start, end = quiet
    if start < 0 or end < 0 or start == end:
        return False
    return start <= hour < end if start < end else hour >= start or hour < end


def headline(n: Notification) -> str:
    """ "Bob replied in “Lifts”", "Bob mentioned you in …", "Bob posted in …"."""
    if n.why == MENTION:
        words = tr("{who} mentioned you in “{title}”")
    elif n.why == FOLLOWED:
        words = tr("{who} posted in “{title}”")
    else:
        words = tr("{who} replied in “{title}”")
    return words.format(who=n.author or tr("Someone"), title=n.title)


def words_for(told: list[Notification]) -> tuple[str, str]:
    """A notification's title and text: the newest, and how many more came with it."""
    text = told[0].excerpt
    if len(told) > 1:
        text += "\n" + tr("and {n} more").format(n=len(told) - 1)
    return headline(told[0]), text


class Notifier(QObject):
    """``arrived(group_id, count)`` whenever new notifications were worked out."""

    arrived = Signal(str, int)
    open_wanted = Signal(str, str, str, str)  # kind, post id, discussion id, group id

    def __init__(self, ctx: AppContext, quiet_hours: Callable[[], tuple[int, int]]) -> None:
        super().__init__(ctx)
        self.ctx = ctx
        self.quiet_hours = quiet_hours
        self.shown: list[tuple[str, str]] = []  # what was popped up or said, newest last
        self._last: Notification | None = None
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip("Moot")
            self.tray.messageClicked.connect(self._clicked)
            self.tray.show()
        ctx.changed.connect(self._on_changed)
        # A discussion written ahead shows at its time with nothing arriving: when that
        # time comes, the group counts as changed, so lists show it and it is told.
        self.showing = QTimer(self)
        self.showing.setSingleShot(True)
        self.showing.timeout.connect(self._shown)
        self._showing_group = ""
        # What arrived while the window was closed (a scheduled `moot sync`) is news now;
        # a group looked at for the first time starts its count here.
        store = ctx.store
        ctx.tasks.run(
            lambda: [g.id for g in groups.list_groups(store=store)],
            done=self._on_changed,
            owner=self,
        )

    def _on_changed(self, groups: list[str]) -> None:
        for group_id in groups:
            self.ctx.tasks.run(self._reader(group_id), done=self._told, owner=self)
        store = self.ctx.store
        self.ctx.tasks.run(
            lambda: discussions.next_to_show(store=store), done=self._arm, owner=self
        )

    def _arm(self, soonest: tuple[str, int] | None) -> None:
        if soonest is None:
            self.showing.stop()
            return
        group_id, at_ms = soonest
        self._showing_group = group_id
        wait = at_ms - self.ctx.store.clock.wall_ms() + 500
        self.showing.start(max(0, min(wait, 24 * 3_600_000)))  # a day at most: then look again

    def _shown(self) -> None:
        self.ctx.changed.emit([self._showing_group])

    def _reader(self, group_id: str) -> Callable[[], tuple[str, list[Notification]]]:
        store = self.ctx.store
        return lambda: (group_id, notifications.take_new(store=store, group_id=group_id))

    def _told(self, found: tuple[str, list[Notification]]) -> None:
        group_id, told = found
        if not told:
            return
        self.arrived.emit(group_id, len(told))
        if in_quiet_hours(datetime.now().hour, self.quiet_hours()):
            return  # the Notifications place still lists them
        title, text = words_for(told)
        self.shown.append((title, text))
        self._last = told[0]
        if self.tray is not None:
            self.tray.showMessage(title, text, app_icon(), SHOWN_MS)
        else:
            self.ctx.message.emit(f"{title}: {text.splitlines()[0]}")

    def _clicked(self) -> None:
        if self._last is not None:
            last = self._last
            self.open_wanted.emit("post", last.post_id, last.discussion_id, last.group_id)
