"""Laptops that keep one council's meetings converge, whatever the delivery order.

Random work on every kind of meeting op — meetings called and changed, items added and
made exempt, attendance, declarations, minutes written on several laptops at once,
resolutions, actions and their progress, papers attached and taken off, circulation,
approval and signature —
by a clerk, a deputy clerk and a member who may draft minutes, delivered in random
orders and batches with duplicates and partitions. At the end every laptop's dump is
identical and equal to a rebuild from the log; no paragraph minuted on a meeting
still in draft is lost; approved minutes verify on every laptop; every paper holds
the very bytes attached.
"""

from __future__ import annotations

import contextlib
import os
import random
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.apply import rebuild_group
from app.dump import dump
from app.errors import MootError
from app.services import groups, meeting_papers, meetings, members
from app.store import Store, open_store
from tests.support import deliver, deliver_shuffled, ops_of, sync_all

WORDS = ("hedge", "precept", "verge", "allotment", "lamp", "grit", "bus", "pond")


@dataclass
class World:
    stores: list[Store]
    group: str
    rnd: random.Random
    paragraphs: dict[str, set[str]] = field(default_factory=dict)  # item id -> text
    files: dict[str, bytes] = field(default_factory=dict)  # paper id -> what was attached
    counter: int = 0

    def text(self) -> str:
        self.counter += 1
        return f"{' '.join(self.rnd.choice(WORDS) for _ in range(3))} #{self.counter}"

    def ids(self, store: Store, sql: str) -> list[str]:
        with store.read() as db:
            return sorted(r[0] for r in db.execute(sql, (self.group,)))


def _council(stores: list[Store]) -> str:
    clerk = stores[0]
    group = groups.create_group(store=clerk, name="Ashby Parish Council")
    for i, other in enumerate(stores[1:], start=1):
        role = "clerk" if i == 1 else "member"
        members.admit(
            store=clerk,
            group_id=group,
            device=other.device_id,
            role=role,
            display_name=f"Councillor {i}",
        )
    for other in stores[1:]:
        deliver(ops_of(clerk), other)
    return group


def _act(world: World, store: Store, action: int) -> None:
    rnd, group = world.rnd, world.group
    open_meetings = world.ids(
        store, "SELECT id FROM meetings WHERE group_id = ? AND approved_hlc IS NULL"
    )
    all_meetings = world.ids(store, "SELECT id FROM meetings WHERE group_id = ?")
    items = world.ids(store, "SELECT id FROM meeting_items WHERE group_id = ?")
    actions = world.ids(store, "SELECT id FROM actions WHERE group_id = ?")
    people = world.ids(store, "SELECT device FROM members WHERE group_id = ?")
    if action == 0 or not all_meetings:
        month = rnd.randint(1, 12)
        meetings.create_meeting(
            store=store,
            group_id=group,
            title=world.text(),
            starts_at=f"2027-{month:02d}-{rnd.randint(1, 28):02d}T19:30",
            members_draft=rnd.random() < 0.7,
            standard_items=rnd.random() < 0.5,
        )
    elif action == 1:
        meeting = rnd.choice(all_meetings)
        if rnd.random() < 0.7:
            meetings.add_item(
                store=store,
                meeting_id=meeting,
                title=world.text(),
                exempt=rnd.random() < 0.2,
            )
        else:
            change = rnd.choice(["title", "place", "public"])
            meetings.update_meeting(store=store, meeting_id=meeting, **{change: world.text()})
    elif action in (2, 3) and items:
        item = rnd.choice(items)
        line = world.text()
        if rnd.random() < 0.5:
            meetings.minute(store=store, item_id=item, text=line)
        else:
            with store.read() as db:
                (current,) = db.execute(
                    "SELECT minutes FROM meeting_items WHERE id = ?", (item,)
                ).fetchone()
            meetings.set_minutes(store=store, item_id=item, text=f"{line}\n\n{current}")
        world.paragraphs.setdefault(item, set()).add(line)
    elif action == 4 and all_meetings and people:
        meetings.set_attendance(
            store=store,
            meeting_id=rnd.choice(all_meetings),
            member=rnd.choice(people),
            status=rnd.choice(["present", "apologies", "absent", "remote"]),
        )
    elif action == 5 and items and people:
        meetings.declare(
            store=store,
            item_id=rnd.choice(items),
            member=rnd.choice(people),
            kind=rnd.choice(["pecuniary", "other_registrable", "non_registrable"]),
            nature=world.text(),
            left_room=rnd.random() < 0.5,
        )
    elif action == 6 and items:
        meetings.resolve(
            store=store,
            item_id=rnd.choice(items),
            text=f"that {world.text()}",
            votes_for=rnd.randint(0, 6),
            votes_against=rnd.randint(0, 6),
            abstain=rnd.randint(1, 2),
        )
    elif action == 7 and items:
        if actions and rnd.random() < 0.5:
            meetings.set_action_status(
                store=store,
                action_id=rnd.choice(actions),
                status=rnd.choice(["open", "done", "dropped"]),
            )
        else:
            meetings.add_action(store=store, item_id=rnd.choice(items), text=world.text())
    elif action == 8 and open_meetings:
        roll = rnd.random()
        if roll < 0.4:
            meetings.circulate(store=store, meeting_id=rnd.choice(open_meetings))
        elif roll < 0.7:
            meetings.issue_summons(store=store, meeting_id=rnd.choice(open_meetings))
        elif items and roll < 0.85:
            meetings.move_item(store=store, item_id=rnd.choice(items), step=rnd.choice([-1, 1]))
        elif items:
            meetings.update_item(store=store, item_id=rnd.choice(items), exempt=rnd.random() < 0.5)
    elif action == 9 and len(all_meetings) >= 2:
        first, later = sorted(rnd.sample(all_meetings, 2), key=lambda m: _starts(store, m))
        if rnd.random() < 0.7:
            meetings.approve(store=store, meeting_id=first, at=later)
        else:
            meetings.sign(store=store, meeting_id=first, chair=rnd.choice(people))
    elif action == 10 and items:
        papers = world.ids(store, "SELECT id FROM item_papers WHERE group_id = ? AND deleted = 0")
        if papers and rnd.random() < 0.3:
            meeting_papers.remove_paper(store=store, paper_id=rnd.choice(papers))
        else:
            data = rnd.randbytes(rnd.randint(1, 3_000))
            paper = meeting_papers.attach_paper(
                store=store, item_id=rnd.choice(items), name=f"{world.text()}.pdf", data=data
            )
            world.files[paper] = data


def _starts(store: Store, meeting_id: str) -> str:
    with store.read() as db:
        (starts,) = db.execute(
            "SELECT starts_at FROM meetings WHERE id = ?", (meeting_id,)
        ).fetchone()
    return str(starts)


def _check(world: World) -> None:
    first = world.stores[0]
    expected = dump(store=first, group_id=world.group)
    for store in world.stores:
        assert dump(store=store, group_id=world.group) == expected
    with first.write() as db:
        rebuild_group(db, world.group, first.sealer)
    assert dump(store=first, group_id=world.group) == expected
    with first.read() as db:
        rows = db.execute(
            "SELECT i.id, i.minutes, m.approved_hlc FROM meeting_items i JOIN meetings m"
            " ON m.id = i.meeting_id WHERE i.group_id = ?",
            (world.group,),
        ).fetchall()
    for item_id, text, approved in rows:
        if approved is None:  # approval may freeze out lines written after it
            for line in world.paragraphs.get(item_id, ()):
                assert line in text, (line, text)
    approved_meetings = world.ids(
        first, "SELECT id FROM meetings WHERE group_id = ? AND approved_hlc IS NOT NULL"
    )
    for store in world.stores:
        for meeting in approved_meetings:
            assert meetings.verify(store=store, meeting_id=meeting).unchanged
            assert meetings.read_meeting(store=store, meeting_id=meeting) == (
                meetings.read_meeting(store=first, meeting_id=meeting)
            )
    for store in world.stores:
        with store.read() as db:
            held = dict(
                db.execute("SELECT id, data FROM item_papers WHERE group_id = ?", (world.group,))
            )
        assert held == {paper: world.files[paper] for paper in held}


@settings(
    max_examples=int(os.environ.get("MOOT_CONVERGENCE_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    steps=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 13), st.floats(0.0, 1.0)),
        min_size=5,
        max_size=40,
    ),
)
def test_meeting_records_converge_and_lose_no_minutes(
    seed: int, steps: list[tuple[int, int, float]]
) -> None:
    rnd = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        stores = [open_store(Path(tmp) / f"r{i}", use_keyring=False) for i in range(3)]
        try:
            world = World(stores, _council(stores), rnd)
            for who, action, share in steps:
                store = stores[who]
                if action >= 11:  # a partial, shuffled delivery between two laptops
                    other = stores[(who + action) % 3]
                    if other is not store:
                        deliver_shuffled(store, other, rnd, share=share)
                    continue
                # A refusal (not allowed, approved already) writes nothing: a fine outcome.
                with contextlib.suppress(MootError):
                    _act(world, store, action)
            sync_all(stores, rnd)
            _check(world)
        finally:
            for store in stores:
                store.close()
