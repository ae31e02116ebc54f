"""A consultation in the window: the panel above its discussion, the clerk's answers typed
into the dialog and saved as they go, and the response submitted with how it was agreed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QRadioButton
from pytestqt.qtbot import QtBot

from app.services import consultations, groups, meetings, members
from app.store import Store
from tests.council import publish
from tests.support import deliver, ops_of
from ui.consultations.answer_dialog import AnswerDialog
from ui.consultations.submit_dialog import SubmitDialog
from ui.pages.discussions import DiscussionsPage
from ui.window import MainWindow

MakeStore = Callable[[str], Store]
LEFT = Qt.MouseButton.LeftButton


def _consulted(store: Store, make_store: MakeStore, role: str) -> tuple[str, str, str]:
    """The window's laptop is in a group the council consults; (group, consultation, meeting)."""
    organiser, hub = make_store("organiser"), make_store("hub")
    group = groups.create_group(store=organiser, name="Ashby Residents")
    members.admit(
        store=organiser,
        group_id=group,
        device=hub.device_id,
        role="organiser",
        display_name="Ashby Council",
    )
    members.admit(
        store=organiser, group_id=group, device=store.device_id, role=role, display_name="Jo"
    )
    meeting = meetings.create_meeting(
        store=organiser, group_id=group, title="Residents' meeting", starts_at="2027-02-10T19:00"
    )
    deliver(ops_of(organiser), hub)
    consultation, _discussion = publish(hub, group, closes="2099-03-31")
    deliver(ops_of(organiser), store)
    deliver(ops_of(hub), store)
    return group, consultation, meeting


def _tick(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a radio button or a check box on its box, where a person clicks it."""
    qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))


def _open_consultation(qtbot: QtBot, window: MainWindow) -> DiscussionsPage:
    page = window.pages["discussions"]
    assert isinstance(page, DiscussionsPage)
    title = "Play area on Glebe field"
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and not page.model.is_loading())
    # Pinned, it heads the list.
    assert page.model.summary(0).title == title
    rect = page.view.visualRect(page.model.index(0))
    qtbot.mouseClick(page.view.viewport(), LEFT, pos=rect.center())
    qtbot.waitUntil(lambda: page.thread_view.title.text() == title)
    panel = page.thread_view.consultation
    qtbot.waitUntil(panel.isVisible)
    return page


def test_a_member_sees_the_consultation_but_not_the_answer_button(
    qtbot: QtBot, store: Store, make_store: MakeStore, make_window: Callable[[], MainWindow]
) -> None:
    _consulted(store, make_store, "member")
    page = _open_consultation(qtbot, make_window())
    panel = page.thread_view.consultation
    assert panel.heading.text() == (
        "Consultation from Ashby Council · closes 31 March 2099 · Not answered yet"
    )
    assert "2. Where should it go? (Glebe field / The green)" in panel.questions.text()
    assert not panel.answer_button.isVisible()
    assert "clerk or an organiser answers" in panel.note.text()


def test_the_clerk_answers_in_the_dialog_and_submits(
    qtbot: QtBot, store: Store, make_store: MakeStore, make_window: Callable[[], MainWindow]
) -> None:
    _group, consultation, meeting = _consulted(store, make_store, "clerk")
    page = _open_consultation(qtbot, make_window())
    panel = page.thread_view.consultation
    assert panel.answer_button.isVisible()
    qtbot.mouseClick(panel.answer_button, LEFT)
    dialog = panel.dialog
    assert isinstance(dialog, AnswerDialog)
    qtbot.waitUntil(lambda: not dialog.texts[1].isReadOnly())

    # Text saves by itself after a pause in the typing.
    qtbot.keyClicks(dialog.texts[1], "Swings, and a bench for carers.")
    qtbot.waitUntil(lambda: dialog.status.text() == "All changes saved.", timeout=5000)

    def answers() -> list[consultations.Answer]:
        return list(
            consultations.read_consultation(store=store, consultation_id=consultation).answers
        )

    assert answers()[0].text == "Swings, and a bench for carers."
    # A choice saves when made; a multiple choice takes several; a scale one.
    green = dialog.options[2][1]
    assert isinstance(green, QRadioButton)
    _tick(qtbot, green)
    for box in (dialog.options[3][0], dialog.options[3][2]):
        assert isinstance(box, QCheckBox)
        _tick(qtbot, box)
    _tick(qtbot, dialog.options[4][1])
    qtbot.keyClicks(dialog.texts[4], "If the precept allows.")
    qtbot.waitUntil(
        lambda: (
            answers()[3].text == "If the precept allows."
            and answers()[2].choice == ("Under 5", "Over 11")
        ),
        timeout=5000,
    )
    assert answers()[1].choice == ("The green",)
    assert answers()[3].choice == ("Agree",)
    qtbot.waitUntil(lambda: "Draft" in panel.heading.text())

    # Submitted as agreed at a meeting: the meeting is picked from the group's own.
    qtbot.mouseClick(dialog.submit_button, LEFT)
    qtbot.waitUntil(lambda: dialog.submit_form is not None and dialog.submit_form.isVisible())
    form = dialog.submit_form
    assert isinstance(form, SubmitDialog)
    assert form.at_meeting.isChecked()
    assert form.meeting.currentData() == meeting
    assert "Residents' meeting" in form.meeting.currentText()
    qtbot.keyClicks(form.minute, "27/12")
    form.votes["votes_for"].setValue(9)
    form.votes["votes_against"].setValue(2)
    qtbot.keyClicks(form.dissent, "Two preferred Glebe field.")
    form.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not form.isVisible())
    assert "next syncs" in dialog.status.text()
    qtbot.waitUntil(lambda: panel.heading.text().endswith("· Waiting to send"))

    view = consultations.read_consultation(store=store, consultation_id=consultation)
    (sent,) = view.submissions
    assert (sent.how, sent.meeting_title, sent.minute) == ("meeting", "Residents' meeting", "27/12")
    assert (sent.votes_for, sent.votes_against, sent.votes_abstain) == (9, 2, 0)
    assert sent.dissent == "Two preferred Glebe field."
    assert [a.question for a in sent.answers] == [1, 2, 3, 4]
    dialog.accept()


def test_a_submission_at_a_meeting_needs_the_meeting(
    qtbot: QtBot, store: Store, make_store: MakeStore
) -> None:
    _group, consultation, meeting = _consulted(store, make_store, "clerk")
    view = consultations.read_consultation(store=store, consultation_id=consultation)
    form = SubmitDialog(view, [], None)
    qtbot.addWidget(form)
    # No meeting on this laptop: only the organiser's way is open.
    assert not form.at_meeting.isEnabled()
    assert form.by_organiser.isChecked()
    assert not form.minute.isEnabled()
    assert form.values() == {"how": "organiser", "dissent": ""}
    with_meeting = SubmitDialog(view, [(meeting, "Residents' meeting", "2027-02-10")], None)
    qtbot.addWidget(with_meeting)
    with_meeting.meeting.clear()
    with_meeting._submit()
    assert with_meeting.problem.text() == "Choose the meeting that agreed the response."
