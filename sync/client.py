"""Talking to a hub over HTTP: one requests Session with timeouts and retries.

Every request sends the protocol version, retries a few times with backoff on lost
connections and on 502/503/504 (pushes are idempotent, so retrying them is safe), and
gzips bodies larger than a kilobyte. Failures come out as ``sync.errors`` types.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

import orjson
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

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
from sync.hub.settings import PROTOCOL, PROTOCOL_HEADER
from sync.proofs import hub_address

TIMEOUT = (5.0, 60.0)  # connect, read (seconds)
GZIP_OVER = 1024


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
            raise SyncError(f"{exc}.") from None
        self.token = token
        self.session = session or make_session()
        self.timeout = timeout
        self.bytes_sent = 0
        self.bytes_received = 0
        self.requests = 0

    # --- the API --------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        return self._call("GET", "/v1/hub")

    def join(
        self, *, code: str, device: str, proof: str, stamp_ms: int, name: str
    ) -> dict[str, Any]:
        body = {
            "code": code,
            "device": device,
            "proof": proof,
            "stamp_ms": stamp_ms,
            "name": name,
            "hub_url": self.base_url,
        }
        return self._call("POST", "/v1/join", body)

    def enrol(self, group_id: str, *, device: str, proof: str, stamp_ms: int) -> str:
        body = {"device": device, "proof": proof, "stamp_ms": stamp_ms, "hub_url": self.base_url}
        return str(self._call("POST", f"/v1/groups/{group_id}/enrol", body)["token"])

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
        body = {
            "code": code,
            "group_id": group_id,
            "name": name,
            "device": device,
            "proof": proof,
            "stamp_ms": stamp_ms,
            "hub_url": self.base_url,
            "membership": membership,
        }
        return str(self._call("POST", "/v1/register", body)["token"])

    def invite(self, group_id: str, *, role: str, uses: int, days: int) -> str:
        body = {"role": role, "uses": uses, "days": days}
        return str(self._call("POST", f"/v1/groups/{group_id}/invites", body)["code"])

    def push(self, group_id: str, wire_ops: list[dict[str, Any]]) -> dict[str, Any]:
        return self._call("POST", f"/v1/groups/{group_id}/ops", {"ops": wire_ops})

    def pull(self, group_id: str, *, after: int, limit: int) -> dict[str, Any]:
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
        self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        return _answer(self._send(method, path, body, params))

    def _send(
        self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> requests.Response:
        headers = {PROTOCOL_HEADER: str(PROTOCOL), "Accept-Encoding": "gzip"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
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
    try:
        payload = response.json()
    except ValueError:
        payload = None
    detail = payload.get("detail") if isinstance(payload, dict) else None
    status = response.status_code
    if status < 300 and isinstance(payload, dict):
        return payload
    message = str(detail) if detail else f"The hub answered {status}."
    if status == 401:
        raise AuthRefused(message)
    if status == 403:
        raise NotPermitted(message)
    if status == 426:
        raise ProtocolMismatch(message)
    if 400 <= status < 500:
        raise Refused(message)
    if status < 300:
        raise HubFailed("The hub's answer could not be understood.")
    raise HubFailed(f"The hub had a problem ({status}); try again later.")
