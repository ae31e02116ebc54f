"""The members page: roles shown, your own profile edited, an organiser managing roles."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services import discussions, groups, members
from app.store import Store
from tests.support import deliver, ops_of
from ui.pages.members import MembersPage
from ui.window import MainWindow

MakeStore = Callable[[str], Store]


@pytest.fixture
def group(store: Store) -> str:
    groups.set_my_name(store=store, name="Margaret")
    return groups.create_group(store=store, name="Little Wold Parish")


@pytest.fixture
def joe(store: Store, group: str, make_store: MakeStore) -> Store:
    """A second laptop, a plain member, with a profile and contact details of its own."""
    other = make_store("joe")
    members.admit(store=store, group_id=group, device=other.device_id, display_name="Joe")
    deliver(ops_of(store), other)
    members.update_profile(store=other, group_id=group, interests=["Allotments"])
    members.set_contact(store=other, group_id=group, contact="07700 900123", consent="nobody")
    deliver(ops_of(other), store)
    return other


def members_page(qtbot: QtBot, window: MainWindow, group_id: str, rows: int) -> MembersPage:
    qtbot.waitUntil(lambda: window.ctx.group_id == group_id)
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)  # Go ▸ Members
    page = window.pages["members"]
    assert isinstance(page, MembersPage)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page)
    qtbot.waitUntil(lambda: page.model.rowCount() == rows)
    return page


def column(page: MembersPage, col: int) -> list[str]:
    return [str(page.model.index(r, col).data()) for r in range(page.model.rowCount())]


def click_row(qtbot: QtBot, page: MembersPage, row: int) -> None:
    rect = page.table.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_members_are_listed_with_their_roles(
    qtbot: QtBot,
    qtmodeltester: object,
    store: Store,
    group: str,
    joe: Store,
    make_window: Callable[[], MainWindow],
) -> None:
    page = members_page(qtbot, make_window(), group, rows=2)
    assert column(page, 0) == ["Joe", "Margaret (you)"]
    assert column(page, 1) == ["Member", "Organiser"]
    assert column(page, 2) == ["Allotments", ""]
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]
    # Yourself first; Joe's contact details are not shown: he shared them with nobody.
    assert page.card.name.text() == "Margaret (you)"
    click_row(qtbot, page, 0)
    assert page.card.name.text() == "Joe"
    assert page.card.contact.text() == "Not shared with you."
    assert not page.form.isVisible()


def test_editing_your_own_profile(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    page = members_page(qtbot, make_window(), group, rows=1)
    qtbot.mouseClick(page.me_button, Qt.MouseButton.LeftButton)
    assert page.form.name.hasFocus()
    page.form.name.selectAll()
    qtbot.keyClicks(page.form.name, "Margaret Ellis")
    qtbot.keyClick(page.form.name, Qt.Key.Key_Tab)
    assert page.form.bio.hasFocus()
    qtbot.keyClicks(page.form.bio, "Parish clerk")
    qtbot.keyClick(page.form.bio, Qt.Key.Key_Tab)
    qtbot.keyClicks(page.form.interests, "Planning, footpaths")
    qtbot.keyClick(page.form, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)  # &Save profile

    def saved() -> bool:
        profile = members.my_profile(store=store, group_id=group)
        return (profile.display_name, profile.bio, profile.interests) == (
            "Margaret Ellis",
            "Parish clerk",
            ["Planning", "footpaths"],
        )

    qtbot.waitUntil(saved)
    qtbot.waitUntil(lambda: column(page, 0) == ["Margaret Ellis (you)"])
    qtbot.waitUntil(lambda: page.notice.text() == "Your profile is saved.")

    page.form.contact.setFocus()
    qtbot.keyClicks(page.form.contact, "01234 567890")
    page.form.consent.setCurrentIndex(page.form.consent.findData("members"))
    qtbot.mouseClick(page.form.share_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: members.my_profile(store=store, group_id=group).consent == "members")
    qtbot.waitUntil(lambda: page.card.contact.text() == "01234 567890")


def test_a_bad_interest_is_refused_in_plain_words(
    qtbot: QtBot, store: Store, group: str, make_window: Callable[[], MainWindow]
) -> None:
    page = members_page(qtbot, make_window(), group, rows=1)
    page.form.interests.setText("x" * 400)
    qtbot.mouseClick(page.form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.notice.isVisible())
    assert page.notice.text() == "The interest is too long (at most 300 characters)."


def test_an_organiser_changes_a_role_and_removes_a_member(
    qtbot: QtBot,
    store: Store,
    group: str,
    joe: Store,
    make_window: Callable[[], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = members_page(qtbot, make_window(), group, rows=2)
    click_row(qtbot, page, 0)
    assert page.card.organiser_row.isVisible()
    page.card.role_box.setFocus()
    page.card.role_box.setCurrentIndex(page.card.role_box.findData("clerk"))
    qtbot.keyClick(page.card, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # Change r&ole
    qtbot.waitUntil(lambda: column(page, 1) == ["Clerk", "Organiser"])
    qtbot.waitUntil(lambda: page.notice.text() == "Joe is now: Clerk.")

    questions: list[str] = []

    def confirm(_title: str, question: str) -> bool:
        questions.append(question)
        return True

    monkeypatch.setattr(page, "confirm", confirm)
    qtbot.mouseClick(page.card.remove_button, Qt.MouseButton.LeftButton)
    assert len(questions) == 1
    assert questions[0].startswith("Remove Joe from the group?")
    qtbot.waitUntil(lambda: column(page, 0) == ["Margaret (you)"])
    assert [m.display_name for m in members.list_members(store=store, group_id=group)] == [
        "Margaret"
    ]


def test_a_plain_member_sees_no_role_controls(
    qtbot: QtBot, store: Store, group: str, make_store: MakeStore,
    make_window: Callable[[], MainWindow],
) -> None:  # fmt: skip
    organiser = make_store("organiser")
    other_group = groups.create_group(store=organiser, name="Allotments")
    members.admit(store=organiser, group_id=other_group, device=store.device_id)
    deliver(ops_of(organiser), store)
    window = make_window()
    qtbot.waitUntil(lambda: window.group_box.count() == 2)
    window.ctx.select_group(other_group)
    page = members_page(qtbot, window, other_group, rows=2)
    row = next(r for r in range(2) if page.model.member(r).device == organiser.device_id)  # type: ignore[union-attr]
    click_row(qtbot, page, row)
    assert not page.card.organiser_row.isVisible()


def test_members_are_found_by_interest_and_their_cards_count_what_they_wrote(
    qtbot: QtBot, store: Store, group: str, joe: Store, make_window: Callable[[], MainWindow]
) -> None:
    disc, _ = discussions.start_discussion(store=joe, group_id=group, title="Plots", body="Free")
    discussions.reply(store=joe, discussion_id=disc, body="Two left")
    deliver(ops_of(joe), store)
    page = members_page(qtbot, make_window(), group, rows=2)
    qtbot.waitUntil(lambda: page.interest.count() == 2)
    assert [page.interest.itemText(i) for i in range(2)] == ["Anything (everyone)", "Allotments"]
    page.interest.setCurrentIndex(1)
    assert column(page, 0) == ["Joe"]  # who to ask about the allotments
    click_row(qtbot, page, 0)
    assert page.card.name.text() == "Joe"
    assert "2 posts · started 1 discussion" in page.card.summary.text()
    assert "member since" in page.card.summary.text()
    page.interest.setCurrentIndex(0)
    assert column(page, 0) == ["Joe", "Margaret (you)"]
