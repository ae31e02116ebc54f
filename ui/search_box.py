"""The search box in the toolbar (to be filled in)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit

from ui.context import AppContext


class SearchBox(QLineEdit):
    """Emits ``open_requested(kind, id, discussion_id)`` for the result the user opens."""

    open_requested = Signal(str, str, str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setPlaceholderText("Search  (Ctrl+K)")
        self.setAccessibleName("Search")
        self.setMaximumWidth(360)

    def focus_search(self) -> None:
        self.setFocus()
        self.selectAll()
