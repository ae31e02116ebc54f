"""A group's log: ops pushed in, pages of it pulled out from a cursor."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.codes import Code
from sync.hub import service
from sync.hub.errors import HubRefusal
from sync.hub.routes import V1, GroupId, HubDep, TokenDep
from sync.protocol import MAX_PAGE, PullReply, PushReply, PushRequest

router = APIRouter(**V1)


@router.post("/v1/groups/{group_id}/ops", response_model_exclude_none=True)
def push(group_id: GroupId, body: PushRequest, hub: HubDep, token: TokenDep) -> PushReply:
    most = hub.settings.max_push_ops
    if len(body.ops) > most:
        raise HubRefusal(f"Send at most {most} changes per request.", code=Code.TOO_LARGE)
    with hub.begin() as tx:
        service.authenticate(tx, token=token, group_id=group_id)
        results = service.push(tx, group_id=group_id, wire_ops=body.ops, hub=hub.identity)
        head = service.head(tx, group_id)
    return PushReply(results=[r.answer() for r in results], head=head)


@router.get("/v1/groups/{group_id}/ops", response_model=PullReply)
def pull(
    group_id: GroupId,
    hub: HubDep,
    token: TokenDep,
    after: Annotated[int, Query(ge=0, lt=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
) -> Response:
    # The page is written as JSON by the service straight from the stored ops.
    with hub.begin() as tx:
        service.authenticate(tx, token=token, group_id=group_id)
        body = service.pull(
            tx, group_id=group_id, after=after, limit=min(limit, hub.settings.page_size)
        )
    return Response(body, media_type="application/json")
