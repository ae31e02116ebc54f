"""A line at the top of a page that tells the user what went wrong, in plain words."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from ui.context import AppContext


class Notice(QLabel):
    """Errors stay until the next action; confirmations fade after a few seconds."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWordWrap(True)
        self.setAccessibleName(self.tr("Message"))
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._fade = QTimer(self)
        self._fade.setSingleShot(True)
        self._fade.timeout.connect(self.hide)
        self.hide()

    def error(self, text: str) -> None:
        self._show(text, "formError")
        self.ctx.message.emit(text)

    def info(self, text: str) -> None:
        self._show(text, "formHint")
        self._fade.start(4000)

    def _show(self, text: str, look: str) -> None:
        """``look`` is a name the app's stylesheet colours (problem red, or muted)."""
        self._fade.stop()
        self.setObjectName(look)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.show()
