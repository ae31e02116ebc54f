"""A member is notified of replies to them, @mentions of them and new posts where they
follow, once each as posts arrive, and never of their own posts or of muted talk."""

from __future__ import annotations

from collections.abc import Callable

from app.apply import rebuild_group
from app.clock import DAY_MS, HybridClock, wall_ms
from app.services import discussions, follows, groups, members, notifications
from app.services.notifications import FOLLOWED, MENTION, REPLY
from app.store import Store
from tests.support import deliver, ops_of

MakeStore = Callable[[str], Store]


def _arrive(source: Store, target: Store) -> None:
    deliver(ops_of(source), target)


def _told(store: Store, group: str) -> list[tuple[str, str]]:
    return [(n.why, n.excerpt) for n in notifications.take_new(store=store, group_id=group)]


def test_replies_mentions_and_followed_posts_are_told_once_as_they_arrive(
    make_store: MakeStore,
) -> None:
    ann, bob = make_store("ann"), make_store("bob")
    groups.set_my_name(store=ann, name="Ann Smith")
    group = groups.create_group(store=ann, name="Tenants")
    members.admit(store=ann, group_id=group, device=bob.device_id, display_name="Bob")
    hers, _ = discussions.start_discussion(store=ann, group_id=group, title="Lifts", body="Broken")
    _arrive(ann, bob)
    assert _told(ann, group) == []  # the first look: history is not news

    discussions.reply(store=bob, discussion_id=hers, body="Again? I'll ring them")
    his, _ = discussions.start_discussion(
        store=bob, group_id=group, title="Bins", body="@ann smith are they Tuesday now?"
    )
    other, _ = discussions.start_discussion(
        store=bob, group_id=group, title="Parking", body="Permits are due"
    )
    discussions.reply(store=bob, discussion_id=his, body="Asked @Ann Smithson too")
    _arrive(bob, ann)
    assert _told(ann, group) == [
        (MENTION, "@ann smith are they Tuesday now?"),
        (REPLY, "Again? I'll ring them"),
    ]
    assert _told(ann, group) == []  # each is said once

    follows.follow(store=ann, target_id=other)
    follows.follow(store=ann, target_id=hers, state="muted")
    _arrive(ann, bob)
    discussions.reply(store=bob, discussion_id=other, body="Mine came today")
    discussions.reply(store=bob, discussion_id=hers, body="Fixed now")  # muted
    discussions.reply(store=bob, discussion_id=hers, body="@Ann Smith, see above")
    gone = discussions.reply(store=bob, discussion_id=other, body="Oops, wrong place")
    discussions.delete_post(store=bob, post_id=gone)
    discussions.reply(store=ann, discussion_id=other, body="Mine too")  # her own
    _arrive(bob, ann)
    assert _told(ann, group) == [
        (MENTION, "@Ann Smith, see above"),
        (FOLLOWED, "Mine came today"),
    ]

    # The list is read as things stand: Parking's first post is there now she follows it,
    # and the Lifts reply is gone now she has muted that discussion.
    listed = notifications.notifications(store=ann, group_id=group)
    assert [n.excerpt for n in listed] == [
        "@Ann Smith, see above",
        "Mine came today",
        "Permits are due",
        "@ann smith are they Tuesday now?",
    ]
    assert notifications.unread_count(store=ann, group_id=group) == 4
    notifications.mark_all_read(store=ann, group_id=group)
    assert notifications.unread_count(store=ann, group_id=group) == 0
    discussions.reply(store=bob, discussion_id=other, body="And the meter?")
    _arrive(bob, ann)
    assert notifications.unread_count(store=ann, group_id=group) == 1


def test_a_rebuild_tells_nothing_again_and_a_discussion_written_ahead_is_news_when_it_shows(
    make_store: MakeStore,
) -> None:
    now = [wall_ms()]
    ann, bob, emile = make_store("ann"), make_store("bob"), make_store("emile")
    for laptop in (ann, bob, emile):
        laptop.clock = HybridClock(now_ms=lambda: now[0])
    groups.set_my_name(store=ann, name="Ann")
    other = groups.create_group(store=ann, name="Other")  # its rows number past ours
    group = groups.create_group(store=ann, name="Tenants")
    members.admit(store=ann, group_id=group, device=bob.device_id, display_name="Bob")
    members.admit(store=ann, group_id=group, device=emile.device_id, display_name="Émile")
    hers, _ = discussions.start_discussion(store=ann, group_id=group, title="Lifts", body="?")
    _arrive(ann, bob)
    assert _told(ann, group) == []
    discussions.reply(store=bob, discussion_id=hers, body="Fixed on Monday")
    _arrive(bob, ann)
    assert _told(ann, group) == [(REPLY, "Fixed on Monday")]
    notifications.mark_all_read(store=ann, group_id=group)
    for k in range(5):
        discussions.start_discussion(store=ann, group_id=other, title=f"T{k}", body="x")
    with ann.write() as db:
        rebuild_group(db, group, ann.sealer)
    assert _told(ann, group) == []  # a rebuild is not news
    assert notifications.unread_count(store=ann, group_id=group) == 0

    # Bob follows the group's General room; Ann writes ahead for three days on.
    assert _told(bob, group) == []
    general = next(c.id for c in groups.list_categories(store=bob, group_id=group))
    follows.follow(store=bob, target_id=general)
    later, _ = discussions.start_discussion(
        store=ann, group_id=group, title="Bulbs", body="Plant on Saturday?",
        publish_ms=now[0] + 3 * DAY_MS,
    )  # fmt: skip
    _arrive(ann, bob)
    assert _told(bob, group) == []  # not yet shown
    notifications.mark_all_read(store=bob, group_id=group)
    now[0] += 3 * DAY_MS + 1
    assert _told(bob, group) == [(FOLLOWED, "Plant on Saturday?")]
    assert _told(bob, group) == []
    listed = notifications.notifications(store=bob, group_id=group)
    # Bulbs is unread though Bob read everything before it showed; Lifts was read.
    assert [(n.discussion_id, n.unread) for n in listed] == [(later, True), (hers, False)]

    # A mention of a name beyond plain ASCII, in another case, is a mention still.
    _arrive(ann, emile)
    assert _told(emile, group) == []
    discussions.reply(store=bob, discussion_id=later, body="@émile can help")
    _arrive(bob, emile)
    assert _told(emile, group) == [(MENTION, "@émile can help")]
