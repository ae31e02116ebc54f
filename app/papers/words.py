"""How the papers say things: dates, times, sizes, interests and votes, in British English.

Plain text in, plain text out; the callers escape it for HTML. Month and day names are
written here rather than taken from the computer's locale, so a paper reads the same
on every laptop. A date that does not parse is printed as it was given, not refused:
a clerk must always be able to print.
"""

from __future__ import annotations

from datetime import datetime

from app.meeting_view import MeetingView, Resolution, Vote

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# The Members' Code of Conduct's words for each kind of interest (LGA model code, 2020).
INTERESTS = {
    "pecuniary": "disclosable pecuniary interest",
    "other_registrable": "other registrable interest",
    "non_registrable": "non-registrable interest",
}


def _parse(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def long_date(text: str) -> str:
    """ "2027-01-14" (or a date and time) as "Thursday 14 January 2027"."""
    when = _parse(text)
    if when is None:
        return text
    return f"{DAYS[when.weekday()]} {when.day} {MONTHS[when.month - 1]} {when.year}"


def short_date(text: str) -> str:
    """ "2027-02-05" as "5 February 2027": for tables, where the weekday is clutter."""
    when = _parse(text)
    if when is None:
        return text
    return f"{when.day} {MONTHS[when.month - 1]} {when.year}"


def clock_time(text: str) -> str:
    """The time of "2027-01-14T19:30" as "7.30pm"; "7pm" on the hour, "12 noon" at noon."""
    when = _parse(text)
    if when is None or len(text.strip()) <= len("2027-01-14"):
        return ""  # a date alone: no time to say
    if (when.hour, when.minute) == (12, 0):
        return "12 noon"
    if (when.hour, when.minute) == (0, 0):
        return "midnight"
    hour = when.hour % 12 or 12
    minutes = f".{when.minute:02d}" if when.minute else ""
    return f"{hour}{minutes}{'am' if when.hour < 12 else 'pm'}"


def date_and_time(text: str) -> str:
    """ "Thursday 14 January 2027 at 7.30pm" (just the date when no time is given)."""
    clock = clock_time(text)
    return f"{long_date(text)} at {clock}" if clock else long_date(text)


def file_size(size: int) -> str:
    """A paper's size as a file manager shows it: "812 bytes", "84 KB", "2.4 MB"."""
    if size < 1024:
        return "1 byte" if size == 1 else f"{max(size, 0)} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def span(seconds: float) -> str:
    """A wait in the largest two units that say it: "40 min", "3 h 20 min", "2 days 4 h"."""
    minutes = max(round(seconds / 60), 0)
    if minutes < 60:
        return "under a minute" if seconds < 30 else f"{max(minutes, 1)} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    unit = "day" if days == 1 else "days"
    return f"{days} {unit} {hours} h" if hours else f"{days} {unit}"


def names(people: list[str]) -> str:
    """ "Ann, Bob and Cat"."""
    if len(people) <= 1:
        return "".join(people)
    return f"{', '.join(people[:-1])} and {people[-1]}"


def motion(text: str) -> str:
    """The motion's words as they follow "RESOLVED": always starting "that", with a full stop.

    Clerks write "that the precept be set at …" and sometimes leave off the "that".
    """
    words = " ".join(text.split())
    if not words.lower().startswith("that "):
        words = f"that {words}"
    return words if words[-1] in ".!?" else f"{words}."


def resolution_line(resolution: Resolution) -> tuple[str, str]:
    """("RESOLVED", "that …."), or ("The motion", "that … was not carried.") when it fell."""
    said = motion(resolution.text)
    if resolution.carried:
        return "RESOLVED", said
    return "The motion", f"{said[:-1]} was not carried."


def mover(resolution: Resolution) -> str:
    """ "Proposed by Ann Brown, seconded by Bob Hall." (or what is known of it)."""
    parts = []
    if resolution.proposer:
        parts.append(f"Proposed by {resolution.proposer}")
    if resolution.seconder:
        parts.append(f"seconded by {resolution.seconder}" if parts else
                     f"Seconded by {resolution.seconder}")  # fmt: skip
    return ", ".join(parts) + "." if parts else ""


def vote_line(vote: Vote, *, carried: bool) -> str:
    """How the vote went, in the words minutes use.

    A recorded vote is counted from its names (the names are the record); a count of
    nothing at all, with no names, says nothing (agreed without a vote being counted).
    """
    if vote.unanimous:
        return "Carried unanimously." if carried else "All voted against."
    counts = [vote.for_, vote.against, vote.abstain]
    if vote.recorded:
        counts = [sum(1 for _n, how in vote.recorded if how == way) for way in _WAYS]
    if not any(counts):
        return ""
    line = f"For {counts[0]}, Against {counts[1]}, Abstain {counts[2]}."
    if vote.casting in ("for", "against"):
        line += f" The votes being equal, the Chair gave a casting vote {vote.casting} the motion."
    return line


_WAYS = ("for", "against", "abstain")
RECORDED_HEADINGS = {"for": "For", "against": "Against", "abstain": "Abstained"}


def recorded_by_way(vote: Vote) -> list[tuple[str, list[str]]]:
    """A recorded vote's names grouped (For, Against, Abstained), each in the order given."""
    return [
        (RECORDED_HEADINGS[way], [name for name, how in vote.recorded if how == way])
        for way in _WAYS
        if any(how == way for _n, how in vote.recorded)
    ]


def venue(mode: str, place: str) -> str:
    """Where, as it follows "held": "at the Village Hall", "remotely (…)", "at … and remotely"."""
    place = place.strip()
    if mode == "remote":
        return f"remotely ({place})" if place else "remotely"
    if mode == "hybrid":
        return f"at {place} and remotely" if place else "in person and remotely"
    return f"at {place}" if place else ""


def the_meeting(title: str) -> str:
    """The title as it follows "attend": "the January meeting", "an extraordinary meeting"."""
    title = title.strip() or "meeting"
    first = title.split(" ", 1)[0].lower()
    return title if first in ("the", "a", "an") else f"the {title}"


def of_whom(group: str, body: str) -> str:
    """ "Ashby Parish Council (Full council)", or the group's name alone."""
    return f"{group} ({body})" if body.strip() else group


def held(meeting: MeetingView) -> str:
    """Where and when, as it follows "held": "at the Village Hall on Thursday 14 … at 7.30pm"."""
    where = venue(meeting.mode, meeting.place)
    return " ".join(p for p in (where, "on", date_and_time(meeting.starts_at)) if p)
