"""The sample parish group: what someone trying Moot finds in it, and that it is a real group."""

from __future__ import annotations

import json
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from app.apply import rebuild_group
from app.clock import DAY_MS, physical_ms, wall_ms
from app.demo import build_demo
from app.dump import dump
from app.identity import DEVICE_KEY_NAME
from app.keystore import key_path
from app.progress import Progress
from app.services import discussions, follows, groups, members, notes, polls
from app.services.search import search
from app.store import Store, open_store
from tests.support import deliver, ops_of


def test_the_sample_group_has_what_a_newcomer_would_explore(store: Store) -> None:
    groups.set_my_name(store=store, name="Robin Ashdown")
    progress: list[tuple[int, int]] = []
    start = time.perf_counter()
    reporter = Progress(lambda done, total, _what: progress.append((done, total)))
    group_id = build_demo(store, progress=reporter)
    assert time.perf_counter() - start < 2.0
    assert progress[-1][0] == progress[-1][1] > 0

    (group,) = groups.list_groups(store=store)
    assert (group.id, group.name, group.my_role) == (group_id, "Ashcombe Parish Forum", "organiser")
    assert group.description
    assert group.colour.startswith("#")
    assert group.emblem

    people = members.list_members(store=store, group_id=group_id)
    assert len(people) == 42
    me = next(p for p in people if p.device == store.device_id)
    assert (me.display_name, me.role) == ("Robin Ashdown", "organiser")
    assert sum(1 for p in people if p.bio) >= 10
    assert sum(1 for p in people if p.interests) >= 20
    assert {"member", "clerk", "organiser"} <= {p.role for p in people}

    names = [c.name for c in groups.list_categories(store=store, group_id=group_id)]
    assert names == ["General", "Off-topic", "Planning & Roads", "Events", "Green Spaces"]

    listed = discussions.list_discussions(store=store, group_id=group_id, limit=100)
    assert len(listed) == 30  # the deleted test post is not among them
    assert all(d.posts >= 2 for d in listed)
    assert listed[0].pinned
    assert listed[1].pinned
    assert not listed[2].pinned
    assert sum(d.resolved for d in listed) >= 3
    assert {d.category for d in listed} == set(names)
    unread = [d for d in listed if d.unread]
    assert 5 <= len(unread) < len(listed)  # recent talk waits; older talk has been read

    busiest = max(listed, key=lambda d: d.posts)
    posts = discussions.thread(store=store, discussion_id=busiest.id)
    assert len({p.author_name for p in posts}) >= 6
    # Answers to a post in particular: the sample's talk is drawn afresh for each
    # laptop, so they are looked for in every thread, not only the busiest.
    assert any(
        p.reply_to
        for d in listed
        for p in discussions.thread(store=store, discussion_id=d.id, limit=500)
    )
    assert any(p.reactions for p in posts)
    stamps = [physical_ms(p.created_hlc) for p in posts]
    assert stamps == sorted(stamps)
    assert max(stamps) < wall_ms()
    quietest = min(physical_ms(d.last_activity_hlc) for d in listed)
    assert wall_ms() - quietest > 60 * DAY_MS  # talk spread over past months
    bodies = "\n".join(
        p.body for d in listed for p in discussions.thread(store=store, discussion_id=d.id)
    )
    assert "**" in bodies
    assert "\n- " in bodies
    assert any(
        p.edited for d in listed for p in discussions.thread(store=store, discussion_id=d.id)
    )

    state = json.loads(dump(store=store, group_id=group_id))
    results = [polls.poll_results(store=store, poll_id=p["id"]) for p in state["polls"]]
    assert len(results) >= 3
    assert all(r.voters >= 10 and sum(r.counts) >= r.voters for r in results)
    assert any(r.multiple for r in results)
    assert any(r.my_choices for r in results)
    assert any(not r.my_choices for r in results)

    shared = {n.title: n for n in notes.list_notes(store=store, group_id=group_id)}
    assert {"Village hall booking rules", "Litter pick kit list"} <= set(shared)
    assert len(shared) == 5
    kit = shared["Litter pick kit list"].text
    assert "24 grabbers" in kit
    assert "bag hoops" in kit

    mine = follows.followed(store=store, group_id=group_id)
    assert "following" in mine.values()
    assert len(mine) >= 3
    assert search(store=store, group_id=group_id, query="hedgehog")


def test_building_again_finds_the_same_group(store: Store) -> None:
    first = build_demo(store)
    before = dump(store=store, group_id=first)
    assert build_demo(store) == first
    assert len(groups.list_groups(store=store)) == 1
    assert dump(store=store, group_id=first) == before


def test_the_sample_group_is_a_real_group_that_merges_and_rebuilds(
    make_store: Callable[[str], Store],
) -> None:
    laptop, other = make_store("laptop"), make_store("other")
    group_id = build_demo(laptop)
    built = dump(store=laptop, group_id=group_id)

    # Another laptop taking the log in, shuffled and in small batches, holds the same group.
    log = ops_of(laptop)
    random.Random(5).shuffle(log)
    deliver(log, other, batch=37)
    assert dump(store=other, group_id=group_id) == built

    # Applying the log again from scratch gives what building it gave.
    with laptop.write() as db:
        rebuild_group(db, group_id, laptop.sealer)
    assert dump(store=laptop, group_id=group_id) == built


def test_the_same_profile_and_seed_give_the_same_group(tmp_path: Path) -> None:
    first = open_store(tmp_path / "first", use_keyring=False)
    (tmp_path / "copy").mkdir()
    shutil.copy2(
        key_path(tmp_path / "first", DEVICE_KEY_NAME), key_path(tmp_path / "copy", DEVICE_KEY_NAME)
    )
    copy = open_store(tmp_path / "copy", use_keyring=False)
    try:
        now = wall_ms()
        group_id = build_demo(first, now_ms=now)
        assert build_demo(copy, now_ms=now) == group_id
        assert dump(store=copy, group_id=group_id) == dump(store=first, group_id=group_id)
    finally:
        first.close()
        copy.close()


def test_the_sample_council_has_a_year_of_meetings_on_the_record(store: Store) -> None:
    from app.services import meetings

    group_id = build_demo(store)
    held = meetings.list_meetings(store=store, group_id=group_id)
    assert len(held) == 13  # a year of monthly meetings, and the next one called
    *past, upcoming = held
    today = time.strftime("%Y-%m-%d")
    assert all(m.starts_at[:10] < today for m in past)
    assert upcoming.starts_at[:10] >= today
    assert [m.stage for m in past] == ["signed"] * 11 + ["draft"]
    for m in past[:-1]:
        assert meetings.verify(store=store, meeting_id=m.id).unchanged
    last = meetings.read_meeting(store=store, meeting_id=past[-1].id)
    assert len(last.attendees) == 7
    assert any(i.resolutions for i in last.items)
    assert any(i.minute_number for i in last.items)
    assert all(i.minutes for i in last.items if i.standard == "apologies")
    log = meetings.action_log(store=store, group_id=group_id)
    assert {x.action.status for x in log} >= {"open", "done"}
