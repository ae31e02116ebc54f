"""The discussions page, driven as a person would: keys, clicks, and what shows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QInputDialog, QPushButton
from pytestqt.qtbot import QtBot

from app.services import discussions, follows, groups, members, notifications, polls
from app.store import Store
from tests.support import deliver, ops_of
from ui.discussions.list_model import SUMMARY_ROLE
from ui.discussions.post_card import PostCard
from ui.pages.discussions import DiscussionsPage
from ui.window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton
MakeStore = Callable[[str], Store]


@pytest.fixture
def group(store: Store) -> str:
    groups.set_my_name(store=store, name="Margaret Clerk")
    return groups.create_group(store=store, name="Little Wold Parish")


@pytest.fixture
def open_page(
    qtbot: QtBot, make_window: Callable[[], MainWindow]
) -> Callable[[], tuple[MainWindow, DiscussionsPage]]:
    def make() -> tuple[MainWindow, DiscussionsPage]:
        window = make_window()
        page = window.pages["discussions"]
        assert isinstance(page, DiscussionsPage)
        qtbot.waitUntil(lambda: page.list_kind == "discussions" and not page.model.is_loading())
        return window, page

    return make


def _titles(page: DiscussionsPage) -> list[str]:
    return [page.model.summary(i).title for i in range(page.model.rowCount())]


def _click_row(qtbot: QtBot, page: DiscussionsPage, title: str) -> None:
    qtbot.waitUntil(lambda: title in _titles(page))
    rect = page.view.visualRect(page.model.index(_titles(page).index(title)))
    qtbot.mouseClick(page.view.viewport(), LEFT, pos=rect.center())
    qtbot.waitUntil(lambda: page.thread_view.title.text() == title)


def _card(page: DiscussionsPage, body: str) -> PostCard:
    return next(c for c in page.thread_view.cards.values() if c.post.body == body)


def _has_card(page: DiscussionsPage, body: str) -> bool:
    return any(c.post.body == body for c in page.thread_view.cards.values())


def test_start_a_discussion_from_the_new_form(
    qtbot: QtBot, group: str, open_page: Callable[[], tuple[MainWindow, DiscussionsPage]]
) -> None:
    window, page = open_page()
    window.new_discussion_action.trigger()
    form = page.form
    assert page.right_stack.currentWidget() is form
    assert form.title.hasFocus() or not window.isActiveWindow()
    qtbot.waitUntil(lambda: form.category.count() == 2)
    qtbot.keyClicks(form.title, "Bus shelter on the green")
    form.category.setCurrentIndex(form.category.findText("Off-topic"))
    qtbot.keyClicks(form.body, "It leaks when it rains.")
    qtbot.keyClick(form.body, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: page.thread_view.title.text() == "Bus shelter on the green")
    assert page.right_stack.currentWidget() is page.thread_view
    qtbot.waitUntil(lambda: _has_card(page, "It leaks when it rains."))
    qtbot.waitUntil(lambda: "Bus shelter on the green" in _titles(page))
    summary = page.model.summary(_titles(page).index("Bus shelter on the green"))
    assert summary.category == "Off-topic"
    assert form.title.text() == ""


def test_an_empty_title_is_refused_in_plain_words(
    qtbot: QtBot, group: str, open_page: Callable[[], tuple[MainWindow, DiscussionsPage]]
) -> None:
    _, page = open_page()
    page.show_target("new")
    qtbot.keyClicks(page.form.body, "No title here")
    qtbot.mouseClick(page.form.start_button, LEFT)
    qtbot.waitUntil(lambda: page.form.error.text() != "")
    assert "title cannot be empty" in page.form.error.text()
    assert page.right_stack.currentWidget() is page.form


def test_reply_react_and_take_the_reaction_back(
    qtbot: QtBot,
    store: Store,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    discussions.start_discussion(store=store, group_id=group, title="Bins", body="Tuesday?")
    _, page = open_page()
    _click_row(qtbot, page, "Bins")
    editor = page.thread_view.composer.editor
    qtbot.keyClicks(editor, "Wednesday, from next week.")
    qtbot.keyClick(editor, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: _has_card(page, "Wednesday, from next week."))
    assert editor.toPlainText() == ""
    qtbot.waitUntil(lambda: "1 reply" in page.thread_view.meta.text())

    thumbs = _card(page, "Wednesday, from next week.").reaction_buttons["👍"]
    assert thumbs.text() == "👍"
    qtbot.mouseClick(thumbs, LEFT)
    qtbot.waitUntil(lambda: thumbs.text() == "👍 1")
    assert thumbs.isChecked()
    assert "including you" in thumbs.toolTip()
    qtbot.mouseClick(thumbs, LEFT)
    qtbot.waitUntil(lambda: thumbs.text() == "👍")
    assert not thumbs.isChecked()


def test_edit_my_post(
    qtbot: QtBot,
    store: Store,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    discussions.start_discussion(store=store, group_id=group, title="Fete", body="Saturday")
    _, page = open_page()
    _click_row(qtbot, page, "Fete")
    qtbot.waitUntil(lambda: _has_card(page, "Saturday"))
    card = _card(page, "Saturday")
    qtbot.mouseClick(card.edit_button, LEFT)
    card.editor.selectAll()
    qtbot.keyClicks(card.editor, "Sunday, 2 pm")
    qtbot.keyClick(card.editor, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: card.post.body == "Sunday, 2 pm")
    assert "edited" in card.when.text()
    assert "Sunday, 2 pm" in card.body.text()


def test_create_a_poll_vote_and_see_the_result(
    qtbot: QtBot,
    store: Store,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    discussions.start_discussion(store=store, group_id=group, title="Quiz night", body="When?")
    _, page = open_page()
    _click_row(qtbot, page, "Quiz night")
    thread = page.thread_view
    thread.thread_actions.poll.trigger()
    form = thread.poll_form
    assert form.isVisible()
    qtbot.keyClicks(form.question, "Which evening?")
    qtbot.keyClicks(form.options, "Friday")
    qtbot.keyClick(form.options, Qt.Key.Key_Return)
    qtbot.keyClicks(form.options, "Saturday")
    qtbot.keyClick(form.options, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: len(thread.poll_cards) == 1)
    assert not form.isVisible()
    [card] = thread.poll_cards.values()
    assert [b.text() for b in card.option_buttons] == ["Friday", "Saturday"]
    qtbot.mouseClick(card.option_buttons[1], LEFT)
    qtbot.waitUntil(lambda: card.bars[1].value() == 1)
    assert card.option_buttons[1].isChecked()
    assert card.bars[1].text().startswith("1 vote · 100%")
    assert card.bars[0].value() == 0
    assert "1 person voted" in card.footer.text()


def test_follow_a_discussion_and_find_it_under_following(
    qtbot: QtBot,
    store: Store,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    discussions.start_discussion(store=store, group_id=group, title="Potholes", body="Mill Lane")
    discussions.start_discussion(store=store, group_id=group, title="Hedges", body="Too tall")
    window, page = open_page()
    window.nav.select("following")
    qtbot.waitUntil(lambda: page.list_kind == "following" and not page.model.is_loading())
    assert _titles(page) == []
    assert page.left_stack.currentWidget() is page.empty
    window.nav.select("discussions")
    _click_row(qtbot, page, "Potholes")
    follow = page.thread_view.thread_actions.follow
    assert not follow.isChecked()
    follow.trigger()
    qtbot.waitUntil(lambda: follow.isChecked() and follow.text() == "Following")
    window.nav.select("following")
    qtbot.waitUntil(lambda: _titles(page) == ["Potholes"])
    assert page.left_stack.currentWidget() is page.view
    assert follows.followed(store=store, group_id=group) != {}


def _second_laptop(make_store: MakeStore, store: Store, group: str) -> Store:
    other = make_store("tom")
    groups.set_my_name(store=other, name="Tom Reeve")
    members.admit(store=store, group_id=group, device=other.device_id)
    deliver(ops_of(store), other)
    members.update_profile(store=other, group_id=group, display_name="Tom Reeve")
    return other


def test_the_unread_count_drops_once_the_discussion_is_opened(
    qtbot: QtBot,
    store: Store,
    make_store: MakeStore,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    disc, _ = discussions.start_discussion(store=store, group_id=group, title="Hall", body="Roof")
    discussions.start_discussion(store=store, group_id=group, title="Quiet one", body="-")
    tom = _second_laptop(make_store, store, group)
    discussions.reply(store=tom, discussion_id=disc, body="I know a roofer.")
    discussions.reply(store=tom, discussion_id=disc, body="He is free in May.")
    deliver(ops_of(tom), store)
    window, page = open_page()
    window.nav.select("unread")
    qtbot.waitUntil(lambda: _titles(page) == ["Hall"])
    assert page.model.index(0).data(SUMMARY_ROLE).unread == 2
    assert "2 unread" in page.model.index(0).data(Qt.ItemDataRole.AccessibleTextRole)
    _click_row(qtbot, page, "Hall")
    qtbot.waitUntil(lambda: page.model.index(0).data(SUMMARY_ROLE).unread == 0)
    assert _has_card(page, "He is free in May.")
    assert _card(page, "He is free in May.").author.text() == "Tom Reeve"
    window.nav.select("discussions")
    qtbot.waitUntil(lambda: "Quiet one" in _titles(page))
    page.model.refresh()
    qtbot.waitUntil(lambda: not page.model.is_loading())
    assert all(page.model.summary(i).unread == 0 for i in range(page.model.rowCount()))


def test_an_organiser_deletes_a_post_and_restores_it_from_recently_deleted(
    qtbot: QtBot,
    store: Store,
    make_store: MakeStore,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    disc, _ = discussions.start_discussion(store=store, group_id=group, title="Fete", body="Who?")
    tom = _second_laptop(make_store, store, group)
    discussions.reply(store=tom, discussion_id=disc, body="Something rude")
    deliver(ops_of(tom), store)
    window, page = open_page()
    _click_row(qtbot, page, "Fete")
    qtbot.waitUntil(lambda: _has_card(page, "Something rude"))
    card = _card(page, "Something rude")
    assert not card.edit_button.isVisibleTo(card)  # not mine to edit
    assert card.delete_button.isVisibleTo(card)  # but an organiser may delete it
    qtbot.mouseClick(card.delete_button, LEFT)
    qtbot.waitUntil(lambda: not _has_card(page, "Something rude"))
    assert page.thread_view.notice.text() == "The post was deleted."

    window.nav.select("deleted")
    qtbot.waitUntil(lambda: len(page.deleted.buttons) == 1)
    assert page.left_stack.currentWidget() is page.deleted
    restore = page.deleted.buttons[0]
    assert "Something rude" in restore.accessibleName()
    qtbot.mouseClick(restore, LEFT)
    qtbot.waitUntil(lambda: _has_card(page, "Something rude"))
    qtbot.waitUntil(lambda: page.deleted.buttons == [])


def test_an_organiser_pins_and_locks_and_the_composer_goes(
    qtbot: QtBot,
    store: Store,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    discussions.start_discussion(store=store, group_id=group, title="Old", body="a")
    discussions.start_discussion(store=store, group_id=group, title="Newer", body="b")
    _, page = open_page()
    qtbot.waitUntil(lambda: _titles(page) == ["Newer", "Old"])
    _click_row(qtbot, page, "Old")
    actions = page.thread_view.thread_actions
    actions.pin.trigger()
    qtbot.waitUntil(lambda: _titles(page) == ["Old", "Newer"])
    actions.lock.trigger()
    qtbot.waitUntil(lambda: page.thread_view.closed_label.isVisible())
    assert not page.thread_view.composer.isVisible()
    assert "locked" in page.thread_view.closed_label.text()
    assert "Locked" in page.thread_view.meta.text()


def test_a_reply_from_another_laptop_appears_and_the_draft_survives(
    qtbot: QtBot,
    store: Store,
    make_store: MakeStore,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    disc, _ = discussions.start_discussion(store=store, group_id=group, title="Water", body="Tap?")
    tom = _second_laptop(make_store, store, group)
    _, page = open_page()
    _click_row(qtbot, page, "Water")
    editor = page.thread_view.composer.editor
    qtbot.keyClicks(editor, "Half-written thought")
    discussions.reply(store=tom, discussion_id=disc, body="Fixed it this morning.")
    poll = polls.create_poll(store=tom, discussion_id=disc, question="Meter?", options=["Y", "N"])
    deliver(ops_of(tom), store)
    store.notify({group})  # what a sync does once it has pulled
    qtbot.waitUntil(lambda: _has_card(page, "Fixed it this morning."))
    qtbot.waitUntil(lambda: poll in page.thread_view.poll_cards)
    assert editor.toPlainText() == "Half-written thought"
    assert page.thread_view.title.text() == "Water"
    assert page.right_stack.currentWidget() is page.thread_view


def test_a_search_result_opens_the_thread_at_the_post(
    qtbot: QtBot,
    store: Store,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    disc, _ = discussions.start_discussion(store=store, group_id=group, title="Long", body="0")
    posts = [discussions.reply(store=store, discussion_id=disc, body=str(i)) for i in range(1, 80)]
    window, page = open_page()
    window.open_item("post", posts[70], disc)
    qtbot.waitUntil(lambda: posts[70] in page.thread_view.cards)
    assert page.thread_view.cards[posts[70]].property("target") is True
    assert page.thread_view.more_button.isVisibleTo(page.thread_view) == (
        len(page.thread_view.cards) < 80
    )


def test_a_long_thread_loads_in_pages(
    qtbot: QtBot,
    store: Store,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    disc, _ = discussions.start_discussion(store=store, group_id=group, title="Long", body="0")
    for i in range(1, 60):
        discussions.reply(store=store, discussion_id=disc, body=str(i))
    _, page = open_page()
    _click_row(qtbot, page, "Long")
    thread = page.thread_view
    qtbot.waitUntil(lambda: len(thread.cards) == 50)
    more: QPushButton = thread.more_button
    assert more.isVisibleTo(thread)
    qtbot.mouseClick(more, LEFT)
    qtbot.waitUntil(lambda: len(thread.cards) == 60)
    assert not more.isVisibleTo(thread)


def test_the_list_pages_through_a_long_history(
    qtbot: QtBot,
    store: Store,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
    qtmodeltester: object,
) -> None:
    for i in range(120):
        discussions.start_discussion(store=store, group_id=group, title=f"Topic {i}", body="x")
    _, page = open_page()
    qtbot.waitUntil(lambda: page.model.rowCount() == 50)
    while page.model.canFetchMore(page.model.index(-1)):
        page.model.fetchMore(page.model.index(-1))
        qtbot.waitUntil(lambda: not page.model.is_loading())
    assert page.model.rowCount() == 120
    assert len(set(_titles(page))) == 120
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]


def test_a_member_sees_no_moderation_and_no_composer_once_locked(
    qtbot: QtBot,
    store: Store,
    make_store: MakeStore,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    organiser = make_store("organiser")
    group = groups.create_group(store=organiser, name="Allotments")
    disc, _ = discussions.start_discussion(store=organiser, group_id=group, title="Sheds", body="?")
    members.admit(store=organiser, group_id=group, device=store.device_id)
    deliver(ops_of(organiser), store)
    _, page = open_page()
    _click_row(qtbot, page, "Sheds")
    actions = page.thread_view.thread_actions
    qtbot.waitUntil(lambda: page.thread_view.composer.isVisible())
    assert not actions.pin.isVisible()
    assert not actions.lock.isVisible()
    assert not actions.delete.isVisible()  # neither an organiser nor its starter
    assert actions.follow.isEnabled()
    discussions.update_discussion(store=organiser, discussion_id=disc, locked=True)
    deliver(ops_of(organiser), store)
    store.notify({group})
    qtbot.waitUntil(lambda: page.thread_view.closed_label.isVisible())
    assert not page.thread_view.composer.isVisible()
    assert not actions.reply.isEnabled()


def test_keyboard_shortcuts_follow_and_reply(
    qtbot: QtBot,
    store: Store,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    discussions.start_discussion(store=store, group_id=group, title="Hedges", body="Too tall")
    window, page = open_page()
    _click_row(qtbot, page, "Hedges")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    page.view.setFocus()
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(page.view, Qt.Key.Key_F, CTRL | shift)
    follow = page.thread_view.thread_actions.follow
    qtbot.waitUntil(follow.isChecked)
    qtbot.keyClick(page.view, Qt.Key.Key_R, CTRL)
    assert page.thread_view.composer.editor.hasFocus()
    qtbot.keyClick(page.thread_view.composer.editor, Qt.Key.Key_L, CTRL)
    assert page.view.hasFocus()


def test_the_starter_renames_a_discussion_and_the_list_follows(
    qtbot: QtBot,
    store: Store,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    discussions.start_discussion(store=store, group_id=group, title="Potholes", body="Mill Lane")
    _, page = open_page()
    _click_row(qtbot, page, "Potholes")
    asked: list[str] = []

    def type_a_title(_parent: object, _title: str, _label: str, **kw: str) -> tuple[str, bool]:
        asked.append(kw["text"])
        return "  Potholes on Mill Lane ", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(type_a_title))
    rename = page.thread_view.thread_actions.rename
    assert rename.isVisible()
    assert rename.isEnabled()
    rename.trigger()
    qtbot.waitUntil(lambda: page.thread_view.title.text() == "Potholes on Mill Lane")
    qtbot.waitUntil(lambda: _titles(page) == ["Potholes on Mill Lane"])
    assert asked == ["Potholes"]  # the dialog opened on the title as it was


def test_a_member_may_not_rename_someone_elses_discussion(
    qtbot: QtBot,
    store: Store,
    make_store: MakeStore,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    ann = make_store("ann")
    group = groups.create_group(store=ann, name="Little Wold Parish")
    members.admit(store=ann, group_id=group, device=store.device_id)
    discussions.start_discussion(store=ann, group_id=group, title="Bins", body="Tuesday?")
    deliver(ops_of(ann), store)
    _, page = open_page()
    _click_row(qtbot, page, "Bins")
    actions = page.thread_view.thread_actions
    assert actions.reply.isEnabled()  # a member, who may reply...
    assert not actions.rename.isVisible()  # ...but not rename what Ann started


def test_a_category_called_planning_and_roads_reads_so_in_the_menus(
    qtbot: QtBot,
    store: Store,
    group: str,
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    groups.add_category(store=store, group_id=group, name="Planning & Roads")
    discussions.start_discussion(
        store=store, group_id=group, title="Mill Road", body="12 homes", category="Planning & Roads"
    )
    _, page = open_page()
    _click_row(qtbot, page, "Mill Road")
    actions = page.thread_view.thread_actions
    assert actions.follow_category.iconText() == "Follow all of Planning & Roads"
    shown = [a.iconText() for a in actions.move_menu.actions()]
    assert "Planning & Roads" in shown


def test_an_organiser_writes_a_discussion_ahead_and_finds_it_in_the_overview(
    qtbot: QtBot, group: str, open_page: Callable[[], tuple[MainWindow, DiscussionsPage]]
) -> None:
    window, page = open_page()
    window.new_discussion_action.trigger()
    form = page.form
    qtbot.waitUntil(form.ahead_row.isVisible)  # the founder is an organiser
    qtbot.keyClicks(form.title, "Christmas lights: who can help?")
    qtbot.keyClicks(form.body, "Ladders and a van wanted.")
    form.ahead.setChecked(True)
    form.when.setDateTime(QDateTime.currentDateTime().addDays(3))
    qtbot.keyClick(form.body, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: page.thread_view.title.text() == "Christmas lights: who can help?")
    [queued] = discussions.list_scheduled(store=window.ctx.store, group_id=group)
    assert queued.title == "Christmas lights: who can help?"
    # Not on the list until its day, on this laptop as on every other.
    assert "Christmas lights: who can help?" not in _titles(page)

    qtbot.keyClick(window, Qt.Key.Key_8, CTRL)  # Go ▸ Overview
    overview = window.overview
    qtbot.waitUntil(lambda: overview.ahead.items.count() == 1)
    assert overview.ahead.texts()[0].startswith("Christmas lights: who can help? — from ")


def test_a_member_cannot_write_ahead(
    qtbot: QtBot, store: Store, open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
    make_store: Callable[[str], Store],
) -> None:  # fmt: skip
    founder = make_store("founder")
    group = groups.create_group(store=founder, name="Little Wold Parish")
    members.admit(store=founder, group_id=group, device=store.device_id, display_name="Joe")
    deliver(ops_of(founder), store)
    window, page = open_page()
    window.new_discussion_action.trigger()
    qtbot.waitUntil(lambda: page.role == "member")
    assert not page.form.ahead_row.isVisible()


def test_a_mention_is_completed_as_you_type_and_the_member_is_told(
    qtbot: QtBot,
    store: Store,
    group: str,
    make_store: Callable[[str], Store],
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    ann = make_store("ann")
    members.admit(store=store, group_id=group, device=ann.device_id, display_name="Ann Smith")
    members.admit(store=store, group_id=group, device="ab" * 32, display_name="Anwar Khan")
    discussions.start_discussion(store=store, group_id=group, title="Hall", body="Who has keys?")
    deliver(ops_of(store), ann)
    notifications.take_new(store=ann, group_id=group)  # Ann's laptop starts counting
    _, page = open_page()
    _click_row(qtbot, page, "Hall")
    composer = page.thread_view.composer
    completer = composer.mentions
    qtbot.keyClicks(composer.editor, "Ask @an")
    qtbot.waitUntil(completer.popup.isVisible)
    offered = completer.completer.completionModel()
    assert [offered.index(r, 0).data() for r in range(offered.rowCount())] == [
        "Ann Smith",
        "Anwar Khan",
    ]
    qtbot.keyClicks(composer.editor, "n")  # "@ann": only Ann is left
    qtbot.waitUntil(lambda: offered.rowCount() == 1)
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return)  # takes the offer, adds no new line
    assert composer.text() == "Ask @Ann Smith "
    assert not completer.popup.isVisible()
    qtbot.keyClicks(composer.editor, "please")
    qtbot.keyClick(composer.editor, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: _has_card(page, "Ask @Ann Smith please"))

    deliver(ops_of(store), ann)
    [told] = notifications.take_new(store=ann, group_id=group)
    assert (told.why, told.author, told.title) == ("mention", "Margaret Clerk", "Hall")
    # An e-mail address is not a mention.
    qtbot.keyClicks(composer.editor, "mail ann@example.org")
    assert not completer.popup.isVisible()


def test_a_newcomers_first_post_is_marked_for_the_group(
    qtbot: QtBot,
    store: Store,
    group: str,
    make_store: Callable[[str], Store],
    open_page: Callable[[], tuple[MainWindow, DiscussionsPage]],
) -> None:
    joe = make_store("joe")
    members.admit(store=store, group_id=group, device=joe.device_id, display_name="Joe")
    hall, _ = discussions.start_discussion(store=store, group_id=group, title="Hall", body="Keys?")
    deliver(ops_of(store), joe)
    discussions.reply(store=joe, discussion_id=hall, body="Hello all, I have a set")
    discussions.reply(store=joe, discussion_id=hall, body="And a spare")
    deliver(ops_of(joe), store)
    _, page = open_page()
    _click_row(qtbot, page, "Hall")
    qtbot.waitUntil(lambda: _has_card(page, "And a spare"))
    # The thread may be drawn again as the rest of its page arrives: wait for the mark.
    qtbot.waitUntil(lambda: _card(page, "Hello all, I have a set").newcomer.isVisibleTo(page))
    assert not _card(page, "And a spare").newcomer.isVisibleTo(page)
    assert not _card(page, "Keys?").newcomer.isVisibleTo(page)  # the founder's
