"""@mentions completed as you type: after an @, the members whose names start with what
follows it are offered; Enter or Tab (or a click) puts "@Name " in the text.

Names may hold spaces ("@Ann Smith"), so what follows the @ runs to the cursor, up to
a line's end; the offer closes once nothing matches. The mentioned member is told by
``app.services.notifications``, which looks for the same "@Name".
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QCompleter, QListView, QPlainTextEdit

LONGEST = 60  # characters after an @ that may still be the start of a name
# Keys the completer's popup acts on, which the editor must then not act on too.
_POPUP_KEYS = {Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Escape, Qt.Key.Key_Tab}


class MentionCompleter(QObject):
    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setWidget(editor)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.popup = QListView()
        self.popup.setAccessibleName("Members to mention")
        self.completer.setPopup(self.popup)
        self.completer.activated.connect(self.complete)
        editor.textChanged.connect(self._offer)
        editor.installEventFilter(self)

    def set_names(self, names: list[str]) -> None:
        self.model.setStringList(names)

    def typed(self) -> str | None:
        """What follows the @ before the cursor, if the cursor is in a mention."""
        cursor = self.editor.textCursor()
        line = cursor.block().text()[: cursor.positionInBlock()]
        at = line.rfind("@")
        if at < 0 or (at > 0 and (line[at - 1].isalnum() or line[at - 1] == "@")):
            return None  # not a mention: an e-mail address, say
        typed = line[at + 1 :]
        return typed if len(typed) <= LONGEST else None

    def _offer(self) -> None:
        typed = self.typed()
        popup = self.popup
        if typed is None or not self.model.stringList():
            popup.hide()
            return
        self.completer.setCompletionPrefix(typed)
        if self.completer.completionCount() == 0:
            popup.hide()
            return
        popup.setCurrentIndex(self.completer.completionModel().index(0, 0))
        rect = self.editor.cursorRect()
        rect.setWidth(
            popup.sizeHintForColumn(0) + popup.verticalScrollBar().sizeHint().width() + 16
        )
        self.completer.complete(rect)

    def complete(self, name: str) -> None:
        """Put "@name " in place of the @ and what was typed after it."""
        typed = self.typed()
        if typed is None:
            return
        cursor = self.editor.textCursor()
        cursor.movePosition(
            QTextCursor.MoveOperation.Left, QTextCursor.MoveMode.KeepAnchor, len(typed) + 1
        )
        cursor.insertText(f"@{name} ")
        self.editor.setTextCursor(cursor)
        self.popup.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.editor
            and event.type() == QEvent.Type.KeyPress
            and self.popup.isVisible()
            and isinstance(event, QKeyEvent)
            and event.key() in _POPUP_KEYS
        ):
            if event.key() in (Qt.Key.Key_Escape,):
                self.popup.hide()
            else:
                current = self.popup.currentIndex()
                if current.isValid():
                    self.complete(str(current.data()))
            return True  # the editor adds no new line or tab for it
        return super().eventFilter(watched, event)
