"""Meetings as a clerk keeps them: the agenda, who came, declarations, minutes, votes,
actions, and approval at a later meeting, which freezes the record.

Each write checks and writes in one transaction; each read composes the meeting in
one. The merge rules (``app.kinds.meetings``) decide who may write; the checks here
are the ones a person should hear about before anything is written.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from app.apply import row_to_op
from app.canonical import canonical_json
from app.errors import InvalidInput, NotAllowed, NotFound
from app.ids import authored_id
from app.kinds.meetings import STANDARD_ITEMS, record_hash
from app.meeting_view import (
    ACTION_STATES,
    ATTENDANCE,
    INTERESTS,
    MODES,
    Action,
    Approval,
    Attendee,
    Correction,
    Declaration,
    Item,
    MeetingView,
    Paper,
    Resolution,
    Signature,
    Vote,
    agenda_record,
    from_record,
    to_record,
)
from app.minute_numbers import council_year, format_minute_number, parse_minute_number
from app.ops import is_hex, verify_signature
from app.roles import CLERK, ROLE_RANK
from app.services.common import clean_title, group_of, require_group
from app.services.members import names_in, role_in
from app.store import Store
from app.summons import summons_by
from app.text_crdt import edit_update, render
from app.text_merge import edit_from_base
from app.writer import Writer, writing

STANDARD_TITLES = {
    "apologies": "Apologies for absence",
    "declarations": "Declarations of interest",
    "last_minutes": "Minutes of the last meeting",
    "public": "Public participation",
    "actions": "Actions from previous meetings",
}
POSITION_STEP = 1_000  # agenda positions leave room to insert between two items
MAX_MINUTES = 200_000


@dataclass(frozen=True)
class MeetingSummary:
    id: str
    title: str
    starts_at: str
    body: str
    stage: str
    summons_by: str
    items: int


@dataclass(frozen=True)
class Verification:
    """Whether approved minutes are as they were approved; what is wrong if not."""

    meeting_id: str
    approved: bool
    unchanged: bool
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoggedAction:
    """An action in the group's log, with where it came from."""

    action: Action
    meeting_id: str
    meeting_title: str
    item_title: str


# --- checks ----------------------------------------------------------------------------


def parse_when(text: str) -> str:
    """'2027-01-14T19:30' (seconds and a space for the T are taken too)."""
    try:
        when = datetime.fromisoformat(text.strip().replace(" ", "T"))
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not a date and time; write it as 2027-01-14T19:30."
        ) from None
    if when.tzinfo is not None:
        raise InvalidInput("Give the meeting's local date and time, with no time zone.")
    return when.strftime("%Y-%m-%dT%H:%M")


def parse_day(text: str) -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise InvalidInput(f"{text!r} is not a date; write it as 2027-01-31.") from None


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"Unknown {what} {value!r}; use one of: {', '.join(allowed)}.")
    return value


def _count(value: int, what: str) -> int:
    if value < 0:
        raise InvalidInput(f"The number of votes {what} cannot be negative.")
    if value > 10_000:
        raise InvalidInput(f"The number of votes {what} is too large.")
    return value


def find_member(db: sqlite3.Connection, group_id: str, who: str) -> str:
    """A member of the group by device id (or its start) or by a unique name."""
    who = who.strip()
    rows = db.execute(
        "SELECT device, display_name FROM members WHERE group_id = ? AND role != 'removed'",
        (group_id,),
    ).fetchall()
    if is_hex(who.lower(), 64) and any(r[0] == who.lower() for r in rows):
        return who.lower()
    named = [r[0] for r in rows if r[1].strip().casefold() == who.casefold()]
    if not named and len(who) >= 6:
        named = [r[0] for r in rows if r[0].startswith(who.lower())]
    if len(named) == 1:
        return str(named[0])
    if named:
        raise InvalidInput(f"More than one member is called {who!r}; give the member's id.")
    raise NotFound(f"No member {who!r} in this group; see 'moot member list'.")


def _meeting_row(db: sqlite3.Connection, meeting_id: str) -> sqlite3.Row:
    row = db.execute(
        "SELECT * FROM meetings WHERE id = ? AND deleted = 0", (meeting_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"No meeting with id {meeting_id!r} in this profile.")
    found: sqlite3.Row = row
    return found


def item_row(db: sqlite3.Connection, item_id: str) -> sqlite3.Row:
    row = db.execute(
        "SELECT * FROM meeting_items WHERE id = ? AND deleted = 0", (item_id,)
    ).fetchone()
    if row is None:
        raise NotFound(f"No agenda item with id {item_id!r} in this profile.")
    found: sqlite3.Row = row
    return found


def open_for_record(db: sqlite3.Connection, meeting_id: str) -> sqlite3.Row:
    meeting = _meeting_row(db, meeting_id)
    if meeting["approved_hlc"] is not None:
        raise NotAllowed(
            "These minutes were approved, and cannot be changed; a correction is a "
            "resolution of a later meeting."
        )
    return meeting


# --- writing ----------------------------------------------------------------------------


def create_meeting(
    *,
    store: Store,
    group_id: str,
    title: str,
    starts_at: str,
    place: str = "",
    body: str = "",
    mode: str = "in_person",
    chair: str | None = None,
    members_draft: bool = False,
    standard_items: bool = True,
) -> str:
    """A meeting, with the standard items every agenda opens with unless told not to."""
    fields: dict[str, Any] = {"title": clean_title(title, "meeting title")}
    fields["starts_at"] = parse_when(starts_at)
    fields["mode"] = _one_of(mode, MODES, "kind of meeting")
    if place.strip():
        fields["place"] = place.strip()[:300]
    if body.strip():
        fields["body"] = body.strip()[:100]
    if members_draft:
        fields["members_draft"] = True
    meeting_id = authored_id(store.device_id)
    with writing(store) as w:
        require_group(w.db, group_id)
        if chair:
            fields["chair"] = find_member(w.db, group_id, chair)
        fields["clerk"] = store.device_id
        w.emit(group_id, "meeting", meeting_id, "create", fields)
        if standard_items:
            for n, standard in enumerate(STANDARD_ITEMS, start=1):
                _emit_item(
                    w,
                    group_id,
                    meeting_id,
                    STANDARD_TITLES[standard],
                    n * POSITION_STEP,
                    standard=standard,
                )
    return meeting_id


def update_meeting(*, store: Store, meeting_id: str, **fields: Any) -> None:
    """Change what the meeting is: title, when, place, body, mode, chair, public."""
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "title":
            changes[name] = clean_title(value, "meeting title")
        elif name == "starts_at":
            changes[name] = parse_when(value)
        elif name == "mode":
            changes[name] = _one_of(value, MODES, "kind of meeting")
        elif name in ("place", "body", "public"):
            changes[name] = str(value).strip()
        elif name != "chair":
            raise InvalidInput(f"A meeting has no field {name!r}.")
    with writing(store) as w:
        meeting = open_for_record(w.db, meeting_id)
        if "chair" in fields:
            changes["chair"] = find_member(w.db, meeting["group_id"], fields["chair"])
        if changes:
            w.emit(meeting["group_id"], "meeting", meeting_id, "update", changes)


def add_item(
    *, store: Store, meeting_id: str, title: str, exempt: bool = False, exempt_reason: str = ""
) -> str:
    """An agenda item at the end of the agenda."""
    title = clean_title(title, "agenda item")
    with writing(store) as w:
        meeting = open_for_record(w.db, meeting_id)
        (last,) = w.db.execute(
            "SELECT COALESCE(MAX(position), 0) FROM meeting_items WHERE meeting_id = ?",
            (meeting_id,),
        ).fetchone()
        return _emit_item(
            w,
            meeting["group_id"],
            meeting_id,
            title,
            last + POSITION_STEP,
            exempt=exempt,
            exempt_reason=exempt_reason,
        )


def update_item(
    *,
    store: Store,
    item_id: str,
    title: str | None = None,
    exempt: bool | None = None,
    exempt_reason: str | None = None,
    deleted: bool | None = None,
) -> None:
    """Retitle an item, mark it Part II (or not), or take it off the agenda."""
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = clean_title(title, "agenda item")
    if exempt is not None:
        changes["exempt"] = exempt
    if exempt_reason is not None:
        changes["exempt_reason"] = exempt_reason.strip()[:500]
    if deleted is not None:
        changes["deleted"] = deleted
    with writing(store) as w:
        item = item_row(w.db, item_id)
        open_for_record(w.db, item["meeting_id"])
        if changes:
            w.emit(item["group_id"], "item", item_id, "update", changes)


def move_item(*, store: Store, item_id: str, step: int) -> None:
    """Move an item ``step`` places up (negative) or down the agenda.

    It takes a position between its new neighbours, so a move on one laptop and an
    item added on another both keep their places.
    """
    with writing(store) as w:
        item = item_row(w.db, item_id)
        open_for_record(w.db, item["meeting_id"])
        order = [
            (r[0], r[1])
            for r in w.db.execute(
                "SELECT id, position FROM meeting_items WHERE meeting_id = ? AND deleted = 0"
                " ORDER BY position, id",
                (item["meeting_id"],),
            )
        ]
        at = next(i for i, (found, _p) in enumerate(order) if found == item_id)
        rest = order[:at] + order[at + 1 :]
        to = min(max(at + step, 0), len(rest))
        if to == at:
            return
        before = rest[to - 1][1] if to > 0 else rest[0][1] - 2 * POSITION_STEP
        after = rest[to][1] if to < len(rest) else rest[-1][1] + 2 * POSITION_STEP
        if after - before < 2:
            raise InvalidInput("The agenda is too crowded here to move the item; try again.")
        w.emit(item["group_id"], "item", item_id, "update", {"position": (before + after) // 2})


def _emit_item(
    w: Writer,
    group_id: str,
    meeting_id: str,
    title: str,
    position: int,
    *,
    exempt: bool = False,
    exempt_reason: str = "",
    standard: str | None = None,
) -> str:
    item_id = authored_id(w.store.device_id)
    fields: dict[str, Any] = {"meeting_id": meeting_id, "title": title, "position": position}
    if exempt:
        fields["exempt"] = True
        if exempt_reason.strip():
            fields["exempt_reason"] = exempt_reason.strip()[:500]
    if standard:
        fields["standard"] = standard
    w.emit(group_id, "item", item_id, "create", fields)
    return item_id


def set_attendance(
    *,
    store: Store,
    meeting_id: str,
    member: str,
    status: str,
    apologies_accepted: bool | None = None,
) -> str:
    """Mark one member present, with apologies, absent or attending remotely; their id."""
    _one_of(status, ATTENDANCE, "attendance")
    with writing(store) as w:
        meeting = open_for_record(w.db, meeting_id)
        device = find_member(w.db, meeting["group_id"], member)
        fields: dict[str, Any] = {"member": device, "status": status}
        if status == "apologies" and apologies_accepted is not None:
            fields["apologies_accepted"] = apologies_accepted
        w.emit(meeting["group_id"], "attendance", meeting_id, "set", fields)
    return device


def declare(
    *,
    store: Store,
    item_id: str,
    member: str,
    kind: str,
    nature: str,
    dispensation: bool = False,
    left_room: bool = False,
) -> str:
    """A member's declaration of an interest in an item."""
    _one_of(kind, INTERESTS, "kind of interest")
    if not nature.strip():
        raise InvalidInput("Say what the interest is.")
    declaration_id = authored_id(store.device_id)
    with writing(store) as w:
        item = item_row(w.db, item_id)
        open_for_record(w.db, item["meeting_id"])
        fields: dict[str, Any] = {
            "item_id": item_id,
            "member": find_member(w.db, item["group_id"], member),
            "kind": kind,
            "nature": nature.strip()[:2_000],
        }
        if dispensation:
            fields["dispensation"] = True
        if left_room:
            fields["left_room"] = True
        w.emit(item["group_id"], "declaration", declaration_id, "create", fields)
    return declaration_id


def minute(*, store: Store, item_id: str, text: str) -> None:
    """Add a paragraph to the item's minutes."""
    if not text.strip():
        raise InvalidInput("The minute cannot be empty.")
    with writing(store) as w:
        item = item_row(w.db, item_id)
        current = str(item["minutes"])
        joined = f"{current.rstrip()}\n\n{text.strip()}" if current.strip() else text.strip()
        _write_minutes(w, item, joined + "\n")


def set_minutes(*, store: Store, item_id: str, text: str, base: str | None = None) -> str:
    """Turn the item's minutes from ``base`` (what the writer last saw; by default what
    is stored) into ``text``, and return the minutes as they now read.

    Words that reached the store since ``base`` (another laptop's, merged by a sync)
    are kept: the changes from ``base`` to ``text`` are made on the stored text.
    """
    with writing(store) as w:
        item = item_row(w.db, item_id)
        current = str(item["minutes"])
        if base is not None and base != current and item["ydoc"] is not None:
            update, made = edit_from_base(
                item["ydoc"], base, item["ydoc"], text, device=w.store.device_id
            )
            merged = render(made)
            if merged != current:
                _write_minutes(w, item, merged, update=update)
            return merged
        if text != current:
            _write_minutes(w, item, text)
        return text


def _write_minutes(w: Writer, item: sqlite3.Row, text: str, *, update: str | None = None) -> None:
    if len(text) > MAX_MINUTES:
        raise InvalidInput(f"An item's minutes are at most {MAX_MINUTES:,} characters.")
    open_for_record(w.db, item["meeting_id"])
    update = update or edit_update(item["ydoc"], text, device=w.store.device_id)
    w.emit(item["group_id"], "item", item["id"], "minute", {"update": update})
    _number(w, item)


def _number(w: Writer, item: sqlite3.Row) -> None:
    """Give the item its minute number, the next in its council year, if it has none.

    Numbers are the clerk's to give: a member drafting a minute leaves it to them.
    """
    if item["minute_number"] is not None:
        return
    if ROLE_RANK[role_in(w.db, item["group_id"], w.store.device_id)] < CLERK:
        return
    (starts_at,) = w.db.execute(
        "SELECT starts_at FROM meetings WHERE id = ?", (item["meeting_id"],)
    ).fetchone()
    year = council_year(date.fromisoformat(starts_at[:10]))
    used = [
        parse_minute_number(r[0])[1]
        for r in w.db.execute(
            "SELECT minute_number FROM meeting_items WHERE group_id = ?"
            " AND minute_number IS NOT NULL",
            (item["group_id"],),
        )
        if parse_minute_number(r[0])[0] == year
    ]
    number = format_minute_number(year, max(used, default=0) + 1)
    w.emit(item["group_id"], "item", item["id"], "update", {"minute_number": number})


def resolve(
    *,
    store: Store,
    item_id: str,
    text: str,
    votes_for: int = 0,
    votes_against: int = 0,
    abstain: int = 0,
    unanimous: bool = False,
    proposer: str | None = None,
    seconder: str | None = None,
    recorded: list[tuple[str, str]] | None = None,
    casting: str | None = None,
    corrects: str | None = None,
) -> str:
    """A motion put to the item, as decided: carried if unanimous, if more were for it
    than against, or on the chair's casting vote; else it fell, and is recorded so.
    """
    text = text.strip()
    for prefix in ("RESOLVED that ", "resolved that ", "RESOLVED: ", "That ", "that "):
        text = text.removeprefix(prefix)
    if not text:
        raise InvalidInput("Say what was resolved.")
    counts = {
        "votes_for": _count(votes_for, "for"),
        "votes_against": _count(votes_against, "against"),
        "abstain": _count(abstain, "abstaining"),
    }
    if unanimous and (votes_against or abstain):
        raise InvalidInput("A unanimous vote has none against and no abstentions.")
    if casting is not None:
        _one_of(casting, ("for", "against"), "casting vote")
        if votes_for != votes_against:
            raise InvalidInput("The chair gives a casting vote only on a tie.")
    if not unanimous and not recorded and votes_for == votes_against == abstain == 0:
        raise InvalidInput("Give the vote: --for, --against and --abstain, or --unanimous.")
    if corrects is not None:
        parse_minute_number(corrects)
    resolution_id = authored_id(store.device_id)
    with writing(store) as w:
        item = item_row(w.db, item_id)
        open_for_record(w.db, item["meeting_id"])
        group_id = item["group_id"]
        named = [(find_member(w.db, group_id, who), how) for who, how in recorded or []]
        for _who, how in named:
            _one_of(how, ("for", "against", "abstain"), "recorded vote")
        if named:
            tally = {how: sum(1 for _w, h in named if h == how) for how in ("for", "against")}
            counts["votes_for"], counts["votes_against"] = tally["for"], tally["against"]
            counts["abstain"] = sum(1 for _w, h in named if h == "abstain")
        carried = (
            unanimous
            or counts["votes_for"] > counts["votes_against"]
            or (counts["votes_for"] == counts["votes_against"] and casting == "for")
        )
        fields: dict[str, Any] = {"item_id": item_id, "text": text, "carried": carried}
        fields.update({k: v for k, v in counts.items() if v})
        if unanimous:
            fields["unanimous"] = True
        if named:
            fields["recorded"] = [list(x) for x in named]
        if casting:
            fields["casting"] = casting
        if proposer:
            fields["proposer"] = find_member(w.db, group_id, proposer)
        if seconder:
            fields["seconder"] = find_member(w.db, group_id, seconder)
        if corrects:
            fields["corrects"] = corrects
        w.emit(group_id, "resolution", resolution_id, "create", fields)
        _number(w, item)
    return resolution_id


def add_action(
    *, store: Store, item_id: str, text: str, owner: str | None = None, due: str | None = None
) -> str:
    if not text.strip():
        raise InvalidInput("Say what is to be done.")
    action_id = authored_id(store.device_id)
    with writing(store) as w:
        item = item_row(w.db, item_id)
        open_for_record(w.db, item["meeting_id"])
        fields: dict[str, Any] = {"item_id": item_id, "text": text.strip()[:2_000]}
        if owner:
            fields["owner"] = find_member(w.db, item["group_id"], owner)
        if due:
            fields["due"] = parse_day(due)
        w.emit(item["group_id"], "action", action_id, "create", fields)
    return action_id


def set_action_status(*, store: Store, action_id: str, status: str) -> None:
    """Open, done or dropped: an action's status may change after its minutes are approved."""
    _one_of(status, ACTION_STATES, "action status")
    with writing(store) as w:
        group_id = group_of(w.db, "actions", action_id, "action")
        w.emit(group_id, "action", action_id, "update", {"status": status})


def circulate(*, store: Store, meeting_id: str) -> None:
    """Send the draft minutes round: the stage moves on, and every item gets its number."""
    with writing(store) as w:
        meeting = open_for_record(w.db, meeting_id)
        for item in w.db.execute(
            "SELECT * FROM meeting_items WHERE meeting_id = ? AND deleted = 0"
            " ORDER BY position, id",
            (meeting_id,),
        ).fetchall():
            _number(w, item)
        w.emit(meeting["group_id"], "meeting", meeting_id, "update", {"stage": "circulated"})


def issue_summons(*, store: Store, meeting_id: str, issued_on: str | None = None) -> str:
    """Send the summons and agenda: the day is kept, and the public agenda as it stands
    (Part II items left out) goes with it for the hub to publish. Issued again after
    the agenda changed, the newer agenda is the one published. Returns the day.
    """
    day = parse_day(issued_on) if issued_on else date.today().isoformat()
    with writing(store) as w:
        meeting = open_for_record(w.db, meeting_id)
        if day > meeting["starts_at"][:10]:
            raise InvalidInput("A summons goes out before the meeting, not after it.")
        agenda = canonical_json(agenda_record(meeting_in(w.db, meeting_id)))
        fields = {"issued_on": day, "agenda": agenda}
        w.emit(meeting["group_id"], "meeting", meeting_id, "summon", fields)
    return day


def approve(*, store: Store, meeting_id: str, at: str) -> str:
    """Approve the minutes as a true record by a resolution of the later meeting ``at``.

    The resolution is minuted on the later meeting's "minutes of the last meeting"
    item; the record as it stands now is frozen, and this laptop's device signs its
    hash. Returns the resolution's id.
    """
    with writing(store) as w:
        meeting = open_for_record(w.db, meeting_id)
        later = _meeting_row(w.db, at)
        if later["group_id"] != meeting["group_id"]:
            raise InvalidInput("Minutes are approved at a meeting of the same group.")
        if later["starts_at"] <= meeting["starts_at"]:
            raise InvalidInput(
                f"Minutes are approved at a later meeting; {later['title']!r} is on "
                f"{later['starts_at'][:10]}, not after {meeting['starts_at'][:10]}."
            )
        if later["approved_hlc"] is not None:
            raise NotAllowed(f"The minutes of {later['title']!r} are approved already.")
        for item in w.db.execute(
            "SELECT * FROM meeting_items WHERE meeting_id = ? AND deleted = 0",
            (meeting_id,),
        ).fetchall():
            _number(w, item)
        approval = approval_fields(w.db, meeting_id, at)
        target = w.db.execute(
            "SELECT * FROM meeting_items WHERE meeting_id = ? AND deleted = 0"
            " ORDER BY standard = 'last_minutes' DESC, position LIMIT 1",
            (at,),
        ).fetchone()
        if target is None:
            raise InvalidInput(f"{later['title']!r} has no agenda item to approve minutes at.")
        resolution_id = authored_id(store.device_id)
        words = approval_words(meeting["starts_at"])
        w.emit(
            later["group_id"],
            "resolution",
            resolution_id,
            "create",
            {"item_id": target["id"], "text": words, "carried": True, "unanimous": True},
        )
        _number(w, target)
        w.emit(
            meeting["group_id"],
            "meeting",
            meeting_id,
            "approve",
            approval,
        )
    return resolution_id


def approval_fields(db: sqlite3.Connection, meeting_id: str, at: str) -> dict[str, Any]:
    """What an approval at meeting ``at`` carries: the record as it stands, and its hash."""
    record = canonical_json(to_record(meeting_in(db, meeting_id)))
    return {"at": at, "content_hash": record_hash(record), "record": record}


def approval_words(starts_at: str) -> str:
    """The resolution that approves the minutes of the meeting held at ``starts_at``."""
    day = date.fromisoformat(starts_at[:10])
    return (
        f"the minutes of the meeting held on {day.day} {day.strftime('%B %Y')} be "
        "approved as a true record and signed by the chair"
    )


def sign(*, store: Store, meeting_id: str, chair: str, signed_at: str | None = None) -> None:
    """Record the chair's signature on approved minutes: who, when, on this device."""
    when = parse_when(signed_at) if signed_at else datetime.now().strftime("%Y-%m-%dT%H:%M")
    with writing(store) as w:
        meeting = _meeting_row(w.db, meeting_id)
        if meeting["approved_hlc"] is None:
            raise NotAllowed("The minutes are signed once a later meeting has approved them.")
        fields = {"chair": find_member(w.db, meeting["group_id"], chair), "signed_at": when}
        w.emit(meeting["group_id"], "meeting", meeting_id, "sign", fields)


# --- reading ----------------------------------------------------------------------------


def list_meetings(*, store: Store, group_id: str) -> list[MeetingSummary]:
    with store.read() as db:
        require_group(db, group_id)
        rows = db.execute(
            "SELECT m.id, m.title, m.starts_at, m.body, CASE WHEN m.signed_chair IS NOT NULL"
            " THEN 'signed' WHEN m.approved_hlc IS NOT NULL THEN 'approved' ELSE m.stage END,"
            " (SELECT COUNT(*) FROM meeting_items i WHERE i.meeting_id = m.id AND i.deleted = 0)"
            " FROM meetings m WHERE m.group_id = ? AND m.deleted = 0 ORDER BY m.starts_at, m.id",
            (group_id,),
        ).fetchall()
    return [MeetingSummary(r[0], r[1], r[2], r[3], r[4], _summons_by(r[2]), r[5]) for r in rows]


def read_meeting(*, store: Store, meeting_id: str) -> MeetingView:
    """The meeting with everything in it, read in one transaction."""
    with store.read() as db:
        return meeting_in(db, meeting_id)


def read_for_sign_in(*, store: Store, meeting_id: str) -> MeetingView:
    """The meeting for its sign-in sheet: printed before anyone is marked present, it
    lists every member of the group; once attendance is taken, those recorded.
    """
    with store.read() as db:
        view = meeting_in(db, meeting_id)
        if view.attendees:
            return view
        names = names_in(db, view.group_id)
        current = [
            r[0]
            for r in db.execute(
                "SELECT device FROM members WHERE group_id = ? AND role != 'removed'",
                (view.group_id,),
            )
        ]
    expected = sorted(
        (Attendee(device, names[device], "present") for device in current),
        key=lambda a: (a.name.casefold(), a.member),
    )
    return replace(view, attendees=tuple(expected))


def export_paper(
    *, store: Store, meeting_id: str, paper: str, path: Path, include_exempt: bool = False
) -> None:
    """Print one of the meeting's papers ("agenda", "sign_in", "minutes") to a PDF file."""
    from app.papers import PAPERS, write_pdf  # the PDF engine loads only when printing

    kind = next((k for k in PAPERS if k == paper), None)
    if kind is None:
        raise InvalidInput(
            f"There is no paper called {paper!r}: choose one of {', '.join(PAPERS)}."
        )
    read = read_for_sign_in if kind == "sign_in" else read_meeting
    write_pdf(kind, read(store=store, meeting_id=meeting_id), path, include_exempt=include_exempt)


def meeting_in(db: sqlite3.Connection, meeting_id: str) -> MeetingView:
    m = _meeting_row(db, meeting_id)
    names = names_in(db, m["group_id"])
    (group_name,) = db.execute("SELECT name FROM groups WHERE id = ?", (m["group_id"],)).fetchone()
    today = date.today().isoformat()
    approval = signature = None
    if m["approved_hlc"] is not None:
        later = db.execute(
            "SELECT title, starts_at FROM meetings WHERE id = ?", (m["approved_at"],)
        ).fetchone()
        approval = Approval(
            at_meeting=m["approved_at"],
            at_title=later[0] if later else "",
            at_date=later[1][:10] if later else "",
            approved_by=names.get(m["approved_by"], m["approved_by"][:12]),
            device=m["approved_by"],
            content_hash=m["content_hash"],
        )
    if m["signed_chair"] is not None:
        signature = Signature(
            chair=names.get(m["signed_chair"], m["signed_chair"][:12]),
            signed_at=m["signed_at"],
            device=m["signed_device"],
        )
    rest: dict[str, Any] = {
        "summons_by": _summons_by(m["starts_at"]),
        "summons_sent": m["summons_sent"],
        "stage": _stage(m),
        "approval": approval,
        "signature": signature,
    }
    if m["record"] is not None:
        states = {
            r[0]: (r[1], r[1] == "open" and r[2] is not None and r[2] < today)
            for r in db.execute(
                "SELECT id, status, due FROM actions WHERE group_id = ?", (m["group_id"],)
            )
        }
        record: dict[str, Any] = json.loads(m["record"])
        altered = record_hash(m["record"]) != m["content_hash"]
        view = from_record(record, actions=states, altered=altered, **rest)
        return replace(view, corrections=_corrections(db, view))
    return MeetingView(
        id=m["id"],
        group_id=m["group_id"],
        group_name=group_name,
        title=m["title"],
        starts_at=m["starts_at"],
        body=m["body"],
        place=m["place"],
        mode=m["mode"],
        chair=names.get(m["chair"]) if m["chair"] else None,
        clerk=names.get(m["clerk"]) if m["clerk"] else None,
        public=m["public"],
        members_draft=bool(m["members_draft"]),
        attendees=_attendees(db, m["id"], names),
        items=_items(db, m, names, today),
        **rest,
    )


def _corrections(db: sqlite3.Connection, view: MeetingView) -> tuple[Correction, ...]:
    """Later meetings' resolutions that correct these minutes, in the order they were made."""
    numbers = [i.minute_number for i in view.items if i.minute_number]
    if not numbers:
        return ()
    rows = db.execute(
        "SELECT r.corrects, r.text, e.title, e.starts_at, i.minute_number FROM resolutions r"
        " JOIN meeting_items i ON i.id = r.item_id JOIN meetings e ON e.id = i.meeting_id"
        f" WHERE r.group_id = ? AND r.deleted = 0 AND r.carried = 1 AND e.id != ?"
        f" AND r.corrects IN ({','.join('?' * len(numbers))}) ORDER BY e.starts_at, r.created_hlc",
        (view.group_id, view.id, *numbers),
    )
    return tuple(Correction(r[0], r[1], r[2], r[3][:10], r[4]) for r in rows)


def _stage(m: sqlite3.Row) -> str:
    if m["signed_chair"] is not None:
        return "signed"
    return "approved" if m["approved_hlc"] is not None else str(m["stage"])


def _summons_by(starts_at: str) -> str:
    return summons_by(date.fromisoformat(starts_at[:10])).isoformat()


def _attendees(
    db: sqlite3.Connection, meeting_id: str, names: dict[str, str]
) -> tuple[Attendee, ...]:
    rows = db.execute(
        "SELECT member, status, apologies_accepted FROM attendance WHERE meeting_id = ?",
        (meeting_id,),
    ).fetchall()
    people = [
        Attendee(r[0], names.get(r[0], r[0][:12]), r[1], None if r[2] is None else bool(r[2]))
        for r in rows
    ]
    return tuple(sorted(people, key=lambda a: (a.name.casefold(), a.member)))


def _items(
    db: sqlite3.Connection, m: sqlite3.Row, names: dict[str, str], today: str
) -> tuple[Item, ...]:
    rows = db.execute(
        "SELECT * FROM meeting_items WHERE meeting_id = ? AND deleted = 0 ORDER BY position, id",
        (m["id"],),
    ).fetchall()
    items = []
    for number, row in enumerate(rows, start=1):
        actions = _actions(db, "item_id = ?", (row["id"],), names, today)
        if row["standard"] == "actions":
            actions = _carried_actions(db, m, names, today) + actions
        items.append(
            Item(
                id=row["id"],
                number=number,
                title=row["title"],
                minute_number=row["minute_number"],
                exempt=bool(row["exempt"]),
                standard=row["standard"],
                minutes=row["minutes"],
                declarations=_declarations(db, row["id"], names),
                resolutions=_resolutions(db, row["id"], names),
                actions=actions,
                papers=_papers(db, row["id"]),
            )
        )
    return tuple(items)


def _declarations(
    db: sqlite3.Connection, item_id: str, names: dict[str, str]
) -> tuple[Declaration, ...]:
    return tuple(
        Declaration(
            id=r[0],
            member=r[1],
            name=names.get(r[1], r[1][:12]),
            kind=r[2],
            nature=r[3],
            dispensation=bool(r[4]),
            left_room=bool(r[5]),
        )
        for r in db.execute(
            "SELECT id, member, kind, nature, dispensation, left_room FROM declarations"
            " WHERE item_id = ? AND deleted = 0 ORDER BY created_hlc, id",
            (item_id,),
        )
    )


def _papers(db: sqlite3.Connection, item_id: str) -> tuple[Paper, ...]:
    """The item's papers in the order they were put with it; their bytes are not read."""
    return tuple(
        Paper(id=r[0], name=r[1], size=r[2], sha256=r[3], media_type=r[4])
        for r in db.execute(
            "SELECT id, name, size, sha256, media_type FROM item_papers"
            " WHERE item_id = ? AND deleted = 0 ORDER BY created_hlc, id",
            (item_id,),
        )
    )


def _resolutions(
    db: sqlite3.Connection, item_id: str, names: dict[str, str]
) -> tuple[Resolution, ...]:
    out = []
    for r in db.execute(
        "SELECT * FROM resolutions WHERE item_id = ? AND deleted = 0 ORDER BY created_hlc, id",
        (item_id,),
    ):
        recorded = tuple((names.get(who, who[:12]), how) for who, how in json.loads(r["recorded"]))
        vote = Vote(
            for_=r["votes_for"],
            against=r["votes_against"],
            abstain=r["abstain"],
            unanimous=bool(r["unanimous"]),
            recorded=recorded,
            casting=r["casting"],
        )
        out.append(
            Resolution(
                id=r["id"],
                text=r["text"],
                carried=bool(r["carried"]),
                vote=vote,
                proposer=names.get(r["proposer"]) if r["proposer"] else None,
                seconder=names.get(r["seconder"]) if r["seconder"] else None,
                corrects=r["corrects"],
            )
        )
    return tuple(out)


def _actions(
    db: sqlite3.Connection,
    where: str,
    params: tuple[Any, ...],
    names: dict[str, str],
    today: str,
) -> tuple[Action, ...]:
    return tuple(
        Action(
            id=r[0],
            item_id=r[1],
            text=r[2],
            owner=names.get(r[3]) if r[3] else None,
            due=r[4],
            status=r[5],
            overdue=r[5] == "open" and r[4] is not None and r[4] < today,
        )
        for r in db.execute(
            f"SELECT id, item_id, text, owner, due, status FROM actions WHERE {where}"
            " AND deleted = 0 ORDER BY created_hlc, id",
            params,
        )
    )


def _carried_actions(
    db: sqlite3.Connection, m: sqlite3.Row, names: dict[str, str], today: str
) -> tuple[Action, ...]:
    """Actions still open from the group's earlier meetings, carried onto this agenda."""
    return _actions(
        db,
        "status = 'open' AND item_id IN (SELECT i.id FROM meeting_items i JOIN meetings e"
        " ON e.id = i.meeting_id WHERE e.group_id = ? AND e.starts_at < ? AND e.deleted = 0)",
        (m["group_id"], m["starts_at"]),
        names,
        today,
    )


def action_log(*, store: Store, group_id: str) -> list[LoggedAction]:
    """Every action of the group's meetings: open ones first, the oldest due first."""
    with store.read() as db:
        require_group(db, group_id)
        return action_log_in(db, group_id, date.today().isoformat())


def action_log_in(db: sqlite3.Connection, group_id: str, today: str) -> list[LoggedAction]:
    names = names_in(db, group_id)
    where = {
        r[0]: (r[1], r[2], r[3])
        for r in db.execute(
            "SELECT i.id, e.id, e.title, i.title FROM meeting_items i JOIN meetings e"
            " ON e.id = i.meeting_id WHERE e.group_id = ?",
            (group_id,),
        )
    }
    actions = _actions(db, "group_id = ?", (group_id,), names, today)
    logged = [LoggedAction(a, *where[a.item_id]) for a in actions if a.item_id in where]
    return sorted(logged, key=lambda x: (x.action.status != "open", x.action.due or "9999"))


def verify(*, store: Store, meeting_id: str) -> Verification:
    """Whether approved minutes are unchanged since approval.

    The approval op is checked against its signature; the record it froze against the
    hash it signed; and the copy the profile shows against both.
    """
    with store.read() as db:
        m = _meeting_row(db, meeting_id)
        if m["approve_op"] is None:
            return Verification(
                meeting_id,
                approved=False,
                unchanged=False,
                problems=("These minutes have not been approved.",),
            )
        row = db.execute("SELECT * FROM ops WHERE id = ?", (m["approve_op"],)).fetchone()
        op = row_to_op(row, store.sealer) if row is not None else None
    problems = []
    if op is None:
        problems.append("The approval is missing from this profile's log.")
    else:
        if not verify_signature(op):
            problems.append("The approval's signature does not verify: its log entry was altered.")
        if op.fields.get("content_hash") != m["content_hash"]:
            problems.append("The hash shown is not the one the clerk's device signed.")
        if op.fields.get("record") != m["record"]:
            problems.append("The minutes shown are not the ones approved.")
        signed_hash = op.fields.get("content_hash")
        record = op.fields.get("record")
        if not isinstance(record, str) or record_hash(record) != signed_hash:
            problems.append("The approved record does not match the hash that was signed.")
    if m["record"] is None or record_hash(m["record"]) != m["content_hash"]:
        problems.append("The minutes shown do not match the approved hash.")
    return Verification(meeting_id, approved=True, unchanged=not problems, problems=tuple(problems))
