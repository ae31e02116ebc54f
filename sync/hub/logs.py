"""The hub's log on stderr: a line per request, its start and stop, and its errors.

As text for a person at a terminal, or as JSON, one object a line, for the journal or a
container's log collector. Each line says when (``ts``, UTC), how bad (``level``) and
what happened (``event``), with the event's own fields beside; an error's traceback is
one field. Nothing secret is written: a request is logged by its route's template
(``/council/set-password/{token}``, never the token), without its query string, headers
or body, so invitation codes, tokens, passwords and one-time links stay out of the log.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

from sync.hub.body import ASGIApp, Message, Receive, Scope, Send

LOGGER = "sync.hub"  # the hub's own events; its modules log under it
FIELDS = "moot_fields"  # a record's structured fields, as ``extra=event(...)`` gives them
HEALTH_PATH = "/healthz"  # probed every few seconds: logged only when it is not answered 200
NO_ROUTE = "(no route)"  # an address no route takes, which is not written as it came

log = logging.getLogger(LOGGER)
_requests = logging.getLogger(f"{LOGGER}.requests")


def event(name: str, **fields: Any) -> dict[str, Any]:
    """``extra`` for a logging call: the event's name and its fields."""
    return {FIELDS: {"event": name, **fields}}


def _utc(record: logging.LogRecord) -> str:
    stamp = dt.datetime.fromtimestamp(record.created, dt.UTC)
    return stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ts, level, event, the event's fields, message, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        fields: dict[str, Any] = getattr(record, FIELDS, {})
        line: dict[str, Any] = {
            "ts": _utc(record),
            "level": record.levelname.lower(),
            "event": fields.get("event", "message"),
            **fields,
        }
        message = record.getMessage()
        if message:
            line["message"] = message
        line["logger"] = record.name
        if record.exc_info and record.exc_info[1] is not None:
            line["error"] = type(record.exc_info[1]).__name__
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``ts LEVEL message``; an event logged without words shows its fields as key=value."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        fields: dict[str, Any] = dict(getattr(record, FIELDS, {}))
        if not message and fields:
            name = fields.pop("event")
            message = " ".join([name, *(f"{k}={v}" for k, v in fields.items())])
        text = f"{_utc(record)} {record.levelname} {message}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def configure(log_format: str, stream: TextIO | None = None) -> None:
    """Send every log record of this process, uvicorn's too, to ``stream`` (stderr) in
    ``log_format``: the hub's own from INFO, everything else's from WARNING.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger(LOGGER).setLevel(logging.INFO)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
        uvicorn_logger.setLevel(logging.NOTSET)
    # uvicorn's own start-up chatter is left out: the hub says when it starts and stops.
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    logging.captureWarnings(True)


class RequestLog:
    """ASGI middleware: one ``request`` event per answer, outside every other middleware,
    so refusals made before any route (429, 413, 426) are logged too.

    ``route`` names the template of the route a request's path and method match, or None.
    The client is the address as the hub sees it: the proxy's ``X-Forwarded-For`` once
    uvicorn trusts that proxy, else the connection's own.
    """

    def __init__(self, app: ASGIApp, *, route: Callable[[Scope], str | None]) -> None:
        self.app = app
        self.route = route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _requests.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status: int | None = None

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except BaseException:
            status = status or 500  # the server answers 500 and logs the traceback
            raise
        finally:
            if not (scope.get("path") == HEALTH_PATH and status == 200):
                self._log(scope, status, time.perf_counter() - started)

    def _log(self, scope: Scope, status: int | None, seconds: float) -> None:
        client = scope.get("client")
        fields = {
            "method": scope.get("method"),
            "path": self.route(scope) or NO_ROUTE,
            "status": status,
            "duration_ms": round(seconds * 1000, 1),
            "client": client[0] if client else None,
        }
        level = logging.WARNING if status is None or status >= 500 else logging.INFO
        _requests.log(level, "", extra=event("request", **fields))
