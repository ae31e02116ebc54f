"""The open thread: its header and actions, the posts and polls, and the reply box.

A refresh updates the cards already shown in place, so the reader keeps their
place in the thread and whatever they were writing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services import discussions, follows, polls
from app.services.thread_view import PAGE, ThreadContents, open_thread
from ui.consultations.panel import ConsultationPanel
from ui.context import AppContext
from ui.discussions import tr
from ui.discussions.composer import Composer
from ui.discussions.list_model import replies_text
from ui.discussions.poll_card import PollCard, PollForm
from ui.discussions.post_card import PostCard
from ui.discussions.thread_actions import ThreadActions
from ui.tasks import Newest
from ui.when import ago


class ThreadView(QWidget):
    loaded = Signal(str)  # a discussion id, once its thread is shown (and marked read)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.discussion_id: str | None = None
        self.data: ThreadContents | None = None
        self.cards: dict[str, PostCard] = {}
        self.poll_cards: dict[str, PollCard] = {}
        self.limit = PAGE
        self._reads = Newest()
        self._loading = False
        self._focus_post: str | None = None
        self._scroll_to_end = False
        self._drafts: dict[str, str] = {}
        self._undo: Callable[[], None] | None = None

        self.title = QLabel()
        self.title.setObjectName("threadTitle")
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel()
        self.meta.setObjectName("muted")
        self.thread_actions = ThreadActions(self)
        self.thread_actions.chosen.connect(self._on_action)
        header_buttons = QHBoxLayout()
        header_buttons.setSpacing(6)
        for action, name in (
            (self.thread_actions.follow, tr("Follow this discussion")),
            (self.thread_actions.mute, tr("Mute this discussion")),
            (self.thread_actions.poll, tr("Ask a quick poll")),
        ):
            header_buttons.addWidget(_tool_button(action, name))
        header_buttons.addStretch(1)
        self.more_actions = QToolButton()
        self.more_actions.setText(tr("Acti&ons ▾"))
        self.more_actions.setAccessibleName(tr("More actions for this discussion"))
        self.more_actions.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_actions.setMenu(self.thread_actions.menu)
        header_buttons.addWidget(self.more_actions)
        header = QVBoxLayout()
        header.setContentsMargins(24, 18, 24, 10)
        header.setSpacing(6)
        header.addWidget(self.title)
        header.addWidget(self.meta)
        header.addLayout(header_buttons)
        # Shown only for a discussion a council's consultation was opened in.
        self.consultation = ConsultationPanel(ctx)
        header.addWidget(self.consultation)

        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.undo_button = QPushButton(tr("&Undo"))
        self.undo_button.setAccessibleName(tr("Undo the deletion"))
        self.undo_button.clicked.connect(self._run_undo)
        notice_row = QHBoxLayout()
        notice_row.setContentsMargins(24, 0, 24, 6)
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.undo_button)
        self.notice_box = QWidget()
        self.notice_box.setLayout(notice_row)
        self.notice_box.hide()

        self.posts_box = QWidget()
        self.posts_box.setObjectName("posts")
        self.posts_layout = QVBoxLayout(self.posts_box)
        self.posts_layout.setContentsMargins(24, 6, 24, 18)
        self.posts_layout.setSpacing(12)
        self.more_button = QPushButton(tr("Show more posts"))
        self.more_button.setAccessibleName(tr("Show more posts in this thread"))
        self.more_button.clicked.connect(self.load_more)
        self.more_button.hide()
        self.posts_layout.addWidget(self.more_button)
        self.posts_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("threadScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.posts_box)
        self.scroll_area.verticalScrollBar().valueChanged.connect(self._on_scrolled)

        self.poll_form = PollForm()
        self.poll_form.submitted.connect(self._create_poll)
        self.poll_form.cancelled.connect(self._close_poll_form)
        self.poll_form.hide()
        self.composer = Composer()
        self.composer.send_requested.connect(self._send)
        self.closed_label = QLabel()
        self.closed_label.setObjectName("notice")
        self.closed_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.closed_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.notice_box)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.poll_form)
        layout.addWidget(self.composer)
        layout.addWidget(self.closed_label)
        self.setTabOrder(self.scroll_area, self.composer.editor)
        self.setTabOrder(self.composer.editor, self.composer.send_button)

    # --- opening and refreshing ---------------------------------------------------------

    def open(self, discussion_id: str, focus_post: str | None = None) -> None:
        """Show a discussion (from its first post, or around ``focus_post``)."""
        if discussion_id != self.discussion_id:
            self._keep_draft()
            self._clear()
            self.discussion_id = discussion_id
            self.limit = PAGE
            self.composer.editor.setPlainText(self._drafts.pop(discussion_id, ""))
            self.composer.clear_reply_to()
            self.poll_form.hide()
            self._show_notice("")
        self._focus_post = focus_post
        self._load(focus_post)

    def refresh(self) -> None:
        """Read the open thread again after a change, keeping the place and the draft."""
        if self.discussion_id is not None:
            self._load(None)

    def close_thread(self) -> None:
        self._keep_draft()
        self._clear()
        self.discussion_id = None
        self.composer.editor.clear()

    def load_more(self) -> None:
        if self.data is not None and self.data.more and not self._loading:
            self.limit = len(self.data.posts) + PAGE
            self._load(None)

    def _load(self, focus_post: str | None) -> None:
        discussion_id = self.discussion_id
        if discussion_id is None:
            return
        # A thread read in full reads a page further, to take in posts that came since.
        limit = self.limit if self.data is None or self.data.more else self.limit + PAGE
        self._loading = True
        self.ctx.tasks.run(
            lambda: open_thread(
                store=self.ctx.store,
                discussion_id=discussion_id,
                limit=limit,
                focus_post=focus_post,
            ),
            done=self._show,
            failed=self._load_failed,
            newest=self._reads,
        )

    def _show(self, data: ThreadContents) -> None:
        self._loading = False
        self.data = data
        self.composer.mentions.set_names(data.names)
        self.limit = max(self.limit, len(data.posts))
        s = data.summary
        self.title.setText(s.title)
        marks = [
            s.category,
            replies_text(s.posts),
            tr("active %1").replace("%1", ago(s.last_activity_hlc)),
        ]
        marks += [w for f, w in ((s.pinned, tr("Pinned")), (s.locked, tr("Locked"))) if f]
        if s.resolved:
            marks.append(tr("✓ Resolved"))
        self.meta.setText("  ·  ".join(marks))
        self.thread_actions.update_for(data)
        self.consultation.show_for(s.id)
        self._show_cards(data)
        self._show_composer(data)
        self.more_button.setVisible(data.more)
        self.loaded.emit(s.id)
        if self._focus_post and self._focus_post in self.cards:
            target = self.cards[self._focus_post]
            self._focus_post = None
            target.setProperty("target", True)
            target.style().polish(target)
            QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(target, 0, 60))
        elif self._scroll_to_end:
            self._scroll_to_end = False
            bar = self.scroll_area.verticalScrollBar()
            QTimer.singleShot(0, lambda: bar.setValue(bar.maximum()))

    def _load_failed(self, message: str) -> None:
        self._loading = False
        self._clear()
        self.title.setText(tr("Not available"))
        self.meta.setText("")
        self.composer.hide()
        self.poll_form.hide()
        self._show_notice(message, self._undo)

    # --- the cards -------------------------------------------------------------------

    def _show_cards(self, data: ThreadContents) -> None:
        organiser = data.role == "organiser"
        can_write = data.role != "removed" and not data.summary.locked
        by_id = {p.id: p for p in data.posts}
        last = data.posts[-1].created_hlc if data.posts else 0
        order: list[tuple[int, str, QWidget]] = []
        for post in data.posts:
            card = self.cards.get(post.id)
            mine = post.author == data.me
            if card is None:
                card = PostCard(post, mine=mine, can_delete=organiser, can_reply=can_write)
                card.reply_requested.connect(self._reply_to)
                card.reaction_toggled.connect(self._react)
                card.edit_saved.connect(self._edit)
                card.delete_requested.connect(self._delete_post)
                self.cards[post.id] = card
            card.update_post(
                post,
                mine=mine,
                can_delete=organiser,
                can_reply=can_write,
                context=_reply_context(post.reply_to, by_id),
            )
            order.append((post.created_hlc, post.id, card))
        for poll in data.polls:
            if data.more and poll.created_hlc > last:
                continue  # it belongs further down, among posts not read yet
            poll_card = self.poll_cards.get(poll.results.id)
            if poll_card is None:
                poll_card = PollCard(poll)
                poll_card.vote_requested.connect(self._vote)
                self.poll_cards[poll.results.id] = poll_card
            poll_card.update_poll(poll)
            order.append((poll.created_hlc, poll.results.id, poll_card))
        shown = {key for _, key, _ in order}
        gone: list[QWidget] = [self.cards.pop(k) for k in [k for k in self.cards if k not in shown]]
        gone += [self.poll_cards.pop(k) for k in [k for k in self.poll_cards if k not in shown]]
        for widget in gone:
            self.posts_layout.removeWidget(widget)
            widget.deleteLater()
        order.sort(key=lambda item: (item[0], item[1]))
        for position, (_, _, widget) in enumerate(order):
            if self.posts_layout.indexOf(widget) != position:
                self.posts_layout.removeWidget(widget)
                self.posts_layout.insertWidget(position, widget)

    def _clear(self) -> None:
        self._reads.drop()
        self.consultation.show_for(None)
        self._loading = False
        self.data = None
        for card in [*self.cards.values(), *self.poll_cards.values()]:
            self.posts_layout.removeWidget(card)
            card.deleteLater()
        self.cards.clear()
        self.poll_cards.clear()
        self.more_button.hide()

    def _show_composer(self, data: ThreadContents) -> None:
        if data.role == "removed":
            reason = tr(
                "You can read this group but not write in it:"
                " an organiser has not admitted this laptop."
            )
        elif data.summary.locked:
            reason = tr("This discussion is locked: it takes no new replies.")
        else:
            reason = ""
        self.composer.setVisible(not reason)
        self.closed_label.setText(reason)
        self.closed_label.setVisible(bool(reason))
        if reason:
            self.poll_form.hide()

    def _keep_draft(self) -> None:
        if self.discussion_id and self.composer.text().strip():
            self._drafts[self.discussion_id] = self.composer.text()

    def _on_scrolled(self, value: int) -> None:
        if value and value == self.scroll_area.verticalScrollBar().maximum():
            self.load_more()

    # --- what the reader does ------------------------------------------------------------

    def focus_composer(self) -> None:
        if self.composer.isVisible():
            self.composer.editor.setFocus()

    def _reply_to(self, post_id: str) -> None:
        card = self.cards.get(post_id)
        self.composer.set_reply_to(post_id, card.post.author_name if card else "")

    def _send(self, body: str, reply_to: str | None) -> None:
        discussion_id = self.discussion_id
        if discussion_id is None:
            return
        self.composer.set_busy(True)

        def sent(_: object) -> None:
            self._scroll_to_end = True
            self.composer.sent()

        def refused(message: str) -> None:
            self.composer.set_busy(False)
            self.composer.show_error(message)

        self.ctx.tasks.run(
            lambda: discussions.reply(
                store=self.ctx.store, discussion_id=discussion_id, body=body, reply_to=reply_to
            ),
            done=sent,
            failed=refused,
        )

    def _react(self, post_id: str, emoji: str, present: bool) -> None:
        self._write(
            lambda: discussions.react(
                store=self.ctx.store, post_id=post_id, emoji=emoji, present=present
            )
        )

    def _edit(self, post_id: str, body: str) -> None:
        self._write(lambda: discussions.edit_post(store=self.ctx.store, post_id=post_id, body=body))

    def _delete_post(self, post_id: str) -> None:
        store = self.ctx.store

        def undo() -> None:
            self._write(lambda: discussions.restore_post(store=store, post_id=post_id))

        self._write(
            lambda: discussions.delete_post(store=store, post_id=post_id),
            done=lambda: self._show_notice(tr("The post was deleted."), undo),
        )

    def _vote(self, poll_id: str, choices: list[str]) -> None:
        self._write(lambda: polls.vote(store=self.ctx.store, poll_id=poll_id, choices=choices))

    def open_poll_form(self) -> None:
        if self.discussion_id is not None and self.composer.isVisible():
            self.poll_form.start()

    def _close_poll_form(self) -> None:
        self.poll_form.hide()
        self.composer.editor.setFocus()

    def _create_poll(self, question: str, options: list[str], multiple: bool) -> None:
        discussion_id = self.discussion_id
        if discussion_id is None:
            return

        def made() -> None:
            self.poll_form.clear()
            self.poll_form.hide()
            self._scroll_to_end = True

        self._write(
            lambda: polls.create_poll(
                store=self.ctx.store,
                discussion_id=discussion_id,
                question=question,
                options=options,
                multiple=multiple,
            ),
            done=made,
        )

    def _on_action(self, name: str, value: str) -> None:
        """Carry out a choice from the thread's actions (see ThreadActions)."""
        data, store = self.data, self.ctx.store
        if data is None:
            return
        s = data.summary
        if name == "reply":
            self.focus_composer()
        elif name == "poll":
            self.open_poll_form()
        elif name == "refresh":
            self.refresh()
        elif name == "follow":
            target = s.category_id if value == "category" else s.id
            state = data.category_following if value == "category" else data.following
            self._write(
                lambda: follows.follow(
                    store=store, target_id=target, state=_next(state, "following")
                )
            )
        elif name == "mute":
            target = s.category_id if value == "category" else s.id
            state = data.category_following if value == "category" else data.following
            self._write(
                lambda: follows.follow(store=store, target_id=target, state=_next(state, "muted"))
            )
        elif name in ("pinned", "locked", "resolved"):
            fields: dict[str, Any] = {name: not getattr(s, name)}
            self._write(
                lambda: discussions.update_discussion(store=store, discussion_id=s.id, **fields)
            )
        elif name == "move":
            self._write(
                lambda: discussions.update_discussion(
                    store=store, discussion_id=s.id, category=value
                )
            )
        elif name == "rename":
            self._rename_discussion(s.id, s.title)
        elif name == "delete":
            self._delete_discussion(s.id)

    def _rename_discussion(self, discussion_id: str, title: str) -> None:
        new, ok = QInputDialog.getText(self, tr("Rename discussion"), tr("New title:"), text=title)
        new = new.strip()
        if not ok or not new or new == title:
            return
        store = self.ctx.store
        self._write(
            lambda: discussions.update_discussion(
                store=store, discussion_id=discussion_id, title=new
            )
        )

    def _delete_discussion(self, discussion_id: str) -> None:
        store = self.ctx.store

        def undo() -> None:
            self._write(
                lambda: discussions.update_discussion(
                    store=store, discussion_id=discussion_id, deleted=False
                )
            )

        self._undo = undo
        self._write(
            lambda: discussions.update_discussion(
                store=store, discussion_id=discussion_id, deleted=True
            ),
            done=lambda: self._show_notice(tr("The discussion was deleted."), undo),
        )

    # --- writes and what they say ----------------------------------------------------------

    def _write(self, fn: Callable[[], object], done: Callable[[], None] | None = None) -> None:
        """Run a write on a worker; the refresh it causes comes through ``ctx.changed``."""
        self.ctx.tasks.run(
            fn,
            done=lambda _: done() if done else None,
            failed=self._failed,
        )

    def _failed(self, message: str) -> None:
        self._show_notice(message)
        self.ctx.message.emit(message)

    def _show_notice(self, message: str, undo: Callable[[], None] | None = None) -> None:
        self._undo = undo
        self.notice.setText(message)
        self.undo_button.setVisible(undo is not None)
        self.notice_box.setVisible(bool(message))

    def _run_undo(self) -> None:
        undo, self._undo = self._undo, None
        self._show_notice("")
        if undo is not None:
            undo()


def _next(current: str, wanted: str) -> str:
    """Pressing Follow (or Mute) again takes it back."""
    return "none" if current == wanted else wanted


def _reply_context(reply_to: str | None, posts: dict[str, Any]) -> str:
    if reply_to is None:
        return ""
    answered = posts.get(reply_to)
    if answered is None:
        return tr("↪ In reply to an earlier post")
    words = " ".join(answered.body.split())
    excerpt = words if len(words) <= 80 else words[:79] + "…"
    name = answered.author_name or tr("someone")
    return tr("↪ In reply to %1: “%2”").replace("%1", name).replace("%2", excerpt)


def _tool_button(action: QAction, name: str) -> QToolButton:
    button = QToolButton()
    button.setDefaultAction(action)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setAccessibleName(name)
    shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    button.setToolTip(f"{action.toolTip()} ({shortcut})" if shortcut else action.toolTip())
    return button
