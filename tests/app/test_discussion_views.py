"""The views of discussions the window needs: Following, Unread, one discussion,
a post's place in its thread, polls in a thread and what may be restored."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.errors import NotFound
from app.services import discussions, follows, groups, members, polls
from app.store import Store
from tests.support import deliver, ops_of

MakeStore = Callable[[str], Store]


@pytest.fixture
def group(store: Store) -> str:
    groups.set_my_name(store=store, name="Margaret Clerk")
    return groups.create_group(store=store, name="Little Wold Parish")


def _titles(found: list[discussions.DiscussionSummary]) -> list[str]:
    return [d.title for d in found]


def test_following_takes_discussions_and_categories_less_muted_ones(
    store: Store, group: str
) -> None:
    [general, off_topic] = groups.list_categories(store=store, group_id=group)
    bins, _ = discussions.start_discussion(store=store, group_id=group, title="Bins", body="b")
    fete, _ = discussions.start_discussion(store=store, group_id=group, title="Fete", body="f")
    cakes, _ = discussions.start_discussion(
        store=store, group_id=group, title="Cakes", body="c", category=off_topic.id
    )
    quiz, _ = discussions.start_discussion(
        store=store, group_id=group, title="Quiz", body="q", category=off_topic.id
    )
    assert discussions.list_following(store=store, group_id=group) == []
    follows.follow(store=store, target_id=bins)
    follows.follow(store=store, target_id=off_topic.id)
    follows.follow(store=store, target_id=quiz, state="muted")
    follows.follow(store=store, target_id=general.id, state="muted")
    assert set(_titles(discussions.list_following(store=store, group_id=group))) == {
        "Bins",
        "Cakes",
    }
    follows.follow(store=store, target_id=bins, state="none")
    page = discussions.list_following(store=store, group_id=group, offset=0, limit=5)
    assert _titles(page) == ["Cakes"]
    assert fete
    assert cakes


def test_unread_lists_only_discussions_with_news_from_others(make_store: MakeStore) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    group = groups.create_group(store=alice, name="Allotments")
    members.admit(store=alice, group_id=group, device=bob.device_id)
    water, _ = discussions.start_discussion(store=alice, group_id=group, title="Water", body="?")
    discussions.start_discussion(store=alice, group_id=group, title="Sheds", body="!")
    deliver(ops_of(alice), bob)
    discussions.start_discussion(store=bob, group_id=group, title="Mine", body="my own")
    assert set(_titles(discussions.list_unread(store=bob, group_id=group))) == {"Water", "Sheds"}
    discussions.mark_read(store=bob, discussion_id=water)
    assert _titles(discussions.list_unread(store=bob, group_id=group)) == ["Sheds"]
    assert discussions.get_discussion(store=bob, discussion_id=water).unread == 0


def test_get_discussion_and_a_posts_place_in_its_thread(store: Store, group: str) -> None:
    disc, first = discussions.start_discussion(store=store, group_id=group, title="T", body="1")
    second = discussions.reply(store=store, discussion_id=disc, body="2")
    third = discussions.reply(store=store, discussion_id=disc, body="3")
    assert discussions.get_discussion(store=store, discussion_id=disc).posts == 3
    assert discussions.post_position(store=store, post_id=first) == (disc, 0)
    assert discussions.post_position(store=store, post_id=third) == (disc, 2)
    discussions.delete_post(store=store, post_id=second)
    assert discussions.post_position(store=store, post_id=third) == (disc, 1)
    discussions.update_discussion(store=store, discussion_id=disc, deleted=True)
    with pytest.raises(NotFound, match="deleted"):
        discussions.get_discussion(store=store, discussion_id=disc)


def test_polls_in_a_discussion_come_oldest_first_with_my_vote(store: Store, group: str) -> None:
    disc, _ = discussions.start_discussion(store=store, group_id=group, title="T", body="x")
    first = polls.create_poll(
        store=store, discussion_id=disc, question="Day?", options=["Mon", "Tue"]
    )
    polls.create_poll(store=store, discussion_id=disc, question="Time?", options=["6", "7"])
    polls.vote(store=store, poll_id=first, choices=["Tue"])
    found = polls.polls_in_discussion(store=store, discussion_id=disc)
    assert [p.results.question for p in found] == ["Day?", "Time?"]
    assert found[0].results.counts == [0, 1]
    assert found[0].results.my_choices == [1]
    assert found[0].author_name == "Margaret Clerk"
    assert found[0].created_hlc < found[1].created_hlc


def test_recently_deleted_shows_organisers_everything_and_members_their_own(
    make_store: MakeStore,
) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    groups.set_my_name(store=alice, name="Alice")
    group = groups.create_group(store=alice, name="Allotments")
    members.admit(store=alice, group_id=group, device=bob.device_id)
    water, _ = discussions.start_discussion(store=alice, group_id=group, title="Water", body="?")
    sheds, _ = discussions.start_discussion(store=alice, group_id=group, title="Sheds", body="!")
    deliver(ops_of(alice), bob)
    mine = discussions.reply(store=bob, discussion_id=water, body="Bob's words")
    theirs = discussions.reply(store=alice, discussion_id=water, body="Alice's words")
    deliver(ops_of(bob), alice)
    discussions.delete_post(store=alice, post_id=mine)
    discussions.delete_post(store=alice, post_id=theirs)
    discussions.update_discussion(store=alice, discussion_id=sheds, deleted=True)
    seen = discussions.recently_deleted(store=alice, group_id=group)
    assert [(d.title, d.excerpt) for d in seen] == [
        ("Sheds", ""),
        ("Water", "Alice's words"),
        ("Water", "Bob's words"),
    ]
    assert (seen[0].post_id, seen[0].discussion_id) == ("", sheds)
    assert seen[1].deleted_by_name == "Alice"
    assert seen[1].deleted_hlc > 0
    deliver(ops_of(alice), bob)
    assert [d.post_id for d in discussions.recently_deleted(store=bob, group_id=group)] == [mine]
    discussions.restore_post(store=bob, post_id=mine)
    assert discussions.recently_deleted(store=bob, group_id=group) == []
