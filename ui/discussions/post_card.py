"""One post in a thread: who and when, the text, reactions, and what may be done to it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.discussions import PostView
from ui.discussions import tr
from ui.discussions.keys import bind_keys
from ui.markdown import open_link, to_html
from ui.when import ago, full

# A few reactions always offered; others people chose elsewhere show beside them.
REACTIONS = ("👍", "❤️", "🎉", "🙏")


class PostCard(QFrame):
    reply_requested = Signal(str)  # post id
    reaction_toggled = Signal(str, str, bool)  # post id, emoji, present
    edit_saved = Signal(str, str)  # post id, new body
    delete_requested = Signal(str)  # post id

    def __init__(self, post: PostView, *, mine: bool, can_delete: bool, can_reply: bool) -> None:
        super().__init__()
        self.setObjectName("post")
        self.post = post
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.author = QLabel()
        self.author.setObjectName("author")
        self.when = QLabel()
        self.when.setObjectName("muted")
        self.context = QLabel()
        self.context.setObjectName("muted")
        self.context.setWordWrap(True)
        self.newcomer = QLabel(tr("First post — new to the group"))
        self.newcomer.setObjectName("newcomer")
        self.newcomer.setToolTip(tr("Their first words here since joining: a reply welcomes them."))
        self.newcomer.hide()
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self.author)
        header.addWidget(self.newcomer)
        header.addWidget(self.when)
        header.addStretch(1)

        self.body = QLabel()
        self.body.setObjectName("body")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.body.setOpenExternalLinks(False)
        self.body.linkActivated.connect(open_link)
        self.body.setAccessibleName(tr("Post text"))

        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(tr("Edit your post"))
        self.editor.setMinimumHeight(90)
        self.save_button = QPushButton(tr("Save"))
        self.save_button.setAccessibleName(tr("Save your edit (Ctrl+Enter)"))
        self.save_button.clicked.connect(self._save)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setAccessibleName(tr("Cancel the edit (Esc)"))
        self.cancel_button.clicked.connect(self.stop_editing)
        bind_keys(self.editor, submit=self._save, cancel=self.stop_editing)
        edit_row = QHBoxLayout()
        edit_row.addStretch(1)
        edit_row.addWidget(self.cancel_button)
        edit_row.addWidget(self.save_button)
        self.edit_box = QWidget()
        edit_layout = QVBoxLayout(self.edit_box)
        edit_layout.setContentsMargins(0, 0, 0, 0)
        edit_layout.addWidget(self.editor)
        edit_layout.addLayout(edit_row)
        self.edit_box.hide()
        self._editing = False

        self.reactions = QHBoxLayout()
        self.reactions.setSpacing(4)
        self.reaction_buttons: dict[str, QPushButton] = {}
        self.reply_button = _action_button(tr("Reply"), tr("Reply to this post"))
        self.reply_button.clicked.connect(lambda: self.reply_requested.emit(self.post.id))
        self.edit_button = _action_button(tr("Edit"), tr("Edit this post"))
        self.edit_button.clicked.connect(self.start_editing)
        self.delete_button = _action_button(tr("Delete"), tr("Delete this post"))
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.post.id))
        footer = QHBoxLayout()
        footer.setSpacing(6)
        footer.addLayout(self.reactions)
        footer.addStretch(1)
        for button in (self.reply_button, self.edit_button, self.delete_button):
            footer.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 10)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.context)
        layout.addWidget(self.body)
        layout.addWidget(self.edit_box)
        layout.addLayout(footer)
        self.update_post(post, mine=mine, can_delete=can_delete, can_reply=can_reply)

    def update_post(
        self,
        post: PostView,
        *,
        mine: bool,
        can_delete: bool,
        can_reply: bool,
        context: str = "",
    ) -> None:
        """Show a newer state of the post; an edit in progress is left alone."""
        self.post = post
        name = post.author_name or tr("Someone")
        self.author.setText(name)
        edited = tr(" · edited") if post.edited else ""
        self.when.setText(ago(post.created_hlc) + edited)
        self.when.setToolTip(full(post.created_hlc))
        self.context.setText(context)
        self.context.setVisible(bool(context))
        self.newcomer.setVisible(post.newcomers_first)
        html = to_html(post.body, self.body.font())
        if html != self.body.text():
            self.body.setText(html)
        self.setAccessibleName(
            tr("Post by %1, %2").replace("%1", name).replace("%2", ago(post.created_hlc))
        )
        self.reply_button.setVisible(can_reply)
        self.edit_button.setVisible(mine)
        self.delete_button.setVisible(mine or can_delete)
        self._show_reactions(post)

    def _show_reactions(self, post: PostView) -> None:
        shown = list(REACTIONS) + sorted(set(post.reactions) - set(REACTIONS))
        for emoji in shown:
            button = self.reaction_buttons.get(emoji)
            if button is None:
                button = QPushButton()
                button.setObjectName("reaction")
                button.setCheckable(True)
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.clicked.connect(lambda checked, e=emoji: self._toggle(e, checked))
                self.reaction_buttons[emoji] = button
                self.reactions.addWidget(button)
            count = post.reactions.get(emoji, 0)
            mine = emoji in post.my_reactions
            button.setText(f"{emoji} {count}" if count else emoji)
            button.setChecked(mine)
            button.setProperty("used", bool(count))
            button.style().unpolish(button)
            button.style().polish(button)
            said = tr("%n people", count) if count != 1 else tr("1 person")
            yours = tr(", including you") if mine else ""
            button.setAccessibleName(tr("React with %1").replace("%1", emoji))
            button.setToolTip(f"{said}{yours}")
            button.setAccessibleDescription(f"{said}{yours}")

    def _toggle(self, emoji: str, checked: bool) -> None:
        self.reaction_toggled.emit(self.post.id, emoji, checked)

    def start_editing(self) -> None:
        self.editor.setPlainText(self.post.body)
        self.body.hide()
        self.edit_box.show()
        self._editing = True
        self.editor.setFocus()

    def stop_editing(self) -> None:
        self._editing = False
        self.edit_box.hide()
        self.body.show()
        self.edit_button.setFocus()

    def is_editing(self) -> bool:
        return self._editing

    def _save(self) -> None:
        body = self.editor.toPlainText()
        if body.strip() and body != self.post.body:
            self.edit_saved.emit(self.post.id, body)
        self.stop_editing()


def _action_button(text: str, accessible: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName("quiet")
    button.setFlat(True)
    button.setAccessibleName(accessible)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    return button
