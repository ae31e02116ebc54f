"""Consultations: questions a council puts to a group, and the group's answers to them.

The hub writes a consultation into the group's log (``consultation/create``, later
``update``); the group's clerk or organiser drafts its answers, one row per question,
made when first answered. An answer's text merges as text CRDT updates (as notes do),
so two people drafting offline both keep their words; its choice is last-writer-wins.
A ``submit`` snapshots the answers with how the group agreed them; the latest submit
in op order is the group's response. The hub writes a ``receive`` naming the
submission it took in. Every op of one consultation carries the consultation's id as
its entity.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app import payload as p
from app.codes import Code, Refusal
from app.domain import Domain, Dump, Kind, Table
from app.errors import InvalidOp
from app.merge_rows import created_base, lww
from app.ops import Op
from app.schema import Base
from app.text_crdt import apply_update, check_update, render

if TYPE_CHECKING:
    from app.apply import Applier

SCALE = ("Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree")
QUESTION_TYPES = ("text", "choice", "multi", "scale")
PUBLICATION = ("full", "anonymised", "none")
HOW = ("meeting", "organiser")
MAX_QUESTIONS = 50
MAX_QUESTION = 2_000
MAX_BACKGROUND = 50_000
MAX_DOCUMENTS = 20
MAX_MINUTE = 40
MAX_DISSENT = 10_000
MAX_VOTES = 1_000_000
_DAY_MS = 86_400_000
_HOUR_MS = 3_600_000

# --- questions, and when a consultation closes ----------------------------------------


def question_options(q: dict[str, Any]) -> tuple[str, ...]:
    """The options a question's answer chooses from: none for a text question."""
    if q["type"] == "scale":
        return SCALE
    if q["type"] in ("choice", "multi"):
        return tuple(q.get("options") or ())
    return ()


def _question(v: Any) -> bool:
    if not isinstance(v, dict) or not set(v) <= {"type", "text", "options"}:
        return False
    kind, words, options = v.get("type"), v.get("text"), v.get("options", [])
    if kind not in QUESTION_TYPES or not isinstance(words, str):
        return False
    if not (words.strip() and len(words) <= MAX_QUESTION) or not isinstance(options, list):
        return False
    if kind in ("choice", "multi"):
        return (
            2 <= len(options) <= p.MAX_OPTIONS
            and all(p.title(o) for o in options)
            and len(set(options)) == len(options)  # else a choice could not say which
        )
    return options == []


def check_questions(value: Any) -> bool:
    """Whether ``value`` is a consultation's list of questions, as its op carries them."""
    return (
        isinstance(value, list)
        and 1 <= len(value) <= MAX_QUESTIONS
        and all(_question(q) for q in value)
    )


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def closes_at_ms(closes: str) -> int:
    """The last millisecond of the ``closes`` day in Europe/London, in ms since 1970.

    A submission received after it is late. The UK's summer time rule is written out
    (from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
    October) so that the hub and every laptop reckon alike, whatever time zone data
    each computer holds.
    """
    next_day = date.fromisoformat(closes) + timedelta(days=1)
    midnight_utc = (next_day - date(1970, 1, 1)).days * _DAY_MS
    summer = _last_sunday(next_day.year, 3) < next_day <= _last_sunday(next_day.year, 10)
    return midnight_utc - (_HOUR_MS if summer else 0) - 1


# --- merge rules ------------------------------------------------------------------------


def _consultation(a: Applier, op: Op) -> tuple[int, list[dict[str, Any]], str] | None:
    """(n, questions, sender's device) of the op's consultation, if it is in op's group
    and older. (The hub gives each group's copy an id of its own, as a laptop holds each
    op id once; looking up by group as well keeps a group's ops to its own copy.)
    """
    row = a.db.execute(
        "SELECT n, questions, created_hlc, created_by FROM consultations"
        " WHERE group_id = ? AND id = ?",
        (op.group, op.entity),
    ).fetchone()
    if row is None or (row[2], row[3]) >= op.order:
        return None
    return row[0], json.loads(row[1]), row[3]


# What the council says of its consultation (its dates, its feedback, a receipt) counts
# from the hub that sent it alone: another organiser of the group cannot speak for it.
NOT_SENDER = Refusal(Code.NOT_OWNER, "only the hub that sent the consultation speaks for it")


def answer_refusal(questions: list[dict[str, Any]], number: int, choice: list[str]) -> str | None:
    """Why an answer (or a submitted one) does not fit the consultation's questions."""
    if not 1 <= number <= len(questions):
        return f"the consultation has no question {number}"
    q = questions[number - 1]
    options = question_options(q)
    if any(c not in options for c in choice):
        return f"question {number} has no such option"
    if len(set(choice)) != len(choice):
        return f"an option is chosen twice in question {number}"
    if q["type"] in ("choice", "scale") and len(choice) > 1:
        return f"question {number} takes one choice"
    return None


def consultation_create(a: Applier, op: Op) -> str | None:
    f = op.fields
    discussion = a.find("discussions", f["discussion_id"], op)
    if discussion is None:
        return "its discussion has not arrived"
    if discussion[1] != op.device:  # one consultation a discussion, the sender's own
        return Refusal(Code.NOT_OWNER, "a consultation is sent with a discussion of its own")
    a.db.execute(
        "INSERT INTO consultations (id, group_id, discussion_id, title, background, opens,"
        " closes, questions, publication, contact, documents, feedback, created_by,"
        " created_hlc, clocks) VALUES (?,?,?,?,?,?,?,?,?,?,?,'',?,?,'{}')",
        (
            op.entity,
            op.group,
            f["discussion_id"],
            f["title"],
            f["background"],
            f.get("opens"),
            f["closes"],
            json.dumps(f["questions"]),
            f["publication"],
            f["contact"],
            json.dumps(f.get("documents", [])),
            op.device,
            op.hlc,
        ),
    )
    return None


def consultation_update(a: Applier, op: Op) -> str | None:
    found = _consultation(a, op)
    if found is None:
        return "its consultation has not arrived"
    n, _questions, sender = found
    if op.device != sender:
        return NOT_SENDER
    lww(a, "consultations", n, op, op.fields, base=created_base(a, "consultations", n))
    return None


def consultation_answer(a: Applier, op: Op) -> str | None:
    found = _consultation(a, op)
    if found is None:
        return "its consultation has not arrived"
    f = op.fields
    number = f["question"]
    if reason := answer_refusal(found[1], number, f.get("choice", [])):
        return reason
    key = (op.group, op.entity, number)
    a.db.execute(
        "INSERT OR IGNORE INTO consultation_answers (group_id, consultation_id, question)"
        " VALUES (?,?,?)",
        key,
    )
    where = "group_id = ? AND consultation_id = ? AND question = ?"
    if "update" in f:
        (ydoc,) = a.db.execute(
            f"SELECT ydoc FROM consultation_answers WHERE {where}", key
        ).fetchone()
        state = apply_update(ydoc, f["update"])
        a.db.execute(
            f"UPDATE consultation_answers SET ydoc = ?, text = ? WHERE {where}",
            (state, render(state), *key),
        )
    if "choice" in f:
        held = a.db.execute(
            f"SELECT choice_hlc, choice_device FROM consultation_answers WHERE {where}", key
        ).fetchone()
        if held[0] is None or (held[0], held[1]) < op.order:
            a.db.execute(
                "UPDATE consultation_answers SET choice = ?, choice_hlc = ?, choice_device = ?"
                f" WHERE {where}",
                (json.dumps(f["choice"]), op.hlc, op.device, *key),
            )
    return None


def consultation_submit(a: Applier, op: Op) -> str | None:
    found = _consultation(a, op)
    if found is None:
        return "its consultation has not arrived"
    f = op.fields
    answers = f["answers"]
    numbers = [x["question"] for x in answers]
    if len(set(numbers)) != len(numbers):
        return "the submission answers a question twice"
    for x in answers:
        if reason := answer_refusal(found[1], x["question"], x.get("choice", [])):
            return reason
    columns = {
        "answers": json.dumps(sorted(map(_snapshot, answers), key=lambda x: x["question"])),
        "how": f["how"],
        "name": f["name"],
        **{c: f.get(c) for c in _PROVENANCE},
        "dissent": f.get("dissent", ""),
    }
    a.db.execute(
        f"INSERT INTO consultation_submissions (id, group_id, consultation_id,"
        f" {', '.join(columns)}, created_by, created_hlc)"
        f" VALUES (?,?,?,{','.join('?' * len(columns))},?,?)",
        (op.id, op.group, op.entity, *columns.values(), op.device, op.hlc),
    )
    return None


_PROVENANCE = (
    "meeting_id",
    "meeting_title",
    "meeting_date",
    "minute",
    "votes_for",
    "votes_against",
    "votes_abstain",
)


def _snapshot(x: dict[str, Any]) -> dict[str, Any]:
    """A submitted answer with every field, as the table keeps it."""
    return {"question": x["question"], "text": x.get("text", ""), "choice": x.get("choice", [])}


def consultation_receive(a: Applier, op: Op) -> str | None:
    """The hub took a submission in; were it ever to say so twice, the earliest stands."""
    found = _consultation(a, op)
    if found is None:
        return "its consultation has not arrived"
    if op.device != found[2]:
        return NOT_SENDER
    f = op.fields
    row = a.db.execute(
        "SELECT n, consultation_id, created_hlc, created_by, receipt_hlc, receipt_device"
        " FROM consultation_submissions WHERE id = ? AND group_id = ?",
        (f["submission"], op.group),
    ).fetchone()
    if row is None or (row[2], row[3]) >= op.order:
        return "its submission has not arrived"
    if row[1] != op.entity:
        return "the submission answers another consultation"
    if row[4] is not None and (row[4], row[5]) < op.order:
        return None
    a.db.execute(
        "UPDATE consultation_submissions SET received_ms = ?, late = ?, receipt_hlc = ?,"
        " receipt_device = ? WHERE n = ?",
        (f["received_ms"], f["late"], op.hlc, op.device, row[0]),
    )
    return None


# --- its tables, as its migrations make them -----------------------------------------


class Consultation(Base):
    """A consultation put to the group; ``questions`` and ``documents`` are JSON lists."""

    __tablename__ = "consultations"
    __table_args__ = (UniqueConstraint("group_id", "id", name="uq_consultations_group_id"),)
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String)
    group_id: Mapped[str] = mapped_column(String)
    discussion_id: Mapped[str] = mapped_column(String, index=True)
    title: Mapped[str] = mapped_column(String)
    background: Mapped[str] = mapped_column(Text, server_default="")
    opens: Mapped[str | None] = mapped_column(String)  # ISO date
    closes: Mapped[str] = mapped_column(String)  # ISO date; closes at the end of that day
    questions: Mapped[str] = mapped_column(Text)
    publication: Mapped[str] = mapped_column(String)
    contact: Mapped[str] = mapped_column(String, server_default="")
    documents: Mapped[str] = mapped_column(Text, server_default="[]")
    feedback: Mapped[str] = mapped_column(Text, server_default="")  # "You said, we did"
    feedback_ms: Mapped[int | None] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


class ConsultationAnswer(Base):
    """The group's draft answer to one question: CRDT text, and a last-writer-wins choice."""

    __tablename__ = "consultation_answers"
    __table_args__ = (
        UniqueConstraint(
            "group_id", "consultation_id", "question", name="uq_consultation_answers_question"
        ),
    )
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[str] = mapped_column(String)
    consultation_id: Mapped[str] = mapped_column(String)
    question: Mapped[int] = mapped_column(Integer)  # numbered from 1
    text: Mapped[str] = mapped_column(Text, server_default="")
    ydoc: Mapped[bytes | None] = mapped_column(LargeBinary)
    choice: Mapped[str] = mapped_column(Text, server_default="[]")  # JSON list of options
    choice_hlc: Mapped[int | None] = mapped_column(BigInteger)
    choice_device: Mapped[str | None] = mapped_column(String)


class ConsultationSubmission(Base):
    """A response as submitted: the answers then, how the group agreed them, its receipt."""

    __tablename__ = "consultation_submissions"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)  # the submit op's id
    group_id: Mapped[str] = mapped_column(String)
    consultation_id: Mapped[str] = mapped_column(String, index=True)
    answers: Mapped[str] = mapped_column(Text)  # JSON: [{"question", "text", "choice"}]
    how: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(String)
    meeting_id: Mapped[str | None] = mapped_column(String)
    meeting_title: Mapped[str | None] = mapped_column(String)
    meeting_date: Mapped[str | None] = mapped_column(String)
    minute: Mapped[str | None] = mapped_column(String)
    votes_for: Mapped[int | None] = mapped_column(Integer)
    votes_against: Mapped[int | None] = mapped_column(Integer)
    votes_abstain: Mapped[int | None] = mapped_column(Integer)
    dissent: Mapped[str] = mapped_column(Text, server_default="")
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    received_ms: Mapped[int | None] = mapped_column(BigInteger)
    late: Mapped[bool | None] = mapped_column(Boolean)
    receipt_hlc: Mapped[int | None] = mapped_column(BigInteger)
    receipt_device: Mapped[str | None] = mapped_column(String)


# --- what each kind carries ---------------------------------------------------------


def _document(v: Any) -> bool:
    return (
        isinstance(v, dict)
        and set(v) == {"name", "url"}
        and p.title(v["name"])
        and p.text(2_000)(v["url"])
    )


def _documents(v: Any) -> bool:
    return isinstance(v, list) and len(v) <= MAX_DOCUMENTS and all(_document(d) for d in v)


def _number(v: Any) -> bool:
    return p.integer(v) and 1 <= v <= MAX_QUESTIONS


def _choice(v: Any) -> bool:
    return isinstance(v, list) and len(v) <= p.MAX_OPTIONS and all(p.title(c) for c in v)


def _count(v: Any) -> bool:
    return p.integer(v) and 0 <= v <= MAX_VOTES


_ANSWER_TEXT = p.text(p.MAX_TEXT)


def _submitted(v: Any) -> bool:
    return (
        isinstance(v, dict)
        and "question" in v
        and set(v) <= {"question", "text", "choice"}
        and _number(v["question"])
        and _ANSWER_TEXT(v.get("text", ""))
        and _choice(v.get("choice", []))
    )


def _answers(v: Any) -> bool:
    return isinstance(v, list) and len(v) <= MAX_QUESTIONS and all(_submitted(x) for x in v)


def _check_answer(op: Op) -> None:
    if "update" not in op.fields and "choice" not in op.fields:
        raise InvalidOp(f"op {op.id}: an answer changes its text or its choice")
    if "update" in op.fields:
        check_update(op.fields["update"], op.device)


_UPDATE = p.text(10 * p.MAX_TEXT)

DOMAIN = Domain(
    name="consultations",
    needs=("discussions",),
    tables=(
        Table(
            "consultations",
            Dump(
                "id, discussion_id, title, background, opens, closes, questions, publication,"
                " contact, documents, feedback, feedback_ms, created_by",
                "id",
                json=("questions", "documents"),
            ),
        ),
        Table(
            "consultation_answers",
            Dump(
                "consultation_id, question, text, choice",
                "consultation_id, question",
                json=("choice",),
            ),
        ),
        Table(
            "consultation_submissions",
            Dump(
                "id, consultation_id, answers, how, name, meeting_id, meeting_title,"
                " meeting_date, minute, votes_for, votes_against, votes_abstain, dissent,"
                " created_by, received_ms, late",
                "id",
                json=("answers",),
                bools=("late",),
            ),
        ),
    ),
    kinds=(
        Kind(
            "consultation",
            "create",
            consultation_create,
            {
                "title": p.title,
                "discussion_id": p.ident,
                "background": p.text(MAX_BACKGROUND),
                "closes": p.iso_date,
                "questions": check_questions,
                "publication": p.one_of(*PUBLICATION),
                "contact": p.text(p.MAX_TITLE),
            },
            {"opens": p.iso_date, "documents": _documents},
            least="organiser",
            refers=("discussion_id",),
        ),
        Kind(
            "consultation",
            "update",
            consultation_update,
            {},
            {
                "closes": p.iso_date,
                "title": p.title,
                "background": p.text(MAX_BACKGROUND),
                "feedback": p.text(p.MAX_TEXT),
                "feedback_ms": p.moment,
            },
            least="organiser",
        ),
        Kind(
            "consultation",
            "answer",
            consultation_answer,
            {"question": _number},
            {"update": _UPDATE, "choice": _choice},
            least="clerk",
            check=_check_answer,
        ),
        Kind(
            "consultation",
            "submit",
            consultation_submit,
            {"answers": _answers, "how": p.one_of(*HOW), "name": p.text(p.MAX_TITLE)},
            {
                "meeting_id": p.ident,
                "meeting_title": p.text(p.MAX_TITLE),
                "meeting_date": p.iso_date,
                "minute": p.text(MAX_MINUTE),
                "votes_for": _count,
                "votes_against": _count,
                "votes_abstain": _count,
                "dissent": p.text(MAX_DISSENT),
            },
            least="clerk",
        ),
        Kind(
            "consultation",
            "receive",
            consultation_receive,
            {"submission": p.ident, "received_ms": p.moment, "late": p.boolean},
            least="organiser",
        ),
    ),
)
