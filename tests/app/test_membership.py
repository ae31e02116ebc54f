"""Who may write: admission, roles, removal and invitations, enforced on every replica."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from app.dump import dump
from app.errors import NotAllowed
from app.services import discussions, groups, members
from app.store import Store
from tests.support import deliver, ops_of

MakeStore = Callable[[str], Store]


def _posts(store: Store, group: str) -> set[str]:
    return {p["body"] for p in json.loads(dump(store=store, group_id=group))["posts"]}


def test_a_laptop_not_admitted_can_read_but_not_write(make_store: MakeStore) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    group = groups.create_group(store=alice, name="Allotments")
    disc, _ = discussions.start_discussion(store=alice, group_id=group, title="Water", body="Tap?")
    deliver(ops_of(alice), bob)
    assert [d.title for d in discussions.list_discussions(store=bob, group_id=group)] == ["Water"]
    with pytest.raises(NotAllowed, match="organiser has not admitted it"):
        discussions.reply(store=bob, discussion_id=disc, body="Mine too")
    assert _posts(bob, group) == {"Tap?"}


def test_an_op_that_arrives_before_its_authors_admission_waits_for_it(
    make_store: MakeStore,
) -> None:
    alice, bob, carol = make_store("alice"), make_store("bob"), make_store("carol")
    group = groups.create_group(store=alice, name="Allotments")
    disc, _ = discussions.start_discussion(store=alice, group_id=group, title="Water", body="Tap?")
    members.admit(store=alice, group_id=group, device=bob.device_id)
    deliver(ops_of(alice), bob)
    discussions.reply(store=bob, discussion_id=disc, body="Fixed it")
    # Carol gets Bob's reply (and the ops it needs) before Alice's admission of Bob.
    bob_ops = [op for op in ops_of(bob) if op.device == bob.device_id]
    early = [op for op in ops_of(alice) if op.kind != "member"]
    deliver(early + bob_ops, carol)
    assert _posts(carol, group) == {"Tap?"}
    deliver(ops_of(alice), carol)
    assert _posts(carol, group) == {"Tap?", "Fixed it"}
    assert dump(store=carol, group_id=group) == dump(store=bob, group_id=group)


def test_a_removed_member_keeps_earlier_words_but_later_ones_have_no_effect(
    make_store: MakeStore,
) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    group = groups.create_group(store=alice, name="Allotments")
    disc, _ = discussions.start_discussion(store=alice, group_id=group, title="Water", body="Tap?")
    members.admit(store=alice, group_id=group, device=bob.device_id)
    deliver(ops_of(alice), bob)
    discussions.reply(store=bob, discussion_id=disc, body="Before")
    deliver(ops_of(bob), alice)
    members.remove_member(store=alice, group_id=group, device=bob.device_id)
    # Bob, offline, has not heard; he writes later than the removal was made.
    bob.clock.observe(alice.clock.now())
    discussions.reply(store=bob, discussion_id=disc, body="After")
    deliver(ops_of(bob), alice)
    deliver(ops_of(alice), bob)
    assert _posts(alice, group) == {"Tap?", "Before"}
    assert dump(store=alice, group_id=group) == dump(store=bob, group_id=group)
    with pytest.raises(NotAllowed):
        discussions.reply(store=bob, discussion_id=disc, body="Again")


def test_only_organisers_moderate(make_store: MakeStore) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    group = groups.create_group(store=alice, name="Allotments")
    disc, first = discussions.start_discussion(store=alice, group_id=group, title="W", body="T")
    members.admit(store=alice, group_id=group, device=bob.device_id, role="member")
    deliver(ops_of(alice), bob)
    with pytest.raises(NotAllowed, match="Only organisers"):
        discussions.update_discussion(store=bob, discussion_id=disc, pinned=True)
    with pytest.raises(NotAllowed, match="Only its author"):
        discussions.edit_post(store=bob, post_id=first, body="rewritten")
    with pytest.raises(NotAllowed):
        members.admit(store=bob, group_id=group, device=bob.device_id, role="organiser")
    discussions.update_discussion(store=alice, discussion_id=disc, pinned=True)
    assert discussions.list_discussions(store=alice, group_id=group)[0].pinned


def test_an_invitation_is_used_once_and_the_earlier_redemption_wins_everywhere(
    make_store: MakeStore,
) -> None:
    alice, bob, carol = make_store("alice"), make_store("bob"), make_store("carol")
    group = groups.create_group(store=alice, name="Allotments")
    invitation = members.create_invitation(store=alice, group_id=group, role="clerk")
    deliver(ops_of(alice), bob)
    deliver(ops_of(alice), carol)
    # Both redeem offline; Bob's redemption is stamped first.
    members.redeem_invitation(store=bob, invitation=invitation)
    # In the same millisecond the two stamps would tie, and the device ids decide.
    time.sleep(0.005)
    members.redeem_invitation(store=carol, invitation=invitation)
    assert members.my_role(store=carol, group_id=group) == "clerk"
    deliver(ops_of(carol), alice)
    assert members.my_role(store=carol, group_id=group) == "clerk"
    deliver(ops_of(bob), alice)  # the earlier one arrives later: Carol's use is void
    for store in (alice, bob, carol):
        deliver(ops_of(alice), store)
    roles = {m.device: m.role for m in members.list_members(store=alice, group_id=group)}
    assert roles.get(bob.device_id) == "clerk"
    assert carol.device_id not in roles
    assert dump(store=bob, group_id=group) == dump(store=carol, group_id=group)


def test_a_revoked_or_wrong_invitation_is_refused(make_store: MakeStore) -> None:
    alice, bob = make_store("alice"), make_store("bob")
    group = groups.create_group(store=alice, name="Allotments")
    invitation = members.create_invitation(store=alice, group_id=group)
    members.revoke_invitation(store=alice, group_id=group, invite_id=invitation.invite_id)
    deliver(ops_of(alice), bob)
    with pytest.raises(NotAllowed, match="revoked"):
        members.redeem_invitation(store=bob, invitation=invitation)
    fresh = members.create_invitation(store=alice, group_id=group)
    deliver(ops_of(alice), bob)
    wrong = members.Invitation(group, fresh.invite_id, "not-the-token", "member")
    with pytest.raises(NotAllowed, match="code is wrong"):
        members.redeem_invitation(store=bob, invitation=wrong)
    assert members.my_role(store=bob, group_id=group) == "removed"
