"""Talking to a hub over HTTP: one requests Session with timeouts and retries.

Every request sends the protocol version, retries a few times with backoff on lost
connections and on 502/503/504 (pushes are idempotent, so retrying them is safe), and
gzips bodies larger than a kilobyte. Requests and answers are the shapes of
``sync.protocol``; failures come out as ``sync.errors`` types carrying the hub's code.
"""

from __future__ import annotations

import gzip
from typing import Any, TypeVar

import orjson
import requests
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from app.codes import Code, code_of
from sync.errors import (
    AuthRefused,
    HubFailed,
    HubTimeout,
    HubUnreachable,
    NotPermitted,
    ProtocolMismatch,
    Refused,
    SyncError,
)
from sync.proofs import hub_address
from sync.protocol import (
    PROTOCOL,
    PROTOCOL_HEADER,
    EnrolRequest,
    ErrorBody,
    HubInfo,
    InviteReply,
    InviteRequest,
    JoinReply,
    JoinRequest,
    PushReply,
    PushRequest,
    RegisterRequest,
    TokenReply,
)

TIMEOUT = (5.0, 60.0)  # connect, read (seconds)
GZIP_OVER = 1024
Reply = TypeVar("Reply", bound=BaseModel)


def make_session(retries: int = 4, backoff: float = 0.3) -> requests.Session:
    session = requests.Session()
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=(502, 503, 504),
        allowed_methods=None,
        raise_on_status=False,
        # A 429 is said at once and the next sync tries again: waiting as a hub's
        # Retry-After asks would hold up a sync nobody can cancel, for as long as it asks.
        respect_retry_after_header=False,
    )
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class HubClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = TIMEOUT,
    ) -> None:
        try:  # dialled as spelt in the device proofs, so both name the same server
            self.base_url = hub_address(base_url)
        except ValueError as exc:
            raise SyncError(f"{exc}.", code=Code.INVALID_INPUT) from None
        self.token = token
        self.session = session or make_session()
        self.timeout = timeout
        self.bytes_sent = 0
        self.bytes_received = 0
        self.requests = 0

    # --- the API --------------------------------------------------------------------

    def info(self) -> HubInfo:
        return self._call("GET", "/v1/hub", HubInfo)

    def join(self, *, code: str, device: str, proof: str, stamp_ms: int, name: str) -> JoinReply:
        # Built unchecked: the hub checks it and says what is wrong (a code too short).
        body = JoinRequest.model_construct(
            code=code,
            device=device,
            proof=proof,
            stamp_ms=stamp_ms,
            name=name,
            hub_url=self.base_url,
        )
        return self._call("POST", "/v1/join", JoinReply, body)

    def enrol(self, group_id: str, *, device: str, proof: str, stamp_ms: int) -> str:
        body = EnrolRequest.model_construct(
            device=device, proof=proof, stamp_ms=stamp_ms, hub_url=self.base_url
        )
        return self._call("POST", f"/v1/groups/{group_id}/enrol", TokenReply, body).token

    def register(
        self,
        *,
        code: str,
        group_id: str,
        name: str,
        device: str,
        proof: str,
        stamp_ms: int,
        membership: list[dict[str, Any]],
    ) -> str:
        body = RegisterRequest.model_construct(
            code=code,
            group_id=group_id,
            name=name,
            device=device,
            proof=proof,
            stamp_ms=stamp_ms,
            hub_url=self.base_url,
            membership=membership,
        )
        return self._call("POST", "/v1/register", TokenReply, body).token

    def invite(self, group_id: str, *, role: str, uses: int, days: int) -> str:
        body = InviteRequest.model_construct(role=role, uses=uses, days=days)
        return self._call("POST", f"/v1/groups/{group_id}/invites", InviteReply, body).code

    def push(self, group_id: str, wire_ops: list[dict[str, Any]]) -> PushReply:
        body = PushRequest.model_construct(ops=wire_ops)
        return self._call("POST", f"/v1/groups/{group_id}/ops", PushReply, body)

    def pull(self, group_id: str, *, after: int, limit: int) -> dict[str, Any]:
        """A page of the log, ``{"ops": [{"seq": …, "op": …}, …], "head": …}``."""
        return parse_page(self.pull_raw(group_id, after=after, limit=limit))

    def pull_raw(self, group_id: str, *, after: int, limit: int) -> bytes:
        """A page of the log as the JSON bytes the hub sent (already un-gzipped).

        Bytes, so that a sync can fetch the next page on a thread while it applies this
        one, and choose when to decode it (see ``sync.engine``).
        """
        path = f"/v1/groups/{group_id}/ops"
        response = self._send("GET", path, params={"after": after, "limit": limit})
        if response.status_code >= 300:
            _answer(response)  # raises the matching error
        return response.content

    # --- plumbing -------------------------------------------------------------------

    def _call(
        self, method: str, path: str, reply: type[Reply], body: BaseModel | None = None
    ) -> Reply:
        response = self._send(method, path, body)
        payload = _answer(response)
        try:
            return reply.model_validate(payload)
        except ValidationError:
            raise HubFailed("The hub's answer could not be understood.") from None

    def _send(
        self,
        method: str,
        path: str,
        body: BaseModel | None = None,
        params: dict[str, Any] | None = None,
    ) -> requests.Response:
        headers = {PROTOCOL_HEADER: str(PROTOCOL), "Accept-Encoding": "gzip"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = orjson.dumps(body.model_dump(mode="json"))
            headers["Content-Type"] = "application/json"
            if len(data) > GZIP_OVER:
                data = gzip.compress(data, compresslevel=5)
                headers["Content-Encoding"] = "gzip"
        try:
            response = self.session.request(
                method,
                self.base_url + path,
                data=data,
                params=params,
                headers=headers,
                timeout=self.timeout,
            )
        except requests.Timeout:
            raise HubTimeout(f"The hub at {self.base_url} did not answer in time.") from None
        except requests.ConnectionError:
            raise HubUnreachable(
                f"Cannot reach the hub at {self.base_url}; check the connection and address."
            ) from None
        except requests.RequestException as exc:
            raise HubFailed(f"Talking to the hub failed: {exc.__class__.__name__}.") from None
        self.requests += 1
        self.bytes_sent += (
            len(data or b"") + len(path) + sum(len(k) + len(v) for k, v in headers.items())
        )
        self.bytes_received += int(response.headers.get("Content-Length") or len(response.content))
        return response


def parse_page(raw: bytes) -> dict[str, Any]:
    try:
        # orjson: a bootstrap decodes the group's whole log, and this is its biggest cost.
        page = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise HubFailed("The hub's answer to a pull could not be understood.") from None
    if not isinstance(page, dict):
        raise HubFailed("The hub's answer to a pull could not be understood.")
    return page


def _answer(response: requests.Response) -> dict[str, Any]:
    """The JSON object of a 2xx answer; anything else raises the matching error."""
    try:
        payload = response.json()
    except ValueError:
        payload = None
    status = response.status_code
    if status < 300:
        if isinstance(payload, dict):
            return payload
        raise HubFailed("The hub's answer could not be understood.")
    try:
        refused = ErrorBody.model_validate(payload)
    except ValidationError:
        refused = None
    message = refused.detail if refused else _older_words(payload) or f"The hub answered {status}."
    error_type: type[SyncError] = (
        AuthRefused
        if status == 401
        else NotPermitted
        if status == 403
        else ProtocolMismatch
        if status == 426
        else Refused
        if 400 <= status < 500
        else HubFailed
    )
    code = code_of(refused.error, error_type.default_code) if refused else None
    if error_type is HubFailed and code in (None, Code.HUB_FAILED):
        message = f"The hub had a problem ({status}); try again later."
    raise error_type(message, code=code)


def _older_words(payload: Any) -> str | None:
    """A hub of protocol 1 refused with words alone, ``{"detail": WORDS}``: still the
    person's best guide (a hub too old for this laptop says to ask the council)."""
    detail = payload.get("detail") if isinstance(payload, dict) else None
    return detail.strip() if isinstance(detail, str) and detail.strip() else None
