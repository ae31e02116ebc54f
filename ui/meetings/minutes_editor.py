"""The selected item's minutes in a plain editor that saves itself after a typing pause.

Saving sends the text with the minutes it was typed over (``set_minutes`` with a
base), so words another laptop wrote meanwhile are merged in, not overwritten; others'
words that arrive are patched in while there is no unsaved typing here.
"""

from __future__ import annotations

from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.services import meetings
from ui.autosave import autosave
from ui.context import AppContext
from ui.meetings import tr
from ui.notice import Notice
from ui.text_patch import patch_editor


class MinutesEditor(QWidget):
    SAVE_DELAY_MS = 500

    def __init__(self, ctx: AppContext, notice: Notice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.notice = ctx, notice
        self.item_id: str | None = None
        self._stored = ""  # the minutes as the store last had them, as far as we know
        self._busy = self._again = self._applying = False
        self._generation = 0

        self.label = QLabel(tr("&Minutes of the selected item"))
        self.status = QLabel()
        self.status.setObjectName("muted")
        self.status.setAccessibleName(tr("Save status"))
        self.body = QPlainTextEdit()
        self.body.setAccessibleName(tr("Minutes"))
        self.body.setPlaceholderText(tr("Minute the item here; it is saved as you type."))
        self.body.setTabChangesFocus(True)
        self.body.textChanged.connect(self._on_typed)
        self.label.setBuddy(self.body)
        self._timer = autosave(self, self.SAVE_DELAY_MS, self.save, self.flush)

        top = QHBoxLayout()
        top.addWidget(self.label, 1)
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.body, 1)

    def show_item(self, item_id: str | None, minutes: str, *, editable: bool) -> None:
        """Open an item's minutes, or bring in what arrived for the one open."""
        if item_id != self.item_id:
            self.flush()
            self._generation += 1
            self.item_id, self._stored = item_id, minutes
            self._busy = self._again = False
            self._set_text(minutes)
            self.body.document().clearUndoRedoStacks()
            self.status.clear()
        elif minutes != self._stored and not self._busy and not self.dirty():
            self._applying = True
            try:
                patch_editor(self.body, self.body.toPlainText(), minutes)
            finally:
                self._applying = False
            self._stored = minutes
        self.body.setReadOnly(not editable or item_id is None)

    def dirty(self) -> bool:
        return self.item_id is not None and self.body.toPlainText() != self._stored

    def flush(self) -> None:
        if self.dirty():
            self._timer.stop()
            self.save()

    def save(self) -> None:
        item_id, text = self.item_id, self.body.toPlainText()
        if item_id is None or text == self._stored:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        self.status.setText(tr("Saving…"))
        generation, store, base = self._generation, self.ctx.store, self._stored
        self.ctx.tasks.run(
            lambda: meetings.set_minutes(store=store, item_id=item_id, text=text, base=base),
            done=lambda merged: self._saved(generation, text, merged),
            failed=lambda message: self._failed(generation, message),
            owner=self,
        )

    def _saved(self, generation: int, text: str, merged: str) -> None:
        if generation != self._generation:
            return
        self._busy, self._stored = False, text
        if merged != text and self.body.toPlainText() == text:
            # Another laptop's words came in with the save: show them.
            self._applying = True
            try:
                patch_editor(self.body, text, merged)
            finally:
                self._applying = False
            self._stored = merged
        self.status.setText(tr("Saved"))
        if self._again or self.dirty():
            self._again = False
            self._timer.start()

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            self.notice.error(message)
            return
        self._busy = self._again = False
        self.status.setText(tr("Not saved"))
        self.notice.error(message)

    def _set_text(self, text: str) -> None:
        self._applying = True
        try:
            self.body.setPlainText(text)
        finally:
            self._applying = False

    def _on_typed(self) -> None:
        if self._applying or self.item_id is None:
            return
        self.status.setText(tr("Editing…"))
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()
        super().hideEvent(event)
