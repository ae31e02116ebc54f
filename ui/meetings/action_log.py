"""The group's action log: every action of its meetings, open ones first, and a key to
mark the chosen one done, dropped or open again.

Emits ``status_chosen(action_id, status)`` for the page to write, and
``meeting_chosen(meeting_id)`` when an action is opened (Enter or a double click) to go
to the meeting it came from.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.meetings import LoggedAction
from ui.meetings import tr
from ui.meetings.words import day

ACTION_ROLE = Qt.ItemDataRole.UserRole
MEETING_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_WORDS = {"open": "Open", "done": "Done", "dropped": "Dropped"}


class ActionLog(QWidget):
    status_chosen = Signal(str, str)
    meeting_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(tr("Actions from the group's meetings"))
        self.tree.setHeaderLabels([tr("Action"), tr("Owner"), tr("Due"), tr("Status")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setColumnWidth(0, 220)
        self.tree.itemActivated.connect(self._open)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.done_button = QPushButton(tr("&Done"))
        self.done_button.setToolTip(tr("Mark the chosen action done (Ctrl+D in the list)"))
        self.drop_button = QPushButton(tr("Dro&p"))
        self.reopen_button = QPushButton(tr("Re&open"))
        for button, status in (
            (self.done_button, "done"),
            (self.drop_button, "dropped"),
            (self.reopen_button, "open"),
        ):
            button.clicked.connect(lambda _=False, s=status: self._choose(s))
        done_key = QShortcut(QKeySequence("Ctrl+D"), self.tree)
        done_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        done_key.activated.connect(lambda: self._choose("done"))
        buttons = QHBoxLayout()
        for button in (self.done_button, self.drop_button, self.reopen_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    def set_actions(self, logged: list[LoggedAction]) -> None:
        current = self.tree.currentItem()
        keep = current.data(0, ACTION_ROLE) if current else None
        self.tree.clear()
        for entry in logged:
            a = entry.action
            status = tr(STATUS_WORDS.get(a.status, a.status))
            if a.overdue:
                status = tr("Overdue")
            row = QTreeWidgetItem([a.text, a.owner or "", day(a.due) if a.due else "", status])
            row.setToolTip(
                0,
                tr("From {meeting}: {item}").format(
                    meeting=entry.meeting_title, item=entry.item_title
                ),
            )
            row.setData(0, ACTION_ROLE, a.id)
            row.setData(0, MEETING_ROLE, entry.meeting_id)
            row.setData(3, ACTION_ROLE, a.status)
            self.tree.addTopLevelItem(row)
            if a.id == keep:
                self.tree.setCurrentItem(row)
        self._update_buttons()

    def rows(self) -> list[str]:
        """The log as it reads, a line per action (for tests and screen readers alike)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            row = self.tree.topLevelItem(i)
            if row is not None:
                out.append(" · ".join(t for t in (row.text(c) for c in range(4)) if t))
        return out

    def _status(self) -> str | None:
        row = self.tree.currentItem()
        return str(row.data(3, ACTION_ROLE)) if row is not None else None

    def _update_buttons(self) -> None:
        status = self._status()
        self.done_button.setEnabled(status == "open")
        self.drop_button.setEnabled(status == "open")
        self.reopen_button.setEnabled(status in ("done", "dropped"))

    def _choose(self, status: str) -> None:
        row = self.tree.currentItem()
        if row is not None and self._status() != status:
            self.status_chosen.emit(str(row.data(0, ACTION_ROLE)), status)

    def _open(self, row: QTreeWidgetItem, _column: int) -> None:
        self.meeting_chosen.emit(str(row.data(0, MEETING_ROLE)))
