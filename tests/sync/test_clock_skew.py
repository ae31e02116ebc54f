"""Laptops whose clocks are wrong edit the same things; what the hybrid clock promises holds.

Each laptop's clock is off the real time by its own error (a day slow, an hour slow, an
hour fast, a day fast, three days fast); the test moves the clocks, never sleeps. What
is promised, and checked:

- An edit made after its laptop has seen another edit of the same field wins over it,
  whatever the laptops' clocks say: seeing a stamp moves the clock past it
  (``HybridClock.observe``). A last-writer-wins field never ends on a value that some
  other edit of it had already seen.
- What is *not* promised: two edits made without either laptop having seen the other
  are ordered by their stamps, so a laptop a day slow that edits an hour after a laptop
  a day fast, without having synced, loses to the older edit. The test counts these
  (``older_won_unseen``) and does not call them wrong.
- Nothing is lost: every reply and every line added to a note is there once, on every
  laptop; each member's own latest name and vote are the ones shown.
- Every laptop ends in the same state (the same ``app.dump``), through a real hub and,
  separately, through bundle files, once the clocks are put right.
- A change stamped more than a day ahead of the hub's clock is refused with
  ``clock_ahead`` and stays in the laptop's outbox, and the window says the laptop's
  clock is wrong. Putting the clock right does not take it back (its stamp is signed),
  and the changes made meanwhile follow it: the hybrid clock never runs backwards. They
  go up once the hub's clock is within a day of them.
- A laptop that receives changes stamped more than a day ahead of its own clock
  (``clock_behind``) takes none of that page, says its clock is behind, and takes them
  at the first sync after its clock is put right. A bundle with such changes is refused
  whole, with words that name the clock.

``MOOT_SKEW_EXAMPLES`` sets the random histories per transport (CI: 15 each, to stay
under a minute; the soak: ``MOOT_SKEW_EXAMPLES=500``).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.codes import Code
from app.dump import dump
from app.errors import BundleError, MootError
from app.services import discussions, groups, meetings, members, notes, polls
from app.store import Store, open_store
from sync import hubs
from sync.bundle import export_bundle, import_bundle
from sync.engine import SyncResult, sync_group
from sync.errors import SyncError
from tests.support import snapshot
from tests.world_clock import DAY_MS, HOUR_MS, Laptop, World, hub_says, world_hub
from ui.cli import cmd_sync
from ui.sync_words import describe_failure, describe_sync_result

EXAMPLES = int(os.environ.get("MOOT_SKEW_EXAMPLES", "15"))
SKEWS = {
    "slow_day": -DAY_MS,
    "slow_hour": -HOUR_MS,
    "fast_hour": HOUR_MS,
    "fast_day": DAY_MS,
    "far_ahead": 3 * DAY_MS,
}
NAMES = tuple(SKEWS)
# Long enough for the hub (and every laptop) to take the far-ahead laptop's stamps.
CATCH_UP_MS = 2 * DAY_MS + HOUR_MS


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return World(tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, world: World) -> Iterator[tuple[str, str]]:
    with world_hub(tmp_path_factory.mktemp("hub"), world) as found:
        yield found


def _outbox(store: Store) -> set[str]:
    with store.read() as db:
        return {r[0] for r in db.execute("SELECT op_id FROM outbox")}


def _join_all(hub: tuple[str, str], laptops: list[Laptop], name: str) -> str:
    url, db = hub
    group = str(hub_says(db, "group", "create", name)["id"])
    code = str(hub_says(db, "invite", group, "--role", "organiser", "--uses", "9")["code"])
    for laptop in laptops:
        groups.set_my_name(store=laptop.store, name=laptop.name)
        hubs.join_hub(store=laptop.store, hub_url=url, code=code)
    return group


# --- a clock days ahead, and a clock behind the group: scripted -------------------------


def test_a_laptop_days_ahead_keeps_its_changes_and_is_told_its_clock_is_wrong(
    hub: tuple[str, str], world: World, make_store: Callable[[str], Store], record_property: Any
) -> None:
    world.reset()
    ann = Laptop("Ann", make_store("ann"), world)
    far = Laptop("Far", make_store("far"), world)
    group = _join_all(hub, [ann, far], "Clock ahead")
    disc, _ = discussions.start_discussion(
        store=ann.store, group_id=group, title="Hall roof", body="It leaks"
    )
    sync_group(ann.store, group)
    sync_group(far.store, group)

    far.offset = 3 * DAY_MS
    discussions.reply(store=far.store, discussion_id=disc, body="Sent from the future")
    discussions.update_discussion(store=far.store, discussion_id=disc, title="Roof (urgent)")
    waiting = _outbox(far.store)
    result = sync_group(far.store, group)
    words = describe_sync_result(result)
    assert result.pushed == 0
    assert _outbox(far.store) == waiting  # nothing lost: both changes wait to go up
    assert words is not None
    assert "clock" in words
    assert "3 days ahead" in words
    sync_group(ann.store, group)
    assert [p.body for p in discussions.thread(store=ann.store, discussion_id=disc)] == ["It leaks"]

    # Set right, the laptop still holds stamps three days on: the hub takes none yet,
    # and an edit made now is stamped after them, so it waits too.
    far.put_clock_right()
    discussions.reply(store=far.store, discussion_id=disc, body="Clock fixed now")
    said = cmd_sync(far.store, argparse.Namespace(group_id=group))  # `moot sync` says it too
    assert said["pushed"] == 0
    assert "3 wait on this laptop: the hub refused its clock" in said["message"]
    assert len(_outbox(far.store)) == 3

    world.pass_time(CATCH_UP_MS)
    result = sync_group(far.store, group)
    assert result.pushed == 3
    assert not _outbox(far.store)
    assert describe_sync_result(result) is None
    sync_group(ann.store, group)
    bodies = [p.body for p in discussions.thread(store=ann.store, discussion_id=disc)]
    assert bodies == ["It leaks", "Sent from the future", "Clock fixed now"]
    assert discussions.get_discussion(store=ann.store, discussion_id=disc).title == "Roof (urgent)"
    assert dump(store=ann.store, group_id=group) == dump(store=far.store, group_id=group)
    record_property("count", 3)
    record_property("unit", "ops")
    record_property("lost", 0)


def test_a_laptop_behind_the_group_takes_nothing_it_cannot_trust_until_its_clock_is_set(
    hub: tuple[str, str], world: World, make_store: Callable[[str], Store], record_property: Any
) -> None:
    world.reset()
    ann = Laptop("Ann", make_store("ann"), world)
    slow = Laptop("Slow", make_store("slow"), world)
    group = _join_all(hub, [ann, slow], "Clock behind")
    note = notes.create_note(store=ann.store, group_id=group, title="Rota", body="Mon: Ann\n")
    sync_group(ann.store, group)
    sync_group(slow.store, group)

    slow.offset = -2 * DAY_MS
    notes.append_to_note(store=slow.store, note_id=note, line="Tue: Slow")
    notes.append_to_note(store=ann.store, note_id=note, line="Wed: Ann")
    sync_group(ann.store, group)
    before = dump(store=slow.store, group_id=group)
    with pytest.raises(SyncError) as refused:
        sync_group(slow.store, group)
    assert refused.value.code == Code.CLOCK_BEHIND
    words = describe_failure(refused.value, hub[0])
    assert "clock" in words
    assert "behind" in words
    assert dump(store=slow.store, group_id=group) == before  # none of that page taken
    [status] = hubs.status(store=slow.store)
    assert status.last_error is not None
    assert status.last_error.code == Code.CLOCK_BEHIND
    assert "clock" in describe_failure(status.last_error, hub[0])
    # Its own change went up before the pull was refused.
    sync_group(ann.store, group)
    assert "Tue: Slow" in notes.get_note(store=ann.store, note_id=note).text

    slow.put_clock_right()
    sync_group(slow.store, group)
    text = notes.get_note(store=slow.store, note_id=note).text
    assert sorted(text.split()) == sorted(["Mon:", "Ann", "Tue:", "Slow", "Wed:", "Ann"])
    assert dump(store=slow.store, group_id=group) == dump(store=ann.store, group_id=group)
    record_property("count", 3)
    record_property("unit", "ops")
    record_property("lost", 0)


def test_a_bundle_stamped_days_ahead_is_refused_whole_in_words_that_name_the_clock(
    world: World, make_store: Callable[[str], Store], tmp_path: Path, record_property: Any
) -> None:
    world.reset()
    ann = Laptop("Ann", make_store("ann"), world)
    far = Laptop("Far", make_store("far"), world)
    group = groups.create_group(store=ann.store, name="Stick group")
    export_bundle(store=ann.store, group_id=group, path=tmp_path / "in.moot", invite_role="member")
    import_bundle(store=far.store, path=tmp_path / "in.moot")
    far.offset = 3 * DAY_MS
    notes.create_note(store=far.store, group_id=group, title="From the future", body="Hi")
    export_bundle(store=far.store, group_id=group, path=tmp_path / "out.moot")
    before = snapshot(ann.store)
    with pytest.raises(BundleError) as refused:
        import_bundle(store=ann.store, path=tmp_path / "out.moot")
    assert "clock" in describe_failure(refused.value)
    assert snapshot(ann.store) == before

    world.pass_time(CATCH_UP_MS)  # Ann's clock reaches within a day of the stamps
    import_bundle(store=ann.store, path=tmp_path / "out.moot")
    assert dump(store=ann.store, group_id=group) == dump(store=far.store, group_id=group)
    record_property("count", 1)
    record_property("unit", "bundles")
    record_property("lost", 0)


# --- random histories: who edits what, when, and who syncs --------------------------------

SHARED = ("discussion title", "note title", "meeting place", "group name")  # last writer wins
OWN = ("display name", "vote")  # each member's own: the member's latest counts
ADDED = ("reply", "note line")  # every one kept
FIELDS = SHARED + OWN + ADDED

Step = tuple[str, int, int]  # ("edit", laptop, field) or ("sync", laptop, other laptop)
steps = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, len(NAMES) - 1), st.integers(0, len(FIELDS) - 1)),
    st.tuples(st.just("sync"), st.integers(0, len(NAMES) - 1), st.integers(0, len(NAMES) - 1)),
)
histories = st.lists(steps, min_size=6, max_size=24)


@dataclass(frozen=True)
class Edit:
    field: str
    laptop: int
    value: str
    op_id: str
    seen: frozenset[str]  # ids of the ops its laptop held when it was made


@dataclass
class Things:
    group: str
    discussion: str
    note: str
    meeting: str
    poll: str
    edits: list[Edit] = field(default_factory=list)


def _held_ops(store: Store, group: str) -> frozenset[str]:
    with store.read() as db:
        rows = db.execute("SELECT id FROM ops WHERE group_id = ? AND state = 1", (group,))
        return frozenset(r[0] for r in rows)


def _last_op(store: Store, group: str) -> str:
    with store.read() as db:
        (op_id,) = db.execute(
            "SELECT id FROM ops WHERE group_id = ? AND device = ? ORDER BY seq DESC LIMIT 1",
            (group, store.device_id),
        ).fetchone()
    return str(op_id)


def _make_things(store: Store, group: str) -> Things:
    disc, _ = discussions.start_discussion(
        store=store, group_id=group, title="Start", body="Opening"
    )
    note = notes.create_note(store=store, group_id=group, title="Start", body="")
    meeting = meetings.create_meeting(
        store=store, group_id=group, title="Council", starts_at="2030-05-01 19:00", place="Start"
    )
    poll = polls.create_poll(
        store=store, discussion_id=disc, question="Agree?", options=["Yes", "No"]
    )
    things = Things(group, disc, note, meeting, poll)
    seen = _held_ops(store, group)
    made = {"discussion title": disc, "note title": note, "meeting place": meeting}
    for name, created_by in made.items():  # an entity's id is its creating op's
        things.edits.append(Edit(name, -1, "Start", created_by, seen))
    return things


def _edit(laptop: Laptop, index: int, things: Things, name: str, n: int) -> None:
    store, value = laptop.store, f"{name} {n} by {laptop.name}"
    seen = _held_ops(store, things.group)
    match name:
        case "discussion title":
            discussions.update_discussion(store=store, discussion_id=things.discussion, title=value)
        case "note title":
            notes.rename_note(store=store, note_id=things.note, title=value)
        case "meeting place":
            meetings.update_meeting(store=store, meeting_id=things.meeting, place=value)
        case "group name":
            groups.update_group(store=store, group_id=things.group, name=value)
        case "display name":
            members.update_profile(store=store, group_id=things.group, display_name=value)
        case "vote":
            value = "Yes" if n % 2 else "No"
            polls.vote(store=store, poll_id=things.poll, choices=[value])
        case "reply":
            discussions.reply(store=store, discussion_id=things.discussion, body=value)
        case "note line":
            notes.append_to_note(store=store, note_id=things.note, line=value)
    things.edits.append(Edit(name, index, value, _last_op(store, things.group), seen))


def _shown(store: Store, things: Things) -> dict[str, Any]:
    """What a person sees of each thing edited."""
    me = members.list_members(store=store, group_id=things.group)
    votes = polls.poll_results(store=store, poll_id=things.poll)
    return {
        "discussion title": discussions.get_discussion(
            store=store, discussion_id=things.discussion
        ).title,
        "note title": notes.get_note(store=store, note_id=things.note).title,
        "meeting place": meetings.read_meeting(store=store, meeting_id=things.meeting).place,
        "group name": groups.get_group(store=store, group_id=things.group).name,
        "names": {m.device: m.display_name for m in me},
        "votes": votes.counts,
        "replies": [
            p.body for p in discussions.thread(store=store, discussion_id=things.discussion)
        ],
        "note lines": notes.get_note(store=store, note_id=things.note).text.splitlines(),
    }


def _judge(laptops: list[Laptop], things: Things, tally: Counter[str]) -> None:
    """Every laptop shows the one state the promises allow; tally what was seen."""
    states = {dump(store=lap.store, group_id=things.group) for lap in laptops}
    tally["diverged"] += len(states) - 1
    assert len(states) == 1, "laptops disagree once everything has been delivered"
    shown = _shown(laptops[0].store, things)
    for name in SHARED:
        edits = [e for e in things.edits if e.field == name]
        if not edits:
            continue
        [winner] = [e for e in edits if e.value == shown[name]]
        # An edit made after seeing the winner would have had to beat it.
        overwritten = [e for e in edits if e is not winner and winner.op_id in e.seen]
        tally["overwritten"] += len(overwritten)
        assert not overwritten, f"{name}: {overwritten[0].value!r} lost to {winner.value!r}"
        tally["older_won_unseen"] += any(e is not winner for e in edits[edits.index(winner) + 1 :])
    for index, laptop in enumerate(laptops):
        named = [e.value for e in things.edits if e.field == "display name" and e.laptop == index]
        assert shown["names"][laptop.store.device_id] == (named[-1] if named else laptop.name)
    last_votes = {
        e.laptop: e.value for e in things.edits if e.field == "vote"
    }  # a dict keeps each member's latest
    expected = [sum(v == option for v in last_votes.values()) for option in ("Yes", "No")]
    assert shown["votes"] == expected
    for name, key in (("reply", "replies"), ("note line", "note lines")):
        made = [e.value for e in things.edits if e.field == name]
        lost = [v for v in made if shown[key].count(v) != 1]
        tally["lost"] += len(lost)
        assert not lost, f"{name}s lost or doubled: {lost}"
    tally["edits"] += sum(1 for e in things.edits if e.laptop >= 0)


def _hub_sync(laptop: Laptop, group: str, hub_url: str, tally: Counter[str]) -> None:
    """Sync; a refusal must be a clock's, said as one, and leave the laptop's state alone."""
    before = dump(store=laptop.store, group_id=group)
    # A sync may or may not be refused, so no pytest.raises: the refusal is judged here.
    try:
        result: SyncResult = sync_group(laptop.store, group)
    except MootError as exc:
        words, code = describe_failure(exc, hub_url), exc.code
        refused = True
    else:
        refused = False
    if refused:
        assert code == Code.CLOCK_BEHIND, words
        assert laptop.offset < 0
        assert "clock" in words
        assert dump(store=laptop.store, group_id=group) == before
        tally["refused_behind"] += 1
        return
    if any(h.code == Code.CLOCK_AHEAD for h in result.held or ()):
        assert laptop.offset > DAY_MS
        assert "clock" in (describe_sync_result(result) or "")
        tally["held_ahead"] += 1


def _laptops(folder: Path, world: World) -> list[Laptop]:
    return [
        Laptop(name, open_store(folder / name, use_keyring=False), world, SKEWS[name])
        for name in NAMES
    ]


def test_edits_made_after_syncing_win_through_a_hub_whatever_the_clocks_say(
    hub: tuple[str, str], world: World, record_property: Any
) -> None:
    tally: Counter[str] = Counter()
    url = hub[0]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(history=histories)
    def one(history: list[Step]) -> None:
        world.reset()
        with tempfile.TemporaryDirectory() as folder:
            laptops = _laptops(Path(folder), world)
            try:
                for laptop in laptops:
                    laptop.offset = 0  # they join with the right time, then drift
                group = _join_all(hub, laptops, "Skewed")
                things = _make_things(laptops[0].store, group)
                for laptop in laptops:
                    sync_group(laptop.store, group)
                for laptop in laptops:
                    laptop.offset = SKEWS[laptop.name]
                for n, (what, i, j) in enumerate(history):
                    if what == "edit":
                        _edit(laptops[i], i, things, FIELDS[j], n)
                    else:
                        _hub_sync(laptops[i], group, url, tally)
                for laptop in laptops:
                    laptop.put_clock_right()
                world.pass_time(CATCH_UP_MS)
                for _round in range(2):
                    for laptop in laptops:
                        sync_group(laptop.store, group)
                assert not any(_outbox(lap.store) for lap in laptops)
                _judge(laptops, things, tally)
            finally:
                for laptop in laptops:
                    laptop.store.close()

    one()
    record_property("count", EXAMPLES)
    record_property("unit", "histories")
    for key in ("edits", "lost", "overwritten", "diverged", "older_won_unseen"):
        record_property(key, tally[key])
    record_property("refused_clock_behind", tally["refused_behind"])
    record_property("held_clock_ahead", tally["held_ahead"])


def _carry(source: Laptop, target: Laptop, group: str, path: Path, tally: Counter[str]) -> None:
    """A bundle from one laptop to another; refused, it is for a clock, and changes nothing."""
    export_bundle(store=source.store, group_id=group, path=path)
    before = snapshot(target.store)
    try:
        import_bundle(store=target.store, path=path)
    except BundleError as exc:
        words: str | None = describe_failure(exc)
    else:
        words = None
    if words is not None:
        assert "clock" in words, words
        assert snapshot(target.store) == before
        tally["refused_behind"] += 1


def _gather(laptops: list[Laptop], group: str, folder: Path, tally: Counter[str]) -> None:
    """Everyone's bundle to the first laptop, then its bundle to everyone."""
    for laptop in laptops[1:]:
        _carry(laptop, laptops[0], group, folder / "up.moot", tally)
    for laptop in laptops[1:]:
        _carry(laptops[0], laptop, group, folder / "down.moot", tally)


def test_edits_made_after_syncing_win_by_bundle_whatever_the_clocks_say(
    world: World, record_property: Any
) -> None:
    tally: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(history=histories)
    def one(history: list[Step]) -> None:
        world.reset()
        with tempfile.TemporaryDirectory() as name:
            folder = Path(name)
            laptops = _laptops(folder, world)
            try:
                for laptop in laptops:
                    laptop.offset = 0
                    groups.set_my_name(store=laptop.store, name=laptop.name)
                group = groups.create_group(store=laptops[0].store, name="Skewed")
                for laptop in laptops[1:]:
                    path = folder / f"invite-{laptop.name}.moot"
                    export_bundle(
                        store=laptops[0].store, group_id=group, path=path, invite_role="organiser"
                    )
                    import_bundle(store=laptop.store, path=path)
                things = _make_things(laptops[0].store, group)
                _gather(laptops, group, folder, Counter())
                for laptop in laptops:
                    laptop.offset = SKEWS[laptop.name]
                for n, (what, i, j) in enumerate(history):
                    if what == "edit":
                        _edit(laptops[i], i, things, FIELDS[j], n)
                    elif i != j:
                        _carry(laptops[i], laptops[j], group, folder / "stick.moot", tally)
                for laptop in laptops:
                    laptop.put_clock_right()
                world.pass_time(CATCH_UP_MS)
                refused = tally["refused_behind"]
                _gather(laptops, group, folder, tally)
                assert tally["refused_behind"] == refused, "clocks set right still refuse"
                _judge(laptops, things, tally)
            finally:
                for laptop in laptops:
                    laptop.store.close()

    one()
    record_property("count", EXAMPLES)
    record_property("unit", "histories")
    for key in ("edits", "lost", "overwritten", "diverged", "older_won_unseen"):
        record_property(key, tally[key])
    record_property("refused_clock_behind", tally["refused_behind"])
