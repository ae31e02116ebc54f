"""Ctrl+Enter sends, Escape cancels, in whichever text box has the keys.

An event filter rather than a QShortcut: a text box takes Ctrl+Enter for itself
before shortcuts are looked at, and the key must work even while another window
is in front (a screen reader's, say).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _Keys(QObject):
    def __init__(
        self,
        widget: QWidget,
        submit: Callable[[], object] | None,
        cancel: Callable[[], object] | None,
    ) -> None:
        super().__init__(widget)
        self.submit, self.cancel = submit, cancel
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        assert isinstance(event, QKeyEvent)
        action = None
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if ctrl and event.key() in ENTER_KEYS:
            action = self.submit
        elif event.key() == Qt.Key.Key_Escape and not event.modifiers():
            action = self.cancel
        if action is None:
            return False
        event.accept()
        if event.type() == QEvent.Type.KeyPress:
            action()
        return True


def bind_keys(
    widget: QWidget,
    *,
    submit: Callable[[], object] | None = None,
    cancel: Callable[[], object] | None = None,
) -> None:
    """Call ``submit`` on Ctrl+Enter and ``cancel`` on Escape while ``widget`` has focus."""
    _Keys(widget, submit, cancel)
