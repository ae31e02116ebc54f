"""Whether the hub can serve: for a reverse proxy's probes and a container's health check.

``GET /healthz`` (or ``HEAD``) answers 200 once the hub's database answers a query, and
503 with words when it does not. It is outside the sync API (no protocol header, no
token, not in the OpenAPI description), no rate limit applies to it, so a proxy probing
often is never answered 429, and it is logged only when it is not answered 200.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from app import moot_version
from sync.hub.logs import HEALTH_PATH, event
from sync.hub.routes import HubDep

router = APIRouter()
log = logging.getLogger(__name__)
_NOT_STORED = {"Cache-Control": "no-store"}


@router.api_route(HEALTH_PATH, methods=["GET", "HEAD"], include_in_schema=False)
def health(hub: HubDep) -> JSONResponse:
    failures: tuple[type[Exception], ...] = (SQLAlchemyError, *_driver_errors(hub.engine))
    try:
        database_answers(hub.engine)
    except failures as exc:
        why = type(exc).__name__
        log.warning(
            "The database did not answer: %s",
            (str(exc).splitlines() or [why])[0],
            extra=event("health", database="unreachable", error=why),
        )
        body = {
            "status": "unavailable",
            "version": moot_version(),
            "database": "unreachable",
            "detail": f"The hub cannot reach its database ({why}); the hub's log says more.",
        }
        return JSONResponse(body, status_code=503, headers={**_NOT_STORED, "Retry-After": "5"})
    body = {"status": "ok", "version": moot_version(), "database": "ok"}
    return JSONResponse(body, headers=_NOT_STORED)


def database_answers(engine: Engine) -> None:
    """``SELECT 1`` on a pooled connection of the hub's engine (checked out as the routes'
    are, so a connection the database dropped is replaced first), outside a transaction:
    on SQLite a probe must not queue behind a push for the write lock.
    """
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            cursor.execute("SELECT 1")
            cursor.fetchall()
        finally:
            cursor.close()
    finally:
        raw.close()


def _driver_errors(engine: Engine) -> tuple[type[Exception], ...]:
    """The driver's own errors: a raw connection's cursor raises them unwrapped."""
    dbapi: Any = engine.dialect.loaded_dbapi
    return (dbapi.Error,)
