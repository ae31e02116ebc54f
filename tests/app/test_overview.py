"""The organiser's overview names the people and discussions a group's history says it
should: a story of four months with known facts, told on laptops whose clocks the test
moves, then read from the service and from ``moot overview``."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from app.clock import DAY_MS
from app.services import overview
from tests.moot_cli import run_moot
from tests.organiser_story import STORY_DAYS, Facts, MakeStore, tell


@pytest.fixture
def facts(make_store: MakeStore) -> Facts:
    return tell(make_store)


def test_the_overview_names_who_and_what_needs_the_organiser(facts: Facts) -> None:
    o = overview.overview(store=facts.store, group_id=facts.group)
    who = {device: name for name, device in facts.names.items()}

    assert [d.id for d in o.unanswered] == facts.unanswered
    assert [d.title for d in o.unanswered] == ["Speed watch volunteers?", "A bench on the green"]
    assert [d.started_by for d in o.unanswered] == ["Ann", "Cat"]

    assert [who[p.id] for p in o.new_silent] == ["dan"]  # Erin has had less than a week
    assert [p.name for p in o.new_silent] == ["Dan"]
    assert [who[p.id] for p in o.gone_quiet] == ["bob"]
    assert round((o.as_of_ms - o.gone_quiet[0].since_ms) / DAY_MS) == STORY_DAYS - 80

    [poll] = o.open_polls
    assert (poll.id, poll.voted) == (facts.poll, 1)
    assert sorted(who[p.id] for p in poll.not_voted) == ["ann", "bob", "dan", "erin", "frank"]

    assert [a.id for a in o.overdue_actions] == [facts.overdue_action]
    assert o.overdue_actions[0].owner == "Bob"

    assert o.members == 6
    assert o.active_week == 2  # Ann and Cat; Erin's admission was Ann's doing
    assert o.active_month == 3  # and Dan, who named himself on day 111


def test_the_pulse_counts_posts_replies_and_off_topic_chat(facts: Facts) -> None:
    o = overview.overview(store=facts.store, group_id=facts.group)
    assert len(o.posts_per_week) == overview.PULSE_WEEKS
    assert sum(w.posts for w in o.posts_per_week) == facts.posts
    # Day 119's three posts are in the week that holds it (and day 115's, maybe, too).
    day_119 = datetime.fromtimestamp((o.as_of_ms - DAY_MS) / 1000).date()
    [week] = [w for w in o.posts_per_week if 0 <= (day_119 - date.fromisoformat(w.week)).days < 7]
    assert week.posts in (3, 4)
    assert o.off_topic_share == pytest.approx(facts.off_topic_posts / facts.posts)
    waits = sorted(facts.first_replies_s)
    assert o.replied_discussions == len(waits)
    assert o.median_first_reply_s == pytest.approx(waits[len(waits) // 2], abs=1)
    assert sum(m.joined for m in o.new_members_per_month) == 6


def test_moot_overview_prints_the_same_as_one_json_object(facts: Facts) -> None:
    folder = facts.store.settings.data_dir
    facts.store.close()
    done = run_moot(folder, "overview", facts.group, "--json")
    seen = json.loads(done.stdout)
    for key in (
        "unanswered",
        "new_silent",
        "gone_quiet",
        "active_week",
        "active_month",
        "median_first_reply_s",
        "posts_per_week",
    ):
        assert key in seen
    assert [d["id"] for d in seen["unanswered"]] == facts.unanswered
    assert [d["name"] for d in seen["new_silent"]] == ["Dan"]
    assert [d["name"] for d in seen["gone_quiet"]] == ["Bob"]
    assert all({"id", "name"} <= set(x) for k in ("unanswered", "new_silent") for x in seen[k])
    assert len(seen["posts_per_week"]) == overview.PULSE_WEEKS

    words = run_moot(folder, "overview", facts.group).stdout
    assert "Discussions with no reply, oldest first (2)" in words
    assert "Speed watch volunteers?" in words
    assert "New members yet to post: say hello (1)" in words
    assert "Dan, joined" in words
    assert "Regulars gone quiet: a personal word (1)" in words


def test_an_overview_of_a_group_not_here_is_refused_in_words(make_store: MakeStore) -> None:
    store = make_store("ann")
    folder = store.settings.data_dir
    store.close()
    done = run_moot(folder, "overview", "no-such-group")
    assert done.returncode == 1
    assert "No group with id 'no-such-group'" in done.stderr
