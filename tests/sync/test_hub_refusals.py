"""An op the hub refuses for good holds back nothing its author writes after it.

Laptops and a real hub on loopback. The refusal here is a squat: a member of one
group pushes, under the id of an op another group's laptop wrote but has not synced,
an op of their own. The hub keeps the first op of that id, so the laptop's op is
refused for good; the laptop's later work must still reach the hub and the others.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app import hub_links
from app.ops import sign_op
from app.services import discussions, groups
from app.store import Store
from sync import hubs
from sync.client import HubClient
from sync.engine import sync_group
from tests.hubs import create_group, make_invite, sqlite_hub
from tests.support import ops_of

MakeStore = Callable[[str], Store]


def _token(store: Store, group: str) -> str:
    with store.read() as db:
        link = hub_links.get_link(db, store.sealer, group)
    assert link is not None
    return link.token


def _outbox(store: Store, group: str) -> int:
    with store.read() as db:
        return hub_links.outbox_size(db, group)


def test_a_change_refused_for_good_does_not_hold_back_its_authors_later_ones(
    make_store: MakeStore, tmp_path: Path
) -> None:
    lou, kit, mal = make_store("lou"), make_store("kit"), make_store("mal")
    with sqlite_hub(tmp_path) as (url, db):
        brook, ashby = create_group(db, "Brook Parish"), create_group(db, "Ashby Parish")
        for store, group in ((lou, brook), (kit, brook), (mal, ashby)):
            hubs.join_hub(store=store, hub_url=url, code=make_invite(db, group))
        disc, _ = discussions.start_discussion(
            store=lou, group_id=brook, title="Speedwatch", body="Volunteers?"
        )
        sync_group(lou, brook)
        # Offline, Lou writes two replies; Mal learns the first one's id.
        first = discussions.reply(store=lou, discussion_id=disc, body="I can do Mondays")
        discussions.reply(store=lou, discussion_id=disc, body="And Fridays")
        assert not [op for op in ops_of(mal) if op.device == mal.device_id]  # admitted by the hub
        ashby_cat = groups.list_categories(store=mal, group_id=ashby)[0].id
        squat = sign_op(
            mal.identity.key,
            op_id=first,
            group=ashby,
            device=mal.device_id,
            seq=1,
            prev=None,
            hlc=mal.clock.now(),
            kind="discussion",
            entity=first,
            action="create",
            payload={"title": "Taken", "category_id": ashby_cat},
        )
        [taken] = HubClient(url, _token(mal, ashby)).push(ashby, [squat.to_wire()]).results
        assert taken.status == "accepted"

        result = sync_group(lou, brook)
        assert result.rejected == 1
        assert _outbox(lou, brook) == 0  # nothing left waiting for good
        sync_group(kit, brook)
    bodies = [p.body for p in discussions.thread(store=kit, discussion_id=disc)]
    assert bodies == ["Volunteers?", "And Fridays"]
