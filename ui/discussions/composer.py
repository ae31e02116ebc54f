"""The reply box under a thread: Ctrl+Enter sends; it may answer one post in particular."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.discussions import tr
from ui.discussions.keys import bind_keys
from ui.mentions import MentionCompleter


class Composer(QFrame):
    send_requested = Signal(str, object)  # body, id of the post answered (or None)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.reply_to: str | None = None
        self.replying = QLabel()
        self.replying.setObjectName("muted")
        self.clear_reply = QPushButton(tr("Not a reply to that post"))
        self.clear_reply.setObjectName("quiet")
        self.clear_reply.setFlat(True)
        self.clear_reply.setAccessibleName(tr("Reply to the whole discussion instead"))
        self.clear_reply.clicked.connect(self.clear_reply_to)
        reply_row = QHBoxLayout()
        reply_row.addWidget(self.replying)
        reply_row.addStretch(1)
        reply_row.addWidget(self.clear_reply)
        self.reply_row = QWidget()
        self.reply_row.setLayout(reply_row)
        reply_row.setContentsMargins(0, 0, 0, 0)
        self.reply_row.hide()

        self.editor = QPlainTextEdit()
        self.editor.setObjectName("composerText")
        self.editor.setPlaceholderText(tr("Write a reply… (Markdown works; Ctrl+Enter sends)"))
        self.editor.setAccessibleName(tr("Your reply"))
        self.editor.setTabChangesFocus(True)
        self.editor.setFixedHeight(88)
        bind_keys(self.editor, submit=self.send)
        self.mentions = MentionCompleter(self.editor)
        self.send_button = QPushButton(tr("Se&nd"))
        self.send_button.setObjectName("primary")
        self.send_button.setAccessibleName(tr("Send the reply (Ctrl+Enter)"))
        self.send_button.clicked.connect(self.send)
        self.status = QLabel()
        self.status.setObjectName("error")
        self.status.setWordWrap(True)
        self.status.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addStretch(0)
        buttons.addWidget(self.send_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 10, 18, 14)
        layout.setSpacing(6)
        layout.addWidget(self.reply_row)
        layout.addWidget(self.editor)
        layout.addLayout(buttons)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_reply_to(self, post_id: str, author: str) -> None:
        self.reply_to = post_id
        self.replying.setText(tr("Replying to %1").replace("%1", author or tr("a post")))
        self.reply_row.show()
        self.editor.setFocus()

    def clear_reply_to(self) -> None:
        self.reply_to = None
        self.reply_row.hide()

    def send(self) -> None:
        if self.text().strip() and self.send_button.isEnabled():
            self.show_error("")
            self.send_requested.emit(self.text(), self.reply_to)

    def set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)

    def sent(self) -> None:
        """The reply was stored: start afresh."""
        self.editor.clear()
        self.clear_reply_to()
        self.set_busy(False)

    def show_error(self, message: str) -> None:
        self.status.setText(message)
        self.status.setVisible(bool(message))
