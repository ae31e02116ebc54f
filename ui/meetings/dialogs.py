"""Small forms for the meeting being kept: call a meeting, add an item, a vote, an action.

Each is window-modal and opened without blocking; ``submitted`` carries what was
written, and the page does the writing on a worker.
"""

from __future__ import annotations

from abc import abstractmethod
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.meeting_view import MODES, MeetingView
from ui.meetings import tr

MODE_WORDS = {
    "in_person": "In person",
    "remote": "Remotely",
    "hybrid": "Hybrid: in person and remote",
}

Members = list[tuple[str, str]]  # (device, name)


class Form(QDialog):
    submitted = Signal(dict)

    def __init__(self, title: str, ok: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.problem = QLabel()
        self.problem.setObjectName("formError")
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    @abstractmethod
    def values(self) -> dict[str, Any]:
        """What the form says, as the page's write takes it; each form has its own."""

    def check(self, values: dict[str, Any]) -> str:
        """What is missing, in words; "" when the form can go."""
        return ""

    def _submit(self) -> None:
        values = self.values()
        problem = self.check(values)
        if problem:
            self.problem.setText(problem)
            self.problem.show()
            return
        self.submitted.emit(values)
        self.accept()


def member_box(members: Members, empty: str) -> QComboBox:
    box = QComboBox()
    box.addItem(empty, "")
    for device, name in members:
        box.addItem(name, device)
    return box


class NewMeetingDialog(Form):
    """Title, date and time, place; the standard items come with the meeting."""

    def __init__(self, title: str, place: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("Call a meeting"), tr("Call meeting"), parent)
        self.title_edit = QLineEdit(title)
        self.title_edit.setAccessibleName(tr("Meeting title"))
        week = date.today() + timedelta(days=14)
        self.when = QDateTimeEdit(QDateTime(QDate(week.year, week.month, week.day), QTime(19, 30)))
        self.when.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setAccessibleName(tr("Date and time"))
        self.place = QLineEdit(place)
        self.place.setAccessibleName(tr("Place"))
        self.members_draft = QCheckBox(tr("&Members may draft the minutes, not only the clerk"))
        self.form.addRow(tr("&Title"), self.title_edit)
        self.form.addRow(tr("&When"), self.when)
        self.form.addRow(tr("&Place"), self.place)
        self.form.addRow(self.members_draft)
        hint = QLabel(tr("The agenda starts with the standard items: apologies, declarations…"))
        hint.setObjectName("formHint")
        self.form.addRow(hint)
        self.title_edit.selectAll()

    def values(self) -> dict[str, Any]:
        at = self.when.dateTime().toPython()
        assert isinstance(at, datetime)
        return {
            "title": self.title_edit.text().strip(),
            "starts_at": at.strftime("%Y-%m-%dT%H:%M"),
            "place": self.place.text().strip(),
            "members_draft": self.members_draft.isChecked(),
        }

    def check(self, values: dict[str, Any]) -> str:
        return "" if values["title"] else tr("Give the meeting a title.")


class DetailsDialog(Form):
    """What the meeting is: title, when, where and how, its chair, and who else came.

    Only what was changed is written, so a change made meanwhile on another laptop to
    another field is kept.
    """

    def __init__(self, view: MeetingView, members: Members, parent: QWidget | None = None) -> None:
        super().__init__(tr("Meeting details"), tr("Save"), parent)
        self.title_edit = QLineEdit(view.title)
        self.title_edit.setAccessibleName(tr("Meeting title"))
        self.body = QLineEdit(view.body)
        self.body.setAccessibleName(tr("Council or committee"))
        self.body.setPlaceholderText(tr("Full council, Planning committee…"))
        at = datetime.strptime(view.starts_at, "%Y-%m-%dT%H:%M")
        self.when = QDateTimeEdit(
            QDateTime(QDate(at.year, at.month, at.day), QTime(at.hour, at.minute))
        )
        self.when.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setAccessibleName(tr("Date and time"))
        self.place = QLineEdit(view.place)
        self.place.setAccessibleName(tr("Place"))
        self.mode = QComboBox()
        self.mode.setAccessibleName(tr("In person or remote"))
        for mode in MODES:
            self.mode.addItem(tr(MODE_WORDS[mode]), mode)
        self.mode.setCurrentIndex(max(self.mode.findData(view.mode), 0))
        self.chair = member_box(members, tr("(not named)"))
        self.chair.setAccessibleName(tr("Chair"))
        if view.chair:
            self.chair.setCurrentIndex(max(self.chair.findText(view.chair), 0))
        self.public = QLineEdit(view.public)
        self.public.setAccessibleName(tr("Also present"))
        self.public.setPlaceholderText(tr("4 members of the public; PCSO Daniels"))
        self.form.addRow(tr("&Title"), self.title_edit)
        self.form.addRow(tr("&Body"), self.body)
        self.form.addRow(tr("&When"), self.when)
        self.form.addRow(tr("&Place"), self.place)
        self.form.addRow(tr("&Held"), self.mode)
        self.form.addRow(tr("&Chair"), self.chair)
        self.form.addRow(tr("&Also present"), self.public)
        self.before = self._all()

    def _all(self) -> dict[str, Any]:
        at = self.when.dateTime().toPython()
        assert isinstance(at, datetime)
        return {
            "title": self.title_edit.text().strip(),
            "body": self.body.text().strip(),
            "starts_at": at.strftime("%Y-%m-%dT%H:%M"),
            "place": self.place.text().strip(),
            "mode": self.mode.currentData(),
            "chair": self.chair.currentData() or None,
            "public": self.public.text().strip(),
        }

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self._all().items() if v != self.before[k]}

    def check(self, values: dict[str, Any]) -> str:
        if "title" in values and not values["title"]:
            return tr("Give the meeting a title.")
        if "chair" in values and values["chair"] is None:
            return tr("Choose the chair; a chair once named stays named.")
        return ""


class ItemDialog(Form):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Add an agenda item"), tr("Add item"), parent)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(tr("Item title"))
        self.exempt = QCheckBox(tr("Part II: the public are excluded (confidential)"))
        self.form.addRow(tr("&Title"), self.title_edit)
        self.form.addRow(self.exempt)

    def values(self) -> dict[str, Any]:
        return {"title": self.title_edit.text().strip(), "exempt": self.exempt.isChecked()}

    def check(self, values: dict[str, Any]) -> str:
        return "" if values["title"] else tr("Give the item a title.")


class VoteDialog(Form):
    """RESOLVED that …: the motion, the vote (counts or unanimous), who proposed it."""

    def __init__(self, members: Members, parent: QWidget | None = None) -> None:
        super().__init__(tr("Record a vote"), tr("Record"), parent)
        self.motion = QLineEdit()
        self.motion.setAccessibleName(tr("Motion"))
        self.motion.setPlaceholderText(tr("that the precept be set at £24,500"))
        self.unanimous = QCheckBox(tr("&Unanimous"))
        self.unanimous.toggled.connect(self._on_unanimous)
        self.votes_for, self.against, self.abstain = QSpinBox(), QSpinBox(), QSpinBox()
        counts = QHBoxLayout()
        for label, box in (
            (tr("&For"), self.votes_for),
            (tr("&Against"), self.against),
            (tr("A&bstain"), self.abstain),
        ):
            box.setRange(0, 999)
            text = QLabel(label)
            text.setBuddy(box)
            box.setAccessibleName(label.replace("&", ""))
            counts.addWidget(text)
            counts.addWidget(box)
        counts.addStretch(1)
        self.casting = QComboBox()
        self.casting.setAccessibleName(tr("The chair's casting vote"))
        for words, how in (
            (tr("(none: not a tie)"), ""),
            (tr("For"), "for"),
            (tr("Against"), "against"),
        ):
            self.casting.addItem(words, how)
        self.named = QGroupBox(tr("A &recorded vote: each member's vote by name"))
        self.named.setCheckable(True)
        self.named.setChecked(False)
        self.named.toggled.connect(self._on_counts_changed)
        named_form = QFormLayout(self.named)
        self.ways: dict[str, QComboBox] = {}
        for device, name in members:
            way = QComboBox()
            for words, how in (
                (tr("—"), ""),
                (tr("For"), "for"),
                (tr("Against"), "against"),
                (tr("Abstained"), "abstain"),
            ):
                way.addItem(words, how)
            way.setAccessibleName(tr("{name}'s vote").format(name=name))
            way.currentIndexChanged.connect(self._on_counts_changed)
            self.ways[device] = way
            named_form.addRow(name, way)
        self.proposer = member_box(members, tr("(not recorded)"))
        self.seconder = member_box(members, tr("(not recorded)"))
        self.corrects = QLineEdit()
        self.corrects.setAccessibleName(tr("Corrects minute"))
        self.corrects.setPlaceholderText(tr("the minute number it corrects, if any: 24/117"))
        self.form.addRow(tr("RESOLVED &that"), self.motion)
        self.form.addRow(self.unanimous)
        self.form.addRow(tr("Votes"), counts)
        self.form.addRow(tr("&Casting vote"), self.casting)
        if members:
            self.form.addRow(self.named)
        self.form.addRow(tr("&Proposed by"), self.proposer)
        self.form.addRow(tr("&Seconded by"), self.seconder)
        self.form.addRow(tr("C&orrects"), self.corrects)

    def _on_unanimous(self, on: bool) -> None:
        self._on_counts_changed()

    def _recorded(self) -> list[tuple[str, str]]:
        if not self.named.isChecked():
            return []
        return [
            (device, str(way.currentData()))
            for device, way in self.ways.items()
            if way.currentData()
        ]

    def _on_counts_changed(self) -> None:
        """Named votes make the counts; unanimous needs none."""
        recorded = self._recorded()
        if recorded:
            self.votes_for.setValue(sum(1 for _d, how in recorded if how == "for"))
            self.against.setValue(sum(1 for _d, how in recorded if how == "against"))
            self.abstain.setValue(sum(1 for _d, how in recorded if how == "abstain"))
        counting = not self.unanimous.isChecked() and not self.named.isChecked()
        for box in (self.votes_for, self.against, self.abstain):
            box.setEnabled(counting)

    def values(self) -> dict[str, Any]:
        unanimous = self.unanimous.isChecked()
        return {
            "text": self.motion.text().strip(),
            "unanimous": unanimous,
            "votes_for": 0 if unanimous else self.votes_for.value(),
            "votes_against": 0 if unanimous else self.against.value(),
            "abstain": 0 if unanimous else self.abstain.value(),
            "recorded": self._recorded() or None,
            "casting": self.casting.currentData() or None,
            "proposer": self.proposer.currentData() or None,
            "seconder": self.seconder.currentData() or None,
            "corrects": self.corrects.text().strip() or None,
        }

    def check(self, values: dict[str, Any]) -> str:
        if not values["text"]:
            return tr("Say what was resolved.")
        counted = values["votes_for"] + values["votes_against"] + values["abstain"]
        if not values["unanimous"] and not counted:
            return tr("Give the votes, or tick Unanimous.")
        if values["casting"] and values["votes_for"] != values["votes_against"]:
            return tr("The chair gives a casting vote only on a tie.")
        return ""


class ActionDialog(Form):
    def __init__(self, members: Members, parent: QWidget | None = None) -> None:
        super().__init__(tr("Add an action"), tr("Add action"), parent)
        self.text = QLineEdit()
        self.text.setAccessibleName(tr("What is to be done"))
        self.owner = member_box(members, tr("(no one yet)"))
        self.has_due = QCheckBox(tr("&Due by"))
        self.has_due.setChecked(True)
        soon = date.today() + timedelta(days=28)
        self.due = QDateEdit(QDate(soon.year, soon.month, soon.day))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("ddd d MMM yyyy")
        self.due.setAccessibleName(tr("Due date"))
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        self.form.addRow(tr("&Action"), self.text)
        self.form.addRow(tr("&Owner"), self.owner)
        self.form.addRow(due_row)

    def values(self) -> dict[str, Any]:
        due = self.due.date().toPython() if self.has_due.isChecked() else None
        return {
            "text": self.text.text().strip(),
            "owner": self.owner.currentData() or None,
            "due": due.isoformat() if isinstance(due, date) else None,
        }

    def check(self, values: dict[str, Any]) -> str:
        return "" if values["text"] else tr("Say what is to be done.")
