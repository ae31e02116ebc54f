"""``moot meeting …``: a council's meetings from the command line, as the window keeps them."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.codes import Code
from app.errors import InvalidInput
from app.kinds.meetings import MAX_PAPER
from app.meeting_view import ATTENDANCE, INTERESTS, MeetingView
from app.papers.words import file_size
from app.services import meeting_papers, meetings
from app.store import Store

Add = Callable[..., argparse.ArgumentParser]
Arg = Callable[..., tuple[Any, ...]]


def add_meeting_commands(sub: Any, add: Add, arg: Arg, group: Callable[[str, str], Any]) -> None:
    m = group("meeting", "meetings: agenda, attendance, minutes, votes, actions, approval")
    add(
        m,
        "create",
        cmd_create,
        "call a meeting (the standard agenda items come with it)",
        arg("group_id"),
        arg("title"),
        arg("--at", required=True, metavar="ISO_DATETIME", help="e.g. 2027-01-14T19:30"),
        arg("--place", default=""),
        arg("--body", default="", help="full council, a committee, …"),
        arg("--mode", default="in_person", choices=("in_person", "remote", "hybrid")),
        arg("--chair", metavar="MEMBER"),
        arg("--members-draft", action="store_true", help="members may draft its minutes"),
        arg("--no-standard-items", action="store_true"),
    )
    add(m, "list", cmd_list, "a group's meetings, oldest first", arg("group_id"))
    add(m, "show", cmd_show, "a meeting with its agenda, minutes and decisions", arg("meeting_id"))
    item = m.add_parser("item", help="agenda items").add_subparsers(metavar="ACTION", required=True)
    add(
        item,
        "add",
        cmd_item_add,
        "add an item at the end of the agenda",
        arg("meeting_id"),
        arg("title"),
        arg("--exempt", action="store_true", help="Part II: the public excluded"),
        arg("--reason", default="", help="why the public is excluded"),
    )
    paper = m.add_parser("paper", help="papers: files that go with an agenda item")
    papers = paper.add_subparsers(metavar="ACTION", required=True)
    add(
        papers,
        "add",
        cmd_paper_add,
        f"put a file (at most {MAX_PAPER // (1024 * 1024)} MB) with an agenda item",
        arg("item_id"),
        arg("file"),
    )
    add(
        papers,
        "save",
        cmd_paper_save,
        "save a paper's file (into a folder, under its own name)",
        arg("paper_id"),
        arg("file"),
    )
    add(papers, "remove", cmd_paper_remove, "take a paper off its item", arg("paper_id"))
    add(
        m,
        "attend",
        cmd_attend,
        "mark a member present, with apologies, absent or attending remotely",
        arg("meeting_id"),
        arg("member", metavar="MEMBER"),
        arg("status", choices=ATTENDANCE),
        arg("--accepted", choices=("yes", "no"), help="for apologies: accepted or not"),
    )
    add(
        m,
        "declare",
        cmd_declare,
        "record a member's declaration of interest in an item",
        arg("item_id"),
        arg("member", metavar="MEMBER"),
        arg("kind", choices=INTERESTS),
        arg("text"),
        arg("--dispensation", action="store_true"),
        arg("--left-room", action="store_true"),
    )
    add(
        m, "minute", cmd_minute, "add a paragraph to an item's minutes", arg("item_id"), arg("text")
    )
    add(
        m,
        "resolve",
        cmd_resolve,
        "record a motion and its vote (it falls if not carried)",
        arg("item_id"),
        arg("text"),
        arg("--for", dest="votes_for", type=int, default=0),
        arg("--against", type=int, default=0),
        arg("--abstain", type=int, default=0),
        arg("--unanimous", action="store_true"),
        arg("--proposer", metavar="MEMBER"),
        arg("--seconder", metavar="MEMBER"),
        arg("--casting", choices=("for", "against"), help="the chair's casting vote on a tie"),
        arg(
            "--named",
            action="append",
            default=[],
            metavar="MEMBER=VOTE",
            help="a recorded vote, one per member: for, against or abstain (repeat it)",
        ),
        arg("--corrects", metavar="MINUTE_NUMBER", help="a correction of an approved minute"),
    )
    action = m.add_parser("action", help="actions").add_subparsers(metavar="ACTION", required=True)
    add(
        action,
        "add",
        cmd_action_add,
        "add an action arising from an item",
        arg("item_id"),
        arg("text"),
        arg("--owner", metavar="MEMBER"),
        arg("--due", metavar="DATE"),
    )
    add(
        action,
        "set",
        cmd_action_set,
        "mark an action open, done or dropped",
        arg("action_id"),
        arg("--status", required=True, choices=("open", "done", "dropped")),
    )
    add(action, "list", cmd_action_list, "the group's action log", arg("group_id"))
    add(
        m,
        "summon",
        cmd_summon,
        "issue the summons and agenda (the hub publishes the agenda)",
        arg("meeting_id"),
        arg("--on", metavar="ISO_DATE", help="the day it went out (default today)"),
    )
    add(m, "circulate", cmd_circulate, "send the draft minutes round", arg("meeting_id"))
    add(
        m,
        "approve",
        cmd_approve,
        "approve the minutes as a true record, by a resolution of a later meeting",
        arg("meeting_id"),
        arg("--at", required=True, metavar="LATER_MEETING"),
    )
    add(
        m,
        "sign",
        cmd_sign,
        "record the chair's signature on approved minutes",
        arg("meeting_id"),
        arg("chair", metavar="MEMBER"),
        arg("--when", metavar="ISO_DATETIME"),
    )
    add(
        m,
        "verify",
        cmd_verify,
        "check that approved minutes are unchanged since approval (exit 0 when they are)",
        arg("meeting_id"),
    )
    add(
        m,
        "export",
        cmd_export,
        "print the meeting's papers to a PDF file",
        arg("meeting_id"),
        arg("file"),
        arg("--agenda", action="store_const", dest="paper", const="agenda"),
        arg("--sign-in", action="store_const", dest="paper", const="sign_in"),
        arg("--include-exempt", action="store_true"),
    )


def cmd_create(store: Store, a: argparse.Namespace) -> Any:
    meeting_id = meetings.create_meeting(
        store=store,
        group_id=a.group_id,
        title=a.title,
        starts_at=a.at,
        place=a.place,
        body=a.body,
        mode=a.mode,
        chair=a.chair,
        members_draft=a.members_draft,
        standard_items=not a.no_standard_items,
    )
    view = meetings.read_meeting(store=store, meeting_id=meeting_id)
    return {"id": meeting_id, "summons_by": view.summons_by}


def cmd_list(store: Store, a: argparse.Namespace) -> Any:
    return meetings.list_meetings(store=store, group_id=a.group_id)


def cmd_show(store: Store, a: argparse.Namespace) -> Any:
    from ui.cli import Raw

    view = meetings.read_meeting(store=store, meeting_id=a.meeting_id)
    return view if a.json else Raw(_spoken(view))


def cmd_item_add(store: Store, a: argparse.Namespace) -> Any:
    item_id = meetings.add_item(
        store=store, meeting_id=a.meeting_id, title=a.title, exempt=a.exempt, exempt_reason=a.reason
    )
    return {"id": item_id}


def cmd_paper_add(store: Store, a: argparse.Namespace) -> Any:
    return {
        "id": meeting_papers.attach_paper_file(store=store, item_id=a.item_id, path=Path(a.file))
    }


def cmd_paper_save(store: Store, a: argparse.Namespace) -> Any:
    from app.papers.pdf import write_whole

    name, data = meeting_papers.paper_file(store=store, paper_id=a.paper_id)
    path = Path(a.file)
    if path.is_dir():
        path = path / name
    write_whole(data, path)
    return {"file": str(path), "name": name, "size": len(data)}


def cmd_paper_remove(store: Store, a: argparse.Namespace) -> Any:
    meeting_papers.remove_paper(store=store, paper_id=a.paper_id)


def cmd_attend(store: Store, a: argparse.Namespace) -> Any:
    accepted = None if a.accepted is None else a.accepted == "yes"
    device = meetings.set_attendance(
        store=store,
        meeting_id=a.meeting_id,
        member=a.member,
        status=a.status,
        apologies_accepted=accepted,
    )
    return {"member": device, "status": a.status}


def cmd_declare(store: Store, a: argparse.Namespace) -> Any:
    declaration_id = meetings.declare(
        store=store,
        item_id=a.item_id,
        member=a.member,
        kind=a.kind,
        nature=a.text,
        dispensation=a.dispensation,
        left_room=a.left_room,
    )
    return {"id": declaration_id}


def cmd_minute(store: Store, a: argparse.Namespace) -> Any:
    meetings.minute(store=store, item_id=a.item_id, text=a.text)


def cmd_resolve(store: Store, a: argparse.Namespace) -> Any:
    resolution_id = meetings.resolve(
        store=store,
        item_id=a.item_id,
        text=a.text,
        votes_for=a.votes_for,
        votes_against=a.against,
        abstain=a.abstain,
        unanimous=a.unanimous,
        proposer=a.proposer,
        seconder=a.seconder,
        casting=a.casting,
        corrects=a.corrects,
        recorded=[_named_vote(x) for x in a.named],
    )
    return {"id": resolution_id}


def _named_vote(text: str) -> tuple[str, str]:
    who, sep, how = text.rpartition("=")
    if not sep or not who.strip():
        raise InvalidInput(f'{text!r} is not a named vote; write it as "Sam Hill=for".')
    return who.strip(), how.strip().lower()


def cmd_action_add(store: Store, a: argparse.Namespace) -> Any:
    action_id = meetings.add_action(
        store=store, item_id=a.item_id, text=a.text, owner=a.owner, due=a.due
    )
    return {"id": action_id}


def cmd_action_set(store: Store, a: argparse.Namespace) -> Any:
    meetings.set_action_status(store=store, action_id=a.action_id, status=a.status)


def cmd_action_list(store: Store, a: argparse.Namespace) -> Any:
    return [
        {
            "id": x.action.id,
            "text": x.action.text,
            "owner": x.action.owner,
            "due": x.action.due,
            "status": x.action.status,
            "overdue": x.action.overdue,
            "meeting": x.meeting_title,
            "item": x.item_title,
        }
        for x in meetings.action_log(store=store, group_id=a.group_id)
    ]


def cmd_summon(store: Store, a: argparse.Namespace) -> Any:
    issued = meetings.issue_summons(store=store, meeting_id=a.meeting_id, issued_on=a.on)
    return {"id": a.meeting_id, "summons_sent": issued}


def cmd_circulate(store: Store, a: argparse.Namespace) -> Any:
    meetings.circulate(store=store, meeting_id=a.meeting_id)


def cmd_approve(store: Store, a: argparse.Namespace) -> Any:
    resolution_id = meetings.approve(store=store, meeting_id=a.meeting_id, at=a.at)
    view = meetings.read_meeting(store=store, meeting_id=a.meeting_id)
    hash_ = view.approval.content_hash if view.approval else None
    return {"id": resolution_id, "content_hash": hash_}


def cmd_sign(store: Store, a: argparse.Namespace) -> Any:
    meetings.sign(store=store, meeting_id=a.meeting_id, chair=a.chair, signed_at=a.when)


def cmd_verify(store: Store, a: argparse.Namespace) -> Any:
    from ui.cli import PartlyFailed

    checked = meetings.verify(store=store, meeting_id=a.meeting_id)
    result = {
        "meeting_id": checked.meeting_id,
        "approved": checked.approved,
        "unchanged": checked.unchanged,
        "problems": list(checked.problems),
        "message": "The approved minutes are unchanged since approval."
        if checked.unchanged
        else "The minutes are not as approved: " + " ".join(checked.problems),
    }
    if checked.unchanged:
        return result
    code = Code.ALTERED if checked.approved else Code.NOT_FOUND
    return PartlyFailed(result, [(code, problem) for problem in checked.problems])


def cmd_export(store: Store, a: argparse.Namespace) -> Any:
    paper = a.paper or "minutes"
    meetings.export_paper(
        store=store,
        meeting_id=a.meeting_id,
        paper=paper,
        path=Path(a.file),
        include_exempt=a.include_exempt,
    )
    return {"file": str(Path(a.file)), "paper": paper}


def _spoken(view: MeetingView) -> str:
    """The meeting as a clerk reads it through at a terminal."""
    lines = [f"{view.title} — {view.starts_at.replace('T', ' ')}"]
    if view.place:
        lines.append(view.place)
    sent = f"issued {view.summons_sent}, due by" if view.summons_sent else "by"
    lines.append(f"Summons {sent} {view.summons_by} · {view.stage}")
    if view.attendees:
        people = ", ".join(f"{p.name} ({p.status})" for p in view.attendees)
        lines.append(f"Attendance: {people}")
    for item in view.items:
        number = f" [{item.minute_number}]" if item.minute_number else ""
        exempt = " (exempt)" if item.exempt else ""
        lines.append("")
        lines.append(f"{item.number}. {item.title}{number}{exempt}")
        for d in item.declarations:
            lines.append(f"   Interest: {d.name}, {d.kind.replace('_', ' ')}: {d.nature}")
        for paragraph in filter(None, (p.strip() for p in item.minutes.split("\n\n"))):
            lines.append(f"   {paragraph}")
        for r in item.resolutions:
            said = "RESOLVED that" if r.carried else "The motion fell: that"
            lines.append(f"   {said} {r.text}")
        for x in item.actions:
            due = f", due {x.due}" if x.due else ""
            lines.append(f"   Action: {x.text} ({x.owner or 'no owner'}{due}; {x.status})")
        for paper in item.papers:
            lines.append(f"   Paper: {paper.name} ({file_size(paper.size)}) {paper.id}")
    if view.approval:
        lines.append("")
        lines.append(f"Approved at {view.approval.at_title} on {view.approval.at_date}.")
    if view.altered:
        lines.append("WARNING: these minutes are not as approved.")
    return "\n".join(lines)
