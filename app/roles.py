"""The roles a member may hold in a group, and how they rank."""

from __future__ import annotations

from app.codes import Code, Refusal

ROLES = ("member", "clerk", "organiser")
ROLE_RANK = {"removed": 0, "member": 1, "clerk": 2, "organiser": 3}
# The least role a kind of op may be written by: "anyone" takes in those not (or no
# longer) admitted, whose ops other rules judge (a redeemed invitation, say).
LEAST_RANK = {"anyone": 0, **{role: ROLE_RANK[role] for role in ROLES}}
MEMBER, CLERK, ORGANISER = ROLE_RANK["member"], ROLE_RANK["clerk"], ROLE_RANK["organiser"]

NOT_MEMBER = Refusal(Code.NOT_MEMBER, "the author is not a member of this group at that time")
NOT_ORGANISER = Refusal(Code.NOT_ORGANISER, "only organisers may do this")
NOT_CLERK = Refusal(Code.NOT_CLERK, "only clerks and organisers may do this")


def refusal_for(least: str) -> Refusal:
    """Why an op whose author ranks below ``least`` does not count."""
    return {"member": NOT_MEMBER, "clerk": NOT_CLERK}.get(least, NOT_ORGANISER)
