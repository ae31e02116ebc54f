"""``moot-hub consultation …``: the council's consultations from the command line.

Each command is one transaction: a refusal (a malformed questions file, a group the
hub does not have, a closing date gone by) is one line on stderr and a non-zero exit,
with nothing written. What changes something is audited, as by no officer (None).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from app.codes import Code
from app.errors import FileError
from app.papers.pdf import write_whole
from app.papers.words import long_date
from sync.hub import consultations
from sync.hub.consultation_publishing import publish, publish_feedback
from sync.hub.consultation_responses import Report, report, share_groups
from sync.hub.consultation_words import (
    STATUS,
    TYPES,
    choices_text,
    how_agreed,
    meeting_text,
    percent,
    received_text,
    votes_text,
)
from sync.hub.errors import HubRefusal
from sync.hub.keys import load_hub_identity
from sync.hub.officers import audit
from sync.hub.settings import HubSettings, public_urls

Work = Callable[[Connection], Any]
InTransaction = Callable[[HubSettings, Work], Any]


def _read(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
        raise FileError(f"Cannot read the {what} {path}: {reason}.") from None


def _questions(path: str) -> Any:
    text = _read(path, "questions file")
    try:
        found = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HubRefusal(
            f"The questions file {path} is not JSON: line {exc.lineno}: {exc.msg}.",
            code=Code.INVALID_INPUT,
        ) from None
    # A bare list, or an object holding one (as the web form's export would).
    return found["questions"] if isinstance(found, dict) and "questions" in found else found


def _create(settings: HubSettings, args: argparse.Namespace, run: InTransaction) -> Any:
    questions = _questions(args.questions)
    background = _read(args.background, "background file") if args.background else ""
    documents = [(Path(d).name, Path(d)) for d in args.document or ()]
    datas = []
    for name, path in documents:
        try:
            datas.append((name, path.read_bytes()))
        except OSError as exc:
            raise FileError(f"Cannot read the document {path}: {exc.strerror}.") from None

    def work(conn: Connection) -> dict[str, Any]:
        hub = load_hub_identity(conn, settings.key_file)
        consultation_id = consultations.create_draft(
            conn,
            hub_device=hub.device_id,
            title=args.title,
            closes=args.closes,
            questions=questions,
            groups=[g for g in args.groups.split(",") if g.strip()],
            background=background,
            contact=args.contact or "",
            opens=args.opens,
            publication=args.publication,
        )
        for name, data in datas:
            consultations.add_document(conn, consultation_id, filename=name, data=data)
        audit(
            conn,
            officer=None,
            action="consultation created",
            target=consultation_id,
            detail=args.title,
        )
        return {"id": consultation_id}

    return run(settings, work)


def _publish(settings: HubSettings, args: argparse.Namespace, run: InTransaction) -> Any:
    try:
        base = (public_urls(args.public_url) or ("",))[0]
    except ValueError as exc:
        raise HubRefusal(str(exc), code=Code.INVALID_INPUT) from None

    def work(conn: Connection) -> dict[str, Any]:
        hub = load_hub_identity(conn, settings.key_file)
        done = publish(conn, args.id, hub=hub, base_url=base)
        names = [g.name for g in done.groups]
        audit(
            conn,
            officer=None,
            action="consultation published",
            target=done.id,
            detail=", ".join(names),
        )
        return {"id": done.id, "published": True, "groups": names}

    return run(settings, work)


def _feedback(settings: HubSettings, args: argparse.Namespace, run: InTransaction) -> Any:
    text = _read(args.text, "feedback file")

    def work(conn: Connection) -> dict[str, Any]:
        hub = load_hub_identity(conn, settings.key_file)
        told = publish_feedback(conn, args.id, hub=hub, text=text)
        names = [g.name for g in told]
        audit(
            conn,
            officer=None,
            action="consultation feedback published",
            target=args.id,
            detail=", ".join(names),
        )
        return {"id": args.id, "groups": names}

    return run(settings, work)


def _list(settings: HubSettings, args: argparse.Namespace, run: InTransaction) -> Any:
    def work(conn: Connection) -> list[Report]:
        listed = consultations.list_consultations(conn)
        share_groups(conn, [g for c in listed for g in c.group_ids])  # in one order, up front
        return [report(conn, c.id) for c in listed]

    found: list[Report] = run(settings, work)
    listed = [
        {
            "id": r.consultation.id,
            "title": r.consultation.title,
            "status": r.consultation.status(),
            "closes": r.consultation.closes,
            "groups": [g.name for g in r.consultation.groups],
            "responses": len(r.responding),
        }
        for r in found
    ]
    if args.json:
        return {"consultations": listed}
    for r in found:
        c = r.consultation
        print(
            f"{c.id}  {STATUS[c.status()]:<6}  closes {c.closes}  "
            f"{len(r.responding)}/{len(c.groups)} responded  {c.title}"
        )
    if not listed:
        print("No consultations yet.")
    return None


def _responses(settings: HubSettings, args: argparse.Namespace, run: InTransaction) -> Any:
    def work(conn: Connection) -> Report:
        found = report(conn, args.id)
        if args.csv or args.xlsx or args.pdf:
            kind = "CSV" if args.csv else "XLSX" if args.xlsx else "PDF"
            audit(
                conn,
                officer=None,
                action="consultation responses exported",
                target=args.id,
                detail=kind,
            )
        return found

    from sync.hub import consultation_exports as exports  # openpyxl: only to export

    found: Report = run(settings, work)
    for path, make in (
        (args.csv, exports.to_csv),
        (args.xlsx, exports.to_xlsx),
        (args.pdf, exports.to_pdf),
    ):
        if path:
            write_whole(make(found), Path(path))
            return {"written": str(Path(path))}
    if args.json:
        return _as_json(found)
    print(summary(found))
    return None


def _as_json(r: Report) -> dict[str, Any]:
    c = r.consultation
    return {
        "id": c.id,
        "title": c.title,
        "status": c.status(),
        "closes": c.closes,
        "questions": list(c.questions),
        "groups": [
            {"id": g.id, "name": g.name, "responded": r.responses.get(g.id) is not None}
            for g in c.groups
        ],
        "responses": [
            {
                "group_id": g.id,
                "group": g.name,
                "submission": resp.submission,
                "submitted_by": resp.name,
                "how": resp.how,
                "meeting_title": resp.meeting_title,
                "meeting_date": resp.meeting_date,
                "minute": resp.minute,
                "votes_for": resp.votes_for,
                "votes_against": resp.votes_against,
                "votes_abstain": resp.votes_abstain,
                "dissent": resp.dissent,
                "received_ms": resp.received_ms,
                "late": resp.late,
                "answers": [
                    {"question": n, "text": a.text, "choice": list(a.choice)}
                    for n, a in sorted(resp.answers.items())
                ],
            }
            for g, resp in r.responding
        ],
    }


def summary(r: Report) -> str:
    """The responses as text to read in a terminal."""
    c = r.consultation
    lines = [
        f"{c.title}",
        f"{STATUS[c.status()]}; closes on {long_date(c.closes)}.",
        f"{len(r.responding)} of {len(c.groups)} groups have responded.",
        "",
    ]
    for group in c.groups:
        resp = r.responses.get(group.id)
        if resp is None:
            lines.append(f"{group.name}: no response yet")
            continue
        agreed = ", ".join(
            x
            for x in (
                how_agreed(resp.how),
                meeting_text(resp),
                f"minute {resp.minute}" if resp.minute else "",
                votes_text(resp),
            )
            if x
        )
        late = " (late)" if resp.late else ""
        lines.append(
            f"{group.name}: submitted by {resp.name}; {agreed}; "
            f"received {received_text(resp)}{late}"
        )
    for n, q in enumerate(c.questions, 1):
        lines += ["", f"Question {n}: {q['text']} ({TYPES[q['type']]})"]
        shares = r.shares(n)
        if shares is not None:
            lines += [
                f"  {s.option}: {s.count} of {shares.answered} ({percent(s.percent)})"
                for s in shares.options
            ]
        for group, resp in r.responding:
            answer = resp.answer(n)
            said = [] if answer is None else [choices_text(answer.choice), answer.text.strip()]
            lines.append(f"  {group.name}: {' — '.join(x for x in said if x) or 'no answer'}")
    return "\n".join(lines)


def add_parser(sub: Any, common: argparse.ArgumentParser, run: InTransaction) -> None:
    """The ``consultation`` command and its actions, under ``moot-hub``'s parser."""
    actions = sub.add_parser("consultation", help="the council's consultations of groups")
    act = actions.add_subparsers(metavar="ACTION", required=True)

    def bind(handler: Callable[[HubSettings, argparse.Namespace, InTransaction], Any]) -> Any:
        return lambda settings, args: handler(settings, args, run)

    create = act.add_parser("create", parents=[common], help="save a draft consultation")
    create.add_argument("--title", required=True)
    create.add_argument(
        "--closes",
        required=True,
        metavar="ISO_DATE",
        help="the last day responses are on time (Europe/London)",
    )
    create.add_argument(
        "--groups",
        required=True,
        metavar="G1,G2",
        help="the ids of the groups to consult, separated by commas",
    )
    create.add_argument(
        "--questions",
        required=True,
        metavar="FILE.json",
        help='a JSON list of {"type", "text", "options"}',
    )
    create.add_argument("--background", metavar="FILE.md", help="the background, in Markdown")
    create.add_argument("--contact", metavar="TEXT", help="whom groups ask about it")
    create.add_argument("--opens", metavar="ISO_DATE")
    create.add_argument(
        "--publication",
        default="full",
        choices=("full", "anonymised", "none"),
        help="how the council publishes the responses",
    )
    create.add_argument(
        "--document", action="append", metavar="FILE", help="attach a document (repeat for several)"
    )
    create.set_defaults(run=bind(_create))

    pub = act.add_parser("publish", parents=[common], help="send a draft to its groups")
    pub.add_argument("id")
    pub.add_argument(
        "--public-url",
        action="append",
        metavar="URL",
        help="the hub's address, for the documents' links (default: $MOOT_HUB_PUBLIC_URL)",
    )
    pub.set_defaults(run=bind(_publish))

    answers = act.add_parser("responses", parents=[common], help="read or export the responses")
    answers.add_argument("id")
    to = answers.add_mutually_exclusive_group()
    to.add_argument("--csv", metavar="FILE")
    to.add_argument("--xlsx", metavar="FILE")
    to.add_argument("--pdf", metavar="FILE")
    answers.set_defaults(run=bind(_responses))

    act.add_parser("list", parents=[common], help="every consultation").set_defaults(
        run=bind(_list)
    )

    feedback = act.add_parser(
        "feedback", parents=[common], help='publish "You said, we did" to those who responded'
    )
    feedback.add_argument("id")
    feedback.add_argument("--text", required=True, metavar="FILE")
    feedback.set_defaults(run=bind(_feedback))
