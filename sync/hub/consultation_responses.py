"""Groups' responses to a consultation, read from their logs as every laptop reads them.

The hub keeps no table of responses: each time one is asked for, it reads the group's
``consultation`` ops under the consultation's id and judges each as laptops do, by
its author's role at its own stamp (``sync.hub.published.counted``) and by the
consultation's merge rules (a submission comes after the consultation and fits its
questions). The latest submission that counts is the group's response; the earlier
ones are amendments it supersedes. An op that does not count never shows here.

Officers' tags and notes on answers are the hub's own (``hub_answer_notes``): they
never enter a group's log.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from app.clock import physical_ms, wall_ms
from app.codes import Code
from app.kinds.consultations import answer_refusal, question_options
from app.ops import Op, op_from_wire
from sync.hub import tables as t
from sync.hub.consultations import Consultation, ConsultedGroup, Viewer, get
from sync.hub.errors import HubRefusal, NotFoundOnHub
from sync.hub.published import counted
from sync.hub.roster import roster_for

MAX_TAGS = 20
MAX_TAG = 40
MAX_NOTE = 5_000
_WITH_GROUPS = t.consultations.join(
    t.consultation_groups, t.consultation_groups.c.consultation_id == t.consultations.c.id
)


@dataclass(frozen=True)
class Answer:
    text: str = ""
    choice: tuple[str, ...] = ()


@dataclass(frozen=True)
class Response:
    """A group's standing response: its latest submission that counts, and its receipt."""

    group_id: str
    submission: str  # the submit op's id
    name: str  # who submitted it, as they gave their name
    how: str  # "meeting" or "organiser"
    submitted_ms: int  # by the submitting laptop's clock
    answers: Mapping[int, Answer]
    meeting_title: str = ""
    meeting_date: str = ""
    minute: str = ""
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstain: int | None = None
    dissent: str = ""
    received_ms: int | None = None  # None: the hub wrote no receipt for it
    late: bool | None = None
    amendments: int = 0  # earlier submissions this one supersedes

    def answer(self, number: int) -> Answer | None:
        return self.answers.get(number)


def submission_fits(questions: Sequence[Mapping[str, Any]], answers: Sequence[Any]) -> bool:
    """Whether a submission's answers fit the questions, by the laptops' own merge rule:
    each question at most once, in range, with its own options, one where it takes one.
    (The rule's check is private to its module; reused rather than written twice.)
    """
    asked = [dict(q) for q in questions]
    numbers = [a["question"] for a in answers]
    return len(set(numbers)) == len(numbers) and not any(
        answer_refusal(asked, a["question"], a.get("choice", [])) for a in answers
    )


def share_groups(conn: Connection, group_ids: Iterable[str]) -> None:
    """Hold a shared lock on each group's row, in id order: publishing takes its
    exclusive locks in that order too, so a reader and a publisher never deadlock.
    """
    for group_id in sorted(set(group_ids)):
        conn.execute(
            select(t.groups.c.id).where(t.groups.c.id == group_id).with_for_update(read=True)
        )


def counted_ops(conn: Connection, group_id: str, kind: str, entity: str) -> list[Op]:
    """An entity's ops in the group's log that count, in the group's total order."""
    # Shared lock on the group's row, as sync.hub.published reads: the roster and the
    # ops are read as of the same log.
    found = conn.execute(
        select(t.groups.c.id).where(t.groups.c.id == group_id).with_for_update(read=True)
    ).first()
    if found is None:
        return []
    roster = roster_for(conn, group_id)
    rows = conn.execute(
        select(t.ops.c.wire)
        .where(
            t.ops.c.group_id == group_id,
            t.ops.c.kind == kind,
            t.ops.c.entity == entity,
        )
        .order_by(t.ops.c.seq)
    )
    ops = [op_from_wire(json.loads(r[0])) for r in rows]
    return counted(roster, (op for op in ops if op.payload is not None))


def group_response(
    conn: Connection,
    *,
    entity: str,
    group_id: str,
    questions: Sequence[Mapping[str, Any]],
) -> Response | None:
    """The group's standing response to the consultation that is ``entity`` in its log;
    None if it has not responded (or nothing counts).
    """
    ops = counted_ops(conn, group_id, "consultation", entity)
    create = next((op for op in ops if op.action == "create"), None)
    if create is None:
        return None
    submits = [
        op
        for op in ops
        if op.action == "submit"
        and op.order > create.order
        and submission_fits(questions, op.fields["answers"])
    ]
    if not submits:
        return None
    latest = submits[-1]  # ops are in the group's total order
    receipt = _receipt(ops, latest, create)
    f = latest.fields
    answers = {
        int(a["question"]): Answer(a.get("text", ""), tuple(a.get("choice", [])))
        for a in f["answers"]
    }
    return Response(
        group_id=group_id,
        submission=latest.id,
        name=f["name"],
        how=f["how"],
        submitted_ms=physical_ms(latest.hlc),
        answers=answers,
        meeting_title=f.get("meeting_title") or "",
        meeting_date=f.get("meeting_date") or "",
        minute=f.get("minute") or "",
        votes_for=f.get("votes_for"),
        votes_against=f.get("votes_against"),
        votes_abstain=f.get("votes_abstain"),
        dissent=f.get("dissent") or "",
        received_ms=None if receipt is None else int(receipt.fields["received_ms"]),
        late=None if receipt is None else bool(receipt.fields["late"]),
        amendments=len(submits) - 1,
    )


def _receipt(ops: list[Op], submit: Op, create: Op) -> Op | None:
    """The earliest receipt naming the submission, after it: the one laptops keep."""
    return next(
        (
            op
            for op in ops
            if op.action == "receive"
            and op.device == create.device  # the hub that sent it: nobody else speaks for it
            and op.fields["submission"] == submit.id
            and op.order > submit.order
            and op.order > create.order
        ),
        None,
    )


def responses(
    conn: Connection,
    *,
    groups: Iterable[ConsultedGroup],
    questions: Sequence[Mapping[str, Any]],
) -> dict[str, Response | None]:
    """Each group's standing response by group id (None where it has not responded, or
    the consultation was not published there), in the order given.
    """
    groups = list(groups)
    share_groups(conn, [g.id for g in groups])
    return {
        g.id: None
        if g.entity is None
        else group_response(conn, entity=g.entity, group_id=g.id, questions=questions)
        for g in groups
    }


# --- share analysed ---------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    option: str
    count: int
    percent: float  # of the groups that chose at all in this question


@dataclass(frozen=True)
class Shares:
    """How the groups that answered a choice, multi or scale question chose."""

    answered: int  # groups whose response chose at least one option
    options: tuple[Share, ...] = field(default_factory=tuple)


def shares(question: Mapping[str, Any], number: int, found: Iterable[Response | None]) -> Shares:
    """Counts and percentages per option, among the groups that chose in this question.

    Percentages of a multiple-choice question add up to more than 100: a group may
    choose several options.
    """
    options = question_options(dict(question))
    chosen = [
        set(answer.choice)
        for r in found
        if r is not None and (answer := r.answer(number)) is not None and answer.choice
    ]
    answered = len(chosen)
    return Shares(
        answered,
        tuple(
            Share(
                option,
                count := sum(option in c for c in chosen),
                100.0 * count / answered if answered else 0.0,
            )
            for option in options
        ),
    )


# --- officers' tags and notes on answers -------------------------------------------------


@dataclass(frozen=True)
class Note:
    tags: tuple[str, ...] = ()
    note: str = ""
    updated_ms: int | None = None
    updated_by: int | None = None


NoteKey = tuple[str, int]  # (group id, question number)


def notes(conn: Connection, consultation_id: str) -> dict[NoteKey, Note]:
    rows = conn.execute(
        select(t.answer_notes).where(t.answer_notes.c.consultation_id == consultation_id)
    )
    return {
        (r.group_id, int(r.question)): Note(
            tuple(json.loads(r.tags)), r.note, int(r.updated_ms), r.updated_by
        )
        for r in rows
    }


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags as typed: separated by commas, trimmed, each once, in the order first given."""
    tags = dict.fromkeys(" ".join(tag.split()) for tag in text.split(","))
    return tuple(tag for tag in tags if tag)


def set_note(
    conn: Connection,
    *,
    consultation_id: str,
    group_id: str,
    question: int,
    tags: Sequence[str],
    note: str,
    officer_id: int | None,
) -> Note:
    """Set an officer's tags and note on one group's answer; both empty clears them."""
    found = conn.execute(
        select(t.consultations.c.questions)
        .select_from(_WITH_GROUPS)
        .where(
            t.consultations.c.id == consultation_id,
            t.consultation_groups.c.group_id == group_id,
        )
    ).first()
    if found is None:
        raise NotFoundOnHub("There is no such consultation of that group.", code=Code.NOT_FOUND)
    if not 1 <= question <= len(json.loads(found[0])):
        raise NotFoundOnHub(f"The consultation has no question {question}.", code=Code.NOT_FOUND)
    tags = tuple(dict.fromkeys(tag.strip() for tag in tags if tag.strip()))
    if len(tags) > MAX_TAGS or any(len(tag) > MAX_TAG for tag in tags):
        raise HubRefusal(
            f"Give at most {MAX_TAGS} tags, each at most {MAX_TAG} characters.",
            code=Code.INVALID_INPUT,
        )
    if len(note) > MAX_NOTE:
        raise HubRefusal(
            f"A note is at most {MAX_NOTE:,} characters long.", code=Code.INVALID_INPUT
        )
    notes_c = t.answer_notes.c
    where = (
        notes_c.consultation_id == consultation_id,
        notes_c.group_id == group_id,
        notes_c.question == question,
    )
    conn.execute(delete(t.answer_notes).where(*where))
    if not tags and not note.strip():
        return Note()
    now = wall_ms()
    conn.execute(
        insert(t.answer_notes).values(
            consultation_id=consultation_id,
            group_id=group_id,
            question=question,
            tags=json.dumps(list(tags), ensure_ascii=False),
            note=note,
            updated_ms=now,
            updated_by=officer_id,
        )
    )
    return Note(tags, note, now, officer_id)


# --- for the overview ---------------------------------------------------------------------


# --- a consultation with its responses, as pages and exports show it ------------------------


@dataclass(frozen=True)
class Report:
    consultation: Consultation
    responses: dict[str, Response | None]  # by group id, every group consulted
    notes: dict[NoteKey, Note]

    @property
    def responding(self) -> list[tuple[ConsultedGroup, Response]]:
        """The groups that responded, with their responses, in the consultation's order."""
        return [
            (g, r) for g in self.consultation.groups if (r := self.responses.get(g.id)) is not None
        ]

    def shares(self, number: int) -> Shares | None:
        """How groups chose in question ``number``; None for a text question."""
        question = self.consultation.questions[number - 1]
        if question["type"] == "text":
            return None
        return shares(question, number, self.responses.values())

    def note(self, group_id: str, number: int) -> Note:
        return self.notes.get((group_id, number), Note())


def report(conn: Connection, consultation_id: str, *, viewer: Viewer | None = None) -> Report:
    """The consultation and every consulted group's response; NotFoundOnHub if not seen."""
    c = get(conn, consultation_id, viewer=viewer)
    found = responses(conn, groups=c.groups, questions=c.questions)
    return Report(c, found, notes(conn, c.id))
