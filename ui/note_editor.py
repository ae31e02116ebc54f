"""One note open for editing: saves by itself, and takes in others' edits as they arrive.

The editor keeps a *base*: the note as it stood when the editor last agreed with the
store. A save sends the editor's text with that base, so the core records only what
the user changed and merges it with anything another laptop wrote meanwhile; the
merged text then comes back and only the difference is patched into the editor.
One sync runs at a time; typing that lands while one is in flight is saved by the
next, on top of the text just sent, before anything is patched in.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QHideEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from app.services import notes
from app.services.notes import NoteBody, OpenNote, SavedBody
from ui.autosave import autosave
from ui.context import AppContext
from ui.notice import Notice
from ui.text_patch import patch_editor


class NoteEditor(QWidget):
    """Title and text of the open note; errors go to the page's ``notice``."""

    SAVE_DELAY_MS = 500

    def __init__(self, ctx: AppContext, notice: Notice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.notice = ctx, notice
        self.note_id: str | None = None
        self._base: NoteBody | None = None
        self._title = ""
        self._generation = 0  # answers about a note no longer open are dropped
        self._busy = False  # a sync is in flight
        self._again = False  # something asked for a sync while one was in flight
        self._applying = False  # the editor is being changed by us, not by the user
        self._focus_when_loaded = ""

        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(self.tr("Note title"))
        self.title_edit.setPlaceholderText(self.tr("Title"))
        big = QFont(self.title_edit.font())
        big.setPointSizeF(big.pointSizeF() * 1.45)
        big.setWeight(QFont.Weight.DemiBold)
        self.title_edit.setFont(big)
        self.title_edit.editingFinished.connect(self._commit_title)
        self.title_edit.returnPressed.connect(self._to_body)

        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Save status"))
        self.status.setObjectName("muted")

        self.body = QPlainTextEdit()
        self.body.setAccessibleName(self.tr("Note text"))
        self.body.setPlaceholderText(self.tr("Write here. Everything is saved as you type."))
        self.body.setTabChangesFocus(True)
        self.body.setReadOnly(True)
        text_font = QFont(self.body.font())
        text_font.setPointSizeF(text_font.pointSizeF() * 1.1)
        self.body.setFont(text_font)
        self.body.document().setDocumentMargin(14)
        self.body.textChanged.connect(self._on_typed)

        self._timer = autosave(self, self.SAVE_DELAY_MS, self.sync, self.flush)

        top = QHBoxLayout()
        top.addWidget(self.title_edit, 1)
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.body, 1)
        self.setTabOrder(self.title_edit, self.body)

    # --- which note -------------------------------------------------------------------

    def open_note(self, note_id: str, *, focus: str = "") -> None:
        """Open a note; ``focus`` "title" (selected, to retype it) or "body" once loaded."""
        if note_id == self.note_id:
            self._focus(focus)
            return
        self.flush()
        self._reset(note_id)
        self._focus_when_loaded = focus
        self.status.setText(self.tr("Opening…"))
        generation, store = self._generation, self.ctx.store
        self.ctx.tasks.run(
            lambda: notes.open_note(store=store, note_id=note_id),
            done=lambda note: self._loaded(generation, note),
            failed=lambda message: self._failed(generation, message),
            owner=self,
        )

    def close_note(self) -> None:
        self.flush()
        self._reset(None)
        self.status.clear()

    def _reset(self, note_id: str | None) -> None:
        self._generation += 1
        self.note_id, self._base, self._title = note_id, None, ""
        self._busy = self._again = False
        self._timer.stop()
        self._set_text("")
        self.title_edit.clear()
        self.title_edit.setReadOnly(False)
        self.body.setReadOnly(True)

    def _loaded(self, generation: int, note: OpenNote) -> None:
        if generation != self._generation:
            return
        self._title = note.title
        self.title_edit.setText(note.title)
        self._set_text(note.body.text)
        self._base = note.body
        self.body.document().clearUndoRedoStacks()
        self.status.clear()
        self._show_state(note)
        self._focus(self._focus_when_loaded)

    def _focus(self, where: str) -> None:
        if where == "title" or (where == "body" and self.body.isReadOnly()):
            self.title_edit.setFocus()
            self.title_edit.selectAll()
        elif where == "body":
            self.body.setFocus()

    # --- saving and merging ---------------------------------------------------------------

    def dirty(self) -> bool:
        return self._base is not None and self.body.toPlainText() != self._base.text

    def flush(self) -> None:
        """Save now what is waiting for the typing pause (on leaving the note, say)."""
        if self.title_edit.text().strip() != self._title and self._base is not None:
            self._commit_title()
        if self.dirty():
            self._timer.stop()
            self.sync()

    def sync(self) -> None:
        """Save any unsaved typing, then bring in what others wrote (one at a time)."""
        note_id, base = self.note_id, self._base
        if note_id is None or base is None:
            return
        if self._busy:
            self._again = True
            return
        self._busy = True
        sent = self.body.toPlainText()
        generation, store = self._generation, self.ctx.store
        if sent == base.text:
            self.ctx.tasks.run(
                lambda: notes.open_note(store=store, note_id=note_id),
                done=lambda note: self._synced(generation, sent, base, note),
                failed=lambda message: self._failed(generation, message),
                owner=self,
            )
            return
        self.status.setText(self.tr("Saving…"))
        self.ctx.tasks.run(
            lambda: notes.save_note_body(store=store, note_id=note_id, base=base, text=sent),
            done=lambda saved: self._synced(generation, sent, saved.mine, saved.note, saved),
            failed=lambda message: self._failed(generation, message),
            owner=self,
        )

    def _synced(
        self,
        generation: int,
        sent: str,
        mine: NoteBody,
        note: OpenNote,
        saved: SavedBody | None = None,
    ) -> None:
        if generation != self._generation:
            return
        self._busy = False
        now = self.body.toPlainText()
        if now != sent:
            # The user kept typing: that is saved first, on top of what was just sent;
            # the merged text is patched in once the editor and the store agree.
            self._base = mine
            self._timer.start()
        else:
            if note.body.text != now:
                self._patch(now, note.body.text)
                self.status.setText(self.tr("Updated with changes from others"))
            elif saved is not None:
                self.status.setText(self.tr("Saved"))
            self._base = note.body
        self._show_state(note)
        if self._again:
            self._again = False
            self.sync()

    def _failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        self._busy = self._again = False
        self.status.setText(self.tr("Not saved"))
        self.notice.error(message)

    def _patch(self, old: str, new: str) -> None:
        self._applying = True
        try:
            patch_editor(self.body, old, new)
            # Undo would take back someone else's words and save that as a deletion, so
            # history starts again from the merged text.
            self.body.document().clearUndoRedoStacks()
        finally:
            self._applying = False

    def _set_text(self, text: str) -> None:
        self._applying = True
        try:
            self.body.setPlainText(text)
        finally:
            self._applying = False

    def _on_typed(self) -> None:
        if self._applying or self._base is None:
            return
        self.status.setText(self.tr("Editing…"))
        self._timer.start()

    def _show_state(self, note: OpenNote) -> None:
        if note.title != self._title:
            self._title = note.title
            if not self.title_edit.isModified() or not self.title_edit.hasFocus():
                self.title_edit.setText(note.title)
        newly_deleted = note.deleted and not self.title_edit.isReadOnly()
        self.body.setReadOnly(note.deleted)
        self.title_edit.setReadOnly(note.deleted)
        if note.deleted:
            self.status.setText(self.tr("Deleted"))
        if newly_deleted:
            self.notice.error(self.tr("This note has been deleted, so it can no longer change."))

    # --- the title ----------------------------------------------------------------------

    def _commit_title(self) -> None:
        note_id, title = self.note_id, self.title_edit.text().strip()
        if note_id is None or self._base is None or title == self._title:
            return
        if not title:
            self.title_edit.setText(self._title)
            self.notice.error(self.tr("A note needs a title."))
            return
        old, self._title = self._title, title
        generation, store = self._generation, self.ctx.store

        def undo(message: str) -> None:
            if generation == self._generation:
                self._title = old
                self.title_edit.setText(old)
            self.notice.error(message)

        self.ctx.tasks.run(
            lambda: notes.rename_note(store=store, note_id=note_id, title=title),
            failed=undo,
            owner=self,
        )

    def _to_body(self) -> None:
        if not self.body.isReadOnly():
            self.body.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush()  # leaving the page or closing the window must not wait for a pause
        super().hideEvent(event)
