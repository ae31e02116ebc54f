"""The discussions page: the list in the middle, the open thread (or a form) on the right.

Targets (from the side panel, the toolbar or search): ``discussions[:category]``,
``following``, ``unread``, ``deleted``, ``discussion:<id>[:<post>]`` and ``new``.
Choosing a list leaves the right pane alone: the window re-sends the side panel's
place after every change, and that must not close what the person is reading.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDateTime, QEvent, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListView,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services import discussions, groups
from app.services.discussions import DeletedItem, DiscussionSummary
from app.services.groups import CategoryView, GroupSummary
from ui.context import AppContext
from ui.discussions import tr
from ui.discussions.deleted_list import DeletedList
from ui.discussions.list_delegate import DiscussionDelegate
from ui.discussions.list_model import ID_ROLE, DiscussionListModel
from ui.discussions.new_form import NewDiscussionForm
from ui.discussions.style import current_scheme, page_style
from ui.discussions.thread_view import ThreadView
from ui.emblems import accent_of
from ui.pages.base import Page
from ui.tasks import Newest

LISTS = ("discussions", "following", "unread", "deleted")


class DiscussionsPage(Page):
    title = "Discussions"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.setObjectName("discussionsPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.list_kind = ""
        self.category_id: str | None = None
        self.role = "member"
        self.categories: list[CategoryView] = []
        self._restoring = False
        self._kept: tuple[str | None, int] = (None, 0)
        self._accent = accent_of("")
        self._group_reads, self._deleted_reads = Newest(), Newest()

        self.heading = QLabel()
        self.heading.setObjectName("listTitle")
        self.hint = QLabel()
        self.hint.setObjectName("listHint")
        self.hint.setWordWrap(True)
        self.model = DiscussionListModel(ctx.tasks, self)
        self.delegate = DiscussionDelegate(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(self.delegate)
        self.view.setUniformItemSizes(True)
        self.view.setMouseTracking(True)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAccessibleName(tr("Discussions"))
        self.empty = QLabel()
        self.empty.setObjectName("empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.deleted = DeletedList()
        self.left_stack = QStackedWidget()
        for shown in (self.view, self.empty, self.deleted):
            self.left_stack.addWidget(shown)
        left = QWidget()
        left.setObjectName("listPane")
        left.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.heading)
        left_layout.addWidget(self.hint)
        left_layout.addWidget(self.left_stack, 1)
        left.setMinimumWidth(280)

        self.placeholder = QLabel(tr("Choose a discussion to read it.\n\nCtrl+N starts a new one."))
        self.placeholder.setObjectName("placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thread_view = ThreadView(ctx)
        self.form = NewDiscussionForm()
        self.right_stack = QStackedWidget()
        for widget in (self.placeholder, self.thread_view, self.form):
            self.right_stack.addWidget(widget)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(self.right_stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([360, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setStyleSheet(page_style(self._accent, current_scheme()))

        for action in self.thread_view.thread_actions.all():
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.focus_list_action = QAction(tr("Go to the list"), self)
        self.focus_list_action.setShortcut(QKeySequence("Ctrl+L"))
        self.focus_list_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.focus_list_action.triggered.connect(self.view.setFocus)
        self.addAction(self.focus_list_action)
        self.setTabOrder(self.view, self.thread_view)

        selection = self.view.selectionModel()
        selection.currentChanged.connect(self._on_current)
        self.view.activated.connect(lambda _index: self.thread_view.focus_composer())
        self.model.modelAboutToBeReset.connect(self._keep_place)
        self.model.modelReset.connect(self._restore_place)
        self.model.loaded.connect(self._after_load)
        self.model.failed.connect(self._list_failed)
        self.thread_view.loaded.connect(self.model.mark_read)
        self.form.submitted.connect(self._start)
        self.form.cancelled.connect(self._close_form)
        self.deleted.restore_requested.connect(self._restore)
        self.deleted.more_requested.connect(self._load_deleted)
        ctx.changed.connect(self._on_changed)
        ctx.group_selected.connect(self._on_group_selected)
        if ctx.group_id:
            self._on_group_selected(ctx.group_id)

    # --- where the person is sent ---------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        # A light/dark switch in Settings or the system repaints the page in the new scheme.
        changes = (QEvent.Type.ApplicationPaletteChange, QEvent.Type.PaletteChange)
        if event.type() in changes:
            style = page_style(self._accent, current_scheme())
            if style != self.styleSheet():  # setting it changes the palette again
                self.setStyleSheet(style)
        super().changeEvent(event)

    def show_target(self, target: str | None) -> None:
        kind, _, rest = (target or "discussions").partition(":")
        if kind in LISTS:
            self._show_list(kind, rest or None)
        elif kind == "discussion":
            discussion_id, _, post_id = rest.partition(":")
            if self.list_kind in ("", "deleted"):
                self._show_list("discussions", None)
            self.open_discussion(discussion_id, post_id or None)
        elif kind == "new":
            self._show_list("discussions", None)
            self.show_new_form()

    def open_discussion(self, discussion_id: str, post_id: str | None = None) -> None:
        self.right_stack.setCurrentWidget(self.thread_view)
        self.thread_view.open(discussion_id, post_id)
        self._select_row(discussion_id)

    def show_new_form(self) -> None:
        preferred = self.category_id if self.list_kind == "discussions" else None
        self.form.set_categories(self.categories, preferred)
        self.right_stack.setCurrentWidget(self.form)
        self.form.start()

    def _show_list(self, kind: str, category_id: str | None) -> None:
        if (kind, category_id) == (self.list_kind, self.category_id):
            return  # the same list: ``changed`` keeps it fresh
        self.list_kind, self.category_id = kind, category_id
        self._show_heading()
        if kind == "deleted":
            self.model.set_source(None)
            self.left_stack.setCurrentWidget(self.deleted)
            self._load_deleted()
            return
        self.left_stack.setCurrentWidget(self.view)
        self.model.set_source(self._source(kind, category_id))

    def _source(
        self, kind: str, category_id: str | None
    ) -> Callable[[int, int], list[DiscussionSummary]]:
        store, group_id = self.ctx.store, self.ctx.group_id
        if kind == "following":
            return lambda o, n: discussions.list_following(
                store=store, group_id=group_id, offset=o, limit=n
            )
        if kind == "unread":
            return lambda o, n: discussions.list_unread(
                store=store, group_id=group_id, offset=o, limit=n
            )
        return lambda o, n: discussions.list_discussions(
            store=store, group_id=group_id, category_id=category_id, offset=o, limit=n
        )

    def _show_heading(self) -> None:
        category = next((c.name for c in self.categories if c.id == self.category_id), "")
        heading, hint = {
            "discussions": (
                category or tr("All discussions"),
                tr("Pinned first, then the most recently active."),
            ),
            "following": (
                tr("Following"),
                tr("Discussions you follow, and those in categories you follow."),
            ),
            "unread": (tr("Unread"), tr("Discussions with replies you have not read yet.")),
            "deleted": (
                tr("Recently deleted"),
                tr("Deleted discussions and posts can be restored from here."),
            ),
        }.get(self.list_kind, ("", ""))
        self.heading.setText(heading)
        self.hint.setText(hint)

    # --- the list ---------------------------------------------------------------------

    def _on_current(self, current: QModelIndex | QPersistentModelIndex, _previous: object) -> None:
        if self._restoring or not current.isValid():
            return
        discussion_id = str(current.data(ID_ROLE))
        showing_it = (
            self.right_stack.currentWidget() is self.thread_view
            and self.thread_view.discussion_id == discussion_id
        )
        if not showing_it:
            self.right_stack.setCurrentWidget(self.thread_view)
            self.thread_view.open(discussion_id)

    def _select_row(self, discussion_id: str | None) -> None:
        row = self.model.row_of(discussion_id) if discussion_id else -1
        if row < 0:
            return
        self._restoring = True
        try:
            self.view.setCurrentIndex(self.model.index(row))
        finally:
            self._restoring = False

    def _keep_place(self) -> None:
        current = self.view.currentIndex()
        kept_id = str(current.data(ID_ROLE)) if current.isValid() else None
        self._kept = (kept_id, self.view.verticalScrollBar().value())

    def _restore_place(self) -> None:
        kept_id, scrolled = self._kept
        self._select_row(kept_id)
        bar = self.view.verticalScrollBar()
        QTimer.singleShot(0, lambda: bar.setValue(scrolled))

    def _after_load(self) -> None:
        if self.model.rowCount() == 0 and self.list_kind != "deleted":
            self.empty.setText(
                {
                    "following": tr(
                        "You are not following anything yet.\n\nOpen a discussion and press"
                        " Follow (Ctrl+Shift+F) to see it here."
                    ),
                    "unread": tr("You are all caught up."),
                }.get(self.list_kind, tr("No discussions here yet.\n\nCtrl+N starts one."))
            )
            self.left_stack.setCurrentWidget(self.empty)
        elif self.list_kind != "deleted":
            self.left_stack.setCurrentWidget(self.view)
        if not self.view.currentIndex().isValid():
            self._select_row(self.thread_view.discussion_id)

    def _list_failed(self, message: str) -> None:
        self.ctx.message.emit(message)
        self.empty.setText(message)
        self.left_stack.setCurrentWidget(self.empty)

    # --- starting a discussion ----------------------------------------------------------

    def _start(self, title: str, category_id: str, body: str, ahead: int | None) -> None:
        store, group_id = self.ctx.store, self.ctx.group_id
        self.form.set_busy(True)
        self.ctx.tasks.run(
            lambda: discussions.start_discussion(
                store=store,
                group_id=group_id,
                title=title,
                body=body,
                category=category_id or None,
                publish_ms=ahead,
            ),
            done=lambda ids: self._started(ids, ahead),
            failed=self.form.show_error,
        )

    def _started(self, ids: tuple[str, str], ahead: int | None) -> None:
        self.form.clear()
        self.open_discussion(ids[0])
        if ahead is None:
            self.thread_view.focus_composer()
        else:  # it is not on the list yet: say when it will be
            when = QDateTime.fromMSecsSinceEpoch(ahead).toString("ddd d MMM, HH:mm")
            self.ctx.message.emit(
                tr("Written ahead: it shows on every laptop from {when}.").format(when=when)
            )

    def _close_form(self) -> None:
        opened = self.thread_view.discussion_id is not None
        self.right_stack.setCurrentWidget(self.thread_view if opened else self.placeholder)
        self.view.setFocus()

    # --- recently deleted ----------------------------------------------------------------

    def _load_deleted(self) -> None:
        store, group_id, limit = self.ctx.store, self.ctx.group_id, self.deleted.limit
        if not group_id:
            return
        self.ctx.tasks.run(
            lambda: discussions.recently_deleted(store=store, group_id=group_id, limit=limit),
            done=lambda items: self.deleted.show_items(items, organiser=self.role == "organiser"),
            failed=self.ctx.message.emit,
            newest=self._deleted_reads,
        )

    def _restore(self, item: DeletedItem) -> None:
        store = self.ctx.store
        if item.post_id:
            post_id = item.post_id
            self.ctx.tasks.run(
                lambda: discussions.restore_post(store=store, post_id=post_id),
                failed=self._restore_failed,
            )
        else:
            discussion_id = item.discussion_id
            self.ctx.tasks.run(
                lambda: discussions.update_discussion(
                    store=store, discussion_id=discussion_id, deleted=False
                ),
                failed=self._restore_failed,
            )

    def _restore_failed(self, message: str) -> None:
        self.ctx.message.emit(message)
        self._load_deleted()

    # --- the group and its changes ---------------------------------------------------------

    def _on_group_selected(self, group_id: str) -> None:
        self.list_kind, self.category_id = "", None
        self._deleted_reads.drop()  # the last group's deleted posts are not this one's
        self.deleted.show_items([], organiser=False)
        self.model.set_source(None)
        self.thread_view.close_thread()
        self.thread_view.thread_actions.set_idle()
        self.right_stack.setCurrentWidget(self.placeholder)
        if group_id:
            self._load_group()

    def _load_group(self) -> None:
        store, group_id = self.ctx.store, self.ctx.group_id

        def read() -> tuple[GroupSummary, list[CategoryView]]:
            return (
                groups.get_group(store=store, group_id=group_id),
                groups.list_categories(store=store, group_id=group_id),
            )

        self.ctx.tasks.run(
            read, done=self._got_group, failed=self.ctx.message.emit, newest=self._group_reads
        )

    def _got_group(self, found: tuple[GroupSummary, list[CategoryView]]) -> None:
        group, categories = found
        if group.id != self.ctx.group_id:
            return
        self.role, self.categories = group.my_role, categories
        self.form.set_organiser(self.role == "organiser")
        accent = accent_of(group.colour)
        if accent != self._accent:
            self._accent = self.delegate.accent = accent
            self.setStyleSheet(page_style(accent, current_scheme()))
        self.form.set_categories(categories)
        self._show_heading()
        self.view.viewport().update()

    def _on_changed(self, changed: list[str]) -> None:
        if not self.ctx.group_id or self.ctx.group_id not in changed:
            return
        self._load_group()
        if self.list_kind == "deleted":
            self._load_deleted()
        else:
            self.model.refresh()
        self.thread_view.refresh()
