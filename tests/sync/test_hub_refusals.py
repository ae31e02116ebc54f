"""An op's id is its group's: a member of another group cannot claim it.

Laptops and a real hub on loopback. A member of one group pushes, under the id of an
op another group's laptop wrote but has not synced, an op of their own. The hub takes
it in its own group, and the laptop's op and everything after it still go up and
reach the others.
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


def test_an_op_id_cannot_be_claimed_from_another_group(
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
        assert result.rejected == 0
        assert _outbox(lou, brook) == 0  # nothing left waiting
        sync_group(kit, brook)
    bodies = [p.body for p in discussions.thread(store=kit, discussion_id=disc)]
    assert bodies == ["Volunteers?", "I can do Mondays", "And Fridays"]
