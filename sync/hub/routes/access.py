"""Getting in: invitations redeemed, groups registered, laptops enrolled, invitations made.

Each proves the laptop holds its device key; each proof is good once.
"""

from fastapi import APIRouter

from sync.hub import service
from sync.hub.routes import V1, GroupId, HubDep, TokenDep
from sync.protocol import (
    EnrolRequest,
    InviteReply,
    InviteRequest,
    JoinReply,
    JoinRequest,
    RegisterRequest,
    TokenReply,
)

router = APIRouter(**V1)


@router.post("/v1/join")
def join(body: JoinRequest, hub: HubDep) -> JoinReply:
    with hub.begin() as tx:
        joined = service.join(
            tx,
            code=body.code,
            device=body.device,
            proof=body.proof,
            stamp_ms=body.stamp_ms,
            name=body.name,
            hub=hub.identity,
            hub_url=body.hub_url,
            public_urls=hub.settings.public_urls,
        )
        name = service.require_group(tx, joined["group_id"])
    return JoinReply(group_name=name, **joined)


@router.post("/v1/register")
def register(body: RegisterRequest, hub: HubDep) -> TokenReply:
    with hub.begin() as tx:
        token = service.register(
            tx,
            code=body.code,
            group_id=body.group_id,
            name=body.name,
            device=body.device,
            proof=body.proof,
            stamp_ms=body.stamp_ms,
            hub=hub.identity,
            hub_url=body.hub_url,
            membership=body.membership,
            public_urls=hub.settings.public_urls,
        )
    return TokenReply(token=token)


@router.post("/v1/groups/{group_id}/enrol")
def enrol(group_id: GroupId, body: EnrolRequest, hub: HubDep) -> TokenReply:
    with hub.begin() as tx:
        token = service.enrol(
            tx,
            group_id=group_id,
            device=body.device,
            proof=body.proof,
            stamp_ms=body.stamp_ms,
            hub=hub.identity,
            hub_url=body.hub_url,
            public_urls=hub.settings.public_urls,
        )
    return TokenReply(token=token)


@router.post("/v1/groups/{group_id}/invites")
def invite(group_id: GroupId, body: InviteRequest, hub: HubDep, token: TokenDep) -> InviteReply:
    with hub.begin() as tx:
        device = service.authenticate(tx, token=token, group_id=group_id)
        service.require_organiser(tx, group_id=group_id, device=device)
        code = service.make_invite(
            tx,
            group_id=group_id,
            role=body.role,
            uses=body.uses,
            days=body.days,
            created_by=device,
        )
    return InviteReply(code=code)
