"""The council officers' pages, served by the hub itself under ``/council/``.

Server-rendered HTML that needs no JavaScript; none of it is in the sync API's
OpenAPI description. Refusals on these paths are HTML pages, while the API's stay
the JSON every laptop reads (``sync.hub.api`` asks ``is_page`` which to give).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from sync.hub.body import is_page_path
from sync.hub.web import (
    account_pages,
    assets,
    audit_pages,
    consultation_pages,
    group_pages,
)
from sync.hub.web.session import PageRefusal, SignInNeeded
from sync.hub.web.templating import render

TITLES = {
    400: "The request could not be used",
    403: "Not allowed",
    404: "Not found",
    405: "Not available",
    409: "Try again",
    410: "This link no longer works",
    413: "Too large",
    422: "The request could not be used",
    429: "Too many attempts",
    503: "The hub is busy",
}


def mount(app: FastAPI) -> None:
    """Add the pages, their static files and their error pages to the hub's app."""
    for module in (assets, account_pages, group_pages, audit_pages, consultation_pages):
        app.include_router(module.router)
    app.add_exception_handler(SignInNeeded, _sign_in_needed)  # type: ignore[arg-type]
    app.add_exception_handler(PageRefusal, _refused)  # type: ignore[arg-type]


def is_page(request: Request) -> bool:
    return is_page_path(request.url.path)


def error_page(
    request: Request, status: int, words: str, headers: dict[str, str] | None = None
) -> Response:
    title = TITLES.get(status, "Something went wrong")
    answer = render(request, "error.html", status, title=title, words=words)
    answer.headers.update(headers or {})
    return answer


async def _sign_in_needed(_request: Request, exc: SignInNeeded) -> Response:
    return RedirectResponse(
        "/council/sign-in?next=" + quote(exc.next_path, safe="/"),
        status_code=303,
        headers={"Cache-Control": "no-store"},
    )


async def _refused(request: Request, exc: PageRefusal) -> Response:
    return error_page(request, exc.status, exc.words, exc.headers)
