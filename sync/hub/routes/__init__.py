"""The hub's HTTP routes, one router per responsibility, over ``sync.hub.service``.

Routes only translate: the request's shape is checked by its ``sync.protocol`` model,
one transaction is opened, the service is called, and its refusals become 4xx
answers (``sync.hub.api`` words them). What each router needs comes from ``Hub``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from sqlalchemy import Connection, Engine

from app.identity import DeviceIdentity
from sync.hub.settings import HubSettings


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


HubDep = Annotated[Hub, Depends(_hub)]
TokenDep = Annotated[str | None, Depends(_bearer)]
GroupId = Annotated[str, Path(min_length=1, max_length=64, pattern="^[0-9A-Za-z-]+$")]
