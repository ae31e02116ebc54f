"""The meetings page: calling a meeting, keeping it by keyboard, and approved minutes."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.services import groups, meetings, members
from app.store import Store
from ui.meetings.dialogs import ActionDialog, ItemDialog, NewMeetingDialog, VoteDialog
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


def test_a_meeting_is_called_kept_and_minuted_by_keyboard(
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
    assert page.rows()[-2:] == ["Approved", "Thu 15 Jan 2026 · Parish council · Approved"]
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
