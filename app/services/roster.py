"""A group's member list as the members page and ``moot member list`` show it, in one read.

One snapshot, so the list, this member's role (which decides whose contact details
show) and their own profile agree even while a sync commits beside the read.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.services.members import MemberView, MyProfile, members_in, profile_in, role_in
from app.store import Store


@dataclass(frozen=True)
class Roster:
    members: list[MemberView]
    my_role: str
    profile: MyProfile | None  # None where this laptop is not a member


def read_roster(*, store: Store, group_id: str) -> Roster:
    me = store.device_id
    with store.read() as db:
        return Roster(
            members=members_in(db, store.sealer, me, group_id),
            my_role=role_in(db, group_id, me),
            profile=profile_in(db, store.sealer, me, group_id),
        )
