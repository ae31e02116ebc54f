"""Request bodies and the protocol header, checked before any route sees a request.

Bodies are read whole (they are bounded), gunzipped when sent compressed, and refused
with 413 past the limit, decompressed size included, so a small gzip bomb is refused
too. A client speaking another protocol version is told, in words, what to do (426).
"""

from __future__ import annotations

import html
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from app.codes import Code
from sync.protocol import PROTOCOL, PROTOCOL_HEADER, ErrorBody

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_HEADER = PROTOCOL_HEADER.lower().encode()
_OPEN_PATHS = ("/v1/openapi.json",)
_METHODS = ("GET", "HEAD", "POST")  # those the API's routes take
MAX_BUFFERED_BYTES = 256 * 1024 * 1024


class TooLarge(Exception):
    pass


def gunzip_capped(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit or inflater.unconsumed_tail:
        raise TooLarge
    return out


async def reply(
    send: Send,
    status: int,
    code: Code,
    detail: str,
    *,
    allow: str | None = None,
    retry_after: int | None = None,
    page: bool = False,
) -> None:
    """Refuse a request before any route sees it: the API's JSON refusal, or for the
    officers' pages (``page``) a plain HTML page in the same words.
    """
    if page:
        body, kind = _page(status, detail), b"text/html; charset=utf-8"
    else:
        body, kind = (
            ErrorBody(error=code, detail=detail).model_dump_json().encode(),
            b"application/json",
        )
    headers = [
        (b"content-type", kind),
        (b"content-length", str(len(body)).encode()),
    ]
    if allow is not None:
        headers.append((b"allow", allow.encode()))
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


_PAGE_TITLES = {413: "Too large to take", 429: "Too many requests"}


def _page(status: int, detail: str) -> bytes:
    title = _PAGE_TITLES.get(status, "Not taken")
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} — council hub</title></head><body><main>"
        f"<h1>{title}</h1><p>{html.escape(detail)}</p>"
        "<p>Nothing was changed. Go back to the page you came from.</p>"
        "</main></body></html>"
    ).encode()


def is_page_path(path: str) -> bool:
    """An officers' page (answered in HTML), not the sync API."""
    return path == "/council" or path.startswith("/council/")


class Guard:
    """ASGI middleware: protocol version, body size, gzip request bodies."""

    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, methods: Callable[[Scope], list[str]]
    ) -> None:
        self.app = app
        self.max = max_body_bytes
        self.methods = methods  # those the routes at a request's path take
        # Bodies being read, all requests together: the hub's memory for them is bounded.
        self.max_buffered = MAX_BUFFERED_BYTES
        self.buffered = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        path = scope.get("path", "")
        page = is_page_path(path)
        if path.startswith("/v1/") and scope["method"] not in _METHODS:
            # Answered whatever its headers, naming every method the path takes (the
            # router would name only those of the first route it matched).
            allowed = ", ".join(self.methods(scope))
            words = f"This address takes {allowed or 'no request'}, not {scope['method']}."
            await reply(send, 405, Code.MALFORMED, words, allow=allowed)
            return
        if path.startswith("/v1/") and path not in _OPEN_PATHS:
            version = headers.get(_HEADER, b"").decode(errors="replace")
            if version != str(PROTOCOL):
                await reply(send, 426, Code.PROTOCOL_MISMATCH, _version_advice(version))
                return
        declared = headers.get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max:  # refused before it is read
            await reply(send, 413, Code.TOO_LARGE, self._too_large(), page=page)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        try:
            while more:
                message = await receive()
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.max:
                    await reply(send, 413, Code.TOO_LARGE, self._too_large(), page=page)
                    return
                if self.buffered + len(chunk) > self.max_buffered:
                    await reply(
                        send, 503, Code.HUB_BUSY, "The hub is busy; try again shortly.", page=page
                    )
                    return
                self.buffered += len(chunk)
                chunks.append(chunk)
                more = message.get("more_body", False)
        finally:
            self.buffered -= sum(map(len, chunks))
        body = b"".join(chunks)
        if headers.get(b"content-encoding", b"").lower() == b"gzip":
            try:
                body = gunzip_capped(body, self.max)
            except TooLarge:
                await reply(send, 413, Code.TOO_LARGE, self._too_large(), page=page)
                return
            except zlib.error:
                await reply(
                    send, 400, Code.MALFORMED, "The request body is not valid gzip.", page=page
                )
                return
            scope = dict(scope)
            scope["headers"] = [
                (k, v)
                for k, v in scope["headers"]
                if k not in (b"content-encoding", b"content-length")
            ] + [(b"content-length", str(len(body)).encode())]

        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    def _too_large(self) -> str:
        return (
            f"The request is larger than this hub takes ({self.max // (1024 * 1024)} MiB); "
            "send fewer changes at once."
        )


def _version_advice(version: str) -> str:
    if not version:
        return f"This hub speaks Moot protocol {PROTOCOL}; the request did not say which it speaks."
    if version.isdigit() and int(version) < PROTOCOL:
        return f"This laptop's Moot is too old for this hub (protocol {version}); update Moot."
    return (
        f"This hub is older than this laptop's Moot (protocol {version}, hub {PROTOCOL}); "
        "ask the council to update the hub."
    )
