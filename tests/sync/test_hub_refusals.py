"""An op's id is its author's: no member of this group or another can claim it.

Laptops and a real hub on loopback. A member pushes, under the id of an op another
laptop wrote but has not synced, an op of their own. The hub refuses it, and the
laptop's op and everything after it still go up and reach the others.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app import hub_links
from app.errors import InvalidOp
from app.ids import uuid7
from app.ops import Op, op_from_wire, sign_op
from app.services import discussions, groups
from app.store import Store
from sync import hubs
from sync.client import HubClient
from sync.engine import sync_group
from tests.hubs import create_group, link_token, make_invite, sqlite_hub
from tests.support import ops_of

MakeStore = Callable[[str], Store]


def _outbox(store: Store, group: str) -> int:
    with store.read() as db:
        return hub_links.outbox_size(db, group)


def _squat(store: Store, group: str, op_id: str) -> Op:
    """An op of ``store``'s, next in its chain in ``group``, under someone else's id."""
    mine = [op for op in ops_of(store) if op.device == store.device_id and op.group == group]
    last = max(mine, key=lambda op: op.seq) if mine else None
    category = groups.list_categories(store=store, group_id=group)[0].id
    return sign_op(
        store.identity.key,
        op_id=op_id,
        group=group,
        device=store.device_id,
        seq=last.seq + 1 if last else 1,
        prev=last.hash if last else None,
        hlc=store.clock.now(),
        kind="discussion",
        entity=op_id,
        action="create",
        payload={"title": "Taken", "category_id": category},
    )


@pytest.mark.parametrize("squatter_in", ["another group", "the same group"])
def test_an_op_id_cannot_be_claimed_by_another_member(
    make_store: MakeStore, tmp_path: Path, squatter_in: str
) -> None:
    lou, kit, mal = make_store("lou"), make_store("kit"), make_store("mal")
    with sqlite_hub(tmp_path) as (url, db):
        brook, ashby = create_group(db, "Brook Parish"), create_group(db, "Ashby Parish")
        mal_group = ashby if squatter_in == "another group" else brook
        for store, group in ((lou, brook), (kit, brook), (mal, mal_group)):
            hubs.join_hub(store=store, hub_url=url, code=make_invite(db, group))
        disc, _ = discussions.start_discussion(
            store=lou, group_id=brook, title="Speedwatch", body="Volunteers?"
        )
        sync_group(lou, brook)
        sync_group(mal, mal_group)
        # Offline, Lou writes two replies; Mal learns the first one's id.
        first = discussions.reply(store=lou, discussion_id=disc, body="I can do Mondays")
        discussions.reply(store=lou, discussion_id=disc, body="And Fridays")
        squat = _squat(mal, mal_group, first)
        [taken] = (
            HubClient(url, link_token(mal, mal_group)).push(mal_group, [squat.to_wire()]).results
        )
        assert (taken.status, taken.code) == ("rejected", "malformed")

        result = sync_group(lou, brook)
        assert result.rejected == 0
        assert _outbox(lou, brook) == 0  # nothing left waiting
        sync_group(kit, brook)
        assert sync_group(lou, brook).rejected == 0  # and Lou still pulls
    bodies = [p.body for p in discussions.thread(store=kit, discussion_id=disc)]
    assert bodies == ["Volunteers?", "I can do Mondays", "And Fridays"]


def test_a_laptop_refuses_an_op_under_an_id_its_author_did_not_make(
    make_store: MakeStore,
) -> None:
    lou, mal = make_store("lou"), make_store("mal")
    brook = groups.create_group(store=lou, name="Brook Parish")
    ashby = groups.create_group(store=mal, name="Ashby Parish")
    lous, _ = discussions.start_discussion(store=lou, group_id=brook, title="Hedges", body="Cut?")
    with pytest.raises(InvalidOp, match="its author's device did not make"):
        op_from_wire(_squat(mal, ashby, lous).to_wire())
    # An id made before ids were bound to their author is taken as it is.
    legacy = _squat(mal, ashby, uuid7())
    assert op_from_wire(legacy.to_wire()).id == legacy.id
