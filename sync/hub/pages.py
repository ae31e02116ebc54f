"""The hub's public HTML pages beside the papers themselves: a group's index, not found.

Built on the printed papers' page (``app.papers.page``): one standalone document with
its language, a title, real headings and its CSS inline, everything from the log escaped.
The minutes and agenda pages are ``app.papers.render_html`` itself.
"""

from __future__ import annotations

from itertools import groupby
from urllib.parse import quote

from app.meeting_view import MeetingView
from app.papers import words
from app.papers.page import document, esc
from sync.hub.published import GroupMinutes

CSS = """
.minutes { list-style: none; padding-left: 0; }
.minutes li { margin: 0 0 2mm; }
.minutes .body { color: #333; }
a { color: #0b4f9c; }
a:visited { color: #5a2d8c; }
a:focus { outline: 2px solid #111; outline-offset: 2px; }
"""

INTRO = (
    "The agendas of the group's meetings as their summons went out, and the minutes once "
    "a later meeting has approved them as a true record. Confidential (Part II) business "
    "is not published."
)


def minutes_index(group: GroupMinutes) -> str:
    """The agendas issued for meetings still to approve, soonest first; then the
    approved minutes, newest first, by year; each a link.
    """
    parts = [
        f'<header><p class="group-name">{esc(group.group_name)}</p><h1>Meetings</h1></header>',
        f"<p>{esc(INTRO)}</p>",
    ]
    if group.agendas:
        agendas = "".join(_entry(v, "agendas") for v in group.agendas)
        parts.append(f'<h2>Agendas</h2><ul class="minutes">{agendas}</ul>')
    parts.append("<h2>Approved minutes</h2>")
    if not group.minutes:
        parts.append("<p>No minutes have been approved yet.</p>")
    for year, views in groupby(group.minutes, key=lambda v: v.starts_at[:4]):
        items = "".join(_entry(v, "minutes") for v in views)
        parts.append(f'<h3>{esc(year)}</h3><ul class="minutes">{items}</ul>')
    return document(title=f"Meetings — {group.group_name}", body="\n".join(parts), css=CSS)


def _entry(view: MeetingView, kind: str) -> str:
    # Relative to /groups/{id}/minutes, so the links hold behind a proxy's prefix too.
    href = f"{kind}/" + quote(view.id, safe="")
    when = words.long_date(view.starts_at)
    body = f' <span class="body">({esc(view.body)})</span>' if view.body.strip() else ""
    signed = "" if view.signature is None else " Signed by the chair."
    return f'<li><a href="{esc(href)}">{esc(when)}: {esc(view.title)}</a>{body}{esc(signed)}</li>'


def not_found(what: str) -> str:
    """A plain page for a group or meeting the hub does not publish."""
    body = (
        "<h1>Not found</h1>"
        f"<p>{esc(what)}</p>"
        "<p>Check the address, or ask the council's clerk where its minutes are published.</p>"
    )
    return document(title="Not found — council hub", body=body)
