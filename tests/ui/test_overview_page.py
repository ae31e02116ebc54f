"""The Overview place shows the story's known facts, and one click on a name or a
discussion opens the place to act; a plain member is told the place is not theirs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services import groups
from app.store import Store
from tests.organiser_story import MakeStore, tell
from tests.support import deliver, ops_of
from ui.context import AppContext
from ui.pages.discussions import DiscussionsPage
from ui.pages.members import MembersPage
from ui.pages.overview import NamedList, OverviewPage
from ui.window import MainWindow


def open_overview(qtbot: QtBot, window: MainWindow, group_id: str) -> OverviewPage:
    qtbot.waitUntil(lambda: window.ctx.group_id == group_id)
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)  # Go ▸ Overview
    page = window.overview
    qtbot.waitUntil(lambda: window.stack.currentWidget() is page)
    qtbot.waitUntil(lambda: page.seen is not None)
    return page


def click(qtbot: QtBot, named: NamedList, row: int) -> None:
    rect = named.items.visualItemRect(named.items.item(row))
    qtbot.mouseClick(named.items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _window(qtbot: QtBot, store: Store) -> MainWindow:
    window = MainWindow(AppContext(store))
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_overview_shows_the_groups_facts_and_opens_each(
    qtbot: QtBot, make_store: MakeStore
) -> None:
    facts = tell(make_store)
    window = _window(qtbot, facts.store)
    page = open_overview(qtbot, window, facts.group)
    assert page.body.isVisible()
    assert not page.not_for_members.isVisible()

    assert page.unanswered.heading.text() == "Discussions with no reply (2)"
    assert [t.split(" — ")[0] for t in page.unanswered.texts()] == [
        "Speed watch volunteers?",
        "A bench on the green",
    ]
    assert [t.split(",")[0] for t in page.new_silent.texts()] == ["Dan"]
    assert [t.split(",")[0] for t in page.gone_quiet.texts()] == ["Bob"]
    assert page.open_polls.texts() == ["Raise the hall price? — 1 voted, 5 not yet"]
    assert [t.split(" — ")[0] for t in page.overdue.texts()] == ["Write to the landlord"]
    assert page.active_week.value.text() == "2"
    assert page.active_month.value.text() == "3"
    assert page.off_topic.value.text() == f"{2 / 14:.0%}"
    assert "someone other than its starter" in page.first_reply.toolTip()
    assert sum(page.chart.counts) == facts.posts
    assert f"{facts.posts} posts in 26 weeks" in page.chart.accessibleDescription()

    # One click on a discussion opens it.
    click(qtbot, page.unanswered, 0)
    discussions = window.pages["discussions"]
    assert isinstance(discussions, DiscussionsPage)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is discussions)
    qtbot.waitUntil(lambda: discussions.thread_view.discussion_id == facts.unanswered[0])

    # One click on a newcomer drafts a welcome to them, from the hello template.
    window.prefs.hello_template = "Hello @{name}, glad you came!"
    page = open_overview(qtbot, window, facts.group)
    click(qtbot, page.new_silent, 0)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is discussions)
    qtbot.waitUntil(lambda: discussions.right_stack.currentWidget() is discussions.form)
    assert discussions.form.title.text() == "Welcome, Dan!"
    assert discussions.form.body.toPlainText() == "Hello @Dan, glad you came!"

    # One click on a regular gone quiet opens their card, for a personal word.
    page = open_overview(qtbot, window, facts.group)
    click(qtbot, page.gone_quiet, 0)
    members_page = window.pages["members"]
    assert isinstance(members_page, MembersPage)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is members_page)
    qtbot.waitUntil(
        lambda: (
            members_page.card.member is not None
            and members_page.card.member.device == facts.names["bob"]
        )
    )


def test_a_member_is_told_the_overview_is_for_organisers_and_clerks(
    qtbot: QtBot, make_store: MakeStore
) -> None:
    facts = tell(make_store)
    frank = make_store("frank-again")
    groups.set_my_name(store=frank, name="Frank")
    deliver(ops_of(facts.store), frank)  # a laptop that is not a member at all
    window = _window(qtbot, frank)
    page = open_overview(qtbot, window, facts.group)
    assert page.not_for_members.isVisible()
    assert not page.body.isVisible()
