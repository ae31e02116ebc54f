"""The hub as a whole: what it is called, its key and its protocol version.

Officers' pages (the groups, approved minutes to publish) belong beside this.
"""

from fastapi import APIRouter

from sync.hub.routes import V1, HubDep
from sync.protocol import PROTOCOL, HubInfo

router = APIRouter(**V1)


@router.get("/v1/hub")
def hub_info(hub: HubDep) -> HubInfo:
    return HubInfo(name=hub.settings.name, device=hub.identity.device_id, protocol=PROTOCOL)
