"""Who is asking, for the officers' pages: the session cookie, sign-in checks, and the
form tokens that keep other sites from posting on an officer's behalf.

The pages read only the cookie, never an Authorization header, so a laptop's bearer
token opens none of them; the sync API under /v1 reads no cookie. The session cookie
is ``HttpOnly; Secure; SameSite=Lax; Path=/council``: browsers keep Secure cookies
from https, and from http on loopback, which they count as secure too.

Every POST form carries ``csrf_token``: after sign-in, the session's own token
(``checked_form``); before it (sign-in, set-password), a random token also sent as a
cookie, which another site can neither read nor set (``open_form``).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from sync.hub.officers import Officer, Session, find_session
from sync.hub.routes import Hub

__all__ = [
    "Officer",
    "OfficerDep",
    "PageRefusal",
    "SignInNeeded",
    "administrator",
    "checked_form",
    "open_form",
    "require_group",
    "signed_in",
]

COOKIE = "moot_council"
FORM_COOKIE = "moot_council_form"
PATH = "/council"
HOME = "/council/"
FORM_EXPIRED = (
    "This form had expired, or was not sent from this hub's own page, so nothing was"
    " changed. Go back, reload the page and try again."
)
NOT_FOUND = "There is nothing here, or nothing you are given to see."


class SignInNeeded(Exception):
    """Not signed in, or the session has ended: answered with a way to the sign-in page."""

    def __init__(self, next_path: str = HOME) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageRefusal(Exception):
    """Answered with the hub's error page: its status, and words a person can act on."""

    def __init__(self, status: int, words: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(words)
        self.status = status
        self.words = words
        self.headers = headers


def current_session(request: Request) -> Session | None:
    """The live session the request's cookie names, looked up once per request."""
    if getattr(request.state, "session_read", False):
        found: Session | None = request.state.session
        return found
    token = request.cookies.get(COOKIE, "")
    session = None
    if 0 < len(token) <= 100:
        hub: Hub = request.app.state.hub
        with hub.begin() as tx:
            session = find_session(tx, token)
    request.state.session, request.state.session_read = session, True
    if session is not None:  # what every page's template is given
        request.state.officer = session.officer
        request.state.csrf_token = session.csrf
    return session


def signed_in(request: Request) -> Officer:
    """The signed-in officer; anyone else is sent to sign in, then back here."""
    session = current_session(request)
    if session is None:
        raise SignInNeeded(request.url.path if request.method == "GET" else HOME)
    return session.officer


OfficerDep = Annotated[Officer, Depends(signed_in)]


def administrator(officer: OfficerDep) -> Officer:
    if not officer.admin:
        raise PageRefusal(403, "Only the hub's administrators may see this page.")
    return officer


def require_group(officer: Officer, group_id: str) -> None:
    """Not found, exactly as for a group the hub does not have, unless it is given."""
    if len(group_id) > 64 or not officer.can_see(group_id):
        raise PageRefusal(404, NOT_FOUND)


def _same(sent: object, expected: str) -> bool:
    return (
        isinstance(sent, str)
        and bool(expected)
        and hmac.compare_digest(sent.encode(), expected.encode())
    )


async def checked_form(request: Request) -> FormData:
    """The posted form of a signed-in officer, its ``csrf_token`` the session's own."""
    session = await run_in_threadpool(current_session, request)
    if session is None:
        raise SignInNeeded(HOME)
    form = await request.form()
    if not _same(form.get("csrf_token"), session.csrf):
        raise PageRefusal(403, FORM_EXPIRED)
    return form


# --- before sign-in ---------------------------------------------------------------------


def form_token(request: Request) -> str:
    """The token a form shown before sign-in carries: the browser's, or a new one."""
    held = request.cookies.get(FORM_COOKIE, "")
    return held if 32 <= len(held) <= 64 and held.isascii() else secrets.token_urlsafe(32)


async def open_form(request: Request) -> FormData:
    """A form posted before sign-in, its ``csrf_token`` the same as its cookie's."""
    form = await request.form()
    if not _same(form.get("csrf_token"), request.cookies.get(FORM_COOKIE, "")):
        raise PageRefusal(403, FORM_EXPIRED)
    return form


def keep_cookie(response: Response, name: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=PATH, secure=True, httponly=True, samesite="lax"
    )


def drop_cookie(response: Response, name: str) -> None:
    response.delete_cookie(name, path=PATH, secure=True, httponly=True, samesite="lax")


def safe_next(path: object) -> str:
    """Where to go after signing in: an officers' page of this hub, nowhere else."""
    if not isinstance(path, str) or not (path == PATH or path.startswith(HOME)):
        return HOME
    if len(path) > 500 or "//" in path or "\\" in path or not path.isprintable():
        return HOME
    return HOME if path.startswith(f"{PATH}/sign-in") else path
