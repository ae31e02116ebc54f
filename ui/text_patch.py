"""Bring an editor's document to new text by changing only the part that differs.

Replacing the whole text would throw away the caret, the selection and the scroll
position of someone in the middle of typing; a minimal edit keeps all three.
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit


def utf16_len(text: str) -> int:
    """Qt counts positions in UTF-16 units: an emoji is two of them."""
    return len(text.encode("utf-16-le")) // 2


def changed_span(old: str, new: str) -> tuple[int, int, int]:
    """(common prefix, end of the changed part in old, end in new), in characters."""
    limit = min(len(old), len(new))
    start = 0
    while start < limit and old[start] == new[start]:
        start += 1
    old_end, new_end = len(old), len(new)
    while old_end > start and new_end > start and old[old_end - 1] == new[new_end - 1]:
        old_end -= 1
        new_end -= 1
    return start, old_end, new_end


def patch_editor(editor: QPlainTextEdit, old: str, new: str) -> None:
    """Turn the editor's text ``old`` into ``new``, keeping the caret by the user's words.

    A caret at or before the change stays put (text that arrives exactly where the user
    is typing goes after the caret, so their next key lands where they expect); a caret
    after it moves by the change's length.
    """
    start, old_end, new_end = changed_span(old, new)
    if start == old_end == new_end:
        return
    at = utf16_len(old[:start])
    removed = utf16_len(old[start:old_end])
    added = utf16_len(new[start:new_end])

    def moved(pos: int) -> int:
        if pos <= at:
            return pos
        if pos >= at + removed:
            return pos - removed + added
        return at + added  # inside text that was replaced: just after its replacement

    mine = editor.textCursor()
    anchor, position = moved(mine.anchor()), moved(mine.position())
    # Lines added above the first visible one push the view down unless it follows them.
    bar = editor.verticalScrollBar()
    scrolled, lines = bar.value(), editor.blockCount()
    above_view = (
        editor.document().findBlock(at).blockNumber() < editor.firstVisibleBlock().blockNumber()
    )

    edit = QTextCursor(editor.document())
    edit.setPosition(at)
    edit.setPosition(at + removed, QTextCursor.MoveMode.KeepAnchor)
    edit.beginEditBlock()
    edit.insertText(new[start:new_end])
    edit.endEditBlock()

    mine.setPosition(anchor)
    mine.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(mine)
    bar.setValue(scrolled + (editor.blockCount() - lines if above_view else 0))
