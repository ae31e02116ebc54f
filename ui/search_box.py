"""The search box in the toolbar: results for the current group as the user types."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, Qt
from PySide6.QtWidgets import QLineEdit

from app.services import search
from app.services.search import SearchHit
from ui.context import AppContext
from ui.search_popup import SearchPopup


class SearchBox(QLineEdit):
    """Emits ``open_requested(kind, id, discussion_id)`` for the result the user opens.

    Searching waits for a short pause in typing and runs in a worker; an answer to an
    older query than the one now in the box is dropped.
    """

    open_requested = Signal(str, str, str)
    DELAY_MS = 150

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setPlaceholderText(self.tr("Search  (Ctrl+K)"))
        self.setAccessibleName(self.tr("Search"))
        self.setAccessibleDescription(
            self.tr("Searches this group's discussions, posts and notes as you type")
        )
        self.setClearButtonEnabled(True)
        self.setMaximumWidth(360)
        self.setMinimumWidth(240)
        self._asked = 0  # number of the newest query sent
        self._popup: SearchPopup | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DELAY_MS)
        self._timer.timeout.connect(self._search)
        self.textEdited.connect(lambda _text: self._timer.start())
        self.textChanged.connect(self._on_text_changed)
        ctx.group_selected.connect(lambda _group: self._reset())

    def focus_search(self) -> None:
        self.setFocus()
        self.selectAll()
        if self.text().strip() and self._popup is not None and self._popup.model.rowCount():
            self._popup.show_under(self)

    @property
    def popup(self) -> SearchPopup:
        if self._popup is None:
            self._popup = SearchPopup(self.window())
            self._popup.chosen.connect(self._open)
            self.window().installEventFilter(self)
        return self._popup

    # --- searching ----------------------------------------------------------------------

    def _on_text_changed(self, text: str) -> None:
        if not text.strip():
            self._reset()

    def _reset(self) -> None:
        self._timer.stop()
        self._asked += 1  # whatever is in flight is no longer wanted
        if self._popup is not None:
            self._popup.hide()

    def _search(self) -> None:
        query, group_id, store = self.text().strip(), self.ctx.group_id, self.ctx.store
        if not query or not group_id:
            return
        self._asked += 1
        asked = self._asked
        self.ctx.tasks.run(
            lambda: search.search(store=store, group_id=group_id, query=query),
            done=lambda hits: self._answered(asked, hits),
            failed=lambda message: self._failed(asked, message),
            owner=self,
        )

    def _answered(self, asked: int, hits: list[SearchHit]) -> None:
        if asked != self._asked:
            return
        self.popup.set_hits(hits)
        self.popup.show_under(self)

    def _failed(self, asked: int, message: str) -> None:
        if asked == self._asked:
            self.ctx.message.emit(self.tr("Search failed: {message}").format(message=message))

    # --- keys and choosing ----------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        shown = self._popup is not None and self._popup.isVisible()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and shown:
            self.popup.move_selection(1 if key == Qt.Key.Key_Down else -1)
        elif key == Qt.Key.Key_Down and self.text().strip():
            self._timer.stop()
            self._search()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if shown and self.popup.current_hit() is not None:
                self._open(self.popup.current_hit())
            else:
                self._timer.stop()
                self._search()  # Enter before the pause: search now
        elif key == Qt.Key.Key_Escape and shown:
            self.popup.hide()
        else:
            super().keyPressEvent(event)

    def _open(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        self.popup.hide()
        self.open_requested.emit(hit.kind, hit.id, hit.discussion_id or "")

    def focusOutEvent(self, event: QFocusEvent) -> None:
        # A click on a result leaves the focus here (the list takes none), so any
        # real loss of focus means the user went elsewhere.
        if self._popup is not None:
            self._popup.hide()
        super().focusOutEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.window()
            and event.type() == QEvent.Type.Resize
            and self._popup is not None
            and self._popup.isVisible()
        ):
            self._popup.show_under(self)
        return False
