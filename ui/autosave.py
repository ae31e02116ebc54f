"""Saving as you type: a pause in the typing saves, and Ctrl+S saves at once.

The note editor and the minutes editor both write this way; each keeps its own idea
of what saving means (``save``) and of saving what is still unsaved (``save_now``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def autosave(
    editor: QWidget, delay_ms: int, save: Callable[[], None], save_now: Callable[[], None]
) -> QTimer:
    """The timer to restart at each keystroke; Ctrl+S anywhere in ``editor`` saves now."""
    timer = QTimer(editor)
    timer.setSingleShot(True)
    timer.setInterval(delay_ms)
    timer.timeout.connect(save)
    shortcut = QShortcut(QKeySequence.StandardKey.Save, editor)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(save_now)
    return timer
