"""The table of a group's members: name, role, interests, when they joined."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from app.services.members import MemberView
from ui.when import ago, full

DEVICE_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


def role_label(role: str) -> str:
    return role.capitalize()


class MemberTableModel(QAbstractTableModel):
    """Holds the rows ``members.list_members`` gave; a group's members fit in one page."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MemberView] = []
        self.me = ""
        self.headers = [self.tr("Name"), self.tr("Role"), self.tr("Interests"), self.tr("Joined")]

    def set_members(self, rows: list[MemberView], me: str) -> None:
        self.beginResetModel()
        self._rows, self.me = rows, me
        self.endResetModel()

    def member(self, row: int) -> MemberView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, device: str) -> int:
        return next((i for i, m in enumerate(self._rows) if m.device == device), -1)

    def name_of(self, member: MemberView) -> str:
        name = member.display_name or self.tr("Unnamed member")
        return self.tr("{name} (you)").format(name=name) if member.device == self.me else name

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.headers)
        ):
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        member = self.member(index.row()) if index.isValid() else None
        if member is None:
            return None
        if role == DEVICE_ROLE:
            return member.device
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 3:
            return full(member.joined_hlc)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return self.name_of(member)
            if column == 1:
                return role_label(member.role)
            if column == 2:
                return ", ".join(member.interests)
            if column == 3:
                return ago(member.joined_hlc)
        return None
