"""A council's meetings through a real hub: the clerk's record reaches every laptop, and
the hub judges who may keep it by the same declarations the laptops use.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.codes import Code
from app.dump import dump
from app.ops import sign_op
from app.services import meetings
from app.store import Store
from sync import hubs
from sync.client import HubClient
from sync.engine import sync_group
from sync.hub.service import MAX_VOID_KEPT
from tests.hubs import create_group, link_token, make_invite, sqlite_hub
from tests.support import ops_of

MakeStore = Callable[[str], Store]


def test_the_clerks_record_reaches_members_and_a_members_meeting_is_not_kept(
    make_store: MakeStore, tmp_path: Path
) -> None:
    clerk, member = make_store("clerk"), make_store("member")
    with sqlite_hub(tmp_path) as (url, db):
        group = create_group(db, "Ashby Parish Council")
        hubs.join_hub(store=clerk, hub_url=url, code=make_invite(db, group, role="clerk"))
        hubs.join_hub(store=member, hub_url=url, code=make_invite(db, group))
        january = meetings.create_meeting(
            store=clerk, group_id=group, title="Parish council", starts_at="2027-01-14T19:30"
        )
        february = meetings.create_meeting(
            store=clerk, group_id=group, title="Parish council", starts_at="2027-02-11T19:30"
        )
        item = meetings.add_item(store=clerk, meeting_id=january, title="Precept")
        meetings.minute(store=clerk, item_id=item, text="The precept was set.")
        meetings.approve(store=clerk, meeting_id=january, at=february)
        sync_group(clerk, group)
        sync_group(member, group)
        assert meetings.verify(store=member, meeting_id=january).unchanged
        assert dump(store=member, group_id=group) == dump(store=clerk, group_id=group)

        # A member's laptop that signs a meeting of its own, past its own checks.
        mine = [op for op in ops_of(member) if op.device == member.device_id]
        rogue = sign_op(
            member.identity.key,
            op_id="01a2ffff-0000-7000-8000-00000000beef",
            group=group,
            device=member.device_id,
            seq=len(mine) + 1,
            prev=mine[-1].hash if mine else None,
            hlc=member.clock.now(),
            kind="meeting",
            entity="01a2ffff-0000-7000-8000-00000000beef",
            action="create",
            payload={"title": "Rival council", "starts_at": "2027-03-01T19:00"},
        )
        [answer] = HubClient(url, link_token(member, group)).push(group, [rogue.to_wire()]).results
        # Kept as laptops keep it, waiting (it counts for nothing), so it blocks no later op.
        assert answer.status == "accepted"
        sync_group(clerk, group)
        titles = [m.title for m in meetings.list_meetings(store=clerk, group_id=group)]
        assert "Rival council" not in titles
        with clerk.read() as conn:
            (state,) = conn.execute("SELECT state FROM ops WHERE id = ?", (rogue.id,)).fetchone()
        assert state == 0  # held, waiting: a member does not call meetings


def test_the_hub_turns_away_a_members_meeting_by_code_when_it_keeps_no_more(
    make_store: MakeStore, tmp_path: Path
) -> None:
    """Past the few void ops the hub keeps per member, the refusal carries its code."""
    member = make_store("member")
    with sqlite_hub(tmp_path) as (url, db):
        group = create_group(db, "Ashby Parish Council")
        hubs.join_hub(store=member, hub_url=url, code=make_invite(db, group))
        mine = [op for op in ops_of(member) if op.device == member.device_id]
        prev, seq, wire = (mine[-1].hash if mine else None), len(mine), []
        for n in range(MAX_VOID_KEPT + 1):
            seq += 1
            op_id = f"01a2ffff-0000-7000-8000-{n:012d}"
            op = sign_op(
                member.identity.key,
                op_id=op_id,
                group=group,
                device=member.device_id,
                seq=seq,
                prev=prev,
                hlc=member.clock.now(),
                kind="meeting",
                entity=op_id,
                action="create",
                payload={"title": f"Meeting {n}", "starts_at": "2027-03-01T19:00"},
            )
            prev = op.hash
            wire.append(op.to_wire())
        answers = HubClient(url, link_token(member, group)).push(group, wire).results
    assert answers[-1].status == "rejected"
    assert answers[-1].code == Code.NOT_CLERK
