"""How the council's pages and exports say what a response carries, in British English.

Plain text out; callers escape it. Shared by the officers' pages, the printable
responses and the CSV and workbook exports, so each says it the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from app.papers.words import clock_time, file_size, long_date, short_date
from sync.hub.consultation_responses import Response

LONDON = ZoneInfo("Europe/London")  # consultations close by London's calendar
STATUS = {"draft": "Draft", "open": "Open", "closed": "Closed"}
PUBLICATION = {
    "full": "Published in full, with each group's name",
    "anonymised": "Published without the groups' names",
    "none": "Not published",
}
TYPES = {
    "text": "Written answer",
    "choice": "Choose one",
    "multi": "Choose any",
    "scale": "Agree–disagree scale",
}


def moment(ms: int | None) -> str:
    """A time in ms as "5 February 2027, 7.30pm" in London; "" for none."""
    if ms is None:
        return ""
    when = datetime.fromtimestamp(ms / 1000, UTC).astimezone(LONDON)
    text = when.strftime("%Y-%m-%dT%H:%M")
    return f"{short_date(text)}, {clock_time(text)}"


def day(iso: str) -> str:
    """ "5 February 2027", for tables."""
    return short_date(iso)


def long_day(iso: str) -> str:
    """ "Friday 5 February 2027"."""
    return long_date(iso)


def size(size: int) -> str:
    """ "84 KB", "2.4 MB"."""
    return file_size(size)


def how_agreed(how: str) -> str:
    return {"meeting": "At a meeting", "organiser": "By the organiser"}.get(how, how)


def meeting_text(r: Response) -> str:
    """ "February council, 11 February 2027" (what is known of it)."""
    parts = [r.meeting_title, short_date(r.meeting_date) if r.meeting_date else ""]
    return ", ".join(part for part in parts if part)


def votes_text(r: Response) -> str:
    """ "6 for, 1 against, 2 abstaining" (the counts given); "" when none were."""
    parts = [
        f"{count} {words}"
        for count, words in (
            (r.votes_for, "for"),
            (r.votes_against, "against"),
            (r.votes_abstain, "abstaining"),
        )
        if count is not None
    ]
    return ", ".join(parts)


def received_text(r: Response) -> str:
    return moment(r.received_ms) if r.received_ms is not None else "No receipt"


def late_text(r: Response) -> str:
    """ "Late" or "On time" as the hub's receipt says; "" without a receipt."""
    if r.late is None:
        return ""
    return "Late" if r.late else "On time"


def choices_text(choice: Sequence[str]) -> str:
    return "; ".join(choice)


def percent(value: float) -> str:
    return f"{round(value)}%"


def groups_count(n: int) -> str:
    """ "1 group", "3 groups"."""
    return f"{n} group" if n == 1 else f"{n} groups"
