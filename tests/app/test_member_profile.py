"""A member's own profile, contact details and roles, as the members page uses them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.errors import InvalidInput, NotAllowed, NotFound
from app.services import groups, members
from app.store import Store
from tests.support import deliver, ops_of

MakeStore = Callable[[str], Store]


def test_my_profile_reads_back_what_was_saved(store: Store) -> None:
    group = groups.create_group(store=store, name="Allotments")
    members.update_profile(
        store=store, group_id=group, display_name="Ann", bio="Plot 4", interests=["Bees"]
    )
    members.set_contact(store=store, group_id=group, contact="01234 567", consent="members")
    profile = members.my_profile(store=store, group_id=group)
    assert profile == members.MyProfile("Ann", "Plot 4", ["Bees"], "01234 567", "members")
    members.erase_contact(store=store, group_id=group)
    assert members.my_profile(store=store, group_id=group).contact == ""


def test_interests_are_split_and_checked() -> None:
    assert members.parse_interests("Bees, planning\nbees,  ,Hedges") == [
        "Bees",
        "planning",
        "Hedges",
    ]
    with pytest.raises(InvalidInput, match="interest is too long"):
        members.parse_interests("x" * 400)


def test_an_organiser_changes_a_role_and_others_cannot(make_store: MakeStore) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    group = groups.create_group(store=alice, name="Allotments")
    members.admit(store=alice, group_id=group, device=bob.device_id)
    members.change_role(store=alice, group_id=group, device=bob.device_id, role="clerk")
    assert members.my_role(store=alice, group_id=group) == "organiser"
    roles = {m.device: m.role for m in members.list_members(store=alice, group_id=group)}
    assert roles[bob.device_id] == "clerk"
    deliver(ops_of(alice), bob)
    with pytest.raises(NotAllowed):
        members.change_role(store=bob, group_id=group, device=alice.device_id, role="member")
    with pytest.raises(NotFound):
        members.change_role(store=alice, group_id=group, device="c" * 64, role="member")
