"""The members page: who is in the group, their roles, and this member's own profile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services import members
from app.services.roster import Roster, read_roster
from ui.context import AppContext
from ui.member_card import MemberCard
from ui.member_model import DEVICE_ROLE, MemberTableModel, role_label
from ui.notice import Notice
from ui.pages.base import Page
from ui.profile_form import ProfileForm
from ui.tasks import Newest


class _DetailArea(QScrollArea):
    """Scrolls down but never sideways: the splitter leaves it room for its widest row."""

    def minimumSizeHint(self) -> QSize:
        inner = self.widget()
        width = inner.minimumSizeHint().width() if inner else 0
        return QSize(width + self.verticalScrollBar().sizeHint().width() + 4, 120)


class MembersPage(Page):
    title = "Members"

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.notice = Notice(ctx)
        self.model = MemberTableModel(self)
        self.roster: Roster | None = None
        self._selected = ctx.store.device_id  # who to show; yourself to begin with
        self._roster_reads = Newest()

        heading = QLabel(self.tr("Members"))
        heading.setObjectName("dialogTitle")
        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Members of this group"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._on_selected)
        heading.setBuddy(self.table)
        self.interest = QComboBox()
        self.interest.setAccessibleName(self.tr("Show the members interested in"))
        self.interest.setToolTip(self.tr("Who to ask about the allotments? Choose an interest."))
        self.interest.currentIndexChanged.connect(lambda _i: self._show_members())
        self.me_button = QPushButton(self.tr("Edit my &profile"))
        self.me_button.setAccessibleName(self.tr("Edit my profile"))
        self.me_button.clicked.connect(self.show_me)

        self.card = MemberCard()
        self.card.role_wanted.connect(self.change_role)
        self.card.removal_wanted.connect(self.remove_member)
        self.form = ProfileForm()
        self.form.save_wanted.connect(self.save_profile)
        self.form.contact_wanted.connect(self.share_contact)
        self.form.erase_wanted.connect(self.erase_contact)
        self.not_member = QLabel(
            self.tr("This laptop is not a member of the group yet, so it cannot edit a profile.")
        )
        self.not_member.setWordWrap(True)
        self._build_layout(heading)
        ctx.changed.connect(self._on_changed)
        ctx.group_selected.connect(self._on_group)
        if ctx.group_id:
            self.reload()

    def _build_layout(self, heading: QLabel) -> None:
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(heading)
        interest_row = QHBoxLayout()
        interest_label = QLabel(self.tr("&Interested in:"))
        interest_label.setBuddy(self.interest)
        interest_row.addWidget(interest_label)
        interest_row.addWidget(self.interest, 1)
        left_layout.addLayout(interest_row)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.me_button, 0, Qt.AlignmentFlag.AlignLeft)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(16, 4, 16, 16)
        detail_layout.setSpacing(18)
        detail_layout.addWidget(self.card)
        detail_layout.addWidget(self.form)
        detail_layout.addWidget(self.not_member)
        detail_layout.addStretch(1)
        self.detail = _DetailArea()
        self.detail.setWidgetResizable(True)
        self.detail.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail.setFrameShape(QScrollArea.Shape.NoFrame)
        self.detail.setWidget(detail)
        self.detail.setAccessibleName(self.tr("Member details"))
        self.detail.hide()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([480, 480])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)

    # --- loading ---------------------------------------------------------------------

    def show_target(self, target: str | None) -> None:
        """The page shows the whole group; ``member:DEVICE`` shows that member's card,
        any other target keeps the selection."""
        if target and target.startswith("member:"):
            self._selected = target.removeprefix("member:")
            if self.roster is not None:
                self._select(self._selected)

    def _on_group(self, _group_id: str) -> None:
        self._selected = self.ctx.store.device_id
        self.notice.hide()
        self.reload()

    def _on_changed(self, groups: list[str]) -> None:
        if self.ctx.group_id in groups:
            self.reload()

    def reload(self) -> None:
        group_id, store = self.ctx.group_id, self.ctx.store
        if not group_id:
            self._roster_reads.drop()
            self.model.set_members([], store.device_id)
            self.detail.hide()
            return
        self.ctx.tasks.run(
            lambda: read_roster(store=store, group_id=group_id),
            done=self._got,
            failed=self.notice.error,
            owner=self,
            newest=self._roster_reads,
        )

    def _got(self, roster: Roster) -> None:
        self.roster = roster
        self._offer_interests(roster)
        self._show_members()
        if roster.profile is not None:
            self.form.show_profile(roster.profile)
        self._select(self._selected)

    def _offer_interests(self, roster: Roster) -> None:
        chosen = self.interest.currentData()
        found = {i.casefold(): i for m in roster.members for i in m.interests}
        self.interest.blockSignals(True)
        self.interest.clear()
        self.interest.addItem(self.tr("Anything (everyone)"), "")
        for key in sorted(found):
            self.interest.addItem(found[key], found[key])
        self.interest.setCurrentIndex(max(self.interest.findData(chosen or ""), 0))
        self.interest.blockSignals(False)

    def _show_members(self) -> None:
        if self.roster is None:
            return
        wanted = self.interest.currentData()
        shown = self.roster.members
        self.model.set_members(
            members.with_interest(shown, wanted) if wanted else shown, self.ctx.store.device_id
        )
        self._select(self._selected)

    # --- which member ------------------------------------------------------------------

    def show_me(self) -> None:
        self._select(self.ctx.store.device_id)
        self.form.name.setFocus()

    def _select(self, device: str) -> None:
        row = self.model.row_of(device)
        if row < 0:
            row = 0 if self.model.rowCount() else -1
        if row < 0:
            self.detail.hide()
            return
        self.table.selectRow(row)
        self._show(row)

    def _on_selected(self, selected: QItemSelection, _old: QItemSelection) -> None:
        if selected.indexes():
            self._show(selected.indexes()[0].row())

    def _show(self, row: int) -> None:
        member = self.model.member(row)
        if member is None or self.roster is None:
            return
        self._selected = member.device
        me = member.device == self.ctx.store.device_id
        organiser = self.roster.my_role == "organiser"
        self.card.show_member(member, name=self.model.name_of(member), organiser=organiser, me=me)
        self.form.setVisible(me and self.roster.profile is not None)
        self.not_member.setVisible(me and self.roster.profile is None)
        self.detail.show()

    # --- doing --------------------------------------------------------------------------

    def _run(self, work: Callable[[], Any], done_text: str) -> None:
        self.notice.hide()
        self.ctx.tasks.run(
            work,
            done=lambda _: self.notice.info(done_text),
            failed=self.notice.error,
            owner=self,
        )

    def save_profile(self, changes: dict[str, str]) -> None:
        if not changes:
            self.notice.info(self.tr("Nothing to save: your profile is as shown."))
            return
        store, group_id = self.ctx.store, self.ctx.group_id

        def save() -> None:
            fields: dict[str, object] = dict(changes)
            if "interests" in changes:
                fields["interests"] = members.parse_interests(changes["interests"])
            members.update_profile(store=store, group_id=group_id, **fields)

        self._run(save, self.tr("Your profile is saved."))

    def share_contact(self, contact: str, consent: str) -> None:
        store, group_id = self.ctx.store, self.ctx.group_id
        self._run(
            lambda: members.set_contact(
                store=store, group_id=group_id, contact=contact, consent=consent
            ),
            self.tr("Your contact details are saved."),
        )

    def erase_contact(self) -> None:
        if not self.confirm(
            self.tr("Erase contact details"),
            self.tr("Erase your contact details from every copy of the group?"),
        ):
            return
        store, group_id = self.ctx.store, self.ctx.group_id
        self._run(
            lambda: members.erase_contact(store=store, group_id=group_id),
            self.tr("Your contact details are erased."),
        )

    def change_role(self, device: str, role: str) -> None:
        store, group_id = self.ctx.store, self.ctx.group_id
        name = self._name(device)
        self._run(
            lambda: members.change_role(store=store, group_id=group_id, device=device, role=role),
            self.tr("{name} is now: {role}.").format(name=name, role=role_label(role)),
        )

    def remove_member(self, device: str) -> None:
        name = self._name(device)
        if not self.confirm(
            self.tr("Remove member"),
            self.tr(
                "Remove {name} from the group? What they wrote stays, but they can no "
                "longer take part."
            ).format(name=name),
        ):
            return
        store, group_id = self.ctx.store, self.ctx.group_id
        self._selected = store.device_id
        self._run(
            lambda: members.remove_member(store=store, group_id=group_id, device=device),
            self.tr("{name} has been removed from the group.").format(name=name),
        )

    def _name(self, device: str) -> str:
        member = self.model.member(self.model.row_of(device))
        return member.display_name if member and member.display_name else self.tr("The member")

    def confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def selected_device(self) -> str:
        index = self.table.currentIndex()
        return str(index.data(DEVICE_ROLE)) if index.isValid() else ""
