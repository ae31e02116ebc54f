"""The officers' pages rendered on the hub: Jinja2 templates, escaped by default, each
extending ``base.html`` (blocks ``title`` and ``content``).

Every page gets the signed-in ``officer`` (or None), the ``csrf_token`` its forms
carry, ``static(path)`` for a cache-busted stylesheet address, and ``public_url(path)``
for links that leave the browser (the hub's address as laptops know it).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader

from sync.hub.routes import Hub
from sync.hub.web.assets import static_url

TEMPLATES = Path(__file__).with_name("templates")
LONDON = ZoneInfo("Europe/London")  # the councils the hub serves keep British time
HEADERS = {
    # The pages run no script at all, and take style only from the hub's own stylesheet.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # What an officer sees (codes shown once, above all) stays out of every cache.
    "Cache-Control": "no-store",
}


def when(ms: int | None) -> str:
    """A moment as officers read it: ``Thu 14 Jan 2027, 19:30``, British time."""
    if ms is None:
        return "never"
    moment = datetime.fromtimestamp(ms / 1000, LONDON)
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = when
    env.globals["static"] = static_url
    return env


def public_url(request: Request, path: str) -> str:
    """``path`` on the hub's first --public-url, else on the address this page was asked at."""
    hub: Hub = request.app.state.hub
    base = hub.settings.public_urls[0] if hub.settings.public_urls else str(request.base_url)
    return base.rstrip("/") + path


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    hub: Hub = request.app.state.hub
    values: dict[str, Any] = {
        "request": request,
        "officer": getattr(request.state, "officer", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "public_url": lambda path: public_url(request, path),
        "hub_name": hub.settings.name,
        **context,
    }
    page = environment().get_template(name).render(values)
    return HTMLResponse(page, status_code=status, headers=HEADERS)
