"""Signing in and out, setting a password from its link, and the officer's account."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from app.clock import wall_ms
from sync.hub import officers
from sync.hub.limits import address_of
from sync.hub.overview import group_names
from sync.hub.routes import HubDep
from sync.hub.web.session import (
    COOKIE,
    FORM_COOKIE,
    HOME,
    OfficerDep,
    PageRefusal,
    checked_form,
    current_session,
    drop_cookie,
    form_token,
    keep_cookie,
    open_form,
    safe_next,
)
from sync.hub.web.templating import render, when

router = APIRouter(include_in_schema=False)

FORM_TOKEN_SECONDS = 2 * 60 * 60  # a sign-in form left open longer is shown afresh
LINK_SPENT = (
    "This set-password link has been used, has expired (links last 7 days), or was"
    " replaced by a newer one. Ask one of the hub's administrators for a new link."
)
WRONG = "The e-mail address or password is not right."
NOTICES = {
    "password": "Your password is set. Sign in with it now.",
    "signed-out": "You have signed out.",
    "everywhere": "You have signed out on every browser.",
}
OpenForm = Annotated[FormData, Depends(open_form)]
CheckedForm = Annotated[FormData, Depends(checked_form)]


def _text(form: FormData, name: str, most: int = 1_000) -> str:
    value = form.get(name, "")
    return value[:most] if isinstance(value, str) else ""


def _anonymous_form(
    request: Request, template: str, status: int = 200, **context: object
) -> Response:
    """A form shown before sign-in, with the form token in it and in its cookie."""
    token = form_token(request)
    answer = render(request, template, status, csrf_token=token, **context)
    keep_cookie(answer, FORM_COOKIE, token, max_age=FORM_TOKEN_SECONDS)
    return answer


@router.get("/council")
def council() -> RedirectResponse:
    return RedirectResponse(HOME, status_code=303)


@router.get("/council/sign-in")
def sign_in_page(request: Request, next: str = HOME, done: str = "") -> Response:
    if current_session(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _anonymous_form(
        request,
        "sign_in.html",
        next=safe_next(next),
        notice=NOTICES.get(done, ""),
        errors={},
        email="",
    )


@router.post("/council/sign-in")
def sign_in(request: Request, hub: HubDep, form: OpenForm) -> Response:
    email, password = _text(form, "email", 300).strip(), _text(form, "password")
    next_path = safe_next(form.get("next"))
    errors = {}
    if not email:
        errors["email"] = "Enter your e-mail address."
    if not password:
        errors["password"] = "Enter your password."  # noqa: S105  (words, not a password)
    token = None
    if not errors:
        address = address_of(request.scope)
        with hub.begin() as tx:
            attempt = officers.sign_in(tx, email=email, password=password, address=address)
            if attempt.officer is not None:
                token = officers.start_session(tx, officer_id=attempt.officer.id)
        if attempt.locked_until_ms is not None:
            return _locked(request, attempt.locked_until_ms)
        if token is None:
            errors["email"] = WRONG
    if token is None:
        return _anonymous_form(
            request, "sign_in.html", 400, next=next_path, notice="", errors=errors, email=email
        )
    answer = RedirectResponse(next_path, status_code=303)
    keep_cookie(answer, COOKIE, token)
    drop_cookie(answer, FORM_COOKIE)
    return answer


def _locked(request: Request, until_ms: int) -> Response:
    seconds = max(1, math.ceil((until_ms - wall_ms()) / 1000))
    answer = render(
        request, "locked.html", 429, until=when(until_ms), minutes=math.ceil(seconds / 60)
    )
    answer.headers["Retry-After"] = str(seconds)
    return answer


# --- set-password links -------------------------------------------------------------------


def _link_officer(hub: HubDep, token: str) -> officers.Officer:
    if len(token) > 100:
        raise PageRefusal(410, LINK_SPENT)
    try:
        with hub.begin() as tx:
            return officers.link_officer(tx, token)
    except officers.LinkSpent:
        raise PageRefusal(410, LINK_SPENT) from None


def _no_referrer(answer: Response) -> Response:
    # The link's secret is in the address: no request from this page may pass it on.
    answer.headers["Referrer-Policy"] = "no-referrer"
    return answer


@router.get("/council/set-password/{token}")
def set_password_page(request: Request, token: str, hub: HubDep) -> Response:
    officer = _link_officer(hub, token)
    page = _anonymous_form(request, "set_password.html", newcomer=officer, errors={})
    return _no_referrer(page)


@router.post("/council/set-password/{token}")
def set_password(request: Request, token: str, hub: HubDep, form: OpenForm) -> Response:
    officer = _link_officer(hub, token)
    password, again = _text(form, "password", 10_000), _text(form, "again", 10_000)
    problem = officers.password_problem(password, again)
    if problem is not None:
        field, words = problem
        page = _anonymous_form(
            request, "set_password.html", 400, newcomer=officer, errors={field: words}
        )
        return _no_referrer(page)
    try:
        with hub.begin() as tx:
            officers.set_password(tx, token=token, password=password)
    except officers.LinkSpent:
        raise PageRefusal(410, LINK_SPENT) from None
    answer = RedirectResponse("/council/sign-in?done=password", status_code=303)
    drop_cookie(answer, FORM_COOKIE)
    return _no_referrer(answer)


# --- the account, and signing out ---------------------------------------------------------


@router.get("/council/account")
def account(request: Request, officer: OfficerDep, hub: HubDep) -> Response:
    with hub.begin() as tx:
        sessions = officers.session_count(tx, officer_id=officer.id)
        groups = group_names(tx, officer.group_ids)
    return render(request, "account.html", sessions=sessions, groups=groups)


@router.post("/council/sign-out")
def sign_out(request: Request, officer: OfficerDep, hub: HubDep, _form: CheckedForm) -> Response:
    session = current_session(request)
    with hub.begin() as tx:
        if session is not None:
            officers.end_session(tx, token_hash=session.token_hash)
        officers.audit(tx, officer=officer, action="signed out")
    answer = RedirectResponse("/council/sign-in?done=signed-out", status_code=303)
    drop_cookie(answer, COOKIE)
    return answer


@router.post("/council/sign-out-everywhere")
def sign_out_everywhere(
    request: Request, officer: OfficerDep, hub: HubDep, _form: CheckedForm
) -> Response:
    with hub.begin() as tx:
        ended = officers.end_sessions(tx, officer_id=officer.id)
        officers.audit(
            tx, officer=officer, action="signed out everywhere", detail=f"{ended} sessions"
        )
    answer = RedirectResponse("/council/sign-in?done=everywhere", status_code=303)
    drop_cookie(answer, COOKIE)
    return answer
