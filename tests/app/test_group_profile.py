"""Going by a new name everywhere, and counting a group's people."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.errors import InvalidInput
from app.services import groups, members
from app.store import Store


def _my_display_name(store: Store, group_id: str) -> str:
    me = [
        m
        for m in members.list_members(store=store, group_id=group_id)
        if m.device == store.device_id
    ]
    return me[0].display_name


def test_a_new_name_shows_in_every_group_i_write_in(store: Store) -> None:
    groups.set_my_name(store=store, name="Ann")
    first = groups.create_group(store=store, name="Ashby Parish")
    second = groups.create_group(store=store, name="Allotments")
    changed = groups.rename_me(store=store, name="  Ann Clarke ")
    assert sorted(changed) == sorted([first, second])
    assert groups.my_name(store=store) == "Ann Clarke"
    assert _my_display_name(store, first) == "Ann Clarke"
    assert _my_display_name(store, second) == "Ann Clarke"
    # The same name again writes nothing.
    assert groups.rename_me(store=store, name="Ann Clarke") == []


def test_a_blank_name_is_refused_and_changes_nothing(store: Store) -> None:
    groups.set_my_name(store=store, name="Ann")
    group = groups.create_group(store=store, name="Ashby Parish")
    with pytest.raises(InvalidInput):
        groups.rename_me(store=store, name="   ")
    assert groups.my_name(store=store) == "Ann"
    assert _my_display_name(store, group) == "Ann"


def test_member_count_leaves_out_removed_members(
    make_store: Callable[[str], Store],
) -> None:
    ann, bob = make_store("ann"), make_store("bob")
    group = groups.create_group(store=ann, name="Ashby Parish")
    assert groups.member_count(store=ann, group_id=group) == 1
    members.admit(store=ann, group_id=group, device=bob.device_id, display_name="Bob")
    assert groups.member_count(store=ann, group_id=group) == 2
    members.remove_member(store=ann, group_id=group, device=bob.device_id)
    assert groups.member_count(store=ann, group_id=group) == 1
