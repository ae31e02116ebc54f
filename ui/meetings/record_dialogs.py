"""Forms for the record itself: a declaration of interest, approving earlier minutes,
the chair's signature, and printing the meeting's papers.

Like the item forms they open without blocking and emit ``submitted``; the page does
the work on a worker.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.meeting_view import INTERESTS
from app.services.meetings import MeetingSummary
from ui.bundle_dialogs import documents_folder
from ui.meetings import tr
from ui.meetings.dialogs import Form, Members, member_box
from ui.meetings.words import INTERESTS as INTEREST_WORDS
from ui.meetings.words import row_text

PAPERS = (
    ("minutes", "The &minutes"),
    ("agenda", "The summons and &agenda"),
    ("sign_in", "A &sign-in sheet"),
)


class DeclareDialog(Form):
    """A member's interest in the item on screen: who, what kind, its nature."""

    def __init__(self, members: Members, parent: QWidget | None = None) -> None:
        super().__init__(tr("Declare an interest"), tr("Record declaration"), parent)
        self.member = member_box(members, tr("(choose a member)"))
        self.member.setAccessibleName(tr("Member"))
        self.kind = QComboBox()
        self.kind.setAccessibleName(tr("Kind of interest"))
        for kind in INTERESTS:
            words = tr(INTEREST_WORDS[kind])
            self.kind.addItem(words[0].upper() + words[1:], kind)
        self.nature = QLineEdit()
        self.nature.setAccessibleName(tr("Nature of the interest"))
        self.nature.setPlaceholderText(tr("owns the field next to the site"))
        self.dispensation = QCheckBox(tr("A &dispensation applies"))
        self.left_room = QCheckBox(tr("They &left the room for the item"))
        self.form.addRow(tr("&Member"), self.member)
        self.form.addRow(tr("&Kind"), self.kind)
        self.form.addRow(tr("&Nature"), self.nature)
        self.form.addRow(self.dispensation)
        self.form.addRow(self.left_room)

    def values(self) -> dict[str, Any]:
        return {
            "member": self.member.currentData() or "",
            "kind": self.kind.currentData(),
            "nature": self.nature.text().strip(),
            "dispensation": self.dispensation.isChecked(),
            "left_room": self.left_room.isChecked(),
        }

    def check(self, values: dict[str, Any]) -> str:
        if not values["member"]:
            return tr("Choose who declared the interest.")
        return "" if values["nature"] else tr("Say what the interest is.")


class ApproveDialog(Form):
    """At this meeting, approve the minutes of an earlier one (the latest is offered)."""

    def __init__(self, earlier: list[MeetingSummary], parent: QWidget | None = None) -> None:
        super().__init__(tr("Approve earlier minutes"), tr("Approve and freeze"), parent)
        self.meeting = QComboBox()
        self.meeting.setAccessibleName(tr("The meeting whose minutes are approved"))
        for m in sorted(earlier, key=lambda m: m.starts_at, reverse=True):
            self.meeting.addItem(row_text(m), m.id)
        self.form.addRow(tr("&Minutes of"), self.meeting)
        self.form.addRow(
            _hint(
                tr(
                    "RESOLVED that the minutes be approved as a true record and signed by "
                    "the chair. Once approved they cannot be changed; a correction is a "
                    "resolution of a later meeting."
                )
            )
        )

    def values(self) -> dict[str, Any]:
        return {"meeting_id": self.meeting.currentData() or ""}

    def check(self, values: dict[str, Any]) -> str:
        return "" if values["meeting_id"] else tr("There are no earlier minutes to approve.")


class SignDialog(Form):
    """The chair's signature on approved minutes: who signed, and when."""

    def __init__(self, members: Members, chair: str | None, parent: QWidget | None = None) -> None:
        super().__init__(tr("Record the chair's signature"), tr("Record signature"), parent)
        self.chair = member_box(members, tr("(choose the chair)"))
        self.chair.setAccessibleName(tr("Chair"))
        if chair:
            self.chair.setCurrentIndex(max(self.chair.findText(chair), 0))
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.when.setCalendarPopup(True)
        self.when.setAccessibleName(tr("Signed at"))
        self.form.addRow(tr("&Chair"), self.chair)
        self.form.addRow(tr("&Signed"), self.when)

    def values(self) -> dict[str, Any]:
        at = self.when.dateTime().toPython()
        assert isinstance(at, datetime)
        return {"chair": self.chair.currentData() or "", "signed_at": at.strftime("%Y-%m-%dT%H:%M")}

    def check(self, values: dict[str, Any]) -> str:
        return "" if values["chair"] else tr("Choose the chair who signed.")


class PrintDialog(Form):
    """Which paper, whether confidential items go in, and the PDF file to write."""

    def __init__(self, title: str, starts_at: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("Print to PDF"), tr("Save PDF"), parent)
        self.stem = f"{_slug(title)} {starts_at[:10]}"
        self.kinds: dict[str, QRadioButton] = {}
        choices = QVBoxLayout()
        for kind, words in PAPERS:
            button = QRadioButton(tr(words))
            button.toggled.connect(self._suggest)
            self.kinds[kind] = button
            choices.addWidget(button)
        self.include_exempt = QCheckBox(tr("Include &Part II (confidential) items"))
        self.path = QLineEdit()
        self.path.setAccessibleName(tr("PDF file"))
        choose = QPushButton(tr("C&hoose…"))
        choose.clicked.connect(self._choose)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(choose)
        self.form.addRow(tr("Paper"), choices)
        self.form.addRow(self.include_exempt)
        self.form.addRow(tr("&File"), where)
        self.kinds["minutes"].setChecked(True)

    def _kind(self) -> str:
        return next(kind for kind, button in self.kinds.items() if button.isChecked())

    def _suggest(self, on: bool) -> None:
        if not on:
            return
        folder = Path(self.path.text()).parent if self.path.text() else documents_folder()
        self.path.setText(str(folder / f"{self.stem} {self._kind().replace('_', '-')}.pdf"))

    def _choose(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, tr("Print to PDF"), self.path.text(), tr("PDF files (*.pdf)")
        )
        if chosen:
            self.path.setText(chosen if chosen.lower().endswith(".pdf") else chosen + ".pdf")

    def values(self) -> dict[str, Any]:
        return {
            "paper": self._kind(),
            "include_exempt": self.include_exempt.isChecked(),
            "path": self.path.text().strip(),
        }

    def check(self, values: dict[str, Any]) -> str:
        return "" if values["path"] else tr("Choose the file to save the PDF as.")


def _hint(text: str) -> QWidget:
    label = QLabel(text)
    label.setObjectName("formHint")
    label.setWordWrap(True)
    return label


def _slug(title: str) -> str:
    return re.sub(r"[^\w\- ]+", "", title).strip() or "meeting"
