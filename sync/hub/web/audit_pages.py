"""The audit log of what officers did, newest first, for the hub's administrators."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from sync.hub import officers
from sync.hub.overview import group_names
from sync.hub.routes import HubDep
from sync.hub.web.session import Officer, administrator
from sync.hub.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE = 100  # entries per page
# Written with no officer: by someone not signed in, or else by moot-hub on the server.
BY_VISITORS = frozenset({"sign-in failed", "locked out"})


def who(entry: Any) -> str:
    if entry.officer_email:
        return str(entry.officer_email)
    return "Someone not signed in" if entry.action in BY_VISITORS else "Command line"


@router.get("/council/audit")
def audit_log(
    request: Request,
    _officer: Annotated[Officer, Depends(administrator)],
    hub: HubDep,
    before: Annotated[int | None, Query(ge=1, lt=2**62)] = None,
) -> Response:
    with hub.begin() as tx:
        entries = officers.audit_entries(tx, before=before, limit=PAGE)
        # Entries name a group by its id, which stays; the page shows its name too.
        groups = {gid: name for name, gid in group_names(tx, {e.target for e in entries})}
    older = entries[-1].id if len(entries) == PAGE else None
    return render(
        request,
        "audit.html",
        entries=entries,
        who=who,
        groups=groups,
        older=older,
        first=before is None,
    )
