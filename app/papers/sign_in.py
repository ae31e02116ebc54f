"""The sign-in sheet: a row per member to sign, then a page of blank rows for the public.

Members are listed in the meeting's own order (the view's), whatever their recorded
attendance: the sheet is printed before anyone arrives. The public's rows start a
page of their own, headed with the meeting again, so that sheet can sit by the door
on its own. Its contact column is optional and says what it is for, since what people
write there is personal data.
"""

from __future__ import annotations

from app.meeting_view import MeetingView
from app.papers import words
from app.papers.page import document, esc

PUBLIC_ROWS = 16  # what fits on an A4 page under its heading and the note

CSS = """
.sheet td, .sheet th[scope="row"] { height: 9mm; vertical-align: middle; }
.sheet thead th { font-size: 9.5pt; }
.members th[scope="row"] { width: 45%; font-weight: normal; }
.public .name { width: 36%; }
.public .contact { width: 30%; }
.public-sheet { break-before: page; }
.public-sheet h2 { margin-top: 0; font-size: 14pt; }
"""

PRIVACY = (
    "Giving your contact details is optional. They are used only to reply to you about"
    " this meeting, and are not published."
)


def render(meeting: MeetingView, *, include_exempt: bool) -> str:
    del include_exempt  # the sheet has no business on it
    when = words.date_and_time(meeting.starts_at)
    where = words.venue(meeting.mode, meeting.place)
    held = ", ".join(p for p in (when, where) if p)
    whom = words.of_whom(meeting.group_name, meeting.body)
    members = (
        "".join(f'<tr><th scope="row">{esc(a.name)}</th><td></td></tr>' for a in meeting.attendees)
        or '<tr><td colspan="2">No members are listed for this meeting.</td></tr>'
    )
    public = "<tr><td></td><td></td><td></td></tr>" * PUBLIC_ROWS
    body = (
        "<header>"
        f'<p class="group-name">{esc(meeting.group_name)}</p>'
        f"<h1>Sign-in sheet: {esc(meeting.title)}</h1>"
        f'<p class="meta">{esc(whom)} · {esc(held)}</p>'
        "</header>"
        '<table class="sheet members"><caption>Members: please sign beside your name</caption>'
        '<thead><tr><th scope="col">Name</th><th scope="col">Signature</th></tr></thead>'
        f"<tbody>{members}</tbody></table>"
        '<section class="public-sheet">'
        "<h2>Members of the public</h2>"
        f'<p class="meta">{esc(meeting.title)} · {esc(whom)} · {esc(when)}</p>'
        '<table class="sheet public"><caption>Please sign in</caption>'
        '<thead><tr><th scope="col" class="name">Name</th><th scope="col">Signature</th>'
        '<th scope="col" class="contact">Contact (optional)</th></tr></thead>'
        f"<tbody>{public}</tbody></table>"
        f'<p class="small">{esc(PRIVACY)}</p>'
        "</section>"
    )
    title = f"Sign-in sheet: {meeting.title} — {meeting.group_name}"
    return document(title=title, body=body, css=CSS)
