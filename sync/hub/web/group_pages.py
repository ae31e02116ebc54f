"""The groups an officer looks after: the overview, each group's page with its
invitation codes and published papers, and registration codes (administrators).

Every page and action on a group first checks the officer is given it, and answers
not found otherwise, the same as for a group the hub does not have. A code is shown
once, on the page that answers the form that made it: the hub keeps only its hash.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection
from starlette.datastructures import FormData

from app.ops import is_hex
from app.roles import ROLES
from sync.hub import officers, overview, published, service
from sync.hub.routes import Hub, HubDep
from sync.hub.web.session import (
    NOT_FOUND,
    Officer,
    OfficerDep,
    PageRefusal,
    administrator,
    checked_form,
    require_group,
)
from sync.hub.web.templating import render

router = APIRouter(include_in_schema=False)

CheckedForm = Annotated[FormData, Depends(checked_form)]
AdminDep = Annotated[Officer, Depends(administrator)]
PAPERS_SHOWN = 10  # of each kind on the group's page; the public index has them all
DEFAULTS = {"role": "member", "uses": "1", "days": "14"}
NOTICES = {"revoked": "The invitation was revoked: it admits no one now."}


@router.get("/council/")
def groups(request: Request, officer: OfficerDep, hub: HubDep) -> Response:
    return _groups_page(request, officer, hub)


def _groups_page(request: Request, officer: Officer, hub: Hub, *, new_code: str = "") -> Response:
    with hub.begin() as tx:
        figures = overview.group_figures(
            tx,
            group_ids=None if officer.admin else officer.group_ids,
            hub_device=hub.identity.device_id,
        )
    return render(request, "groups.html", figures=figures, new_code=new_code)


@router.post("/council/registration-codes")
def registration_code(
    request: Request, officer: AdminDep, hub: HubDep, _form: CheckedForm
) -> Response:
    with hub.begin() as tx:
        code = service.registration_code(tx)
        officers.audit(tx, officer=officer, action="registration code made")
    return _groups_page(request, officer, hub, new_code=code)


# --- a group's page ---------------------------------------------------------------------


def _group_page(
    request: Request,
    officer: Officer,
    hub: Hub,
    group_id: str,
    *,
    status: int = 200,
    **extra: Any,
) -> Response:
    require_group(officer, group_id)
    with hub.begin() as tx:
        found = overview.group_figures(tx, group_ids=[group_id], hub_device=hub.identity.device_id)
        if not found:
            raise PageRefusal(404, NOT_FOUND)
        invites = overview.open_invites(tx, group_id=group_id)
        papers = published.group_minutes(tx, group_id=group_id)
    context: dict[str, Any] = {
        "errors": {},
        "values": DEFAULTS,
        "new_invite": None,
        "notice": "",
        **extra,
    }
    return render(
        request,
        "group.html",
        status,
        group=found[0],
        invites=invites,
        roles=ROLES,
        agendas=papers.agendas[:PAPERS_SHOWN] if papers else (),
        minutes=papers.minutes[:PAPERS_SHOWN] if papers else (),
        **context,
    )


@router.get("/council/groups/{group_id}")
def group(
    request: Request, group_id: str, officer: OfficerDep, hub: HubDep, done: str = ""
) -> Response:
    return _group_page(request, officer, hub, group_id, notice=NOTICES.get(done, ""))


def _whole(text: str, low: int, high: int) -> int | None:
    text = text.strip()
    if not text.isdigit() or len(text) > 6:
        return None
    number = int(text)
    return number if low <= number <= high else None


def _field(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value[:50] if isinstance(value, str) else ""


@router.post("/council/groups/{group_id}/invitations")
def make_invitation(
    request: Request, group_id: str, officer: OfficerDep, hub: HubDep, form: CheckedForm
) -> Response:
    require_group(officer, group_id)
    values = {name: _field(form, name) for name in DEFAULTS}
    uses, days = _whole(values["uses"], 1, 1000), _whole(values["days"], 1, 365)
    errors = {}
    if values["role"] not in ROLES:
        errors["role"] = "Choose the role the invitation gives: member, clerk or organiser."
    if uses is None:
        errors["uses"] = "Enter how many laptops may join with it, a whole number from 1 to 1000."
    if days is None:
        errors["days"] = "Enter how many days it lasts, a whole number from 1 to 365."
    if errors or uses is None or days is None:
        return _group_page(
            request, officer, hub, group_id, status=400, errors=errors, values=values
        )
    with hub.begin() as tx:
        code = service.make_invite(
            tx, group_id=group_id, role=values["role"], uses=uses, days=days, created_by="hub"
        )
        _audit_invite(tx, officer, "invitation made", group_id, code, values)
    new_invite = {"code": code, "role": values["role"], "uses": uses, "days": days}
    return _group_page(request, officer, hub, group_id, new_invite=new_invite)


def _audit_invite(
    tx: Connection, officer: Officer, action: str, group_id: str, code: str, values: dict[str, str]
) -> None:
    # The stem of its hash that the group's log names it by, if someone joins with it.
    fingerprint = hashlib.sha256(code.encode()).hexdigest()[:12]
    uses, days = int(values["uses"]), int(values["days"])
    detail = (
        f"{values['role']}, {uses} use{'s' if uses != 1 else ''}, "
        f"{days} day{'s' if days != 1 else ''}; {fingerprint}"
    )
    officers.audit(tx, officer=officer, action=action, target=group_id, detail=detail)


@router.post("/council/groups/{group_id}/invitations/revoke")
def revoke_invitation(
    request: Request, group_id: str, officer: OfficerDep, hub: HubDep, form: CheckedForm
) -> Response:
    require_group(officer, group_id)
    code_hash = form.get("code_hash")
    if not isinstance(code_hash, str) or not is_hex(code_hash, 64):
        raise PageRefusal(404, "That invitation is not one of this group's.")
    with hub.begin() as tx:
        service.revoke_invite_hash(tx, group_id=group_id, code_hash=code_hash)
        officers.audit(
            tx, officer=officer, action="invitation revoked", target=group_id, detail=code_hash[:12]
        )
    page = f"/council/groups/{quote(group_id, safe='')}?done=revoked"
    return RedirectResponse(page, status_code=303)
