"""The top of the side panel: the group's emblem on its colour, its name, your place in it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services.groups import GroupSummary
from ui.emblems import emblem_tile
from ui.i18n import tr

TILE = 44
ROLE_WORDS = {
    "organiser": "You are an organiser",
    "clerk": "You are the clerk",
    "member": "You are a member",
    "removed": "You can read, not write",
}


def people(count: int) -> str:
    return tr("1 member") if count == 1 else tr("{n} members").format(n=count)


class GroupHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupHeader")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 10, 10, 12)
        row.setSpacing(10)
        self.tile = QLabel()
        self.tile.setFixedSize(TILE, TILE)
        self.tile.setAccessibleName(tr("Group emblem"))
        row.addWidget(self.tile, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(2)
        self.name = QLabel()
        self.name.setObjectName("groupName")
        self.name.setWordWrap(True)
        self.name.setAccessibleName(tr("Group name"))
        self.role = QLabel()
        self.role.setObjectName("groupRole")
        self.role.setWordWrap(True)
        words.addWidget(self.name)
        words.addWidget(self.role)
        row.addLayout(words, 1)
        self.group: GroupSummary | None = None
        self.members = 0

    def set_group(self, group: GroupSummary | None, members: int | None = None) -> None:
        self.group = group
        if members is not None:
            self.members = members
        if group is None:
            self.tile.clear()
            self.name.clear()
            self.role.clear()
            return
        self.tile.setPixmap(
            emblem_tile(group.emblem, group.colour, TILE, self.devicePixelRatioF(), group.name)
        )
        self.name.setText(group.name)
        self.setToolTip(group.description)
        role = tr(ROLE_WORDS.get(group.my_role, group.my_role))
        self.role.setText(f"{role} · {people(self.members)}" if self.members else role)
