"""The Notifications place: the same news the desktop notifications bring (replies to
you, @mentions of you, new posts where you follow), as a list, the newest first and
the unread ones marked. A click opens the post; Mark all read clears the count."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)

from app.services import notifications
from app.services.notifications import Notification
from ui.context import AppContext
from ui.notice import Notice
from ui.notifier import headline
from ui.pages.base import Page
from ui.tasks import Newest
from ui.two_line_delegate import SECOND_LINE_ROLE, TwoLineDelegate
from ui.when import ago

TARGET = Qt.ItemDataRole.UserRole  # (post id, discussion id)


class NotificationsPage(Page):
    title = "Notifications"
    open_wanted = Signal(str, str, str)  # "post", post id, discussion id
    counted = Signal(int)  # how many are unread

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.notice = Notice(ctx)
        self.found: list[Notification] | None = None
        self._reads = Newest()
        heading = QLabel(self.tr("Notifications"))
        heading.setObjectName("dialogTitle")
        self.read_button = QPushButton(self.tr("&Mark all read"))
        self.read_button.clicked.connect(self.mark_all_read)
        self.items = QListWidget()
        self.items.setObjectName("namedList")
        self.items.setAccessibleName(self.tr("Notifications, the newest first"))
        self.items.setItemDelegate(TwoLineDelegate())
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.items.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.items.itemActivated.connect(self._open)
        self.items.itemClicked.connect(self._open)
        heading.setBuddy(self.items)
        self.empty = QLabel(
            self.tr(
                "Nothing yet. Replies to you, @mentions of you and new posts in the"
                " discussions you follow appear here."
            )
        )
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.read_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.empty)
        layout.addWidget(self.items, 1)
        ctx.changed.connect(self._on_changed)
        ctx.group_selected.connect(lambda _group: self.reload())

    def show_target(self, target: str | None) -> None:
        self.reload()

    def _on_changed(self, groups: list[str]) -> None:
        if self.ctx.group_id not in groups:
            return
        if self.isVisible():
            self.reload()
            return
        # Out of sight only the count beside the place's name shows: the posts since the
        # list was read are enough for it, not the whole group's.
        store, group_id = self.ctx.store, self.ctx.group_id
        self.ctx.tasks.run(
            lambda: notifications.unread_count(store=store, group_id=group_id),
            done=self.counted.emit,
            owner=self,
            newest=self._reads,
        )

    def reload(self) -> None:
        group_id, store = self.ctx.group_id, self.ctx.store
        if not group_id:
            self._reads.drop()
            return
        self.ctx.tasks.run(
            lambda: notifications.notifications(store=store, group_id=group_id),
            done=self._got,
            failed=self.notice.error,
            owner=self,
            newest=self._reads,
        )

    def _got(self, found: list[Notification]) -> None:
        self.found = found
        self.items.clear()
        for n in found:
            mark = "● " if n.unread else ""  # unread ones stand out, and say so to a reader
            item = QListWidgetItem(f"{mark}{headline(n)} · {ago(n.created_hlc)}")
            item.setData(SECOND_LINE_ROLE, n.excerpt)
            item.setData(TARGET, (n.post_id, n.discussion_id))
            item.setToolTip(self.tr("Unread") if n.unread else "")
            self.items.addItem(item)
        self.empty.setVisible(not found)
        self.items.setVisible(bool(found))
        unread = sum(n.unread for n in found)
        self.read_button.setEnabled(unread > 0)
        self.counted.emit(unread)

    def mark_all_read(self) -> None:
        store, group_id = self.ctx.store, self.ctx.group_id
        if group_id:
            self.ctx.tasks.run(
                lambda: notifications.mark_all_read(store=store, group_id=group_id),
                done=lambda _none: self.reload(),
                failed=self.notice.error,
                owner=self,
            )

    def _open(self, item: QListWidgetItem) -> None:
        post_id, discussion_id = item.data(TARGET)
        self.open_wanted.emit("post", post_id, discussion_id)
