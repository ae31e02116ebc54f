"""Discussions an organiser writes ahead show on every laptop from their time on, once,
whichever laptop is on then: the time travels in the op, not in a laptop's timer."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from app.clock import DAY_MS, HybridClock, wall_ms
from app.dump import dump
from app.errors import InvalidInput, NotAllowed
from app.services import discussions, groups, members, overview, search
from app.store import Store
from app.writer import writing
from sync.bundle import export_bundle, import_bundle
from tests.moot_cli import run_moot
from tests.support import deliver, ops_of

MakeStore = Callable[[str], Store]


class Clock:
    """One clock for the laptops of a test, which the test moves on."""

    def __init__(self) -> None:
        self.ms = wall_ms()

    def set_on(self, store: Store) -> Store:
        store.clock = HybridClock(store.clock.last, now_ms=lambda: self.ms)
        return store


def _titles(store: Store, group: str) -> list[str]:
    return [d.title for d in discussions.list_discussions(store=store, group_id=group)]


def _pair(make_store: MakeStore, clock: Clock) -> tuple[Store, Store, str]:
    ann, bob = clock.set_on(make_store("ann")), clock.set_on(make_store("bob"))
    group = groups.create_group(store=ann, name="Hill Street Residents")
    members.admit(store=ann, group_id=group, device=bob.device_id, display_name="Bob")
    deliver(ops_of(ann), bob)
    return ann, bob, group


def test_a_discussion_written_ahead_shows_on_its_day_on_laptops_that_swap_bundles(
    make_store: MakeStore, tmp_path: Path
) -> None:
    clock = Clock()
    ann, bob, group = _pair(make_store, clock)
    discussions.start_discussion(store=ann, group_id=group, title="Welcome", body="Hello all")
    on_day = clock.ms + 3 * DAY_MS
    seeded, _ = discussions.start_discussion(
        store=ann,
        group_id=group,
        title="What should the summer fete raise money for?",
        body="Ideas, please",
        publish_ms=on_day,
    )
    bundle = tmp_path / "hill-street.moot"
    export_bundle(store=ann, group_id=group, path=bundle)
    import_bundle(store=bob, path=bundle)

    # Before its day: on nobody's list, nor found by search; in the organiser's queue.
    for laptop in (ann, bob):
        assert _titles(laptop, group) == ["Welcome"]
        assert search.search(store=laptop, group_id=group, query="summer fete") == []
    [queued] = discussions.list_scheduled(store=ann, group_id=group)
    assert (queued.id, queued.publish_ms) == (seeded, on_day)

    # Its day comes: nobody writes or syncs anything, and both laptops show it, on top.
    clock.ms = on_day + 1
    for laptop in (ann, bob):
        assert _titles(laptop, group) == [
            "What should the summer fete raise money for?",
            "Welcome",
        ]
        assert [h.id for h in search.search(store=laptop, group_id=group, query="fete")] == [seeded]
    assert discussions.list_scheduled(store=ann, group_id=group) == []
    shown = discussions.list_discussions(store=bob, group_id=group)[0]
    assert shown.unread == 1  # Ann's first post is news to Bob

    # The bundle again, and back the other way: it is still there once.
    import_bundle(store=bob, path=bundle)
    export_bundle(store=bob, group_id=group, path=bundle)
    import_bundle(store=ann, path=bundle)
    for laptop in (ann, bob):
        assert _titles(laptop, group).count("What should the summer fete raise money for?") == 1
    assert dump(store=ann, group_id=group) == dump(store=bob, group_id=group)

    # Its wait for a first reply counts from when it showed, not from when it was written.
    clock.ms = on_day + 3_600_000
    discussions.reply(store=bob, discussion_id=seeded, body="The church roof")
    deliver(ops_of(bob), ann)
    seen = overview.overview(store=ann, group_id=group)
    assert (seen.replied_discussions, seen.median_first_reply_s) == (1, pytest.approx(3600, abs=1))


def test_only_organisers_write_ahead_and_only_for_a_time_to_come(make_store: MakeStore) -> None:
    clock = Clock()
    ann, bob, group = _pair(make_store, clock)
    with pytest.raises(NotAllowed, match="organisers"):
        discussions.start_discussion(
            store=bob, group_id=group, title="Later", body="x", publish_ms=clock.ms + DAY_MS
        )
    with pytest.raises(InvalidInput, match="time still to come"):
        discussions.start_discussion(
            store=ann, group_id=group, title="Late", body="x", publish_ms=clock.ms - DAY_MS
        )
    # A member's own laptop refuses such an op however it is made, and so would any other.
    with bob.read() as db:
        (category,) = db.execute("SELECT id FROM categories LIMIT 1").fetchone()
    with pytest.raises(NotAllowed), writing(bob) as w:
        w.emit(
            group,
            "discussion",
            "forged",
            "create",
            {"title": "Forged", "category_id": category, "publish_ms": clock.ms + DAY_MS},
        )
    assert _titles(bob, group) == []


def test_moot_discussion_schedule_and_scheduled(make_store: MakeStore) -> None:
    ann = make_store("ann")
    group = groups.create_group(store=ann, name="Hill Street Residents")
    folder = ann.settings.data_dir
    ann.close()
    day = datetime.fromtimestamp((wall_ms() + 2 * DAY_MS) / 1000).date().isoformat()

    made = run_moot(
        folder, "--json", "discussion", "schedule", group, "Bulb planting", "Who has a spade?",
        "--at", day, "--category", "General",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    seeded = json.loads(made.stdout)
    assert seeded["publish_at"] == f"{day}T00:00"

    queue = json.loads(run_moot(folder, "--json", "discussion", "scheduled", group).stdout)
    assert [(d["id"], d["title"]) for d in queue] == [(seeded["id"], "Bulb planting")]
    listed = json.loads(run_moot(folder, "--json", "discussion", "list", group).stdout)
    assert [d["title"] for d in listed] == []

    bad = run_moot(folder, "discussion", "schedule", group, "T", "B", "--at", "next tuesday")
    assert bad.returncode == 1
    assert "is not a date: give it as 2027-01-04" in bad.stderr
    past = run_moot(folder, "discussion", "schedule", group, "T", "B", "--at", "2001-01-01")
    assert past.returncode == 1
    assert "needs a time still to come" in past.stderr
    queue = json.loads(run_moot(folder, "--json", "discussion", "scheduled", group).stdout)
    assert len(queue) == 1  # the refused ones changed nothing
