"""Contact details: sealed on disk, shown only as consented, erasable on every laptop."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from app.dump import dump
from app.errors import NotAllowed
from app.services import groups, members
from app.settings import DB_FILE
from app.store import Store
from app.writer import writing
from tests.support import deliver, ops_of

MakeStore = Callable[[str], Store]
PHONE = "07700 900123, 4 Mill Lane"


def _group_of_three(make_store: MakeStore) -> tuple[str, Store, Store, Store]:
    alice, bob, carol = make_store("alice"), make_store("bob"), make_store("carol")
    group = groups.create_group(store=alice, name="Tenants")
    members.admit(store=alice, group_id=group, device=bob.device_id, display_name="Bob")
    members.admit(store=alice, group_id=group, device=carol.device_id, display_name="Carol")
    for other in (bob, carol):
        deliver(ops_of(alice), other)
    return group, alice, bob, carol


def _contact_seen(viewer: Store, group: str, device: str) -> str | None:
    seen = {m.device: m.contact for m in members.list_members(store=viewer, group_id=group)}
    return seen[device]


def test_contact_details_are_shown_only_as_the_member_consented(make_store: MakeStore) -> None:
    group, alice, bob, carol = _group_of_three(make_store)
    members.set_contact(store=bob, group_id=group, contact=PHONE, consent="organisers")
    for other in (alice, carol):
        deliver(ops_of(bob), other)
    assert _contact_seen(bob, group, bob.device_id) == PHONE  # one's own, always
    assert _contact_seen(alice, group, bob.device_id) == PHONE  # an organiser
    assert _contact_seen(carol, group, bob.device_id) is None  # another member
    members.set_contact(store=bob, group_id=group, contact=PHONE, consent="members")
    deliver(ops_of(bob), carol)
    assert _contact_seen(carol, group, bob.device_id) == PHONE


def test_contact_details_are_sealed_in_the_database_file(make_store: MakeStore) -> None:
    group, alice, bob, _ = _group_of_three(make_store)
    members.set_contact(store=bob, group_id=group, contact=PHONE, consent="members")
    deliver(ops_of(bob), alice)
    for store in (alice, bob):
        for name in (DB_FILE, DB_FILE + "-wal"):
            path = store.settings.data_dir / name
            assert not path.exists() or b"07700 900123" not in path.read_bytes()
        assert _contact_seen(store, group, bob.device_id) == PHONE


def test_erasure_reaches_every_laptop_and_the_log(make_store: MakeStore) -> None:
    group, alice, bob, carol = _group_of_three(make_store)
    members.set_contact(store=bob, group_id=group, contact=PHONE, consent="members")
    deliver(ops_of(bob), alice)  # Carol has not had it yet
    members.erase_contact(store=bob, group_id=group)
    erasure = [op for op in ops_of(bob) if op.action == "erase"]
    deliver(erasure, carol)  # the erasure reaches Carol before the details do
    deliver(ops_of(alice), carol)
    deliver(ops_of(bob), alice)
    for store in (alice, bob, carol):
        [bob_row] = [
            m
            for m in json.loads(dump(store=store, group_id=group))["members"]
            if m["device"] == bob.device_id
        ]
        assert bob_row["contact"] == ""
        contact_ops = [op for op in ops_of(store) if (op.kind, op.action) == ("member", "contact")]
        assert contact_ops
        assert all(op.payload is None for op in contact_ops)
    assert dump(store=alice, group_id=group) == dump(store=carol, group_id=group)
    # Newer details after an erasure stand.
    members.set_contact(store=bob, group_id=group, contact="bob@example.org", consent="members")
    deliver(ops_of(bob), carol)
    assert _contact_seen(carol, group, bob.device_id) == "bob@example.org"
    state = json.loads(dump(store=carol, group_id=group))
    assert {m["contact"] for m in state["members"]} >= {"bob@example.org"}


def test_nobody_erases_or_sets_anothers_details(make_store: MakeStore) -> None:
    group, alice, bob, carol = _group_of_three(make_store)
    members.set_contact(store=bob, group_id=group, contact=PHONE, consent="members")
    deliver(ops_of(bob), carol)
    deliver(ops_of(bob), alice)
    for store in (carol, alice):  # a member, and even an organiser
        for action, fields in (("erase", {}), ("contact", {"contact": "x", "consent": "members"})):
            with pytest.raises(NotAllowed), writing(store) as w:
                w.emit(group, "member", bob.device_id, action, fields)
    assert _contact_seen(carol, group, bob.device_id) == PHONE
