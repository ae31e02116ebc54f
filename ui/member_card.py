"""One member as the group sees them, with an organiser's role and removal controls."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.roles import ROLES
from app.services.members import MemberView
from ui.member_model import role_label
from ui.when import full, since


def _value_label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class MemberCard(QWidget):
    """Emits ``role_wanted(device, role)`` and ``removal_wanted(device)`` for the page to do."""

    role_wanted = Signal(str, str)
    removal_wanted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.member: MemberView | None = None
        self.name = QLabel()
        self.name.setAccessibleName(self.tr("Member's name"))
        big = QFont(self.name.font())
        big.setPointSizeF(big.pointSizeF() * 1.45)
        big.setWeight(QFont.Weight.DemiBold)
        self.name.setFont(big)
        self.summary = QLabel()
        self.summary.setAccessibleName(self.tr("Role and joining date"))
        self.summary.setObjectName("muted")
        self.bio = _value_label(self.tr("About them"))
        self.interests = _value_label(self.tr("Interests"))
        self.contact = _value_label(self.tr("Contact details"))

        facts = QFormLayout()
        facts.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        facts.setVerticalSpacing(10)
        facts.addRow(self.tr("About:"), self.bio)
        facts.addRow(self.tr("Interests:"), self.interests)
        facts.addRow(self.tr("Contact:"), self.contact)

        self.role_box = QComboBox()
        self.role_box.setAccessibleName(self.tr("New role"))
        for role in ROLES:
            self.role_box.addItem(role_label(role), role)
        self.role_button = QPushButton(self.tr("Change r&ole"))
        self.role_button.setAccessibleName(self.tr("Change role"))
        self.role_button.clicked.connect(self._change_role)
        self.remove_button = QPushButton(self.tr("Re&move from group…"))
        self.remove_button.setAccessibleName(self.tr("Remove from group"))
        self.remove_button.clicked.connect(self._remove)
        role_label_widget = QLabel(self.tr("&Role:"))
        role_label_widget.setBuddy(self.role_box)
        self.organiser_row = QWidget()
        row = QHBoxLayout(self.organiser_row)
        row.setContentsMargins(0, 8, 0, 0)
        row.addWidget(role_label_widget)
        row.addWidget(self.role_box)
        row.addWidget(self.role_button)
        row.addStretch(1)
        row.addWidget(self.remove_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.name)
        layout.addWidget(self.summary)
        layout.addSpacing(10)
        layout.addLayout(facts)
        layout.addWidget(self.organiser_row)

    def show_member(self, member: MemberView, *, name: str, organiser: bool, me: bool) -> None:
        self.member = member
        self.name.setText(name)
        self.summary.setText(
            self.tr("{role} · member since {since} · {posts} · {started}").format(
                role=role_label(member.role),
                since=since(member.joined_hlc),
                posts=(self.tr("1 post") if member.posts == 1 else self.tr("{n} posts")).format(
                    n=member.posts
                ),
                started=(
                    self.tr("started 1 discussion")
                    if member.started == 1
                    else self.tr("started {n} discussions")
                ).format(n=member.started),
            )
            + (
                self.tr(" · invited by {name}").format(name=member.invited_by)
                if member.invited_by
                else ""
            )
        )
        self.summary.setToolTip(full(member.joined_hlc))
        self.bio.setText(member.bio or self.tr("Nothing written yet."))
        self.interests.setText(", ".join(member.interests) or self.tr("None given."))
        if member.contact is None:
            self.contact.setText(self.tr("Not shared with you."))
        else:
            self.contact.setText(member.contact or self.tr("None given."))
        self.role_box.setCurrentIndex(max(self.role_box.findData(member.role), 0))
        # Organisers manage others; their own role is left alone so a group keeps one.
        self.organiser_row.setVisible(organiser and not me)

    def _change_role(self) -> None:
        if self.member is not None:
            self.role_wanted.emit(self.member.device, str(self.role_box.currentData()))

    def _remove(self) -> None:
        if self.member is not None:
            self.removal_wanted.emit(self.member.device)
