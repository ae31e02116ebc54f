"""Consultations as a group answers them: the questions, the draft answers, the response.

The council's hub puts a consultation into the group's log; members talk it over in
its pinned discussion; the clerk or an organiser drafts the group's answers (texts
merge as notes do, so two drafters offline both keep their words) and submits them,
saying how the group agreed them. The merge rules (``app.kinds.consultations``)
decide who may write; the checks here are the ones a person should hear about
before anything is written.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.clock import wall_ms
from app.errors import InvalidInput, NotAllowed, NotFound
from app.kinds.consultations import (
    MAX_DISSENT,
    MAX_MINUTE,
    MAX_VOTES,
    closes_at_ms,
    question_options,
)
from app.papers.words import short_date
from app.payload import MAX_TEXT
from app.roles import CLERK, ROLE_RANK
from app.services.members import names_in, role_in
from app.services.notes import NoteBody
from app.store import Store
from app.text_crdt import edit_update
from app.text_merge import edit_from_base
from app.writer import Writer, writing

NOT_ANSWERED = "Not answered yet"
DRAFT = "Draft"
WAITING = "Waiting to send"
SENT = "Sent"
RECEIVED = "Received by the council on {date}"
ONLY_CLERKS = "Only the group's clerk or an organiser answers a consultation for the group."
MULTI_SEPARATOR = ";"
NOTHING_WRITTEN = b"\x00\x00"  # the text state of an answer no one has written: no changes


@dataclass(frozen=True)
class Question:
    number: int  # from 1
    type: str  # text, choice, multi or scale
    text: str
    options: tuple[str, ...]  # what its answer chooses from: none for a text question


@dataclass(frozen=True)
class Answer:
    question: int
    text: str
    choice: tuple[str, ...]

    @property
    def given(self) -> bool:
        return bool(self.text.strip() or self.choice)


@dataclass(frozen=True)
class Submission:
    """A response as submitted; the newest stands, the earlier ones were amended."""

    id: str
    name: str  # who submitted it
    how: str  # "meeting" or "organiser"
    meeting_id: str | None
    meeting_title: str | None
    meeting_date: str | None
    minute: str | None
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    dissent: str
    answers: tuple[Answer, ...]
    waiting: bool  # still in this laptop's outbox
    received_ms: int | None  # when the council's hub took it in
    late: bool | None


@dataclass(frozen=True)
class ConsultationSummary:
    id: str
    group_id: str
    discussion_id: str
    title: str
    sender: str  # who put it to the group
    closes: str  # ISO date; it closes at the end of that day, UK time
    open: bool
    stage: str  # unanswered, draft, waiting, sent or received
    status: str  # the stage in words: "Sent", "Received by the council on 3 March 2027"


@dataclass(frozen=True)
class ConsultationView:
    summary: ConsultationSummary
    background: str  # Markdown
    contact: str
    opens: str | None
    publication: str  # full, anonymised or none: what the council publishes of answers
    documents: tuple[dict[str, str], ...]  # {"name", "url"}
    feedback: str  # the council's "You said, we did", once given
    questions: tuple[Question, ...]
    answers: tuple[Answer, ...]  # the draft, one per question
    submissions: tuple[Submission, ...]  # newest first
    may_answer: bool  # this laptop is the group's clerk or an organiser
    amended: bool  # the draft differs from the response last submitted


@dataclass(frozen=True)
class Submitted:
    id: str
    late: bool
    message: str


@dataclass(frozen=True)
class SavedAnswer:
    mine: NoteBody  # the text just saved, as the base for typing that came after it
    text: str  # the answer as stored now, with whatever arrived from elsewhere


# --- finding a consultation -------------------------------------------------------------


def _by_ref(
    db: sqlite3.Connection, sql: str, params: tuple[Any, ...], ref: str, what: str
) -> sqlite3.Row:
    """The one row ``sql`` finds whose id is ``ref`` or starts with it.

    ``sql`` selects from a table aliased ``t`` and ends in a WHERE clause to extend.
    """
    ref = ref.strip()
    if not ref:
        raise InvalidInput(f"Name the {what} by its id.")
    rows = db.execute(f"{sql} AND t.id = ?", (*params, ref)).fetchall()
    if not rows:
        pattern = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        rows = db.execute(f"{sql} AND t.id LIKE ? ESCAPE '\\'", (*params, pattern)).fetchall()
    if not rows:
        raise NotFound(f"No {what} with id {ref!r} in this profile.")
    if len(rows) > 1:
        raise InvalidInput(
            f"{len(rows)} {what}s have ids starting {ref!r}; give more of the id"
            " (or the group, where one reached several of your groups)."
        )
    found: sqlite3.Row = rows[0]
    return found


_CONSULTATION = "SELECT t.* FROM consultations t WHERE 1"


def _consultation(db: sqlite3.Connection, ref: str, group_id: str | None) -> sqlite3.Row:
    if group_id is None:
        return _by_ref(db, _CONSULTATION, (), ref, "consultation")
    return _by_ref(db, _CONSULTATION + " AND t.group_id = ?", (group_id,), ref, "consultation")


def find_consultation(*, store: Store, ref: str, group_id: str | None = None) -> str:
    """The id of the consultation whose id is ``ref`` or begins with it."""
    with store.read() as db:
        return str(_consultation(db, ref, group_id)["id"])


def _questions(row: sqlite3.Row) -> tuple[Question, ...]:
    return tuple(
        Question(i, q["type"], q["text"], question_options(q))
        for i, q in enumerate(json.loads(row["questions"]), start=1)
    )


def _question(row: sqlite3.Row, number: int) -> Question:
    questions = _questions(row)
    if not 1 <= number <= len(questions):
        raise InvalidInput(
            f"The consultation has questions 1 to {len(questions)}; there is no question {number}."
        )
    return questions[number - 1]


# --- reading ----------------------------------------------------------------------------


def list_consultations(*, store: Store, group_id: str) -> list[ConsultationSummary]:
    """The group's consultations, the soonest to close first."""
    with store.read() as db:
        if db.execute("SELECT 1 FROM groups WHERE id = ?", (group_id,)).fetchone() is None:
            raise NotFound(f"No group with id {group_id!r} in this profile.")
        rows = db.execute(
            "SELECT * FROM consultations WHERE group_id = ? ORDER BY closes, title, id",
            (group_id,),
        ).fetchall()
        return [_summary(db, r) for r in rows]


def read_consultation(
    *, store: Store, consultation_id: str, group_id: str | None = None
) -> ConsultationView:
    with store.read() as db:
        return _view(db, store.device_id, _consultation(db, consultation_id, group_id))


def consultation_of_discussion(*, store: Store, discussion_id: str) -> ConsultationView | None:
    """The consultation a discussion was opened for, if it was."""
    with store.read() as db:
        row = db.execute(
            "SELECT c.* FROM consultations c JOIN discussions d ON d.id = c.discussion_id"
            " AND d.group_id = c.group_id WHERE c.discussion_id = ?"
            " ORDER BY c.created_hlc, c.created_by, c.id LIMIT 1",
            (discussion_id,),
        ).fetchone()
        return None if row is None else _view(db, store.device_id, row)


def answer_bodies(
    *, store: Store, consultation_id: str, group_id: str | None = None
) -> dict[int, NoteBody]:
    """Each question's answer text with the stored state an editor's saves are made on."""
    with store.read() as db:
        row = _consultation(db, consultation_id, group_id)
        return {q.number: _body(db, row, q.number) for q in _questions(row)}


def _body(db: sqlite3.Connection, row: sqlite3.Row, number: int) -> NoteBody:
    found = db.execute(
        "SELECT text, ydoc FROM consultation_answers WHERE group_id = ? AND consultation_id = ?"
        " AND question = ?",
        (row["group_id"], row["id"], number),
    ).fetchone()
    if found is None or found[1] is None:
        return NoteBody("", NOTHING_WRITTEN)
    return NoteBody(found[0], bytes(found[1]))


def _answers(db: sqlite3.Connection, row: sqlite3.Row) -> tuple[Answer, ...]:
    held = {
        r[0]: Answer(r[0], r[1], tuple(json.loads(r[2])))
        for r in db.execute(
            "SELECT question, text, choice FROM consultation_answers"
            " WHERE group_id = ? AND consultation_id = ?",
            (row["group_id"], row["id"]),
        )
    }
    return tuple(held.get(q.number, Answer(q.number, "", ())) for q in _questions(row))


def _submissions(db: sqlite3.Connection, row: sqlite3.Row) -> tuple[Submission, ...]:
    rows = db.execute(
        "SELECT s.*, EXISTS (SELECT 1 FROM outbox o WHERE o.op_id = s.id) AS waiting"
        " FROM consultation_submissions s WHERE s.group_id = ? AND s.consultation_id = ?"
        " ORDER BY s.created_hlc DESC, s.created_by DESC",
        (row["group_id"], row["id"]),
    ).fetchall()
    return tuple(
        Submission(
            id=s["id"],
            name=s["name"],
            how=s["how"],
            meeting_id=s["meeting_id"],
            meeting_title=s["meeting_title"],
            meeting_date=s["meeting_date"],
            minute=s["minute"],
            votes_for=s["votes_for"],
            votes_against=s["votes_against"],
            votes_abstain=s["votes_abstain"],
            dissent=s["dissent"],
            answers=tuple(
                Answer(x["question"], x["text"], tuple(x["choice"]))
                for x in json.loads(s["answers"])
            ),
            waiting=bool(s["waiting"]),
            received_ms=s["received_ms"],
            late=None if s["late"] is None else bool(s["late"]),
        )
        for s in rows
    )


def _stage(answers: tuple[Answer, ...], submissions: tuple[Submission, ...]) -> tuple[str, str]:
    """(stage, status in words) of a consultation on this laptop."""
    if not submissions:
        return ("draft", DRAFT) if any(a.given for a in answers) else ("unanswered", NOT_ANSWERED)
    latest = submissions[0]
    if latest.received_ms is None:
        # A receipt says the hub has it, however it reached this laptop (a bundle, say).
        return ("waiting", WAITING) if latest.waiting else ("sent", SENT)
    day = datetime.fromtimestamp(latest.received_ms / 1000).date().isoformat()
    return "received", RECEIVED.format(date=short_date(day))


def _summary(
    db: sqlite3.Connection,
    row: sqlite3.Row,
    answers: tuple[Answer, ...] | None = None,
    submissions: tuple[Submission, ...] | None = None,
) -> ConsultationSummary:
    answers = _answers(db, row) if answers is None else answers
    submissions = _submissions(db, row) if submissions is None else submissions
    stage, status = _stage(answers, submissions)
    sender = names_in(db, row["group_id"]).get(row["created_by"], "")
    return ConsultationSummary(
        id=row["id"],
        group_id=row["group_id"],
        discussion_id=row["discussion_id"],
        title=row["title"],
        sender=sender or "the council",
        closes=row["closes"],
        open=wall_ms() <= closes_at_ms(row["closes"]),
        stage=stage,
        status=status,
    )


def _view(db: sqlite3.Connection, me: str, row: sqlite3.Row) -> ConsultationView:
    answers = _answers(db, row)
    submissions = _submissions(db, row)
    given = tuple(a for a in answers if a.given)
    return ConsultationView(
        summary=_summary(db, row, answers, submissions),
        background=row["background"],
        contact=row["contact"],
        opens=row["opens"],
        publication=row["publication"],
        documents=tuple(json.loads(row["documents"])),
        feedback=row["feedback"],
        questions=_questions(row),
        answers=answers,
        submissions=submissions,
        may_answer=ROLE_RANK[role_in(db, row["group_id"], me)] >= CLERK,
        amended=bool(submissions) and given != submissions[0].answers,
    )


# --- answering --------------------------------------------------------------------------


def _for_answering(w: Writer, consultation_id: str, group_id: str | None) -> sqlite3.Row:
    row = _consultation(w.db, consultation_id, group_id)
    if ROLE_RANK[role_in(w.db, row["group_id"], w.store.device_id)] < CLERK:
        raise NotAllowed(ONLY_CLERKS)
    return row


def _write_text(w: Writer, row: sqlite3.Row, question: int, text: str) -> None:
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"An answer can hold at most {MAX_TEXT:,} characters.")
    body = _body(w.db, row, question)
    if text != body.text:
        update = edit_update(body.state, text, device=w.store.device_id)
        _emit_answer(w, row, question, {"update": update})


def _write_choice(w: Writer, row: sqlite3.Row, q: Question, choice: list[str]) -> None:
    _check_choice(q, choice)
    if tuple(choice) != _answers(w.db, row)[q.number - 1].choice:
        _emit_answer(w, row, q.number, {"choice": choice})


def set_answer_text(
    *, store: Store, consultation_id: str, question: int, text: str, group_id: str | None = None
) -> None:
    """Make the answer to a question read ``text`` (for a choice, the comment with it)."""
    with writing(store) as w:
        row = _for_answering(w, consultation_id, group_id)
        _question(row, question)
        _write_text(w, row, question, text)


def set_answer_choice(
    *,
    store: Store,
    consultation_id: str,
    question: int,
    choice: list[str],
    group_id: str | None = None,
) -> None:
    """Choose options, given exactly as the question words them; [] takes the choice back."""
    with writing(store) as w:
        row = _for_answering(w, consultation_id, group_id)
        _write_choice(w, row, _question(row, question), choice)


def save_answer_text(
    *,
    store: Store,
    consultation_id: str,
    question: int,
    base: NoteBody,
    text: str,
    group_id: str | None = None,
) -> SavedAnswer:
    """Save the changes that turned ``base.text`` into ``text``, keeping others' edits.

    For an editor that stays open while a sync brings in what another drafter wrote:
    the changes are made on ``base``, as a note's are (``notes.save_note_body``).
    """
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"An answer can hold at most {MAX_TEXT:,} characters.")
    with writing(store) as w:
        row = _for_answering(w, consultation_id, group_id)
        _question(row, question)
        mine = base
        if text != base.text:
            current = _body(w.db, row, question)
            update, made = edit_from_base(
                base.state, base.text, current.state, text, device=store.device_id
            )
            _emit_answer(w, row, question, {"update": update})
            mine = NoteBody(text, made)
        return SavedAnswer(mine, _body(w.db, row, question).text)


def answer(
    *,
    store: Store,
    consultation_id: str,
    question: int,
    value: str,
    comment: str | None = None,
    group_id: str | None = None,
) -> Answer:
    """Answer a question as a person types it at the command line; the answer as it stands.

    A text question takes ``value`` as its answer. A choice takes an option's words or
    its number; several, for a question that takes several, separated by ";" (or
    numbers, "1,3"); a scale takes its label or 1 to 5 (1: strongly agree); "" clears
    the choice. ``comment`` is the text that goes with a choice. Nothing is written
    unless all of it is good.
    """
    with writing(store) as w:
        row = _for_answering(w, consultation_id, group_id)
        q = _question(row, question)
        if q.type == "text":
            if comment is not None:
                raise InvalidInput("A comment goes with a choice; this question takes text.")
            _write_text(w, row, question, value)
        else:
            _write_choice(w, row, q, parse_choice(q, value))
            if comment is not None:
                _write_text(w, row, question, comment)
        return _answers(w.db, row)[question - 1]


def parse_choice(q: Question, value: str) -> list[str]:
    """The options ``value`` names, by their words or their numbers (from 1)."""
    value = value.strip()
    if not value:
        return []
    if q.type == "multi":
        parts = value.split(",") if _numbers(value) else value.split(MULTI_SEPARATOR)
    else:
        parts = [value]
    picked: list[str] = []
    for part in (x.strip() for x in parts):
        option = _option(q, part)
        if option not in picked:
            picked.append(option)
    _check_choice(q, picked)
    return [o for o in q.options if o in picked]  # in the question's order


def _numbers(value: str) -> bool:
    return all(x.strip().isdigit() for x in value.split(","))


def _option(q: Question, word: str) -> str:
    for option in q.options:
        if option.casefold() == word.casefold():
            return option
    if word.isdigit() and 1 <= int(word) <= len(q.options):
        return q.options[int(word) - 1]
    listed = "; ".join(f"{i}. {o}" for i, o in enumerate(q.options, start=1))
    raise InvalidInput(f"Question {q.number} has no option {word!r}; its options are: {listed}.")


def _check_choice(q: Question, choice: list[str]) -> None:
    if q.type == "text" and choice:
        raise InvalidInput(f"Question {q.number} asks for text, not a choice.")
    for option in choice:
        if option not in q.options:
            raise InvalidInput(f"Question {q.number} has no option {option!r}.")
    if len(set(choice)) != len(choice):
        raise InvalidInput("Each option is chosen once.")
    if q.type in ("choice", "scale") and len(choice) > 1:
        raise InvalidInput(f"Question {q.number} takes one choice.")


def _emit_answer(w: Writer, row: sqlite3.Row, question: int, fields: dict[str, Any]) -> None:
    w.emit(row["group_id"], "consultation", row["id"], "answer", {"question": question, **fields})


# --- submitting -------------------------------------------------------------------------


def submit(
    *,
    store: Store,
    consultation_id: str,
    how: str,
    meeting: str | None = None,
    minute: str | None = None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
    dissent: str = "",
    group_id: str | None = None,
) -> Submitted:
    """Send the group's answers as they stand, with how the group agreed them.

    ``how`` is "meeting" (agreed at one of the group's meetings, named by ``meeting``,
    with its minute and vote) or "organiser" (the organiser's, after discussion).
    Submitted again, the newer response replaces the older. After the closing date
    it is still sent; the council sees it is late.
    """
    fields: dict[str, Any] = {"how": how}
    if how == "meeting":
        if not meeting:
            raise InvalidInput("Say at which meeting the group agreed its response.")
        fields |= _votes(
            votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain
        )
        if minute is not None and minute.strip():
            if len(minute.strip()) > MAX_MINUTE:
                raise InvalidInput(f"A minute reference is at most {MAX_MINUTE} characters.")
            fields["minute"] = minute.strip()
    elif how == "organiser":
        if (
            meeting
            or minute
            or any(v is not None for v in (votes_for, votes_against, votes_abstain))
        ):
            raise InvalidInput(
                "A meeting, its minute and its vote go with a response agreed at a meeting."
            )
    else:
        raise InvalidInput(f"Unknown way {how!r}; use meeting or organiser.")
    if len(dissent) > MAX_DISSENT:
        raise InvalidInput(f"A dissent is at most {MAX_DISSENT:,} characters.")
    if dissent.strip():
        fields["dissent"] = dissent.strip()
    with writing(store) as w:
        row = _for_answering(w, consultation_id, group_id)
        if how == "meeting":
            fields |= _meeting(w.db, row["group_id"], meeting or "")
        answers = [a for a in _answers(w.db, row) if a.given]
        if not answers:
            raise InvalidInput("There is nothing to send: no question has an answer yet.")
        fields["answers"] = [
            {"question": a.question, "text": a.text, "choice": list(a.choice)} for a in answers
        ]
        fields["name"] = names_in(w.db, row["group_id"]).get(w.store.device_id, "")[:300]
        op = w.emit(row["group_id"], "consultation", row["id"], "submit", fields)
    late = wall_ms() > closes_at_ms(row["closes"])
    closes = short_date(row["closes"])
    message = (
        f"Submitted after the consultation closed on {closes}: the council will see it is late."
        if late
        else "Submitted: it goes to the council when this laptop next syncs."
    )
    return Submitted(op.id, late, message)


def _votes(**votes: int | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for field, value in votes.items():
        if value is None:
            continue
        if not 0 <= value <= MAX_VOTES:
            raise InvalidInput("A number of votes is a whole number, 0 or more.")
        out[field] = value
    return out


def _meeting(db: sqlite3.Connection, group_id: str, ref: str) -> dict[str, str]:
    """The submission's words for the meeting that agreed it, from the group's meetings."""
    m = _by_ref(
        db,
        "SELECT t.id, t.title, t.starts_at FROM meetings t WHERE t.group_id = ? AND t.deleted = 0",
        (group_id,),
        ref,
        "meeting",
    )
    return {"meeting_id": m["id"], "meeting_title": m["title"], "meeting_date": m["starts_at"][:10]}


def meetings_to_name(*, store: Store, group_id: str) -> list[tuple[str, str, str]]:
    """(id, title, date) of the group's meetings a response may cite, the latest first."""
    with store.read() as db:
        return [
            (r[0], r[1], r[2][:10])
            for r in db.execute(
                "SELECT id, title, starts_at FROM meetings WHERE group_id = ? AND deleted = 0"
                " ORDER BY starts_at DESC, id",
                (group_id,),
            )
        ]
