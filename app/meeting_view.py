"""A meeting as it is read, printed and published: one value with everything in it.

Read in one transaction by ``app.services.meetings.read_meeting``; the window, the
command line, the printed papers (``app.papers``) and the hub's published pages all
work from it. Names are as the group knows its members; dates and times are the
council's own local time, in ISO form.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

ATTENDANCE = ("present", "apologies", "absent", "remote")
INTERESTS = ("pecuniary", "other_registrable", "non_registrable")
ACTION_STATES = ("open", "done", "dropped")
MODES = ("in_person", "remote", "hybrid")
# draft -> circulated -> approved (by a resolution of a later meeting) -> signed
STAGES = ("draft", "circulated", "approved", "signed")


@dataclass(frozen=True)
class Attendee:
    member: str  # the member's device id
    name: str
    status: str  # one of ATTENDANCE
    apologies_accepted: bool | None = None  # for apologies: accepted by the meeting, or not


@dataclass(frozen=True)
class Declaration:
    id: str
    member: str
    name: str
    kind: str  # one of INTERESTS
    nature: str
    dispensation: bool = False
    left_room: bool = False


@dataclass(frozen=True)
class Vote:
    """How a motion was decided: a count, or unanimous; a recorded vote names each member."""

    for_: int = 0
    against: int = 0
    abstain: int = 0
    unanimous: bool = False
    recorded: tuple[tuple[str, str], ...] = ()  # (name, "for" | "against" | "abstain")
    casting: str | None = None  # the chair's casting vote, "for" or "against", on a tie


@dataclass(frozen=True)
class Resolution:
    id: str
    text: str  # "that the precept for 2027/28 be set at £24,500"
    carried: bool  # False: the motion fell, and is recorded so
    vote: Vote
    proposer: str | None = None  # names
    seconder: str | None = None
    corrects: str | None = None  # a correction: the minute number of what it corrects


@dataclass(frozen=True)
class Action:
    id: str
    item_id: str
    text: str
    owner: str | None = None  # a name
    due: str | None = None  # ISO date
    status: str = "open"  # one of ACTION_STATES
    overdue: bool = False


@dataclass(frozen=True)
class Paper:
    """A file put with an item; its bytes are read apart (``meeting_papers.paper_file``)."""

    id: str
    name: str  # the file's name, "Budget 2027-28.pdf"
    size: int  # bytes
    # Defaults: minutes approved before papers were kept hold papers without them.
    sha256: str = ""
    media_type: str = ""


@dataclass(frozen=True)
class Item:
    id: str
    number: int  # its place on the agenda, from 1
    title: str
    minute_number: str | None = None  # "24/117": given once minuted, stable after
    exempt: bool = False  # Part II: the public excluded, kept out of what is published
    standard: str | None = None  # "apologies", "declarations", ... for the standard items
    minutes: str = ""  # the minute as written, paragraphs separated by blank lines
    declarations: tuple[Declaration, ...] = ()
    resolutions: tuple[Resolution, ...] = ()
    actions: tuple[Action, ...] = ()
    papers: tuple[Paper, ...] = ()


@dataclass(frozen=True)
class Approval:
    """The resolution of a later meeting that approved these minutes as a true record."""

    at_meeting: str  # the later meeting's id
    at_title: str
    at_date: str  # ISO date of the later meeting
    approved_by: str  # the clerk's name, whose device signed the content hash
    device: str
    content_hash: str


@dataclass(frozen=True)
class Signature:
    """The chair's signature on the approved minutes, as the clerk recorded it."""

    chair: str  # name
    signed_at: str  # ISO date and time
    device: str  # the device that recorded it


@dataclass(frozen=True)
class Correction:
    """A later meeting's resolution that corrects a minute, read beside the minute it
    corrects: approved minutes never change, so the correction is all there is.
    """

    minute_number: str  # the minute it corrects, "24/117"
    text: str  # what was resolved
    at_title: str  # the meeting that resolved it
    at_date: str  # ISO date
    at_minute: str | None = None  # the correcting resolution's own minute number


@dataclass(frozen=True)
class MeetingView:
    id: str
    group_id: str
    group_name: str
    title: str
    starts_at: str  # "2027-01-14T19:30", the council's local time
    summons_by: str  # ISO date: the last day the summons may go out (three clear days)
    body: str = ""  # "Full council", "Planning committee", ...
    place: str = ""
    mode: str = "in_person"  # one of MODES
    chair: str | None = None  # names
    clerk: str | None = None
    stage: str = "draft"  # one of STAGES
    public: str = ""  # members of the public and officers: counts or names, as written
    members_draft: bool = False  # members may draft the minutes, not only the clerk
    summons_sent: str | None = None  # ISO date the summons and agenda went out
    attendees: tuple[Attendee, ...] = ()
    items: tuple[Item, ...] = ()
    approval: Approval | None = None
    signature: Signature | None = None
    altered: bool = False  # approved minutes that no longer match what was approved
    corrections: tuple[Correction, ...] = ()  # made later, so never part of the record


# --- the approved record: the view as one canonical JSON value --------------------------


NOT_RECORDED = (
    "stage",
    "approval",
    "signature",
    "altered",
    "summons_by",
    "corrections",
    "summons_sent",
)


def agenda_record(view: MeetingView) -> dict[str, object]:
    """What a summons publishes: the meeting and its public business, in the record's
    shape (so ``from_record`` reads it back), with nothing of what happened at it.
    """
    public = tuple(
        replace(i, minute_number=None, minutes="", declarations=(), resolutions=(), actions=())
        for i in view.items
        if not i.exempt
    )
    return to_record(replace(view, attendees=(), items=public))


def to_record(view: MeetingView) -> dict[str, object]:
    """What an approval freezes: the meeting as read, less what may change after it
    (the stage, the approval and signature, and how its actions stand now).
    """
    record = asdict(view)
    for name in NOT_RECORDED:
        record.pop(name)
    for item in record["items"]:
        for action in item["actions"]:
            action.pop("status")
            action.pop("overdue")
    return record


def from_record(
    record: dict[str, Any], *, actions: dict[str, tuple[str, bool]], **rest: Any
) -> MeetingView:
    """The view of approved minutes from their record; ``actions`` gives each action's
    (status, overdue) now, ``rest`` the view's fields a record does not hold.
    """

    def action(a: dict[str, Any]) -> Action:
        status, overdue = actions.get(a["id"], ("open", False))
        return Action(**a, status=status, overdue=overdue)

    def resolution(r: dict[str, Any]) -> Resolution:
        vote = dict(r["vote"])
        vote["recorded"] = tuple(tuple(x) for x in vote["recorded"])
        return Resolution(**{**r, "vote": Vote(**vote)})

    def item(i: dict[str, Any]) -> Item:
        return Item(
            **{
                **i,
                "declarations": tuple(Declaration(**d) for d in i["declarations"]),
                "resolutions": tuple(resolution(r) for r in i["resolutions"]),
                "actions": tuple(action(a) for a in i["actions"]),
                "papers": tuple(Paper(**p) for p in i["papers"]),
            }
        )

    return MeetingView(
        **{
            **record,
            "attendees": tuple(Attendee(**a) for a in record["attendees"]),
            "items": tuple(item(i) for i in record["items"]),
        },
        **rest,
    )
