"""The hub's HTTP API, version 1: the app that carries the routers and words refusals.

Every refusal is answered as ``sync.protocol.ErrorBody``: the stable code a laptop or
a script reads, and words a person can act on.

FastAPI reads route annotations at run time, so this module does not postpone them.
"""

import logging
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import fastapi.routing
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import Scope

from app.codes import Code
from app.errors import ClockError
from sync.hub.body import Guard
from sync.hub.db import make_engine
from sync.hub.errors import HubRefusal
from sync.hub.keys import load_hub_identity
from sync.hub.limits import RateLimited
from sync.hub.logs import RequestLog, event
from sync.hub.routes import Hub, access, administration, health, log, published
from sync.hub.settings import HubSettings
from sync.hub.web import error_page, is_page, mount
from sync.protocol import PROTOCOL, ErrorBody

GZIP_LEVEL = 6  # for JSON pages, about the size level 9 gives at two thirds of the CPU

logger = logging.getLogger(__name__)


def refusal(
    status: int, code: Code, detail: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = ErrorBody(error=code, detail=detail).model_dump()
    return JSONResponse(body, status_code=status, headers=headers)


def _answer(
    request: Request, status: int, code: Code, detail: str, headers: dict[str, str] | None = None
) -> Response:
    """A refusal: the JSON laptops read, or under /council an HTML page for people."""
    if is_page(request):
        return error_page(request, status, detail, headers)
    return refusal(status, code, detail, headers)


def _routes(app: FastAPI) -> Iterable[Any]:
    """Every route of the app, each included router's among them: newer FastAPI keeps
    an included router as one entry of ``app.routes``, its routes behind it.
    """
    flatten = getattr(fastapi.routing, "iter_route_contexts", None)
    return app.routes if flatten is None else flatten(app.routes)


def _methods(app: FastAPI, scope: Scope) -> list[str]:
    """The methods the app's routes take at the request's path, as its OpenAPI says."""
    found: set[str] = set()
    for route in _routes(app):
        methods = getattr(route, "methods", None)
        if methods and route.matches(scope)[0] != Match.NONE:
            found |= set(methods)
    return sorted(found - {"HEAD"})


def _template(app: FastAPI, scope: Scope) -> str | None:
    """The path template of the route the request goes to (its path and method), else of
    one its path alone matches; None if none does. What the log writes instead of the path.
    """
    near = None
    for route in _routes(app):
        match = route.matches(scope)[0]
        if match == Match.FULL:
            return str(route.path)
        if match == Match.PARTIAL and near is None:
            near = str(route.path)
    return near


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    yield
    # Here, not after the server returns: uvicorn ends by raising the signal it was
    # stopped with again, which ends the process there and then.
    logger.info("moot-hub stopped", extra=event("shutdown"))


def create_app(settings: HubSettings) -> FastAPI:
    engine = make_engine(settings.db_url)
    with engine.begin() as tx:
        identity = load_hub_identity(tx, settings.key_file)
    app = FastAPI(
        title="Moot council hub",
        version=str(PROTOCOL),
        openapi_url="/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.hub = Hub(settings=settings, engine=engine, identity=identity)
    for router in (
        administration.router,
        access.router,
        log.router,
        published.router,
        health.router,
    ):
        app.include_router(router)
    mount(app)  # the officers' pages, outside the API's description
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=GZIP_LEVEL)
    app.add_middleware(
        Guard, max_body_bytes=settings.max_body_bytes, methods=lambda scope: _methods(app, scope)
    )
    if settings.limits is not None:  # outermost: a flood is answered before anything is read
        app.add_middleware(RateLimited, limits=settings.limits)
    # Outside even the limits, so every answer is logged, a 429 too.
    app.add_middleware(RequestLog, route=lambda scope: _template(app, scope))

    @app.exception_handler(HubRefusal)
    async def _refused(request: Request, exc: HubRefusal) -> Response:
        return _answer(request, exc.status, exc.code, str(exc))

    @app.exception_handler(ClockError)
    async def _clock(_request: Request, exc: ClockError) -> JSONResponse:
        code = Code.CLOCK_OFF if exc.code == Code.CLOCK_OFF else Code.CLOCK_AHEAD
        return refusal(400, code, f"The hub refused this laptop's clock: {exc}.")

    @app.exception_handler(RequestValidationError)
    async def _malformed(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        detail = f"The request is malformed: {where or 'body'}: {first.get('msg', 'invalid')}."
        return _answer(request, 422, Code.MALFORMED, detail)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        # Raised by the framework itself: a body that is not JSON, a path no route has,
        # a method the path does not take (named with every one it does).
        code = Code.NOT_FOUND if exc.status_code == 404 else Code.MALFORMED
        words = {400: "The request body is not valid JSON.", 404: "There is nothing here."}
        headers = None
        if exc.status_code == 405:
            allowed = ", ".join(_methods(app, request.scope))
            headers = {"Allow": allowed}
            words[405] = f"This address takes {allowed}, not {request.method}."
        return _answer(
            request, exc.status_code, code, words.get(exc.status_code, str(exc.detail)), headers
        )

    @app.exception_handler(SQLAlchemyTimeout)
    async def _pool(request: Request, exc: SQLAlchemyTimeout) -> Response:
        _database_trouble(exc)
        return _answer(request, 503, Code.HUB_BUSY, "The hub is busy; try again shortly.")

    @app.exception_handler(OperationalError)
    async def _busy(request: Request, exc: OperationalError) -> Response:
        _database_trouble(exc)
        return _answer(request, 503, Code.HUB_BUSY, "The hub is busy; try again shortly.")

    @app.exception_handler(IntegrityError)
    async def _conflict(request: Request, _exc: IntegrityError) -> Response:
        # Two requests raced for the same rows; the loser changed nothing.
        return _answer(
            request, 409, Code.HUB_BUSY, "The hub was busy with the same changes; try again."
        )

    return app


def _database_trouble(exc: Exception) -> None:
    """Say in the log why a request was answered busy: the laptop is told only to retry."""
    why = type(exc).__name__
    logger.warning(
        "The database could not be used: %s",
        (str(exc).splitlines() or [why])[0],
        extra=event("database_busy", error=why),
    )
