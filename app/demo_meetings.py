"""A year of the sample council's meetings: monthly, in the village hall, kept by the
deputy clerk, each approved at the next and signed by the chair, with the next one
called and its agenda drafted.

Planned as the rest of the sample group is (``app.demo``): ops by the sample clerk,
stamped in the group's first weeks as if the record were entered then. Approvals are
signed once the rest is in, because an approval freezes the record as it stands.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from app.canonical import canonical_json
from app.meeting_view import agenda_record
from app.minute_numbers import council_year, format_minute_number
from app.services.meetings import STANDARD_TITLES, approval_fields, approval_words, meeting_in

CLERK = "Janet Whitfield"
CHAIR = "David Okafor"
COUNCILLORS = (
    CHAIR,
    "Priya Raman",
    "Tom Hargreaves",
    "Helen Marsh",
    "Raj Malhotra",
    "Linda Foster",
    "Gareth Pryce",
)
PLACE = "Ashcombe Village Hall, Church Lane"
BODY = "Full council"


@dataclass(frozen=True)
class Motion:
    text: str
    votes: tuple[int, int, int] | None = None  # for, against, abstain; None: unanimous
    carried: bool = True


@dataclass(frozen=True)
class Business:
    title: str
    minutes: str
    motions: tuple[Motion, ...] = ()
    actions: tuple[tuple[str, str, int], ...] = ()  # what, owner, due in days
    exempt: bool = False
    declaration: tuple[str, str, str] | None = None  # who, kind, nature


BUSINESS = (
    Business(
        "Planning applications",
        "Members considered application 24/01873/FUL, a two-storey rear extension at 14 "
        "Mill Lane, and application 24/02011/HOU, a garden room at Rose Cottage.\n\n"
        "Members had no objection to either, but asked that the district council condition "
        "working hours at Mill Lane, where the lane is single track.",
        (Motion("the council raise no objection to either application", None),),
        (("Send the council's comments to the district planning officer", CLERK, 7),),
        declaration=("Raj Malhotra", "non_registrable", "Lives next door to 14 Mill Lane"),
    ),
    Business(
        "Highways: potholes and the Speedwatch scheme",
        "The clerk reported six potholes on Station Road logged with the county council, "
        "two of them repaired. Cllr Hargreaves reported that Speedwatch volunteers held "
        "nine sessions in the month and recorded 61 vehicles over 35 mph.",
        (Motion("the council buy a second speed indicator device at up to £2,400", (5, 1, 1)),),
        (("Order the speed indicator device and agree its sites", "Tom Hargreaves", 30),),
    ),
    Business(
        "Finance: payments and the bank reconciliation",
        "The schedule of payments (£3,412.60) and the bank reconciliation to the end of last "
        "month were circulated before the meeting.",
        (Motion("the payments be approved and the reconciliation be noted", None),),
    ),
    Business(
        "Allotments",
        "Cllr Foster reported a waiting list of eleven. Two half plots at the Glebe site are "
        "overgrown; their tenants have been written to.",
        (
            Motion("allotment rents stay at £32 a full plot for the coming year", (4, 2, 1)),
            Motion("rents rise to £40 a full plot", (2, 4, 1), carried=False),
        ),
        (("Write to the Glebe tenants about their overgrown plots", "Linda Foster", 21),),
    ),
    Business(
        "Play area inspection",
        "The annual inspection found the zip wire cable worn and the gate closer weak. The "
        "zip wire has been closed until it is repaired.",
        (Motion("the council accept the quote of £860 to replace the zip wire cable", None),),
        (("Book the zip wire repair", CLERK, 14), ("Fit a new gate closer", "Gareth Pryce", 10)),
    ),
    Business(
        "Village hall car park resurfacing",
        "Cllr Marsh, for the village hall committee, asked whether the council would share "
        "the cost of resurfacing the car park. Three quotes were tabled.",
        (Motion("the council grant the hall committee £1,500 towards the work", (5, 0, 1)),),
        declaration=(
            "Helen Marsh",
            "other_registrable",
            "Chair of the village hall committee; left the room for the vote",
        ),
    ),
    Business(
        "Correspondence",
        "Letters were noted from the county council (winter gritting routes), from a "
        "resident about dog fouling on the recreation ground, and from the school thanking "
        "the council for the Christmas tree.",
        actions=(("Put up two more dog bins at the recreation ground", "Gareth Pryce", 45),),
    ),
    Business(
        "Clerk's annual appraisal",
        "The chair reported on the clerk's annual appraisal, held on the 3rd. Members agreed "
        "the clerk's training plan for the year.",
        (Motion("the clerk move to the next point on the pay scale from April", None),),
        exempt=True,
    ),
)
PRECEPT = Business(
    "Budget and precept for the coming year",
    "The clerk presented the draft budget of £26,180, with reserves of £14,900. Members "
    "discussed the play area fund and the cost of the second speed indicator device.",
    (Motion("the precept for the coming year be set at £24,500", (6, 1, 0)),),
    (("Send the precept demand to the district council", CLERK, 20),),
)


def meeting_days(today: date, count: int = 12) -> list[date]:
    """Second Thursdays: the last ``count`` before ``today``, and the next one."""
    months = [today.year * 12 + today.month - 1 + k for k in range(-count - 1, 3)]
    days = [_second_thursday(m // 12, m % 12 + 1) for m in months]
    past = [d for d in days if d < today][-count:]
    return [*past, next(d for d in days if d >= today)]


def _second_thursday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 7)


# Who writes an event, when (ms), what: the plan's own ``_add``.
Add = Callable[[int, str, str, str, str, Any], None]


@dataclass
class MinuteText:
    """An item's minutes as the clerk typed them; signed as a text CRDT update."""

    item_id: str
    text: str


@dataclass
class MeetingPlan:
    """The meetings in the plan: which to approve at which, once the rest is in."""

    approvals: list[tuple[str, str]]  # (meeting, the later meeting approving it)
    chair: str
    upcoming: str  # the meeting just called, whose summons has gone out


def plan_meetings(
    rng: random.Random,
    add: Add,
    new_id: Callable[[int], str],
    device: Callable[[str], str],
    start_ms: int,
    today: date,
) -> MeetingPlan:
    """Add a year of meetings to the plan, from ``start_ms`` on; the approvals to sign."""
    at = start_ms
    days = meeting_days(today)
    meetings: list[str] = []
    used: dict[int, int] = {}  # council year -> minute numbers given

    def step() -> int:
        nonlocal at
        at += rng.randint(20, 90) * 1000
        return at

    for k, day in enumerate(days):
        upcoming = k == len(days) - 1
        meeting_id = new_id(step())
        fields = {
            "title": "Parish council",
            "starts_at": f"{day.isoformat()}T19:30",
            "body": BODY,
            "place": PLACE,
            "chair": device(CHAIR),
            "clerk": device(CLERK),
        }
        if not upcoming:
            fields["public"] = f"{rng.randint(2, 9)} members of the public"
        add(at, CLERK, "meeting", meeting_id, "create", fields)
        meetings.append(meeting_id)
        business = list(rng.sample(BUSINESS[:-1], 3))
        if day.month == 1:
            business.insert(0, PRECEPT)
        if rng.random() < 0.3:
            business.append(BUSINESS[-1])
        items: list[tuple[str, str | None, Business | None]] = []
        position = 0
        for kind, title in STANDARD_TITLES.items():
            position += 1_000
            item_id = new_id(step())
            add(
                at,
                CLERK,
                "item",
                item_id,
                "create",
                {
                    "meeting_id": meeting_id,
                    "title": title,
                    "position": position,
                    "standard": kind,
                },
            )
            items.append((item_id, kind, None))
        for chosen in business:
            position += 1_000
            item_id = new_id(step())
            payload: dict[str, Any] = {
                "meeting_id": meeting_id,
                "title": chosen.title,
                "position": position,
            }
            if chosen.exempt:
                payload |= {"exempt": True, "exempt_reason": "staffing matters"}
            add(at, CLERK, "item", item_id, "create", payload)
            items.append((item_id, None, chosen))
        if upcoming:
            continue
        away = rng.choice(COUNCILLORS[1:])
        for name in COUNCILLORS:  # the clerk is in attendance as clerk
            status = "apologies" if name == away else "present"
            attendance: dict[str, Any] = {"member": device(name), "status": status}
            if status == "apologies":
                attendance["apologies_accepted"] = True
            add(step(), CLERK, "attendance", meeting_id, "set", attendance)
        year = council_year(day)
        for item_id, standard, b in items:
            used[year] = used.get(year, 0) + 1
            add(
                step(),
                CLERK,
                "item",
                item_id,
                "update",
                {"minute_number": format_minute_number(year, used[year])},
            )
            text = _standard_minutes(standard, away, k) if b is None else b.minutes
            if text:
                add(step(), CLERK, "item", item_id, "minute", MinuteText(item_id, text))
            if standard == "last_minutes" and k > 0:
                _motion(
                    add,
                    new_id,
                    step,
                    item_id,
                    Motion(approval_words(days[k - 1].isoformat())),
                    device,
                )
            if b is None:
                continue
            if b.declaration is not None:
                who, kind, nature = b.declaration
                add(
                    step(),
                    CLERK,
                    "declaration",
                    new_id(at),
                    "create",
                    {
                        "item_id": item_id,
                        "member": device(who),
                        "kind": kind,
                        "nature": nature,
                        "left_room": "left the room" in nature,
                    },
                )
            for motion in b.motions:
                _motion(add, new_id, step, item_id, motion, device)
            for what, owner, days_due in b.actions:
                action_id = new_id(step())
                due = (day + timedelta(days=days_due)).isoformat()
                add(
                    at,
                    CLERK,
                    "action",
                    action_id,
                    "create",
                    {"item_id": item_id, "text": what, "owner": device(owner), "due": due},
                )
                if day + timedelta(days=days_due + 20) < today and rng.random() < 0.92:
                    add(step(), CLERK, "action", action_id, "update", {"status": "done"})
    # Each past meeting's minutes are approved at the next; the last past one's wait for
    # the meeting just called.
    approvals = [(meetings[k], meetings[k + 1]) for k in range(len(meetings) - 2)]
    return MeetingPlan(approvals, device(CHAIR), meetings[-1])


def _motion(
    add: Add,
    new_id: Callable[[int], str],
    step: Callable[[], int],
    item_id: str,
    motion: Motion,
    device: Callable[[str], str],
) -> None:
    at = step()
    payload: dict[str, Any] = {"item_id": item_id, "text": motion.text, "carried": motion.carried}
    if motion.votes is None:
        payload["unanimous"] = True
    else:
        counts = zip(("votes_for", "votes_against", "abstain"), motion.votes, strict=True)
        payload |= {name: n for name, n in counts if n}
        payload["proposer"] = device(COUNCILLORS[1 + at % 3])
        payload["seconder"] = device(COUNCILLORS[4 + at % 3])
    add(at, CLERK, "resolution", new_id(at), "create", payload)


def _standard_minutes(standard: str | None, away: str, k: int) -> str:
    if standard == "apologies":
        return f"Apologies were received from Cllr {away.split()[-1]} and accepted."
    if standard == "declarations":
        return "Declarations are recorded under the items they concern."
    if standard == "public":
        return (
            "Residents spoke about parking on Church Lane on Sunday mornings."
            if k % 2
            else "No members of the public wished to speak."
        )
    return ""


def summons_payload(db: sqlite3.Connection, plan: MeetingPlan, today: date) -> dict[str, Any]:
    """The summons of the meeting just called, its agenda as it stands in ``db``."""
    meeting = meeting_in(db, plan.upcoming)
    issued = min(today.isoformat(), meeting.summons_by)
    return {"issued_on": issued, "agenda": canonical_json(agenda_record(meeting))}


def approval_payloads(
    db: sqlite3.Connection, plan: MeetingPlan
) -> list[tuple[str, dict[str, Any]]]:
    """(meeting, payload) of each approval, the record frozen as it stands in ``db``.

    Approved in order, each once the one before it is in (the next meeting's record
    holds the resolution that approved the last).
    """
    return [(meeting, approval_fields(db, meeting, later)) for meeting, later in plan.approvals]
