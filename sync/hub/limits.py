"""Rate limits: per address and per token, checked before a request's body is read.

Each address, and each token, has a bucket that refills at a steady rate up to a
burst; a request takes one from it, and one that finds it empty is answered 429 with
``Retry-After``, having cost the hub almost nothing. A laptop's sync is a handful of
requests, so only a flood meets the limits. Refused credentials (401, 403, 404 and
410 answers under ``/v1``) draw on a third, small bucket per address, so guessing
tokens or invitation codes in a loop soon has to wait between guesses.

Buckets live in memory, per hub process, and at most ``max_keys`` of each kind are
kept (the least recently seen are forgotten first), so memory stays bounded however
many addresses call. IPv6 addresses count by their /64, which one household holds.
Behind a reverse proxy on another machine (or container), name it with ``moot-hub serve
--trusted-proxy`` so the address is the caller's and not the proxy's. The health check
(``/healthz``) is never limited: a proxy probing it often must not be answered 429.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from app.codes import Code
from sync.hub.body import ASGIApp, Message, Receive, Scope, Send, is_page_path, reply
from sync.hub.logs import HEALTH_PATH

_REFUSED_CREDENTIALS = (401, 403, 404, 410)


@dataclass(frozen=True)
class Limit:
    per_second: float
    burst: int


@dataclass(frozen=True)
class Limits:
    address: Limit = Limit(per_second=50.0, burst=1_000)
    token: Limit = Limit(per_second=20.0, burst=300)
    refused: Limit = Limit(per_second=0.2, burst=30)  # one more guess each 5 s
    max_keys: int = 50_000


class Buckets:
    """Token buckets, one per key, refilled lazily as they are read."""

    def __init__(
        self, limit: Limit, *, max_keys: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.max_keys, self.clock = limit, max_keys, clock
        self._levels: OrderedDict[str, tuple[float, float]] = OrderedDict()  # (level, when)

    def _level(self, key: str) -> float:
        now = self.clock()
        level, then = self._levels.pop(key, (float(self.limit.burst), now))
        level = min(float(self.limit.burst), level + (now - then) * self.limit.per_second)
        self._levels[key] = (level, now)  # now the most recently seen
        while len(self._levels) > self.max_keys:
            self._levels.popitem(last=False)
        return level

    def wait(self, key: str) -> float:
        """Seconds until ``key`` has a request to spend; 0 if it has one now."""
        level = self._level(key)
        return 0.0 if level >= 1.0 else (1.0 - level) / self.limit.per_second

    def take(self, key: str) -> float:
        """Spend one of ``key``'s requests: 0, or the seconds to wait (nothing spent)."""
        waited = self.wait(key)
        if waited == 0.0:
            level, now = self._levels[key]
            self._levels[key] = (level - 1.0, now)
        return waited

    def __len__(self) -> int:
        return len(self._levels)


def address_of(scope: Scope) -> str:
    client = scope.get("client")
    host = client[0] if client else ""
    try:
        parsed = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def _token_of(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization" and value[:7].lower() == b"bearer ":
            # Kept as a hash: the hub's memory need not hold anyone's credentials.
            return hashlib.sha256(value[7:].strip()).hexdigest()
    return None


class RateLimited:
    """ASGI middleware: answers 429 to an address or token over its limit."""

    def __init__(
        self, app: ASGIApp, *, limits: Limits, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.app = app
        self.by_address = Buckets(limits.address, max_keys=limits.max_keys, clock=clock)
        self.by_token = Buckets(limits.token, max_keys=limits.max_keys, clock=clock)
        self.refused = Buckets(limits.refused, max_keys=limits.max_keys, clock=clock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") == HEALTH_PATH:
            await self.app(scope, receive, send)
            return
        address = address_of(scope)
        token = _token_of(scope)
        api = scope.get("path", "").startswith("/v1/")
        if api and (waited := self.refused.wait(address)):
            words = "Too many refused attempts from this address"
            await _too_many(send, waited, words)
            return
        page = is_page_path(scope.get("path", ""))
        if waited := self.by_address.take(address):
            await _too_many(send, waited, "Too many requests from this address", page=page)
            return
        if token is not None and (waited := self.by_token.take(token)):
            await _too_many(send, waited, "Too many requests with this laptop's token")
            return

        async def watch(message: Message) -> None:
            start = message["type"] == "http.response.start"
            if api and start and message["status"] in _REFUSED_CREDENTIALS:
                self.refused.take(address)
            await send(message)

        await self.app(scope, receive, watch)


async def _too_many(send: Send, waited: float, words: str, *, page: bool = False) -> None:
    seconds = max(1, math.ceil(waited))
    detail = f"{words}; try again in {seconds} s."
    await reply(send, 429, Code.RATE_LIMITED, detail, retry_after=seconds, page=page)
