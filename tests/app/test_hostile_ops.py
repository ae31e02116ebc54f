"""Ops a modified client might write: each is refused or has no effect, on every replica."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from app.errors import InvalidOp
from app.invite_proof import prove
from app.ops import verify_runs
from app.services import discussions, groups, members, notes
from app.store import Store
from app.text_crdt import edit_update
from tests.support import deliver, forge, ops_of, snapshot

MakeStore = Callable[[str], Store]


def _roles(store: Store, group: str) -> dict[str, str]:
    return {m.device: m.role for m in members.list_members(store=store, group_id=group)}


def test_a_copied_invitation_proof_lets_nobody_else_in(make_store: MakeStore) -> None:
    alice, xavier, zed = make_store("alice"), make_store("xavier"), make_store("zed")
    group = groups.create_group(store=alice, name="Hall committee")
    invitation = members.create_invitation(store=alice, group_id=group, role="organiser")
    for other in (xavier, zed):
        deliver(ops_of(alice), other)
    members.redeem_invitation(store=xavier, invitation=invitation)
    [redeem] = [op for op in ops_of(xavier) if op.action == "redeem"]
    # Zed copies Xavier's proof and stamps his own redemption earlier.
    stolen = forge(
        zed,
        group,
        "invite",
        invitation.invite_id,
        "redeem",
        dict(redeem.fields),
        hlc=redeem.hlc - 1,
    )
    deliver([redeem, stolen], alice)
    roles = _roles(alice, group)
    assert roles.get(xavier.device_id) == "organiser"
    assert zed.device_id not in roles


def test_a_revocation_is_not_reopened_by_a_second_one(make_store: MakeStore) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    group = groups.create_group(store=alice, name="Hall committee")
    invitation = members.create_invitation(store=alice, group_id=group)
    members.revoke_invitation(store=alice, group_id=group, invite_id=invitation.invite_id)
    deliver(ops_of(alice), bob)
    # Bob redeems after the first revocation; a second revocation follows.
    late = forge(
        bob,
        group,
        "invite",
        invitation.invite_id,
        "redeem",
        {"proof": prove(invitation.token, invitation.invite_id, bob.device_id)},
    )
    members.revoke_invitation(store=alice, group_id=group, invite_id=invitation.invite_id)
    deliver([late], alice)
    assert bob.device_id not in _roles(alice, group)


@pytest.mark.parametrize(
    ("kind", "action", "payload"),
    [
        ("note", "edit", {"update": "////"}),  # a corrupt text update
        (
            "poll",
            "create",
            {
                "discussion_id": "d",
                "question": "q",
                "options": ["a", "b"],
                "multiple": False,
                "closes_ms": 2**64,
            },
        ),  # beyond SQLite's ints
        ("discussion", "create", {"title": "t", "category_id": "c"}),  # id not its op's
    ],
)
def test_malformed_ops_are_refused_and_change_nothing(
    make_store: MakeStore, kind: str, action: str, payload: dict[str, Any]
) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    group = groups.create_group(store=alice, name="Hall committee")
    members.admit(store=alice, group_id=group, device=bob.device_id)
    deliver(ops_of(alice), bob)
    bad = forge(bob, group, kind, "not-its-op-id", action, payload)
    before = snapshot(alice)
    with pytest.raises(InvalidOp):
        deliver([bad], alice)
    assert snapshot(alice) == before


def test_note_text_in_another_devices_name_is_refused(make_store: MakeStore) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    group = groups.create_group(store=alice, name="Hall committee")
    note = notes.create_note(store=alice, group_id=group, title="Minutes", body="Opened\n")
    members.admit(store=alice, group_id=group, device=bob.device_id)
    deliver(ops_of(alice), bob)
    update = edit_update(None, "forged\n", device=alice.device_id)
    with pytest.raises(InvalidOp, match="another device's name"):
        deliver([forge(bob, group, "note", note, "edit", {"update": update})], alice)


def test_an_op_cannot_reach_into_another_group(make_store: MakeStore) -> None:
    alice, mallory = make_store("alice"), make_store("mallory")
    group_a = groups.create_group(store=alice, name="Group A")
    _, post = discussions.start_discussion(store=alice, group_id=group_a, title="t", body="mine")
    group_b = groups.create_group(store=mallory, name="Group B")
    deliver(ops_of(alice), mallory)
    # Mallory, organiser of her own group, names Alice's post; both groups in one batch.
    deliver(
        [
            *ops_of(alice),
            *ops_of(mallory),
            forge(mallory, group_b, "post", post, "update", {"deleted": True}),
        ],
        alice,
    )
    [view] = discussions.thread(
        store=alice, discussion_id=discussions.list_discussions(store=alice, group_id=group_a)[0].id
    )
    assert view.body == "mine"


def test_a_relay_cannot_swap_a_signature_inside_a_chain(make_store: MakeStore) -> None:
    alice = make_store("alice")
    group = groups.create_group(store=alice, name="Hall committee")
    ops = [op for op in ops_of(alice) if op.group == group]
    swapped = dataclasses.replace(ops[0], sig="0" * 128)
    with pytest.raises(InvalidOp):
        verify_runs([swapped, *ops[1:]], {})


def test_one_device_cannot_reuse_a_stamp_across_batches(make_store: MakeStore) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    group = groups.create_group(store=alice, name="Hall committee")
    deliver(ops_of(alice), bob)
    last = ops_of(alice)[-1]
    twin_stamp = forge(alice, group, "group", group, "update", {"name": "Renamed"}, hlc=last.hlc)
    with pytest.raises(InvalidOp, match="stamped earlier"):
        deliver([twin_stamp], bob)
    assert groups.get_group(store=bob, group_id=group).name == "Hall committee"


def test_an_op_stripped_of_its_content_is_refused(make_store: MakeStore) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    group = groups.create_group(store=alice, name="Hall committee")
    members.admit(store=alice, group_id=group, device=bob.device_id)
    members.remove_member(store=alice, group_id=group, device=bob.device_id)
    [removal] = [op for op in ops_of(alice) if op.fields.get("role") == "removed"]
    stripped = dataclasses.replace(removal, payload=None)
    with pytest.raises(InvalidOp, match="without its content"):
        deliver([*[op for op in ops_of(alice) if op.id != removal.id], stripped], bob)


def test_a_group_founded_under_someone_elses_id_takes_no_effect(make_store: MakeStore) -> None:
    """A group's id comes from its founder's key: a copied founding op founds nothing."""
    ann, eve, cat = make_store("ann"), make_store("eve"), make_store("cat")
    group = groups.create_group(store=ann, name="Allotments")
    [founding] = [op for op in ops_of(ann) if (op.kind, op.action) == ("group", "create")]
    assert founding.payload is not None
    rival = forge(eve, group, "group", group, "create", dict(founding.payload), op_id=group)
    deliver([rival], cat)
    assert groups.list_groups(store=cat) == []
    dan = make_store("dan")
    deliver(ops_of(ann), dan)
    assert [g.id for g in groups.list_groups(store=dan)] == [group]
