"""Laptops and a real hub process on loopback: join, work apart, sync, meet in one state.

Every refusal is checked to leave both sides as they were: the hub's log head and the
laptop's profile.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from app import hub_links
from app.apply import read_membership
from app.clock import pack, wall_ms
from app.codes import Code
from app.dump import dump
from app.errors import InvalidOp
from app.identity import DeviceIdentity
from app.ids import uuid7
from app.ops import sign_op
from app.services import discussions, groups, members, notes
from app.store import Store
from sync import engine, hubs
from sync.bundle import export_bundle, import_bundle
from sync.client import HubClient
from sync.engine import sync_group
from sync.errors import AuthRefused, HubFailed, NotPermitted, Refused
from sync.hub import service
from sync.proofs import enrol_message, join_message, register_message, sign
from tests.hubs import (
    PROTOCOL_HEADERS,
    create_group,
    hub_cli,
    link_token,
    make_invite,
    sqlite_hub,
)
from tests.support import deliver, ops_of, snapshot

MakeStore = Callable[[str], Store]


@dataclass
class Hub:
    url: str  # its base URL
    db: str  # its database URL

    def query(self, sql: str, **params: object) -> list[Any]:
        """Rows of one statement on the hub's database (committed)."""
        engine = create_engine(self.db)
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            rows = list(result) if result.returns_rows else []
        engine.dispose()
        return rows

    def head(self, group_id: str) -> int:
        [(n,)] = self.query("SELECT next_seq FROM hub_groups WHERE id = :g", g=group_id)
        return int(n) - 1


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    with sqlite_hub(tmp_path_factory.mktemp("hub")) as (url, db):
        yield Hub(url, db)


def _join(hub: Hub, store: Store, group: str, role: str = "member") -> None:
    hubs.join_hub(store=store, hub_url=hub.url, code=make_invite(hub.db, group, role=role))


def test_two_laptops_work_apart_and_meet_in_one_state(hub: Hub, make_store: MakeStore) -> None:
    ann, bob = make_store("ann"), make_store("bob")
    groups.set_my_name(store=ann, name="Ann")
    group = create_group(hub.db, "Ashby Parish")
    _join(hub, ann, group, "organiser")
    _join(hub, bob, group)
    disc, _ = discussions.start_discussion(store=ann, group_id=group, title="Verges", body="Who?")
    note = notes.create_note(store=ann, group_id=group, title="Agenda", body="1. Verges\n")
    sync_group(ann, group)
    sync_group(bob, group)
    # Offline, both write: replies and lines in the same note.
    discussions.reply(store=ann, discussion_id=disc, body="The parish does")
    discussions.reply(store=bob, discussion_id=disc, body="The council does")
    notes.append_to_note(store=ann, note_id=note, line="2. Bins")
    notes.append_to_note(store=bob, note_id=note, line="3. Hall")
    for store in (ann, bob, ann):
        sync_group(store, group)
    assert dump(store=ann, group_id=group) == dump(store=bob, group_id=group)
    bodies = [p.body for p in discussions.thread(store=bob, discussion_id=disc)]
    assert {"The parish does", "The council does"} <= set(bodies)
    assert {"2. Bins", "3. Hall"} <= set(notes.get_note(store=ann, note_id=note).text.split("\n"))
    names = {m.display_name for m in members.list_members(store=bob, group_id=group)}
    assert "Ann" in names


def test_a_sync_with_nothing_new_is_one_small_round_trip(hub: Hub, make_store: MakeStore) -> None:
    ann = make_store("ann")
    group = create_group(hub.db, "Quiet group")
    _join(hub, ann, group)
    client = HubClient(hub.url, link_token(ann, group))
    result = sync_group(ann, group, client=client)
    assert (result.pushed, result.pulled, result.requests) == (0, 0, 1)
    assert result.bytes_sent + result.bytes_received < 1024


def test_wrong_used_or_expired_codes_are_refused(hub: Hub, make_store: MakeStore) -> None:
    ann, bob = make_store("ann"), make_store("bob")
    group = create_group(hub.db, "Allotments")
    with pytest.raises(NotPermitted, match="not known"):
        hubs.join_hub(store=ann, hub_url=hub.url, code="not-a-real-code-at-all")
    code = make_invite(hub.db, group, uses=1)
    hubs.join_hub(store=ann, hub_url=hub.url, code=code)
    head = hub.head(group)
    before = snapshot(bob)
    with pytest.raises(Refused, match="used up"):
        hubs.join_hub(store=bob, hub_url=hub.url, code=code)
    late = make_invite(hub.db, group)
    hub.query("UPDATE hub_invites SET expires_ms = 1 WHERE uses_left = 1")
    with pytest.raises(Refused, match="expired"):
        hubs.join_hub(store=bob, hub_url=hub.url, code=late)
    revoked = make_invite(hub.db, group)
    hub_cli(hub.db, "revoke", revoked)
    with pytest.raises(Refused, match="revoked"):
        hubs.join_hub(store=bob, hub_url=hub.url, code=revoked)
    assert hub.head(group) == head
    assert snapshot(bob) == before


def _hub_holds(hub: Hub, words: str) -> bool:
    return any(words in wire for (wire,) in hub.query("SELECT wire FROM hub_ops"))


def test_contact_details_erased_on_a_laptop_leave_the_hub_too(
    hub: Hub, make_store: MakeStore
) -> None:
    ann, bob, cat = make_store("ann"), make_store("bob"), make_store("cat")
    group = create_group(hub.db, "Allotments")
    _join(hub, ann, group, "organiser")
    _join(hub, bob, group)
    members.set_contact(store=bob, group_id=group, contact="07700 900123", consent="organisers")
    members.set_contact(store=bob, group_id=group, contact="bob@example.org", consent="members")
    sync_group(bob, group)
    assert _hub_holds(hub, "07700 900123")
    assert _hub_holds(hub, "bob@example.org")
    members.erase_contact(store=bob, group_id=group)
    sync_group(bob, group)
    assert not _hub_holds(hub, "07700 900123")
    assert not _hub_holds(hub, "bob@example.org")
    # A laptop joining afterwards gets the same group, and no copy of the details.
    _join(hub, cat, group)
    sync_group(ann, group)
    assert dump(store=cat, group_id=group) == dump(store=ann, group_id=group)
    with cat.read() as db:
        payloads = db.execute(
            "SELECT payload FROM ops WHERE kind = 'member' AND action = 'contact'"
        ).fetchall()
    assert [tuple(row) for row in payloads] == [(None,), (None,)]
    # Details given after the erasure are Bob's new ones, and stay.
    members.set_contact(store=bob, group_id=group, contact="bob@new.example", consent="members")
    sync_group(bob, group)
    assert _hub_holds(hub, "bob@new.example")


def _tokens(hub: Hub) -> int:
    [(count,)] = hub.query("SELECT COUNT(*) FROM hub_devices")
    return int(count)


def test_a_proof_signed_for_another_hub_or_an_hour_ago_opens_nothing(
    hub: Hub, make_store: MakeStore
) -> None:
    """What a laptop signed for one hub (one it was lured to, say) is no good at another."""
    ann = make_store("ann")
    group = create_group(hub.db, "Allotments")
    code = make_invite(hub.db, group, uses=1)
    registration = str(hub_cli(hub.db, "registration-code")["code"])
    client = HubClient(hub.url)
    here, elsewhere = client.info().device, DeviceIdentity.generate().device_id
    now, hour_ago = wall_ms(), wall_ms() - 3_600_000
    key, device = ann.identity.key, ann.device_id
    head, tokens = hub.head(group), _tokens(hub)

    def join(hub_key: str, stamp: int) -> Any:
        proof = sign(key, join_message(hub_key, client.base_url, code, stamp))
        return client.join(code=code, device=device, proof=proof, stamp_ms=stamp, name="Ann")

    with pytest.raises(NotPermitted, match="could not prove"):
        join(elsewhere, now)
    with pytest.raises(Refused, match="more than 10 minutes off"):
        join(here, hour_ago)
    with pytest.raises(NotPermitted, match="could not prove"):
        client.enrol(
            group,
            device=device,
            proof=sign(key, enrol_message(elsewhere, client.base_url, group, now)),
            stamp_ms=now,
        )
    offline_group = groups.create_group(store=ann, name="Started offline")
    membership = _membership(ann, offline_group)
    with pytest.raises(NotPermitted, match="could not prove"):
        _register(hub, ann, offline_group, registration, membership, signed_for=elsewhere)
    assert (hub.head(group), _tokens(hub)) == (head, tokens)
    # Neither the invitation's one use nor the registration code was spent.
    hubs.join_hub(store=ann, hub_url=hub.url, code=code)
    hubs.connect_hub(store=ann, group_id=offline_group, hub_url=hub.url, code=registration)


def test_a_proof_made_for_another_address_opens_nothing_at_a_hub_that_knows_its_own(
    hub: Hub, make_store: MakeStore
) -> None:
    """A lure that claims this hub's key, and passes on what a laptop signed for the
    lure, gets no token: the proof names the address the laptop dialled."""
    ann = make_store("ann")
    group = create_group(hub.db, "Allotments")
    code = make_invite(hub.db, group, uses=1)
    hub_key, lure = HubClient(hub.url).info().device, "http://lure.example"
    head, tokens = hub.head(group), _tokens(hub)

    def join(signed_for: str, sent: str) -> requests.Response:
        now = wall_ms()
        return requests.post(
            f"{hub.url}/v1/join",
            json={
                "code": code,
                "device": ann.device_id,
                "proof": sign(ann.identity.key, join_message(hub_key, signed_for, code, now)),
                "stamp_ms": now,
                "hub_url": sent,
            },
            headers=PROTOCOL_HEADERS,
            timeout=10,
        )

    passed_on = join(lure, lure)
    assert passed_on.status_code == 403
    assert f"reached at {hub.url}, not at {lure}" in passed_on.json()["detail"]
    assert passed_on.json()["error"] == Code.WRONG_HUB
    # The same hub under another name: the laptop is told where to connect instead.
    other_name = hub.url.replace("127.0.0.1", "localhost")
    expected = re.escape(f"reached at {hub.url}, not at {other_name};")
    with pytest.raises(NotPermitted, match=expected):
        hubs.join_hub(store=ann, hub_url=other_name + "/", code=code)
    assert (hub.head(group), _tokens(hub)) == (head, tokens)  # and the one use is not spent
    # The hub's own address in another spelling is the same address.
    assert join(hub.url, hub.url.upper() + "/").status_code == 200
    assert hub.head(group) > head


def _membership(store: Store, group: str) -> list[dict[str, Any]]:
    with store.read() as db:
        return [op.to_wire() for op in read_membership(db, store.sealer, group)]


def _register(
    hub: Hub,
    store: Store,
    group: str,
    code: str,
    membership: list[dict[str, Any]],
    *,
    signed_for: str | None = None,
) -> str:
    """POST /v1/register for ``store``'s laptop, its proof signed for ``signed_for``
    (by default the hub it is sent to)."""
    client = HubClient(hub.url)
    hub_key, now = signed_for or client.info().device, wall_ms()
    return client.register(
        code=code,
        group_id=group,
        name="Registered",
        device=store.device_id,
        proof=sign(
            store.identity.key, register_message(hub_key, client.base_url, group, code, now)
        ),
        stamp_ms=now,
        membership=membership,
    )


def test_only_an_organiser_can_connect_a_group_and_with_its_true_history(
    hub: Hub, make_store: MakeStore
) -> None:
    """A member with the group's whole history cannot take the group to a hub."""
    ann, bob = make_store("ann"), make_store("bob")
    group = groups.create_group(store=ann, name="Started offline")
    members.admit(store=ann, group_id=group, device=bob.device_id, role="member")
    deliver(ops_of(ann), bob)  # as a USB bundle would
    registration = str(hub_cli(hub.db, "registration-code")["code"])

    def register(membership: list[dict[str, Any]]) -> str:
        return _register(hub, bob, group, registration, membership)

    with pytest.raises(NotPermitted, match="may connect it to a hub") as refused:
        register(_membership(bob, group))
    assert refused.value.code == Code.NOT_ORGANISER
    # Bob's copy, edited to make him an organiser: Ann's signature no longer fits.
    forged = _membership(bob, group)
    [admission] = [w for w in forged if w["entity"] == bob.device_id]
    admission["payload"] = {**admission["payload"], "role": "organiser"}
    with pytest.raises(Refused, match="not valid"):
        register(forged)
    with pytest.raises(Refused, match="not valid"):
        register([*_membership(bob, group), {"id": "not an op"}])
    assert hub.query("SELECT COUNT(*) FROM hub_groups WHERE id = :g", g=group) == [(0,)]
    # The code was not spent: Ann, the organiser, connects the group with it.
    hubs.connect_hub(store=ann, group_id=group, hub_url=hub.url, code=registration)
    assert hub.head(group) == len(ops_of(ann))


def test_nobody_can_claim_an_offline_groups_id_on_a_hub_first(
    hub: Hub, make_store: MakeStore
) -> None:
    """Eve knows the id of Ann's offline group: founding a rival under it gets her nowhere."""
    ann, eve = make_store("ann"), make_store("eve")
    group = groups.create_group(store=ann, name="Started offline")
    [founding] = [op for op in ops_of(ann) if (op.kind, op.action) == ("group", "create")]
    assert founding.payload is not None
    registration = str(hub_cli(hub.db, "registration-code")["code"])

    def claim(payload: dict[str, Any]) -> str:
        rival = sign_op(
            eve.identity.key,
            op_id=group,
            group=group,
            device=eve.device_id,
            seq=1,
            prev=None,
            hlc=pack(wall_ms()),
            kind="group",
            entity=group,
            action="create",
            payload=payload,
        )
        return _register(hub, eve, group, registration, [rival.to_wire()])

    with pytest.raises(NotPermitted, match="may connect it to a hub") as refused:
        claim(dict(founding.payload))
    assert refused.value.code == Code.NOT_ORGANISER  # Ann's seed: the id is not Eve's
    unseeded = {k: v for k, v in founding.payload.items() if k != "seed"}
    with pytest.raises(Refused, match="older Moot"):
        claim(unseeded)
    hubs.connect_hub(store=ann, group_id=group, hub_url=hub.url, code=registration)
    assert hub.head(group) == len(ops_of(ann))


def test_a_laptop_of_one_group_cannot_read_or_write_another(
    hub: Hub, make_store: MakeStore
) -> None:
    ann, eve = make_store("ann"), make_store("eve")
    group_a, group_b = create_group(hub.db, "Group A"), create_group(hub.db, "Group B")
    _join(hub, ann, group_a)
    _join(hub, eve, group_b)
    head_a = hub.head(group_a)
    sneaky = HubClient(hub.url, link_token(eve, group_b))
    with pytest.raises(NotPermitted, match="not enrolled"):
        sneaky.pull(group_a, after=0, limit=10)
    mine = [op.to_wire() for op in ops_of(eve) if op.group == group_b]
    with pytest.raises(NotPermitted):
        sneaky.push(group_a, mine)
    assert hub.head(group_a) == head_a
    with pytest.raises(AuthRefused):
        HubClient(hub.url, "made-up-token").pull(group_a, after=0, limit=10)


def test_forged_replayed_and_far_future_ops_are_refused(hub: Hub, make_store: MakeStore) -> None:
    ann = make_store("ann")
    group = create_group(hub.db, "Hall")
    _join(hub, ann, group, "organiser")
    disc, _ = discussions.start_discussion(store=ann, group_id=group, title="Roof", body="Leaks")
    sync_group(ann, group)
    client = HubClient(hub.url, link_token(ann, group))
    head, before = hub.head(group), snapshot(ann)
    [post] = [op for op in ops_of(ann) if op.kind == "post"]

    replay = client.push(group, [post.to_wire()]).results[0]
    assert replay.status == "duplicate"

    forged = post.to_wire() | {"payload": {"discussion_id": disc, "body": "Roof is fine"}}
    assert client.push(group, [forged]).results[0].status == "rejected"
    bad_sig = post.to_wire() | {"id": "01a2ffff-0000-7000-8000-00000000abcd", "sig": "ab" * 64}
    assert client.push(group, [bad_sig]).results[0].status == "rejected"

    last = [op for op in ops_of(ann) if op.device == ann.device_id and op.group == group][-1]
    future = sign_op(
        ann.identity.key,
        op_id="01a2ffff-0000-7000-8000-00000000abce",
        group=group,
        device=ann.device_id,
        seq=last.seq + 1,
        prev=last.hash,
        hlc=pack(wall_ms() + 3 * 86_400_000),
        kind="post",
        entity="01a2ffff-0000-7000-8000-00000000abce",
        action="create",
        payload={"discussion_id": disc, "body": "From the future"},
    )
    answer = client.push(group, [future.to_wire()]).results[0]
    assert answer.status == "rejected"
    assert answer.code == Code.CLOCK_AHEAD
    assert "ahead" in str(answer.reason)
    assert hub.head(group) == head
    assert snapshot(ann) == before


def test_a_removed_member_stops_syncing_at_once(hub: Hub, make_store: MakeStore) -> None:
    ann, bob = make_store("ann"), make_store("bob")
    group = create_group(hub.db, "Tenants")
    _join(hub, ann, group, "organiser")
    _join(hub, bob, group)
    sync_group(ann, group)
    members.remove_member(store=ann, group_id=group, device=bob.device_id)
    sync_group(ann, group)
    with pytest.raises(NotPermitted, match="removed"):
        sync_group(bob, group)
    [state] = hubs.status(store=bob)
    assert state.last_error is not None
    assert state.last_error.code == Code.REMOVED
    assert "removed" in state.last_error.detail


def test_an_offline_group_connects_and_its_history_uploads(
    hub: Hub, make_store: MakeStore, tmp_path: Path
) -> None:
    ann, bob, cat = make_store("ann"), make_store("bob"), make_store("cat")
    group = groups.create_group(store=ann, name="Riverside Residents")
    disc, _ = discussions.start_discussion(store=ann, group_id=group, title="Flood", body="Again")
    # Bob was admitted offline, by bundle, before the group had a hub.
    export_bundle(store=ann, group_id=group, path=tmp_path / "b.moot", invite_role="member")
    import_bundle(store=bob, path=tmp_path / "b.moot")
    discussions.reply(store=bob, discussion_id=disc, body="Sandbags at the hall")
    export_bundle(store=bob, group_id=group, path=tmp_path / "back.moot")
    import_bundle(store=ann, path=tmp_path / "back.moot")

    code = _cli_code(hub, "registration-code")
    result = hubs.connect_hub(store=ann, group_id=group, hub_url=hub.url, code=code)
    assert result.pushed == len(ops_of(ann))
    assert result.rejected == 0
    # Cat joins with a hub invitation; Bob reaches the hub by proving his key.
    hubs.join_hub(store=cat, hub_url=hub.url, code=make_invite(hub.db, group))
    hubs.enrol_hub(store=bob, group_id=group, hub_url=hub.url)
    discussions.reply(store=cat, discussion_id=disc, body="I can help")
    for store in (cat, bob, ann):
        sync_group(store, group)
    assert dump(store=ann, group_id=group) == dump(store=bob, group_id=group)
    assert dump(store=cat, group_id=group) == dump(store=ann, group_id=group)
    other = groups.create_group(store=cat, name="Another group")
    with pytest.raises(Refused, match="used"):
        hubs.connect_hub(store=cat, group_id=other, hub_url=hub.url, code=code)


def _cli_code(hub: Hub, *args: str) -> str:
    return str(hub_cli(hub.db, *args)["code"])


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({"Moot-Protocol": "0"}, b"{}", 426),
        ({"Moot-Protocol": "9"}, b"{}", 426),
        ({}, b"{}", 426),
        ({**PROTOCOL_HEADERS, "Content-Type": "application/json"}, b"{not json", 422),
        ({**PROTOCOL_HEADERS, "Content-Type": "application/json"}, b'{"code": 5}', 422),
        (
            {**PROTOCOL_HEADERS, "Content-Type": "application/json", "Content-Encoding": "gzip"},
            b"not gzip",
            400,
        ),
        (
            {**PROTOCOL_HEADERS, "Content-Type": "application/json", "Content-Encoding": "gzip"},
            gzip.compress(b" " * (20 * 1024 * 1024)),
            413,
        ),
    ],
)
def test_malformed_requests_get_a_clear_4xx(
    hub: Hub, headers: dict[str, str], body: bytes, status: int
) -> None:
    answer = requests.post(f"{hub.url}/v1/join", data=body, headers=headers, timeout=30)
    assert answer.status_code == status
    assert answer.json()["detail"]


def test_an_old_client_is_told_to_update(hub: Hub) -> None:
    answer = requests.get(f"{hub.url}/v1/hub", headers={"Moot-Protocol": "0"}, timeout=10)
    assert answer.status_code == 426
    assert "update Moot" in answer.json()["detail"]


def test_the_openapi_document_is_published(hub: Hub) -> None:
    doc = requests.get(f"{hub.url}/v1/openapi.json", timeout=10).json()
    assert "/v1/groups/{group_id}/ops" in doc["paths"]
    assert json.dumps(doc)


def test_a_join_or_registration_whose_answer_was_lost_can_be_repeated(
    hub: Hub, make_store: MakeStore
) -> None:
    ann, bob = make_store("ann"), make_store("bob")
    group = create_group(hub.db, "Lost answers")
    code = make_invite(hub.db, group, uses=1)
    hubs.join_hub(store=ann, hub_url=hub.url, code=code)
    again = hubs.join_hub(store=ann, hub_url=hub.url, code=code)  # the same laptop: fine
    assert again.group_id == group
    with pytest.raises(Refused, match="used up"):  # another laptop: the one use is gone
        hubs.join_hub(store=bob, hub_url=hub.url, code=code)

    offline = groups.create_group(store=bob, name="Started offline")
    registration = _cli_code(hub, "registration-code")
    hubs.connect_hub(store=bob, group_id=offline, hub_url=hub.url, code=registration)
    repeat = hubs.connect_hub(store=bob, group_id=offline, hub_url=hub.url, code=registration)
    assert repeat.rejected == 0
    sync_group(bob, offline)


@pytest.mark.parametrize(
    "change",
    [
        {"id": "\ud800"},
        {"kind": "\ud800"},
        {"entity": "x\x00y"},
        {"id": "a" * 5000},
        {"prev": "not-a-hash"},
        {"seq": 2**70},
        "not an op",
    ],
)
def test_odd_ops_are_refused_one_by_one_never_with_a_500(
    hub: Hub, make_store: MakeStore, change: object
) -> None:
    ann = make_store("ann")
    group = create_group(hub.db, "Odd ops")
    _join(hub, ann, group)
    discussions.start_discussion(store=ann, group_id=group, title="t", body="b")
    [op] = [o for o in ops_of(ann) if o.kind == "post"]
    wire = op.to_wire() | change if isinstance(change, dict) else change
    answer = requests.post(
        f"{hub.url}/v1/groups/{group}/ops",
        data=json.dumps({"ops": [wire]}),
        headers={
            **PROTOCOL_HEADERS,
            "Content-Type": "application/json",
            "Authorization": f"Bearer {link_token(ann, group)}",
        },
        timeout=30,
    )
    assert answer.status_code < 500
    if answer.status_code == 200:
        assert answer.json()["results"][0]["status"] == "rejected"


def test_an_op_twice_in_one_push_is_taken_once(hub: Hub, make_store: MakeStore) -> None:
    ann = make_store("ann")
    group = create_group(hub.db, "Twice")
    _join(hub, ann, group)
    discussions.start_discussion(store=ann, group_id=group, title="Hedges", body="Tall")
    mine = [o.to_wire() for o in ops_of(ann) if o.device == ann.device_id and o.group == group]
    head = hub.head(group)
    answers = HubClient(hub.url, link_token(ann, group)).push(group, [*mine, mine[-1]]).results
    first, again = answers[-2:]
    assert first.status == "accepted"
    assert (again.status, again.retry) == ("rejected", False)
    assert hub.head(group) == head + len(mine)


def test_an_authors_ops_far_apart_in_one_push_are_each_checked_against_the_log(
    hub: Hub, make_store: MakeStore
) -> None:
    ann = make_store("ann")
    group = create_group(hub.db, "Far apart")
    _join(hub, ann, group)
    for n in range(40):
        discussions.start_discussion(store=ann, group_id=group, title=f"Topic {n}", body="b")
    mine = sorted(
        (o for o in ops_of(ann) if o.device == ann.device_id and o.group == group),
        key=lambda o: o.seq,
    )
    assert mine[-5].seq - mine[4].seq > service.KNOWN_GAP  # read as two ranges
    client = HubClient(hub.url, link_token(ann, group))
    first = client.push(group, [o.to_wire() for o in mine[:5] + mine[-5:]]).results
    assert all(r.status in ("accepted", "duplicate") for r in first[:5])
    assert all((r.status, r.retry) == ("rejected", True) for r in first[5:])
    everything = client.push(group, [o.to_wire() for o in mine]).results
    assert all(r.status in ("accepted", "duplicate") for r in everything)
    head = hub.head(group)
    # The same number as an op far along the chain, but other words: a fork.
    held = mine[-1]
    assert held.payload is not None
    fork_id = uuid7()
    fork = sign_op(
        ann.identity.key,
        op_id=fork_id,
        group=group,
        device=ann.device_id,
        seq=held.seq,
        prev=held.prev,
        hlc=held.hlc + 1,
        kind=held.kind,
        entity=fork_id,  # a post it creates
        action=held.action,
        payload={**held.payload, "body": "Something else"},
    )
    again, forked = client.push(group, [mine[0].to_wire(), fork.to_wire()]).results
    assert again.status == "duplicate"
    assert (forked.status, forked.retry) == ("rejected", False)
    assert forked.code == Code.BAD_CHAIN
    assert "two different ops" in str(forked.reason)
    assert hub.head(group) == head


def test_a_member_gets_only_so_many_changes_that_do_not_count_kept(
    hub: Hub, make_store: MakeStore
) -> None:
    """Kept, they would wait on every laptop for ever: a flood of them is refused."""
    bob = make_store("bob")
    group = create_group(hub.db, "Flood")
    _join(hub, bob, group)  # a member: renaming the group is for organisers
    last = [o for o in ops_of(bob) if o.device == bob.device_id and o.group == group]
    seq, prev = (last[-1].seq, last[-1].hash) if last else (0, None)
    renames = []
    for n in range(service.MAX_VOID_KEPT + 1):
        op = sign_op(
            bob.identity.key,
            op_id=uuid7(),
            group=group,
            device=bob.device_id,
            seq=seq + 1,
            prev=prev,
            hlc=pack(wall_ms()) + n,
            kind="group",
            entity=group,
            action="update",
            payload={"name": f"Bob's {n}"},
        )
        renames.append(op.to_wire())
        seq, prev = op.seq, op.hash
    answers = HubClient(hub.url, link_token(bob, group)).push(group, renames).results
    statuses = [a.status for a in answers]
    assert statuses == ["accepted"] * service.MAX_VOID_KEPT + ["rejected"]
    assert answers[-1].code == Code.NOT_ORGANISER
    assert "only organisers" in str(answers[-1].reason)


def test_a_group_id_of_odd_characters_gets_a_4xx(hub: Hub) -> None:
    for group in ("%00", "x" * 300):
        answer = requests.post(
            f"{hub.url}/v1/groups/{group}/enrol",
            json={"device": "a" * 64, "proof": "b" * 128, "stamp_ms": wall_ms()},
            headers=PROTOCOL_HEADERS,
            timeout=30,
        )
        assert 400 <= answer.status_code < 500


def test_a_pull_in_many_pages_stops_cleanly_on_a_refused_page_and_resumes(
    hub: Hub, make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, bob = make_store("ann"), make_store("bob")
    group = create_group(hub.db, "Paged group")
    _join(hub, ann, group, "organiser")
    disc, _ = discussions.start_discussion(store=ann, group_id=group, title="Paths", body="Mud")
    for i in range(12):
        discussions.reply(store=ann, discussion_id=disc, body=f"Reply {i}")
    sync_group(ann, group)
    monkeypatch.setattr(engine, "PAGE", 4)
    real_ingest = engine.ingest
    calls = 0

    def refuse_the_second_page(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise InvalidOp("a page this laptop refuses")
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(engine, "ingest", refuse_the_second_page)
    with pytest.raises(HubFailed, match="refuses"):
        _join(hub, bob, group)  # the next page was being fetched: no hang, a clear error
    with bob.read() as db:
        link = hub_links.get_link(db, bob.sealer, group)
    assert link is not None
    assert link.cursor == 4  # the first page is kept, the second not
    result = sync_group(bob, group)
    assert result.pulled == hub.head(group) - 4
    sync_group(ann, group)  # the hub's op admitting bob
    assert dump(store=bob, group_id=group) == dump(store=ann, group_id=group)
