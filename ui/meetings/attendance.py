"""Who came, a click per person: each click (or Space) moves a member's mark on,
present → apologies accepted → apologies not accepted → absent → remote → present; an
unmarked member's first click marks them present, which is what most clicks are for.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.meeting_view import Attendee
from ui.meetings import tr

DEVICE_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2
ACCEPTED_ROLE = Qt.ItemDataRole.UserRole + 3

Mark = tuple[str, bool | None]  # (status, apologies accepted)
MARKS: tuple[Mark, ...] = (
    ("present", None),
    ("apologies", True),
    ("apologies", False),
    ("absent", None),
    ("remote", None),
)
WORDS = {
    ("present", None): "Present",
    ("apologies", True): "Apologies, accepted",
    ("apologies", False): "Apologies, not accepted",
    ("apologies", None): "Apologies",
    ("absent", None): "Absent",
    ("remote", None): "Remote",
}


def next_mark(mark: Mark) -> Mark:
    """The mark a click gives; apologies not yet accepted or not move on to accepted."""
    if mark == ("apologies", None):
        return MARKS[1]
    if mark not in MARKS:
        return MARKS[0]
    return MARKS[(MARKS.index(mark) + 1) % len(MARKS)]


class AttendanceList(QListWidget):
    """Emits ``marked(device, status, accepted)``; shows the new mark at once."""

    marked = Signal(str, str, object)

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
        marks = {a.member: (a.status, a.apologies_accepted) for a in attendees}
        names = dict(members)
        for a in attendees:  # someone who came and has since left the group
            names.setdefault(a.member, a.name)
        current = self.currentItem()
        keep = current.data(DEVICE_ROLE) if current else None
        self.clear()
        for device, name in sorted(names.items(), key=lambda kv: kv[1].casefold()):
            item = QListWidgetItem()
            item.setData(DEVICE_ROLE, device)
            self._show(item, name, marks.get(device, ("", None)))
            self.addItem(item)
            if device == keep:
                self.setCurrentItem(item)

    def status_of(self, name: str) -> str:
        """How the member is marked, as the row says it ("" when not marked)."""
        for row in range(self.count()):
            item = self.item(row)
            if item.data(NAME_ROLE) == name:
                return str(item.data(STATUS_ROLE))
        return ""

    def _show(self, item: QListWidgetItem, name: str, mark: Mark) -> None:
        status, accepted = mark
        if status != "apologies":
            accepted = None
        word = tr(WORDS.get((status, accepted), status)) if status else tr("not marked")
        item.setText(f"{name}  —  {word}")
        item.setData(STATUS_ROLE, status)
        item.setData(ACCEPTED_ROLE, accepted)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name}, {word}")
        item.setData(NAME_ROLE, name)

    def _advance(self, item: QListWidgetItem | None) -> None:
        if item is None or not self.editable:
            return
        status = str(item.data(STATUS_ROLE) or "")
        mark = next_mark((status, item.data(ACCEPTED_ROLE)) if status else ("", None))
        self._show(item, str(item.data(NAME_ROLE)), mark)
        self.marked.emit(str(item.data(DEVICE_ROLE)), *mark)
