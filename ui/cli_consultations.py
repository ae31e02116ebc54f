"""``moot consultation …``: a council's consultations, answered for the group."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from app.papers.words import short_date
from app.services import consultations
from app.services.consultations import ConsultationView
from app.store import Store

Add = Callable[..., argparse.ArgumentParser]
Arg = Callable[..., tuple[Any, ...]]


def add_consultation_commands(
    sub: Any, add: Add, arg: Arg, group: Callable[[str, str], Any]
) -> None:
    c = group("consultation", "the council's consultations, answered for the group")
    in_group = arg("--group", metavar="GROUP", help="where the consultation reached several")
    add(c, "list", cmd_list, "a group's consultations, with how each stands", arg("group_id"))
    add(
        c,
        "show",
        cmd_show,
        "a consultation's questions, the group's draft answers and how it stands",
        arg("consultation_id", metavar="CONSULTATION"),
        in_group,
    )
    add(
        c,
        "answer",
        cmd_answer,
        "draft the group's answer to a question (clerks and organisers); for a choice,"
        ' an option\'s words or number, several as "a; b" or "1,3"; a scale, its label or 1-5',
        arg("consultation_id", metavar="CONSULTATION"),
        arg("question", type=int, metavar="QUESTION_NUMBER"),
        arg("text"),
        arg("--comment", help="words to go with a choice"),
        in_group,
    )
    add(
        c,
        "submit",
        cmd_submit,
        "send the group's answers to the council, saying how the group agreed them"
        " (at a meeting, or by the organiser after discussion)",
        arg("consultation_id", metavar="CONSULTATION"),
        arg("--meeting", metavar="MEETING", help="the meeting that agreed the response"),
        arg("--minute", metavar="REF", help="its minute, e.g. 26/117"),
        arg("--for", dest="votes_for", type=int),
        arg("--against", dest="votes_against", type=int),
        arg("--abstain", dest="votes_abstain", type=int),
        arg("--dissent", default="", metavar="TEXT", help="a minority view, in its own words"),
        in_group,
    )


def cmd_list(store: Store, a: argparse.Namespace) -> Any:
    return [
        {
            "id": c.id,
            "title": c.title,
            "closes": c.closes,
            "open": c.open,
            "stage": c.stage,
            "status": c.status,
        }
        if a.json
        else {
            "id": c.id,
            "title": c.title,
            "closes": f"closes {short_date(c.closes)}" if c.open else "closed",
            "status": c.status,
        }
        for c in consultations.list_consultations(store=store, group_id=a.group_id)
    ]


def cmd_show(store: Store, a: argparse.Namespace) -> Any:
    from ui.cli import Raw

    found = consultations.find_consultation(store=store, ref=a.consultation_id, group_id=a.group)
    view = consultations.read_consultation(store=store, consultation_id=found, group_id=a.group)
    return view if a.json else Raw(_spoken(view))


def cmd_answer(store: Store, a: argparse.Namespace) -> Any:
    found = consultations.find_consultation(store=store, ref=a.consultation_id, group_id=a.group)
    given = consultations.answer(
        store=store,
        consultation_id=found,
        group_id=a.group,
        question=a.question,
        value=a.text,
        comment=a.comment,
    )
    if a.json:
        return given
    return {"message": f"Question {a.question}: {_answer_words(given) or '(no answer)'}"}


def cmd_submit(store: Store, a: argparse.Namespace) -> Any:
    found = consultations.find_consultation(store=store, ref=a.consultation_id, group_id=a.group)
    return consultations.submit(
        store=store,
        consultation_id=found,
        group_id=a.group,
        how="meeting" if a.meeting else "organiser",
        meeting=a.meeting,
        minute=a.minute,
        votes_for=a.votes_for,
        votes_against=a.votes_against,
        votes_abstain=a.votes_abstain,
        dissent=a.dissent,
    )


def _answer_words(answer: consultations.Answer) -> str:
    return " — ".join(x for x in ("; ".join(answer.choice), answer.text.strip()) if x)


def _spoken(view: ConsultationView) -> str:
    """The consultation as a clerk reads it through at a terminal."""
    s = view.summary
    when = f"closes {short_date(s.closes)}" if s.open else f"closed {short_date(s.closes)}"
    lines = [s.title, f"Consultation from {s.sender} · {when} · {s.status}"]
    if view.amended:
        lines.append("The draft has changed since the group's response was submitted.")
    for q, answer in zip(view.questions, view.answers, strict=True):
        lines.append("")
        lines.append(f"{q.number}. {q.text}")
        for i, option in enumerate(q.options, start=1):
            mark = "x" if option in answer.choice else " "
            lines.append(f"   [{mark}] {i}. {option}")
        if answer.text.strip():
            lines += [f"   {line}" for line in answer.text.strip().splitlines()]
        elif not answer.choice:
            lines.append("   (no answer yet)")
    if view.contact:
        lines += ["", f"Contact: {view.contact}"]
    return "\n".join(lines)
