"""Who came, a click per person: each click (or Space) moves a member's mark on,
present → apologies → absent → remote → present; an unmarked member's first click
marks them present, which is what most clicks are for.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.meeting_view import ATTENDANCE, Attendee
from ui.meetings import tr
from ui.meetings.words import ATTENDANCE as WORDS

DEVICE_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1


def next_status(status: str) -> str:
    if status not in ATTENDANCE:
        return "present"
    return ATTENDANCE[(ATTENDANCE.index(status) + 1) % len(ATTENDANCE)]


class AttendanceList(QListWidget):
    """Emits ``marked(device, status)``; shows the new mark at once."""

    marked = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(tr("Attendance"))
        self.setToolTip(tr("Click a member (or press Space) to mark them present, then on"))
        self.setUniformItemSizes(True)
        self.itemClicked.connect(self._advance)
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        space.setContext(Qt.ShortcutContext.WidgetShortcut)
        space.activated.connect(lambda: self._advance(self.currentItem()))
        self.editable = True

    def set_people(self, members: list[tuple[str, str]], attendees: tuple[Attendee, ...]) -> None:
        marks = {a.member: a.status for a in attendees}
        names = dict(members)
        for a in attendees:  # someone who came and has since left the group
            names.setdefault(a.member, a.name)
        current = self.currentItem()
        keep = current.data(DEVICE_ROLE) if current else None
        self.clear()
        for device, name in sorted(names.items(), key=lambda kv: kv[1].casefold()):
            item = QListWidgetItem()
            item.setData(DEVICE_ROLE, device)
            self._show(item, name, marks.get(device, ""))
            self.addItem(item)
            if device == keep:
                self.setCurrentItem(item)

    def status_of(self, name: str) -> str:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(Qt.ItemDataRole.AccessibleTextRole).startswith(name + ","):
                return str(item.data(STATUS_ROLE))
        return ""

    def _show(self, item: QListWidgetItem, name: str, status: str) -> None:
        word = tr(WORDS[status]) if status else tr("not marked")
        item.setText(f"{name}  —  {word}")
        item.setData(STATUS_ROLE, status)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name}, {word}")
        item.setData(Qt.ItemDataRole.UserRole + 2, name)

    def _advance(self, item: QListWidgetItem | None) -> None:
        if item is None or not self.editable:
            return
        status = next_status(str(item.data(STATUS_ROLE) or ""))
        self._show(item, str(item.data(Qt.ItemDataRole.UserRole + 2)), status)
        self.marked.emit(str(item.data(DEVICE_ROLE)), status)
