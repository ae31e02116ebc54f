"""The hub's HTTP routes, one router per responsibility, over ``sync.hub.service``.

Routes only translate: the request's shape is checked by its ``sync.protocol`` model,
one transaction is opened, the service is called, and its refusals become 4xx
answers (``sync.hub.api`` words them). What each router needs comes from ``Hub``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Request
from sqlalchemy import Connection, Engine

from app.identity import DeviceIdentity
from sync.hub.settings import HubSettings
from sync.protocol import PROTOCOL, PROTOCOL_HEADER, ErrorBody


@dataclass(frozen=True)
class Hub:
    """What every route works with: the hub's settings, database and own key."""

    settings: HubSettings
    engine: Engine
    identity: DeviceIdentity

    def begin(self) -> AbstractContextManager[Connection]:
        """One transaction per request, committed before the answer goes out."""
        return self.engine.begin()


def _hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def _bearer(authorization: Annotated[str | None, Header()] = None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def _protocol(
    version: Annotated[
        str,
        Header(
            alias=PROTOCOL_HEADER,
            pattern=f"^{PROTOCOL}$",
            description="The Moot protocol the laptop speaks; another answers 426.",
        ),
    ],
) -> None:
    """Declared for the API's description: ``sync.hub.body.Guard`` answers 426 first."""


def _refusal(words: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": words}


# Every refusal a /v1 route may give, each as an ErrorBody (the OpenAPI is the contract).
REFUSALS: dict[int | str, dict[str, Any]] = {
    400: _refusal("A clock too far off, or a request the hub cannot use"),
    401: _refusal("No token, or one the hub does not know"),
    403: _refusal("Not allowed: not a member, removed, or the wrong role"),
    404: _refusal("No such group on this hub"),
    409: _refusal("A proof used before, or a race lost; nothing was changed"),
    410: _refusal("An invitation revoked, used up or expired"),
    413: _refusal("A request larger than the hub takes"),
    415: _refusal("A body in an encoding the hub does not read"),
    422: _refusal("A request that does not have the shape this route takes"),
    426: _refusal("Another protocol version than the hub's"),
    429: _refusal("Too many requests from this address or token; wait as Retry-After says"),
    503: _refusal("The hub is busy; try again shortly"),
}
V1: dict[str, Any] = {"dependencies": [Depends(_protocol)], "responses": REFUSALS}

HubDep = Annotated[Hub, Depends(_hub)]
TokenDep = Annotated[str | None, Depends(_bearer)]
GroupId = Annotated[str, Path(min_length=1, max_length=64, pattern="^[0-9A-Za-z-]+$")]
