"""Who may write, as the hub sees it, is what every laptop sees: judged at each op's stamp.

Laptops and a real hub on loopback. Each test is a story where an approximate "role
now" view on the hub would part ways with the laptops: a removed member's earlier words
relayed late, a promotion landing after a removal it predates, a revoked invitation
redeemed offline, and the hub itself taken out of its own group.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from app import hub_links
from app.codes import Code
from app.dump import dump
from app.ops import sign_op
from app.services import discussions, groups, members
from app.store import Store
from sync import hubs
from sync.bundle import export_bundle, import_bundle
from sync.client import HubClient
from sync.engine import sync_group
from sync.errors import NotPermitted
from sync.hub.db import make_engine
from tests.hubs import (
    create_group,
    link_token,
    make_invite,
    migrate,
    pg_url_or_skip,
    postgres_database,
    running_hub,
    sqlite_url,
)
from tests.support import ops_of, snapshot

MakeStore = Callable[[str], Store]


@dataclass
class Hub:
    url: str
    db: str

    def query(self, sql: str, **params: object) -> list[tuple[object, ...]]:
        engine = make_engine(self.db)
        with engine.connect() as conn:
            rows = [tuple(r) for r in conn.execute(text(sql), params)]
        engine.dispose()
        return rows

    def head(self, group_id: str) -> int:
        [(n,)] = self.query("SELECT next_seq FROM hub_groups WHERE id = :g", g=group_id)
        return int(str(n)) - 1

    def role(self, group_id: str, device: str) -> str:
        rows = self.query(
            "SELECT role FROM hub_members WHERE group_id = :g AND device = :d",
            g=group_id,
            d=device,
        )
        return str(rows[0][0]) if rows else "removed"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def hub(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with ExitStack() as stack:
        if request.param == "sqlite":
            db = sqlite_url(tmp_path_factory.mktemp("hub"))
        else:
            db = stack.enter_context(postgres_database(pg_url_or_skip()))
        migrate(db)
        with running_hub(db) as url:
            yield Hub(url, db)


def _join(hub: Hub, store: Store, group: str, role: str = "member") -> None:
    hubs.join_hub(store=store, hub_url=hub.url, code=make_invite(hub.db, group, role=role))


def _role(store: Store, group: str, device: str) -> str:
    with store.read() as db:
        return members.role_in(db, group, device)


def _hand_over(src: Store, dst: Store, group: str, path: Path) -> None:
    """Carry everything ``src`` holds of the group to ``dst`` on a memory stick."""
    export_bundle(store=src, group_id=group, path=path)
    import_bundle(store=dst, path=path)


def _one_later() -> None:
    time.sleep(0.01)  # stamps are milliseconds: keep the story's order in them


def test_a_removed_members_earlier_words_relayed_later_are_kept_everywhere(
    hub: Hub, make_store: MakeStore, tmp_path: Path
) -> None:
    ann, bob, mel, cat = (make_store(n) for n in ("ann", "bob", "mel", "cat"))
    group = create_group(hub.db, "Allotments")
    _join(hub, ann, group, "organiser")
    _join(hub, bob, group)
    _join(hub, mel, group)
    disc, _ = discussions.start_discussion(store=ann, group_id=group, title="Sheds", body="Paint?")
    for store in (ann, bob, mel):
        sync_group(store, group)
    discussions.reply(store=mel, discussion_id=disc, body="Green, please")  # offline
    _hand_over(mel, bob, group, tmp_path / "mel.moot")
    _one_later()
    members.remove_member(store=ann, group_id=group, device=mel.device_id)
    sync_group(ann, group)

    relayed = sync_group(bob, group)
    assert relayed.rejected == 0
    with bob.read() as db:
        assert hub_links.outbox_size(db, group) == 0
    _join(hub, cat, group)
    for store in (ann, bob):
        sync_group(store, group)
    bodies = {p.body for p in discussions.thread(store=cat, discussion_id=disc)}
    assert "Green, please" in bodies
    assert dump(store=ann, group_id=group) == dump(store=bob, group_id=group)
    assert dump(store=cat, group_id=group) == dump(store=ann, group_id=group)
    with pytest.raises(NotPermitted, match="removed"):
        sync_group(mel, group)


def test_a_late_promotion_from_before_a_removal_does_not_readmit(
    hub: Hub, make_store: MakeStore, tmp_path: Path
) -> None:
    ann, bob, mel, cat = (make_store(n) for n in ("ann", "bob", "mel", "cat"))
    group = create_group(hub.db, "Tenants")
    _join(hub, ann, group, "organiser")
    _join(hub, bob, group, "organiser")
    _join(hub, mel, group)
    disc, _ = discussions.start_discussion(store=ann, group_id=group, title="Lift", body="Broken")
    for store in (ann, bob, mel):
        sync_group(store, group)
    members.change_role(store=bob, group_id=group, device=mel.device_id, role="clerk")  # offline
    _one_later()
    members.remove_member(store=ann, group_id=group, device=mel.device_id)
    sync_group(ann, group)
    sync_group(bob, group)  # the promotion lands after the removal it predates
    assert hub.role(group, mel.device_id) == "removed"

    discussions.reply(store=mel, discussion_id=disc, body="Still here")  # Mel has not heard
    with pytest.raises(NotPermitted):
        sync_group(mel, group)
    with pytest.raises(NotPermitted):
        hubs.enrol_hub(store=mel, group_id=group, hub_url=hub.url)
    _hand_over(mel, bob, group, tmp_path / "mel.moot")
    relayed = sync_group(bob, group)
    assert relayed.rejected == 0  # kept back, not dropped: every laptop keeps it waiting
    with bob.read() as db:
        assert hub_links.outbox_size(db, group) == 1
    _join(hub, cat, group)
    for store in (ann, bob):
        sync_group(store, group)
    for store in (ann, bob, cat):
        assert _role(store, group, mel.device_id) == "removed"
        bodies = {p.body for p in discussions.thread(store=store, discussion_id=disc)}
        assert "Still here" not in bodies
    assert dump(store=ann, group_id=group) == dump(store=bob, group_id=group)
    assert dump(store=cat, group_id=group) == dump(store=ann, group_id=group)


def test_what_a_demoted_organiser_did_offline_does_not_hold_back_their_later_words(
    hub: Hub, make_store: MakeStore
) -> None:
    ann, bob = make_store("ann"), make_store("bob")
    group = create_group(hub.db, "Friends of the park")
    _join(hub, ann, group, "organiser")
    _join(hub, bob, group, "organiser")
    disc, _ = discussions.start_discussion(store=ann, group_id=group, title="Gates", body="Locked")
    for store in (ann, bob):
        sync_group(store, group)
    members.change_role(store=ann, group_id=group, device=bob.device_id, role="member")
    sync_group(ann, group)
    _one_later()
    # Bob, offline, has not heard: the new name does not count, his reply does.
    groups.update_group(store=bob, group_id=group, name="Bob's park")
    discussions.reply(store=bob, discussion_id=disc, body="I have a key")
    result = sync_group(bob, group)
    assert (result.rejected, result.pushed) == (0, 2)
    with bob.read() as db:
        assert hub_links.outbox_size(db, group) == 0
    sync_group(ann, group)
    for store in (ann, bob):
        assert groups.get_group(store=store, group_id=group).name == "Friends of the park"
        bodies = {p.body for p in discussions.thread(store=store, discussion_id=disc)}
        assert "I have a key" in bodies
    assert dump(store=ann, group_id=group) == dump(store=bob, group_id=group)


def test_a_revoked_invitation_redeemed_offline_admits_nobody(
    hub: Hub, make_store: MakeStore, tmp_path: Path
) -> None:
    ann, bob, dan, cat = (make_store(n) for n in ("ann", "bob", "dan", "cat"))
    group = create_group(hub.db, "Choir")
    _join(hub, ann, group, "organiser")
    _join(hub, bob, group)
    disc, _ = discussions.start_discussion(store=ann, group_id=group, title="Carols", body="When?")
    sync_group(ann, group)
    sync_group(bob, group)
    bundle = tmp_path / "invite.moot"
    export_bundle(store=ann, group_id=group, path=bundle, invite_role="member")
    [invite] = [op.entity for op in ops_of(ann) if (op.kind, op.action) == ("invite", "create")]
    _one_later()
    members.revoke_invitation(store=ann, group_id=group, invite_id=invite)
    sync_group(ann, group)

    _one_later()
    import_bundle(store=dan, path=bundle)  # Dan redeems it after the revocation
    discussions.reply(store=dan, discussion_id=disc, body="Sundays")
    with pytest.raises(NotPermitted):
        hubs.enrol_hub(store=dan, group_id=group, hub_url=hub.url)
    assert hub.role(group, dan.device_id) == "removed"
    head = hub.head(group)
    _hand_over(dan, bob, group, tmp_path / "dan.moot")
    relayed = sync_group(bob, group)
    assert relayed.rejected == 1  # the redemption: refused for good
    assert relayed.rejections
    assert "revoked" in relayed.rejections[0].reason
    assert hub.head(group) == head
    _join(hub, cat, group)
    for store in (ann, bob):
        sync_group(store, group)
    for store in (ann, bob, cat):
        assert _role(store, group, dan.device_id) == "removed"
    assert dump(store=ann, group_id=group) == dump(store=bob, group_id=group)
    assert dump(store=cat, group_id=group) == dump(store=ann, group_id=group)


def test_a_hub_taken_out_of_its_group_admits_nobody_and_says_why(
    hub: Hub, make_store: MakeStore
) -> None:
    ann, bob = make_store("ann"), make_store("bob")
    group = create_group(hub.db, "Bowls club")
    _join(hub, ann, group, "organiser")
    hub_device = HubClient(hub.url).info().device
    members.remove_member(store=ann, group_id=group, device=hub_device)
    sync_group(ann, group)
    code = make_invite(hub.db, group, uses=1)
    head, before = hub.head(group), snapshot(bob)
    with pytest.raises(NotPermitted, match="can no longer admit members to this group"):
        hubs.join_hub(store=bob, hub_url=hub.url, code=code)
    assert hub.head(group) == head
    assert snapshot(bob) == before
    [(uses,)] = hub.query("SELECT COUNT(*) FROM hub_invite_uses WHERE device = :d", d=bob.device_id)
    assert uses == 0


def test_rejections_say_whether_a_later_push_may_pass(hub: Hub, make_store: MakeStore) -> None:
    ann = make_store("ann")
    group = create_group(hub.db, "Hall")
    _join(hub, ann, group)
    disc, _ = discussions.start_discussion(store=ann, group_id=group, title="Roof", body="Leaks")
    [post] = [op for op in ops_of(ann) if op.kind == "post"]
    last = max(op.seq for op in ops_of(ann) if op.device == ann.device_id and op.group == group)
    gap = sign_op(
        ann.identity.key,
        op_id="01a2ffff-0000-7000-8000-00000000beef",
        group=group,
        device=ann.device_id,
        seq=last + 2,  # the one before it never sent
        prev="ab" * 32,
        hlc=post.hlc + 10,
        kind="post",
        entity="01a2ffff-0000-7000-8000-00000000beef",
        action="create",
        payload={"discussion_id": disc, "body": "Dry now"},
    )
    forged = post.to_wire() | {"id": "01a2ffff-0000-7000-8000-00000000abcd", "sig": "ab" * 64}
    client = HubClient(hub.url, link_token(ann, group))
    waits, bad = client.push(group, [gap.to_wire(), forged]).results
    assert (waits.status, waits.retry, waits.code) == ("rejected", True, Code.WAIT_FOR_EARLIER)
    assert (bad.status, bad.retry, bad.code) == ("rejected", False, Code.MALFORMED)


def test_a_removed_members_invitation_codes_stop_working(hub: Hub, make_store: MakeStore) -> None:
    ann, mel = make_store("ann"), make_store("mel")
    group = create_group(hub.db, "Allotments")
    _join(hub, ann, group, "organiser")
    shared = make_invite(hub.db, group, uses=20)  # the code on the noticeboard
    hubs.join_hub(store=mel, hub_url=hub.url, code=shared)
    spare = make_invite(hub.db, group, uses=5)
    sync_group(ann, group)  # the organiser hears of the join
    members.remove_member(store=ann, group_id=group, device=mel.device_id)
    sync_group(ann, group)
    assert hub.role(group, mel.device_id) == "removed"

    before = snapshot(mel)
    for code in (shared, spare):  # the code it used, and one it kept
        with pytest.raises(NotPermitted, match="removed") as refused:
            hubs.join_hub(store=mel, hub_url=hub.url, code=code)
        assert refused.value.code == Code.REMOVED
    assert snapshot(mel) == before
    assert hub.role(group, mel.device_id) == "removed"
    uses = hub.query(
        "SELECT uses_left FROM hub_invites WHERE group_id = :g ORDER BY uses_left", g=group
    )
    assert [u for (u,) in uses] == [0, 5, 19]  # the organiser's, and neither code spent on it

    # An organiser who wants it back admits it in the log, and then it syncs again.
    members.admit(store=ann, group_id=group, device=mel.device_id, display_name="Mel")
    sync_group(ann, group)
    hubs.join_hub(store=mel, hub_url=hub.url, code=shared)
    sync_group(mel, group)
