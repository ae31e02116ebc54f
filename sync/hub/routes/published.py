"""The pages residents read: each group's issued agendas and approved minutes, published
with no token.

Outside ``/v1/``, so a browser needs no protocol header (``sync.hub.body``). What is
not there (a group, a meeting, minutes not yet approved) is a plain HTML page with 404,
not the JSON refusal laptops read. The pages fetch nothing, and say so to the browser.
"""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.papers import render_html
from sync.hub import pages, published
from sync.hub.routes import HubDep

router = APIRouter(include_in_schema=False)  # pages for people, not the laptops' API

MAX_ID = 64  # longer than any group or meeting id: not found, without asking the database
HEADERS = {
    # Inline style and nothing else: text from a group's log can never run as script.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _page(html: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _not_found(what: str) -> HTMLResponse:
    return _page(pages.not_found(what), 404)


@router.get("/groups/{group_id}/minutes", response_class=HTMLResponse)
def minutes_index(group_id: str, hub: HubDep) -> HTMLResponse:
    if len(group_id) > MAX_ID:
        return _not_found("There is no such group on this hub.")
    with hub.begin() as tx:
        group = published.group_minutes(tx, group_id=group_id)
    if group is None:
        return _not_found("There is no such group on this hub.")
    return _page(pages.minutes_index(group))


@router.get("/groups/{group_id}/minutes/{meeting_id}", response_class=HTMLResponse)
def minutes_page(group_id: str, meeting_id: str, hub: HubDep) -> HTMLResponse:
    if len(group_id) > MAX_ID or len(meeting_id) > MAX_ID:
        return _not_found("There are no such minutes on this hub.")
    with hub.begin() as tx:
        meeting = published.meeting_minutes(tx, group_id=group_id, meeting_id=meeting_id)
    if meeting is None:
        return _not_found(
            "There are no approved minutes of that meeting here: the address may be"
            " wrong, or the minutes are not approved yet."
        )
    return _page(render_html("minutes", meeting, include_exempt=False))


@router.get("/groups/{group_id}/agendas/{meeting_id}", response_class=HTMLResponse)
def agenda_page(group_id: str, meeting_id: str, hub: HubDep) -> HTMLResponse:
    if len(group_id) > MAX_ID or len(meeting_id) > MAX_ID:
        return _not_found("There is no such agenda on this hub.")
    with hub.begin() as tx:
        meeting = published.meeting_agenda(tx, group_id=group_id, meeting_id=meeting_id)
    if meeting is None:
        return _not_found(
            "There is no published agenda of that meeting here: the address may be wrong,"
            " or its summons has not been issued yet."
        )
    return _page(render_html("agenda", meeting, include_exempt=False))
