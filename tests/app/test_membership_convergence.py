"""Membership in the op log: admissions, removals and invitations merge order-independently.

Organisers admit, remove and re-admit members and hand out invitations while members
keep writing offline; two newcomers may redeem the same invitation at once. Ops reach
replicas in random orders, some before the admission of their author. Every replica
must end in the same state, the one a rebuild from the log gives, where an invitation
is used at most once and a removed member's later writing has no effect.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.apply import rebuild_group
from app.dump import dump
from app.errors import MootError
from app.services import discussions, groups, members
from app.services.members import Invitation
from app.store import Store, open_store
from tests.support import deliver, deliver_shuffled, ops_of, sync_all


def _setup(stores: list[Store]) -> tuple[str, str]:
    founder = stores[0]
    group = groups.create_group(store=founder, name="Ward 7")
    disc, _ = discussions.start_discussion(
        store=founder, group_id=group, title="Welcome", body="Say hello"
    )
    members.admit(store=founder, group_id=group, device=stores[1].device_id, role="organiser")
    members.admit(store=founder, group_id=group, device=stores[2].device_id, role="member")
    for other in stores[1:]:
        deliver(ops_of(founder), other)
    return group, disc


@settings(
    max_examples=int(os.environ.get("MOOT_CONVERGENCE_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    steps=st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 7), st.floats(0.0, 1.0)),
        min_size=5,
        max_size=40,
    ),
)
def test_membership_converges(seed: int, steps: list[tuple[int, int, float]]) -> None:
    rnd = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        # 0 and 1 organisers, 2 a member, 3 and 4 outsiders who may join by invitation.
        stores = [open_store(Path(tmp) / f"r{i}", use_keyring=False) for i in range(5)]
        try:
            group, disc = _setup(stores)
            invitations: list[Invitation] = []
            for who, action, share in steps:
                store = stores[who]
                with contextlib.suppress(MootError):  # a refusal writes nothing
                    _act(store, stores, group, disc, invitations, action, share, rnd)
            sync_all(stores, rnd)
            _check(stores, group)
        finally:
            for store in stores:
                store.close()


def _act(
    store: Store,
    stores: list[Store],
    group: str,
    disc: str,
    invitations: list[Invitation],
    action: int,
    share: float,
    rnd: random.Random,
) -> None:
    if action <= 1:
        discussions.reply(store=store, discussion_id=disc, body=f"note {rnd.random():.6f}")
    elif action == 2:
        target = rnd.choice(stores[1:]).device_id
        role = rnd.choice(["member", "clerk", "organiser"])
        members.admit(store=store, group_id=group, device=target, role=role)
    elif action == 3:
        target = rnd.choice(stores[1:]).device_id
        members.remove_member(store=store, group_id=group, device=target)
    elif action == 4:
        invitations.append(members.create_invitation(store=store, group_id=group))
    elif action == 5 and invitations:
        members.redeem_invitation(store=store, invitation=rnd.choice(invitations))
    elif action == 6 and invitations:
        inv = rnd.choice(invitations)
        members.revoke_invitation(store=store, group_id=group, invite_id=inv.invite_id)
    else:
        other = rnd.choice([s for s in stores if s is not store])
        deliver_shuffled(store, other, rnd, share=share)


def _check(stores: list[Store], group: str) -> None:
    dumps = [dump(store=s, group_id=group) for s in stores]
    state = json.loads(dumps[0])
    for other in dumps[1:]:
        theirs = json.loads(other)
        differ = {k: (state[k], theirs[k]) for k in state if state[k] != theirs[k]}
        assert not differ, f"replicas disagree after seeing the same ops: {differ}"
    with stores[0].write() as db:
        rebuild_group(db, group, stores[0].sealer)
    assert dump(store=stores[0], group_id=group) == dumps[0], "incremental merge != rebuild"
