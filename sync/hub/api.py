"""The hub's HTTP API, version 1: enrolment, push and pull, as JSON over HTTP.

Routes only translate: they check the request's shape, open one transaction, call
``sync.hub.service`` and turn its refusals into 4xx answers with a clear ``detail``.

FastAPI reads route annotations at run time, so this module does not postpone them.
"""

from contextlib import AbstractContextManager
from typing import Annotated, Any

from fastapi import FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeout

from app.errors import ClockError
from sync.hub import service
from sync.hub.body import Guard
from sync.hub.db import make_engine
from sync.hub.errors import HubRefusal
from sync.hub.keys import load_hub_identity
from sync.hub.settings import PROTOCOL, HubSettings

MAX_PAGE = 5_000  # the most ops any hub returns per pull, whatever its settings
GZIP_LEVEL = 6  # for JSON pages, about the size level 9 gives at two thirds of the CPU
Hex64 = Annotated[str, Field(min_length=64, max_length=64, pattern="^[0-9a-f]+$")]
Hex128 = Annotated[str, Field(min_length=128, max_length=128, pattern="^[0-9a-f]+$")]
GroupId = Annotated[str, Path(min_length=1, max_length=64, pattern="^[0-9A-Za-z-]+$")]
Code = Annotated[str, Field(min_length=8, max_length=100)]
HubUrl = Annotated[str, Field(min_length=1, max_length=2_000)]  # as the laptop dialled it


class JoinRequest(BaseModel):
    code: Code
    device: Hex64
    proof: Hex128
    stamp_ms: int
    hub_url: HubUrl
    name: Annotated[str, Field(max_length=100)] = ""


class JoinReply(BaseModel):
    group_id: str
    group_name: str
    token: str
    role: str


class EnrolRequest(BaseModel):
    device: Hex64
    proof: Hex128
    stamp_ms: int
    hub_url: HubUrl


class RegisterRequest(BaseModel):
    code: Code
    group_id: Annotated[str, Field(min_length=1, max_length=64)]
    name: Annotated[str, Field(max_length=300)] = ""
    device: Hex64
    proof: Hex128
    stamp_ms: int
    hub_url: HubUrl
    # The group's membership ops, which show the registering laptop is an organiser.
    membership: Annotated[list[dict[str, Any]], Field(max_length=20_000)]


class TokenReply(BaseModel):
    token: str


class InviteRequest(BaseModel):
    role: str = "member"
    uses: Annotated[int, Field(ge=1, le=1000)] = 1
    days: Annotated[int, Field(ge=1, le=365)] = 14


class InviteReply(BaseModel):
    code: str


class PushRequest(BaseModel):
    ops: list[dict[str, Any]]


class PushReply(BaseModel):
    results: list[dict[str, Any]]
    head: int


class PullReply(BaseModel):
    ops: list[dict[str, Any]]
    head: int


class HubInfo(BaseModel):
    name: str
    device: str
    protocol: int


Token = Annotated[str | None, Header(alias="Authorization")]


def bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def create_app(settings: HubSettings) -> FastAPI:
    engine = make_engine(settings.db_url)
    with engine.begin() as tx:
        hub = load_hub_identity(tx, settings.key_file)
    app = FastAPI(
        title="Moot council hub",
        version=str(PROTOCOL),
        openapi_url="/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=GZIP_LEVEL)
    app.add_middleware(Guard, max_body_bytes=settings.max_body_bytes)

    @app.exception_handler(HubRefusal)
    async def _refused(_request: Request, exc: HubRefusal) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)

    @app.exception_handler(ClockError)
    async def _clock(_request: Request, exc: ClockError) -> JSONResponse:
        return JSONResponse(
            {"detail": f"The hub refused this laptop's clock: {exc}."}, status_code=400
        )

    @app.exception_handler(RequestValidationError)
    async def _malformed(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        detail = f"The request is malformed: {where or 'body'}: {first.get('msg', 'invalid')}."
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(SQLAlchemyTimeout)
    async def _pool(_request: Request, _exc: SQLAlchemyTimeout) -> JSONResponse:
        return JSONResponse({"detail": "The hub is busy; try again shortly."}, status_code=503)

    @app.exception_handler(OperationalError)
    async def _busy(_request: Request, _exc: OperationalError) -> JSONResponse:
        return JSONResponse({"detail": "The hub is busy; try again shortly."}, status_code=503)

    def begin() -> AbstractContextManager[Connection]:
        """One transaction per request, committed before the answer goes out."""
        return engine.begin()

    @app.get("/v1/hub")
    def hub_info() -> HubInfo:
        return HubInfo(name=settings.name, device=hub.device_id, protocol=PROTOCOL)

    @app.post("/v1/join")
    def join(body: JoinRequest) -> JoinReply:
        with begin() as tx:
            joined = service.join(
                tx,
                code=body.code,
                device=body.device,
                proof=body.proof,
                stamp_ms=body.stamp_ms,
                name=body.name,
                hub=hub,
                hub_url=body.hub_url,
                public_urls=settings.public_urls,
            )
            name = service.require_group(tx, joined["group_id"])
        return JoinReply(group_name=name, **joined)

    @app.post("/v1/register")
    def register(body: RegisterRequest) -> TokenReply:
        with begin() as tx:
            token = service.register(
                tx,
                code=body.code,
                group_id=body.group_id,
                name=body.name,
                device=body.device,
                proof=body.proof,
                stamp_ms=body.stamp_ms,
                hub=hub,
                hub_url=body.hub_url,
                membership=body.membership,
                public_urls=settings.public_urls,
            )
        return TokenReply(token=token)

    @app.post("/v1/groups/{group_id}/enrol")
    def enrol(group_id: GroupId, body: EnrolRequest) -> TokenReply:
        with begin() as tx:
            token = service.enrol(
                tx,
                group_id=group_id,
                device=body.device,
                proof=body.proof,
                stamp_ms=body.stamp_ms,
                hub=hub,
                hub_url=body.hub_url,
                public_urls=settings.public_urls,
            )
        return TokenReply(token=token)

    @app.post("/v1/groups/{group_id}/invites")
    def invite(group_id: GroupId, body: InviteRequest, authorization: Token = None) -> InviteReply:
        with begin() as tx:
            device = service.authenticate(tx, token=bearer(authorization), group_id=group_id)
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

    @app.post("/v1/groups/{group_id}/ops")
    def push(group_id: GroupId, body: PushRequest, authorization: Token = None) -> PushReply:
        if len(body.ops) > settings.max_push_ops:
            raise HubRefusal(f"Send at most {settings.max_push_ops} changes per request.")
        with begin() as tx:
            service.authenticate(tx, token=bearer(authorization), group_id=group_id)
            results = service.push(tx, group_id=group_id, wire_ops=body.ops)
            head = service.head(tx, group_id)
        return PushReply(results=[r.to_json() for r in results], head=head)

    @app.get("/v1/groups/{group_id}/ops", response_model=PullReply)
    def pull(
        group_id: GroupId,
        authorization: Token = None,
        after: Annotated[int, Query(ge=0, lt=2**62)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
    ) -> Response:
        with begin() as tx:
            service.authenticate(tx, token=bearer(authorization), group_id=group_id)
            body = service.pull(
                tx, group_id=group_id, after=after, limit=min(limit, settings.page_size)
            )
        return Response(body, media_type="application/json")

    @app.exception_handler(IntegrityError)
    async def _conflict(_request: Request, _exc: IntegrityError) -> JSONResponse:
        # Two requests raced for the same rows; the loser changed nothing.
        return JSONResponse(
            {"detail": "The hub was busy with the same changes; try again."}, status_code=409
        )

    return app
