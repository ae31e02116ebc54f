"""How the group agreed its response: at one of its meetings (the minute, the vote, any
dissent) or by an organiser after discussion. The council reads this with the answers.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.kinds.consultations import MAX_MINUTE
from app.papers.words import short_date
from app.services.consultations import ConsultationView
from ui.consultations import tr

Meetings = list[tuple[str, str, str]]  # (id, title, ISO date), the latest first


class SubmitDialog(QDialog):
    """Stays open until the submission is written: a refusal shows in it."""

    submitted = Signal(dict)

    def __init__(self, view: ConsultationView, meetings: Meetings, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Submit the group's response"))
        self.setMinimumWidth(460)
        s = view.summary
        lead = QLabel(
            tr("The group's answers go to %1 as they stand now.").replace("%1", s.sender)
            + " "
            + (
                tr("A response sent again replaces the one sent before.")
                if view.submissions
                else ""
            )
            + (
                ""
                if s.open
                else " "
                + tr("The consultation closed on %1: the council will see it is late.").replace(
                    "%1", short_date(s.closes)
                )
            )
        )
        lead.setObjectName("formHint")
        lead.setWordWrap(True)
        lead.setTextFormat(Qt.TextFormat.PlainText)  # the sender's name is theirs to choose

        self.at_meeting = QRadioButton(tr("Agreed at a &meeting of the group"))
        self.by_organiser = QRadioButton(tr("Agreed by an &organiser, after discussion"))
        ways = QButtonGroup(self)
        ways.addButton(self.at_meeting)
        ways.addButton(self.by_organiser)
        self.meeting = QComboBox()
        self.meeting.setAccessibleName(tr("Meeting"))
        for meeting_id, title, day in meetings:
            self.meeting.addItem(f"{short_date(day)} · {title}", meeting_id)
        self.minute = QLineEdit()
        self.minute.setMaxLength(MAX_MINUTE)
        self.minute.setPlaceholderText(tr("e.g. 26/117"))
        self.minute.setAccessibleName(tr("Minute reference"))
        self.votes: dict[str, QSpinBox] = {}
        votes_row = QHBoxLayout()
        for field, words in (
            ("votes_for", tr("For")),
            ("votes_against", tr("Against")),
            ("votes_abstain", tr("Abstained")),
        ):
            box = QSpinBox()
            box.setRange(0, 10_000)
            box.setAccessibleName(tr("Votes: %1").replace("%1", words))
            votes_row.addWidget(QLabel(words))
            votes_row.addWidget(box)
            self.votes[field] = box
        votes_row.addStretch(1)
        self.dissent = QPlainTextEdit()
        self.dissent.setPlaceholderText(tr("A minority view, in its own words (optional)"))
        self.dissent.setAccessibleName(tr("Dissent"))
        self.dissent.setMaximumHeight(90)

        form = QFormLayout()
        form.addRow(self.at_meeting)
        form.addRow(tr("Meeting"), self.meeting)
        form.addRow(tr("Minute"), self.minute)
        form.addRow(tr("Vote"), votes_row)
        form.addRow(self.by_organiser)
        form.addRow(tr("Dissent"), self.dissent)
        if not meetings:
            self.at_meeting.setEnabled(False)
            self.at_meeting.setText(
                tr("Agreed at a meeting (no meeting of the group is on this laptop)")
            )
        (self.at_meeting if meetings else self.by_organiser).setChecked(True)
        self.at_meeting.toggled.connect(self._ways_changed)
        self._ways_changed()

        self.problem = QLabel()
        self.problem.setObjectName("formError")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Submit"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(lead)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def _ways_changed(self) -> None:
        meeting = self.at_meeting.isChecked()
        for widget in (self.meeting, self.minute, *self.votes.values()):
            widget.setEnabled(meeting)

    def values(self) -> dict[str, Any]:
        values: dict[str, Any] = {"dissent": self.dissent.toPlainText().strip()}
        if not self.at_meeting.isChecked():
            return values | {"how": "organiser"}
        values |= {
            "how": "meeting",
            "meeting": self.meeting.currentData() or "",
            "minute": self.minute.text().strip(),
        }
        counts = {field: box.value() for field, box in self.votes.items()}
        if any(counts.values()):  # all nought: no vote was counted
            values |= counts
        return values

    def _submit(self) -> None:
        values = self.values()
        if values["how"] == "meeting" and not values["meeting"]:
            self.refused(tr("Choose the meeting that agreed the response."))
            return
        self.buttons.setEnabled(False)
        self.submitted.emit(values)

    def refused(self, message: str) -> None:
        self.buttons.setEnabled(True)
        self.problem.setText(message)
        self.problem.show()
