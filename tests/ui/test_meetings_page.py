"""The meetings page: calling a meeting, keeping it by keyboard, and approved minutes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QUrl
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.services import groups, meetings, members
from app.store import Store
from tests.support import pdf_text
from ui.help_dialogs import shortcut_rows
from ui.meetings.dialogs import (
    ActionDialog,
    DetailsDialog,
    ItemDialog,
    NewMeetingDialog,
    VoteDialog,
)
from ui.meetings.record_dialogs import ApproveDialog, DeclareDialog, PrintDialog, SignDialog
from ui.pages.meetings import MeetingsPage
from ui.window import MainWindow

SAM, ANN = "1" * 64, "2" * 64
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def group(store: Store) -> str:
    groups.set_my_name(store=store, name="Jo Clerk")
    group_id = groups.create_group(store=store, name="Little Wold Parish")
    members.admit(store=store, group_id=group_id, device=SAM, display_name="Sam Hill")
    members.admit(store=store, group_id=group_id, device=ANN, display_name="Ann Lee")
    return group_id


def meetings_page(qtbot: QtBot, window: MainWindow, group_id: str) -> MeetingsPage:
    qtbot.waitUntil(lambda: window.ctx.group_id == group_id)
    window.nav.select("meetings")
    page = window.pages["meetings"]
    assert isinstance(page, MeetingsPage)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page)
    settle(qtbot, page)  # its list and this laptop's role are read
    return page


def settle(qtbot: QtBot, page: MeetingsPage) -> None:
    qtbot.waitUntil(lambda: not page.ctx.tasks.busy())


def press(qtbot: QtBot, widget: QWidget, key: Qt.Key) -> None:
    """Ctrl+Shift+key in the window, as a person would after a dialog closed."""
    window = widget.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    widget.setFocus()
    qtbot.keyClick(widget, key, CTRL_SHIFT)


def item_row(page: MeetingsPage, title: str) -> int:
    texts = [page.agenda.item(r).text() for r in range(page.agenda.count())]
    return next(r for r, text in enumerate(texts) if text.endswith(title))


def test_the_meetings_place_follows_members(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.ctx.group_id == group)
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)  # Go ▸ Meetings
    page = window.pages["meetings"]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page)
    assert isinstance(page, MeetingsPage)
    labels = [window.nav.topLevelItem(i).text(0) for i in range(window.nav.topLevelItemCount())]
    assert labels.index("Meetings") == labels.index("Members") + 1
    assert page.empty.isVisible()
    assert "New meeting (Ctrl+Shift+C)" in page.empty.text()


def test_a_meeting_is_kept_by_keyboard_from_agenda_to_approval(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    page = meetings_page(qtbot, window, group)

    # Call a meeting: Ctrl+Shift+C, type the title, Tab to the date, Enter.
    press(qtbot, page.list, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: isinstance(page.dialog, NewMeetingDialog))
    dialog = page.dialog
    assert isinstance(dialog, NewMeetingDialog)
    dialog.title_edit.clear()
    qtbot.keyClicks(dialog.title_edit, "Parish council")
    soon = date.today() + timedelta(days=30)
    dialog.when.setDateTime(QDateTime(QDate(soon.year, soon.month, soon.day), QTime(19, 30)))
    qtbot.keyClicks(dialog.place, "Village hall")
    qtbot.keyClick(dialog.place, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.title_label.text() == "Parish council")
    settle(qtbot, page)
    day = f"{soon.strftime('%a')} {soon.day} {soon.strftime('%b %Y')}"
    qtbot.waitUntil(lambda: page.rows() == ["Upcoming", f"{day} · Parish council · Draft"])
    assert page.when_label.text().endswith("19:30 · Village hall")
    assert page.summons_label.text().startswith("Summons by ")
    assert page.agenda.item(0).text().endswith("Apologies for absence")

    # An agenda item: Ctrl+Shift+I, its title, Enter.
    assert "Ctrl+Shift+I" in page.item_button.toolTip()
    press(qtbot, page.agenda, Qt.Key.Key_I)
    qtbot.waitUntil(lambda: isinstance(page.dialog, ItemDialog))
    assert isinstance(page.dialog, ItemDialog)
    qtbot.keyClicks(page.dialog.title_edit, "Grit bins")
    qtbot.keyClick(page.dialog.title_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.agenda.count() == 6)
    settle(qtbot, page)
    assert page.agenda.currentItem().text().endswith("Grit bins")

    # Two members present: a click each.
    for name in ("Sam Hill", "Ann Lee"):
        row = next(
            r
            for r in range(page.attendance.count())
            if page.attendance.item(r).text().startswith(name)
        )
        rect = page.attendance.visualItemRect(page.attendance.item(row))
        qtbot.mouseClick(page.attendance.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot, page)
    qtbot.waitUntil(lambda: "Present: Ann Lee, Sam Hill" in page.record.toPlainText())
    assert page.attendance.status_of("Sam Hill") == "present"

    # Minute the item: typing in the editor saves itself.
    page.agenda.setCurrentRow(item_row(page, "Grit bins"))
    page.editor.body.setFocus()
    qtbot.keyClicks(page.editor.body, "Two new grit bins were agreed.")
    qtbot.waitUntil(lambda: page.editor.status.text() == "Saved", timeout=5000)
    qtbot.waitUntil(lambda: "Two new grit bins were agreed." in page.record.toPlainText())
    qtbot.waitUntil(lambda: "/" in page.agenda.currentItem().text())  # its minute number

    # A vote: Ctrl+Shift+V, the motion, the counts, Enter.
    press(qtbot, page.editor.body, Qt.Key.Key_V)
    qtbot.waitUntil(lambda: isinstance(page.dialog, VoteDialog))
    vote = page.dialog
    assert isinstance(vote, VoteDialog)
    qtbot.keyClicks(vote.motion, "two grit bins be bought")
    vote.votes_for.setValue(5)
    vote.against.setValue(1)
    vote.proposer.setCurrentIndex(vote.proposer.findText("Sam Hill"))
    qtbot.keyClick(vote.motion, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "RESOLVED that two grit bins be bought" in page.record.toPlainText())
    assert "For 5, against 1 — proposed by Sam Hill" in page.record.toPlainText()

    # An action: Ctrl+Shift+A, what, who, by when.
    press(qtbot, page.agenda, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: isinstance(page.dialog, ActionDialog))
    action = page.dialog
    assert isinstance(action, ActionDialog)
    qtbot.keyClicks(action.text, "Order the grit bins")
    action.owner.setCurrentIndex(action.owner.findText("Ann Lee"))
    action.due.setDate(QDate(2030, 1, 31))
    qtbot.keyClick(action.text, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            "Action: Order the grit bins — Ann Lee, by Thu 31 Jan 2030" in page.record.toPlainText()
        )
    )
    view = meetings.read_meeting(store=store, meeting_id=page.meeting_id or "")
    grit = next(i for i in view.items if i.title == "Grit bins")
    assert grit.minutes == "Two new grit bins were agreed."

    # A declaration: Ctrl+Shift+D, who, the nature, Enter.
    press(qtbot, page.agenda, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: isinstance(page.dialog, DeclareDialog))
    declaring = page.dialog
    assert isinstance(declaring, DeclareDialog)
    declaring.member.setCurrentIndex(declaring.member.findText("Sam Hill"))
    qtbot.keyClicks(declaring.nature, "lives beside the bin store")
    qtbot.keyClick(declaring.nature, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Sam Hill declared" in page.record.toPlainText())

    # Circulate the draft: Ctrl+Shift+U.
    first = page.meeting_id
    press(qtbot, page.agenda, Qt.Key.Key_U)
    qtbot.waitUntil(lambda: page.notice.text().startswith("The draft minutes are circulated"))
    qtbot.waitUntil(lambda: page.rows()[-1].endswith("Parish council · Circulated"))

    # The next meeting approves them: call it, then Ctrl+Shift+Y and Enter.
    press(qtbot, page.list, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: isinstance(page.dialog, NewMeetingDialog))
    calling = page.dialog
    assert isinstance(calling, NewMeetingDialog)
    later = soon + timedelta(days=28)
    calling.when.setDateTime(QDateTime(QDate(later.year, later.month, later.day), QTime(19, 30)))
    qtbot.keyClick(calling.title_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.meeting_id not in (None, first))
    settle(qtbot, page)
    qtbot.waitUntil(page.approve_button.isEnabled)
    press(qtbot, page.agenda, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: isinstance(page.dialog, ApproveDialog))
    approving = page.dialog
    assert isinstance(approving, ApproveDialog)
    assert approving.meeting.currentText() == f"{day} · Parish council"
    qtbot.keyClick(approving.meeting, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "are approved; they can no longer change" in page.notice.text())
    qtbot.waitUntil(
        lambda: "RESOLVED that the minutes of the meeting held on" in page.record.toPlainText()
    )

    # The first meeting now reads as approved, and its record checks: Ctrl+Shift+K.
    page.open(first or "")
    qtbot.waitUntil(page.approval_label.isVisible)
    assert page.approval_label.text().startswith("Approved at Parish council on ")
    assert not page.editor.isVisible()
    press(qtbot, page.record, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: page.notice.text().startswith("The approved minutes are unchanged"))

    # The chair's signature: Ctrl+Shift+S, Enter.
    press(qtbot, page.record, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: isinstance(page.dialog, SignDialog))
    signing = page.dialog
    assert isinstance(signing, SignDialog)
    signing.chair.setCurrentIndex(signing.chair.findText("Ann Lee"))
    qtbot.keyClick(signing.chair, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "signed by Ann Lee" in page.approval_label.text())
    assert meetings.verify(store=store, meeting_id=first or "").unchanged


def approved_pair(store: Store, group: str) -> tuple[str, str]:
    january = meetings.create_meeting(
        store=store,
        group_id=group,
        title="Parish council",
        starts_at="2026-01-15T19:30",
        place="Village hall",
    )
    february = meetings.create_meeting(
        store=store, group_id=group, title="Parish council", starts_at="2026-02-12T19:30"
    )
    item = meetings.add_item(store=store, meeting_id=january, title="Grit bins")
    meetings.minute(store=store, item_id=item, text="Two new grit bins were agreed.")
    meetings.resolve(store=store, item_id=item, text="two grit bins be bought", unanimous=True)
    meetings.set_attendance(store=store, meeting_id=january, member="Sam Hill", status="present")
    return january, february


def test_approved_minutes_read_calmly_and_refuse_edits(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    january, february = approved_pair(store, group)
    page = meetings_page(qtbot, make_window(), group)
    qtbot.waitUntil(lambda: len(page.rows()) == 3)
    assert page.rows() == [
        "Drafts to approve",
        "Thu 12 Feb 2026 · Parish council · Draft",
        "Thu 15 Jan 2026 · Parish council · Draft",
    ]
    page.open(january)
    qtbot.waitUntil(lambda: page.title_label.text() == "Parish council")
    qtbot.waitUntil(page.vote_button.isEnabled)
    # The vote form is open when another laptop's approval comes in.
    page.record_vote()
    vote = page.dialog
    assert isinstance(vote, VoteDialog)
    meetings.approve(store=store, meeting_id=january, at=february)
    qtbot.waitUntil(lambda: page.approval_label.isVisible())
    assert page.approval_label.text() == "Approved at Parish council on Thu 12 Feb 2026"
    assert not page.altered_label.isVisible()
    # The list is read again on a worker of its own, which may answer a moment later.
    qtbot.waitUntil(
        lambda: page.rows()[-2:] == ["Approved", "Thu 15 Jan 2026 · Parish council · Approved"]
    )
    assert not page.item_button.isEnabled()
    assert not page.vote_button.isEnabled()
    assert not page.item_button.isVisible()
    assert not page.editor.isVisible()
    assert "RESOLVED that two grit bins be bought" in page.record.toPlainText()
    assert "Unanimous" in page.record.toPlainText()

    # What was in the form is refused by the service, and said so.
    qtbot.keyClicks(vote.motion, "the bins be red")
    vote.unanimous.setChecked(True)
    qtbot.keyClick(vote.motion, Qt.Key.Key_Return)
    qtbot.waitUntil(page.notice.isVisible)
    assert page.notice.text().startswith("These minutes were approved, and cannot be changed")

    # A click on a member changes nothing either.
    before = page.attendance.item(0).text()
    rect = page.attendance.visualItemRect(page.attendance.item(0))
    qtbot.mouseClick(page.attendance.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.attendance.item(0).text() == before


def test_minutes_changed_behind_the_apps_back_show_a_warning(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    january, february = approved_pair(store, group)
    meetings.approve(store=store, meeting_id=january, at=february)
    raw = sqlite3.connect(store.settings.data_dir / "moot.db")
    with raw:
        raw.execute(
            "UPDATE meetings SET record = replace(record, 'Two new', 'No new') WHERE id = ?",
            (january,),
        )
    raw.close()
    page = meetings_page(qtbot, make_window(), group)
    qtbot.waitUntil(lambda: len(page.rows()) == 4)
    page.open(january)
    qtbot.waitUntil(lambda: page.title_label.text() == "Parish council")
    qtbot.waitUntil(page.altered_label.isVisible)
    assert page.altered_label.text().startswith("These minutes are not as they were approved")
    assert "No new grit bins" in page.record.toPlainText()


def test_the_papers_print_from_the_window(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow], tmp_path: Path
) -> None:
    january, _february = approved_pair(store, group)
    page = meetings_page(qtbot, make_window(), group)
    qtbot.waitUntil(lambda: len(page.rows()) == 3)
    page.open(january)
    qtbot.waitUntil(page.print_button.isEnabled)
    page.record.setFocus()
    qtbot.keyClick(page.record, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(page.dialog, PrintDialog))
    printing = page.dialog
    assert isinstance(printing, PrintDialog)
    assert printing.path.text().endswith("Parish council 2026-01-15 minutes.pdf")
    printing.kinds["agenda"].setChecked(True)
    assert printing.path.text().endswith("Parish council 2026-01-15 agenda.pdf")
    target = tmp_path / "agenda.pdf"
    printing.path.setText(str(target))
    qtbot.keyClick(printing.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.notice.text() == f"Saved {target}.", timeout=20_000)
    assert target.read_bytes().startswith(b"%PDF")
    assert "Grit bins" in pdf_text(target)


def test_the_action_log_marks_actions_done_and_opens_their_meeting(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    january, _february = approved_pair(store, group)
    grit = meetings.read_meeting(store=store, meeting_id=january).items[-1].id
    meetings.add_action(
        store=store, item_id=grit, text="Order the bins", owner="Ann Lee", due="2026-01-30"
    )
    meetings.add_action(store=store, item_id=grit, text="Tell the school", due="2099-01-01")
    page = meetings_page(qtbot, make_window(), group)
    page.tabs.setCurrentIndex(1)
    log = page.action_log
    qtbot.waitUntil(lambda: len(log.rows()) == 2)
    assert log.rows() == [
        "Order the bins · Ann Lee · Fri 30 Jan 2026 · Overdue",
        "Tell the school · Thu 1 Jan 2099 · Open",
    ]
    log.tree.setCurrentItem(log.tree.topLevelItem(0))
    log.tree.setFocus()
    qtbot.keyClick(log.tree, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: log.rows()[-1] == "Order the bins · Ann Lee · Fri 30 Jan 2026 · Done")
    done = next(
        a
        for a in meetings.action_log(store=store, group_id=group)
        if a.action.text == "Order the bins"
    )
    assert done.action.status == "done"

    # Enter on an action goes to the meeting it came from.
    log.tree.setCurrentItem(log.tree.topLevelItem(0))
    qtbot.keyClick(log.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: page.meeting_id == january and page.title_label.text() == "Parish council"
    )
    assert page.tabs.currentIndex() == 0


def test_the_meeting_menu_is_there_only_with_its_page(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    page = meetings_page(qtbot, window, group)
    assert page.menu is not None
    menu_action = page.menu.menuAction()
    assert menu_action.isVisible()
    listed = dict((what, keys) for keys, what in shortcut_rows(window.menuBar()))
    assert listed["Approve earlier minutes"] == "Ctrl+Shift+Y"
    assert listed["Record a vote"] == "Ctrl+Shift+V"
    window.nav.select("notes")
    qtbot.waitUntil(lambda: not menu_action.isVisible())
    assert not page.commands.new_meeting.isEnabled()
    notes = window.pages["notes"]
    qtbot.keyClick(notes, Qt.Key.Key_C, CTRL_SHIFT)
    assert page.dialog is None


def test_items_move_turn_part_two_and_come_off_the_agenda(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    meeting = meetings.create_meeting(
        store=store, group_id=group, title="Parish council", starts_at="2099-03-12T19:30"
    )
    for title in ("Grit bins", "Staffing"):
        meetings.add_item(store=store, meeting_id=meeting, title=title)
    page = meetings_page(qtbot, make_window(), group)
    page.open(meeting)
    qtbot.waitUntil(lambda: page.agenda.count() == 7)
    texts = lambda: [page.agenda.item(r).text() for r in range(page.agenda.count())]  # noqa: E731

    page.agenda.setCurrentRow(item_row(page, "Staffing"))
    page.agenda.setFocus()
    qtbot.keyClick(page.agenda, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: texts()[-2].endswith("Staffing"))
    assert texts()[-1].endswith("Grit bins")

    page.agenda.setCurrentRow(item_row(page, "Staffing"))
    settle(qtbot, page)
    page.commands.exempt.trigger()
    qtbot.waitUntil(lambda: "Staffing (Part II, confidential)" in page.record.toPlainText())
    assert page.commands.exempt.isChecked()

    page.agenda.setCurrentRow(item_row(page, "Grit bins"))
    qtbot.keyClick(page.agenda, Qt.Key.Key_Delete)
    box = page.findChild(QMessageBox)
    assert box is not None
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: page.agenda.count() == 6)
    assert not any(t.endswith("Grit bins") for t in texts())


def test_a_correction_reads_beside_the_minute_it_corrects(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    january, february = approved_pair(store, group)
    meetings.approve(store=store, meeting_id=january, at=february)
    grit = meetings.read_meeting(store=store, meeting_id=january).items[-1]
    assert grit.minute_number
    later_item = meetings.add_item(store=store, meeting_id=february, title="Corrections")
    meetings.resolve(
        store=store,
        item_id=later_item,
        text=f"minute {grit.minute_number} read three grit bins, not two",
        unanimous=True,
        corrects=grit.minute_number,
    )
    page = meetings_page(qtbot, make_window(), group)
    qtbot.waitUntil(lambda: len(page.rows()) == 4)
    page.open(january)
    qtbot.waitUntil(
        lambda: "Corrected at Parish council on Thu 12 Feb 2026" in page.record.toPlainText()
    )
    text = page.record.toPlainText()
    assert text.index("Corrected at") > text.index("Two new grit bins were agreed.")
    assert "read three grit bins, not two" in text
    assert meetings.verify(store=store, meeting_id=january).unchanged


def test_a_recorded_vote_names_each_member_and_the_chair_may_cast(
    qtbot: QtBot, store: Store, group: str
) -> None:
    people = [(SAM, "Sam Hill"), (ANN, "Ann Lee")]
    vote = VoteDialog(people)
    qtbot.addWidget(vote)
    vote.motion.setText("the bins be red")
    vote.named.setChecked(True)
    vote.ways[SAM].setCurrentIndex(vote.ways[SAM].findData("for"))
    vote.ways[ANN].setCurrentIndex(vote.ways[ANN].findData("against"))
    assert (vote.votes_for.value(), vote.against.value()) == (1, 1)
    assert not vote.votes_for.isEnabled()
    values = vote.values()
    assert vote.check(values) == ""
    vote.casting.setCurrentIndex(vote.casting.findData("for"))
    values = vote.values()
    assert values["recorded"] == [(SAM, "for"), (ANN, "against")]
    meeting = meetings.create_meeting(
        store=store, group_id=group, title="Parish council", starts_at="2099-03-12T19:30"
    )
    item = meetings.add_item(store=store, meeting_id=meeting, title="Bins")
    meetings.resolve(store=store, item_id=item, **values)
    (resolution,) = meetings.read_meeting(store=store, meeting_id=meeting).items[-1].resolutions
    assert resolution.carried
    assert resolution.vote.recorded == (("Sam Hill", "for"), ("Ann Lee", "against"))
    assert resolution.vote.casting == "for"


def test_details_apologies_and_who_else_came(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    meeting = meetings.create_meeting(
        store=store, group_id=group, title="Parish council", starts_at="2099-03-12T19:30"
    )
    page = meetings_page(qtbot, make_window(), group)
    page.open(meeting)
    qtbot.waitUntil(lambda: page.commands.details.isEnabled())
    press(qtbot, page.agenda, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: isinstance(page.dialog, DetailsDialog))
    details = page.dialog
    assert isinstance(details, DetailsDialog)
    qtbot.keyClicks(details.place, "Zoom")
    details.mode.setCurrentIndex(details.mode.findData("remote"))
    details.chair.setCurrentIndex(details.chair.findText("Ann Lee"))
    qtbot.keyClicks(details.public, "3 members of the public")
    qtbot.keyClick(details.public, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.when_label.text().endswith("19:30 · Zoom · Remotely"))
    view = meetings.read_meeting(store=store, meeting_id=meeting)
    assert (view.chair, view.title) == ("Ann Lee", "Parish council")

    # Apologies: a click to present, one to apologies accepted, one more: not accepted.
    def click(name: str) -> None:
        row = next(
            r for r in range(page.attendance.count())
            if page.attendance.item(r).text().startswith(name)
        )  # fmt: skip
        rect = page.attendance.visualItemRect(page.attendance.item(row))
        qtbot.mouseClick(page.attendance.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        settle(qtbot, page)

    for _ in range(3):
        click("Sam Hill")
    qtbot.waitUntil(lambda: "Apologies: Sam Hill (not accepted)" in page.record.toPlainText())
    assert "Also present: 3 members of the public" in page.record.toPlainText()
    (sam,) = meetings.read_meeting(store=store, meeting_id=meeting).attendees
    assert (sam.status, sam.apologies_accepted) == ("apologies", False)


def test_a_member_reads_and_drafts_only_where_the_clerk_allows(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    closed = meetings.create_meeting(
        store=store, group_id=group, title="Parish council", starts_at="2099-03-12T19:30"
    )
    drafted = meetings.create_meeting(
        store=store, group_id=group, title="Allotments working group",
        starts_at="2099-04-12T19:30", members_draft=True,
    )  # fmt: skip
    me = store.device_id
    members.admit(store=store, group_id=group, device=SAM, display_name="Sam Hill")
    members.change_role(store=store, group_id=group, device=SAM, role="organiser")
    with store.write() as db:  # this laptop, now a plain member (as another organiser made it)
        db.execute("UPDATE members SET role = 'member' WHERE device = ?", (me,))
    page = meetings_page(qtbot, make_window(), group)
    qtbot.waitUntil(lambda: page.role == "member")
    assert not page.new_button.isEnabled()
    page.open(closed)
    qtbot.waitUntil(lambda: page.title_label.text() == "Parish council")
    assert not page.editor.isVisible()
    assert not page.item_button.isVisible()
    assert not page.commands.vote.isEnabled()
    page.open(drafted)
    qtbot.waitUntil(lambda: page.title_label.text() == "Allotments working group")
    qtbot.waitUntil(page.editor.isVisible)
    assert not page.item_button.isVisible()


def test_the_summons_is_issued_from_the_meeting_menu(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    soon = date.today() + timedelta(days=10)
    meeting = meetings.create_meeting(
        store=store, group_id=group, title="Parish council", starts_at=f"{soon}T19:30"
    )
    page = meetings_page(qtbot, make_window(), group)
    page.open(meeting)
    qtbot.waitUntil(page.commands.summon.isEnabled)
    assert page.summons_label.text().startswith("Summons by ")
    page.commands.summon.trigger()
    today = date.today()
    qtbot.waitUntil(
        lambda: (
            page.summons_label.text()
            == f"Summons issued {today.strftime('%a')} {today.day} {today.strftime('%b')}"
        )
    )
    assert page.notice.text().startswith("The summons is issued today")
    assert meetings.read_meeting(store=store, meeting_id=meeting).summons_sent == str(today)


def test_papers_attach_open_and_come_off_an_item(
    qtbot: QtBot,
    store: Store,
    group: str,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "ui.meetings.record_work.QDesktopServices.openUrl",
        lambda url: opened.append(url.toLocalFile()),
    )
    meeting = meetings.create_meeting(
        store=store, group_id=group, title="Parish council", starts_at="2099-03-12T19:30"
    )
    meetings.add_item(store=store, meeting_id=meeting, title="Budget")
    budget = tmp_path / "Budget 2099.pdf"
    budget.write_bytes(b"%PDF-1.7 " + b"x" * 3000)
    film = tmp_path / "Film.mp4"
    with film.open("wb") as f:
        f.truncate(5 * 1024 * 1024)
    page = meetings_page(qtbot, make_window(), group)
    page.open(meeting)
    qtbot.waitUntil(lambda: page.agenda.count() == 6)
    page.agenda.setCurrentRow(item_row(page, "Budget"))
    qtbot.waitUntil(page.commands.attach.isEnabled)

    page.attach_file(film)
    qtbot.waitUntil(page.notice.isVisible)
    assert page.notice.text().startswith("“Film.mp4” is 5.0 MB; a paper can be at most 4 MB.")
    page.attach_file(budget)
    qtbot.waitUntil(lambda: "Papers: Budget 2099.pdf (3 KB)" in page.record.toPlainText())
    [item] = [i for i in meetings.read_meeting(store=store, meeting_id=meeting).items if i.papers]
    [paper] = item.papers

    page.record.anchorClicked.emit(QUrl(f"paper:{paper.id}"))
    qtbot.waitUntil(lambda: bool(opened))
    assert Path(opened[0]).read_bytes() == budget.read_bytes()
    assert Path(opened[0]).name == "Budget 2099.pdf"

    page.record.anchorClicked.emit(QUrl(f"remove-paper:{paper.id}"))
    qtbot.waitUntil(lambda: "Budget 2099.pdf" not in page.record.toPlainText())
    assert not any(i.papers for i in meetings.read_meeting(store=store, meeting_id=meeting).items)
