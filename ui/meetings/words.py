"""How a meeting is said on screen: its row in the list, its header, and its record.

The record is one HTML page (escaped, nothing fetched) for a ``QTextBrowser``: every
item in agenda order with its minute number, minutes, declarations, resolutions and
actions, each item under an anchor ``item-N`` so the agenda list can scroll to it.
"""

from __future__ import annotations

from datetime import date
from html import escape

from app.meeting_view import (
    Action,
    Correction,
    Declaration,
    Item,
    MeetingView,
    Paper,
    Resolution,
    Vote,
)
from app.papers.words import file_size
from app.services.meetings import MeetingSummary
from ui.meetings import tr

UPCOMING, DRAFTS, APPROVED = "upcoming", "drafts", "approved"
SECTIONS = (
    (UPCOMING, "Upcoming"),
    (DRAFTS, "Drafts to approve"),
    (APPROVED, "Approved"),
)
STAGES = {
    "draft": "Draft",
    "circulated": "Circulated",
    "approved": "Approved",
    "signed": "Approved · signed",
}
ATTENDANCE = {
    "present": "Present",
    "apologies": "Apologies",
    "absent": "Absent",
    "remote": "Remote",
}
INTERESTS = {
    "pecuniary": "a disclosable pecuniary interest",
    "other_registrable": "an other registrable interest",
    "non_registrable": "a non-registrable interest",
}


def day(iso: str) -> str:
    """'Thu 14 Jan 2027'."""
    d = date.fromisoformat(iso[:10])
    return f"{d.strftime('%a')} {d.day} {d.strftime('%b %Y')}"


def short_day(iso: str) -> str:
    """'Sun 10 Jan'."""
    d = date.fromisoformat(iso[:10])
    return f"{d.strftime('%a')} {d.day} {d.strftime('%b')}"


def long_when(starts_at: str) -> str:
    """'Thursday 14 January 2027, 19:30'."""
    d = date.fromisoformat(starts_at[:10])
    return f"{d.strftime('%A')} {d.day} {d.strftime('%B %Y')}, {starts_at[11:16]}"


def section_of(meeting: MeetingSummary, today: str) -> str:
    """Approved minutes; minutes of a meeting held still to approve; or still to come."""
    if meeting.stage in ("approved", "signed"):
        return APPROVED
    return DRAFTS if meeting.starts_at[:10] < today else UPCOMING


def row_text(meeting: MeetingSummary) -> str:
    return f"{day(meeting.starts_at)} · {meeting.title}"


def stage_text(stage: str) -> str:
    return tr(STAGES.get(stage, stage))


def summons_line(view: MeetingView, today: str) -> tuple[str, bool]:
    """When the summons went out or must go by, and whether that is too late."""
    if view.summons_sent:
        words = tr("Summons issued {day}").format(day=short_day(view.summons_sent))
        if view.summons_sent > view.summons_by:
            words += tr(", later than three clear days before the meeting")
        return words, view.summons_sent > view.summons_by
    late = view.stage == "draft" and view.summons_by < today <= view.starts_at[:10]
    if late:
        words = tr("The summons was due by {day}: send it now, or move the meeting.")
    else:
        words = tr("Summons by {day}")
    return words.format(day=short_day(view.summons_by)), late


def approval_line(view: MeetingView) -> str:
    if view.approval is None:
        return ""
    a = view.approval
    words = tr("Approved at {meeting} on {day}").format(meeting=a.at_title, day=day(a.at_date))
    if view.signature is not None:
        s = view.signature
        words += tr(" · signed by {chair} on {day}").format(chair=s.chair, day=day(s.signed_at))
    return words


def vote_text(vote: Vote) -> str:
    if vote.unanimous:
        return tr("Unanimous")
    parts = [tr("For {n}").format(n=vote.for_), tr("against {n}").format(n=vote.against)]
    if vote.abstain:
        parts.append(tr("abstaining {n}").format(n=vote.abstain))
    words = ", ".join(parts)
    if vote.casting:
        words += tr("; the chair's casting vote {how}").format(how=vote.casting)
    if vote.recorded:
        words += " (" + "; ".join(f"{name}: {how}" for name, how in vote.recorded) + ")"
    return words


def resolution_text(r: Resolution) -> str:
    if r.carried:
        return tr("RESOLVED that {text}").format(text=r.text)
    return tr("The motion that {text} fell.").format(text=r.text)


def _resolution_html(r: Resolution) -> str:
    who = []
    if r.proposer:
        who.append(tr("proposed by {name}").format(name=r.proposer))
    if r.seconder:
        who.append(tr("seconded by {name}").format(name=r.seconder))
    tail = f" — {', '.join(who)}" if who else ""
    return (
        f"<p><b>{escape(resolution_text(r))}</b><br>"
        f"<span style='color:gray'>{escape(vote_text(r.vote) + tail)}</span></p>"
    )


def _declaration_html(d: Declaration) -> str:
    words = tr("{name} declared {kind}: {nature}").format(
        name=d.name, kind=tr(INTERESTS.get(d.kind, d.kind)), nature=d.nature
    )
    if d.dispensation:
        words += tr(" (dispensation granted)")
    if d.left_room:
        words += tr(" and left the room")
    return f"<p><i>{escape(words)}</i></p>"


def action_text(a: Action) -> str:
    words = tr("Action: {text}").format(text=a.text)
    if a.owner:
        words += f" — {a.owner}"
    if a.due:
        words += tr(", by {day}").format(day=day(a.due))
    if a.status != "open":
        words += f" ({tr(a.status)})"
    elif a.overdue:
        words += tr(" (overdue)")
    return words


def correction_text(c: Correction) -> str:
    where = tr("Corrected at {meeting} on {day}").format(meeting=c.at_title, day=day(c.at_date))
    if c.at_minute:
        where += tr(" (minute {number})").format(number=c.at_minute)
    return f"{where}: {tr('RESOLVED that {text}').format(text=c.text)}"


def _papers_html(papers: tuple[Paper, ...], *, removable: bool) -> str:
    """The item's papers, each a link that opens it (and one that takes it off)."""
    links = []
    for p in papers:
        link = f"<a href='paper:{escape(p.id)}'>{escape(p.name)}</a> ({escape(file_size(p.size))})"
        if removable:
            link += f" <a href='remove-paper:{escape(p.id)}'>{escape(tr('remove'))}</a>"
        links.append(link)
    return f"<p>{escape(tr('Papers:'))} {' · '.join(links)}</p>"


def _item_html(
    item: Item, corrections: tuple[Correction, ...] = (), *, removable: bool = False
) -> str:
    number = f"{item.minute_number} " if item.minute_number else f"{item.number}. "
    part_two = tr(" (Part II, confidential)") if item.exempt else ""
    out = [f"<a name='item-{item.number}'></a><h3>{escape(number + item.title + part_two)}</h3>"]
    if item.papers:
        out.append(_papers_html(item.papers, removable=removable))
    out += [_declaration_html(d) for d in item.declarations]
    for paragraph in item.minutes.split("\n\n"):
        if paragraph.strip():
            out.append(f"<p>{escape(paragraph.strip()).replace(chr(10), '<br>')}</p>")
    out += [_resolution_html(r) for r in item.resolutions]
    out += [f"<p>{escape(action_text(a))}</p>" for a in item.actions]
    out += [
        f"<p style='border-left:3px solid #b26b00;padding-left:6px'>"
        f"{escape(correction_text(c))}</p>"
        for c in corrections
        if c.minute_number == item.minute_number
    ]
    if len(out) == 1 + bool(item.papers):
        out.append(f"<p style='color:gray'>{escape(tr('Nothing minuted yet.'))}</p>")
    return "\n".join(out)


def attendance_line(view: MeetingView) -> str:
    by: dict[str, list[str]] = {}
    for a in view.attendees:
        refused = a.status == "apologies" and a.apologies_accepted is False
        by.setdefault(a.status, []).append(a.name + (tr(" (not accepted)") if refused else ""))
    parts = [
        f"{tr(label)}: {', '.join(by[status])}"
        for status, label in ATTENDANCE.items()
        if by.get(status)
    ]
    if view.public.strip():
        parts.append(tr("Also present: {who}").format(who=view.public.strip()))
    return " · ".join(parts) or tr("No attendance taken yet.")


def record_html(view: MeetingView, *, editable: bool = False) -> str:
    """The record as it reads; ``editable`` offers to take papers off the agenda."""
    head = f"<p style='color:gray'>{escape(attendance_line(view))}</p>"
    return head + "\n".join(
        _item_html(item, view.corrections, removable=editable) for item in view.items
    )
