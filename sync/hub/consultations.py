"""The council's consultations on the hub: drafts and their documents, read back for
officers. Publishing them into groups' logs is ``sync.hub.consultation_publishing``;
groups' responses are ``sync.hub.consultation_responses``.

Functions over a Connection, with no HTTP: the caller holds the transaction (one per
request or command), so a refusal anywhere leaves nothing written. A draft is checked
as it is saved against what its ``consultation/create`` op will carry
(``app.kinds.consultations``), so publishing never finds it malformed.

Who sees what: an officer sees a consultation when they may see every group it goes
to (an administrator sees all); a draft with no groups yet, when they started it. The
command line (``viewer=None``) sees everything.
"""

from __future__ import annotations

import json
import mimetypes
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, Literal, Protocol

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from app import payload as p
from app.clock import wall_ms
from app.codes import Code
from app.ids import authored_id, uuid7
from app.kinds.consultations import (
    MAX_BACKGROUND,
    MAX_DOCUMENTS,
    MAX_QUESTION,
    MAX_QUESTIONS,
    PUBLICATION,
    QUESTION_TYPES,
    check_questions,
    closes_at_ms,
)
from app.papers.words import long_date
from sync.hub import tables as t
from sync.hub.errors import HubRefusal, NotFoundOnHub

# Each document goes up in one form post, and the hub takes requests of at most 8 MiB
# (sync.hub.settings.HubSettings.max_body_bytes): a document this size fits with room.
MAX_DOCUMENT_BYTES = 6 * 1024 * 1024
MAX_CONTACT = p.MAX_TITLE
MAX_FILENAME = 200
Status = Literal["draft", "open", "closed"]

# Served by their own type only when a browser shows it safely; anything else is sent
# as a download (sync.hub.web.consultation_pages).
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".rtf": "application/rtf",
}


class Viewer(Protocol):
    """An officer, as far as what they may see goes (``sync.hub.web.session.Officer``)."""

    @property
    def id(self) -> int: ...
    @property
    def admin(self) -> bool: ...
    def can_see(self, group_id: str) -> bool: ...


@dataclass(frozen=True)
class Document:
    id: str
    filename: str
    media_type: str
    size: int


@dataclass(frozen=True)
class ConsultedGroup:
    id: str
    name: str
    discussion_id: str | None  # in the group's log, once published there
    entity: str | None = None  # the consultation's id in the group's log, once published


@dataclass(frozen=True)
class Consultation:
    id: str
    title: str
    background: str
    contact: str
    opens: str | None
    closes: str
    questions: tuple[dict[str, Any], ...]
    publication: str
    created_by: int | None
    created_ms: int
    published_ms: int | None
    feedback: str
    feedback_ms: int | None
    groups: tuple[ConsultedGroup, ...]
    documents: tuple[Document, ...]

    def status(self, now_ms: int | None = None) -> Status:
        if self.published_ms is None:
            return "draft"
        now = wall_ms() if now_ms is None else now_ms
        return "open" if now <= closes_at_ms(self.closes) else "closed"

    @property
    def group_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.groups)

    def visible_to(self, viewer: Viewer | None) -> bool:
        if viewer is None or viewer.admin:
            return True
        if not self.groups:
            return self.created_by == viewer.id
        return all(viewer.can_see(g) for g in self.group_ids)


def document_path(consultation_id: str, document_id: str) -> str:
    """Where residents and groups read a published consultation's document."""
    return f"/consultations/{consultation_id}/documents/{document_id}"


# --- checking what an officer typed --------------------------------------------------


class DraftProblem(HubRefusal):
    """A draft's field that needs changing: ``field`` names it as the web form does
    ("title", "closes", …; "q3-options" for question 3's options).
    """

    def __init__(self, words: str, *, field: str) -> None:
        super().__init__(words, code=Code.INVALID_INPUT)
        self.field = field


@dataclass(frozen=True)
class QuestionProblem:
    number: int  # from 1; 0 for the list as a whole
    part: str  # "type", "text", "options", or "" for the list or the question as a whole
    words: str

    @property
    def field(self) -> str:
        return f"q{self.number}-{self.part}" if self.number and self.part else "questions"


def question_problem(questions: Any) -> QuestionProblem | None:
    """What is wrong with a list of questions, in words naming the question; None if fine."""
    if not isinstance(questions, list) or not 1 <= len(questions) <= MAX_QUESTIONS:
        return QuestionProblem(0, "", f"Give 1 to {MAX_QUESTIONS} questions, as a list.")
    for n, q in enumerate(questions, 1):
        found = _one_question_problem(n, q)
        if found is not None:
            return QuestionProblem(n, *found)
    if not check_questions(questions):
        return QuestionProblem(0, "", "The questions are not in the form a consultation takes.")
    return None


def _one_question_problem(n: int, q: Any) -> tuple[str, str] | None:
    if not isinstance(q, dict):
        return "", f"Question {n} is not a question: give its type, text and options."
    extra = sorted(set(q) - {"type", "text", "options"})
    if extra:
        return "", f"Question {n} has fields a question does not take: {', '.join(extra)}."
    kind, words, options = q.get("type"), q.get("text"), q.get("options", [])
    if kind not in QUESTION_TYPES:
        return "type", f"Question {n} needs a type: {', '.join(QUESTION_TYPES)}."
    if not isinstance(words, str) or not words.strip():
        return "text", f"Question {n} needs its words."
    if len(words) > MAX_QUESTION:
        return "text", f"Question {n} is longer than {MAX_QUESTION:,} characters."
    if kind not in ("choice", "multi"):
        if options != []:
            return "options", f"Question {n} ({kind}) takes no options of its own."
    elif not isinstance(options, list) or not 2 <= len(options) <= p.MAX_OPTIONS:
        return "options", f"Question {n} ({kind}) needs 2 to {p.MAX_OPTIONS} options."
    elif not all(p.title(o) for o in options):
        return (
            "options",
            f"Each option of question {n} needs words, at most {p.MAX_TITLE} characters.",
        )
    elif len(set(options)) != len(options):
        return "options", f"Question {n} gives an option twice."
    return None


def _date(value: str, what: str, field: str) -> str:
    if not p.iso_date(value):
        raise DraftProblem(
            f"The {what} must be a date written as 2027-03-31, not {value!r}.", field=field
        )
    return value


def _checked(
    *,
    title: str,
    background: str,
    contact: str,
    opens: str | None,
    closes: str,
    questions: Any,
    publication: str,
    now_ms: int | None,
) -> dict[str, Any]:
    """The draft's columns, or a refusal saying what to change."""
    title = " ".join(title.split())
    if not p.title(title):
        raise DraftProblem(
            f"Give the consultation a title of at most {p.MAX_TITLE} characters.", field="title"
        )
    if len(background) > MAX_BACKGROUND:
        raise DraftProblem(
            f"The background is longer than {MAX_BACKGROUND:,} characters.", field="background"
        )
    contact = contact.strip()
    if len(contact) > MAX_CONTACT:
        raise DraftProblem(
            f"The contact details are longer than {MAX_CONTACT} characters.", field="contact"
        )
    closes = _date(closes.strip(), "closing date", "closes")
    if closes_at_ms(closes) < (wall_ms() if now_ms is None else now_ms):
        raise DraftProblem(
            f"The closing date, {long_date(closes)}, has passed; choose a later one.",
            field="closes",
        )
    opens = _date(opens.strip(), "opening date", "opens") if opens and opens.strip() else None
    if opens is not None and date.fromisoformat(opens) > date.fromisoformat(closes):
        raise DraftProblem("The consultation cannot open after it closes.", field="opens")
    problem = question_problem(questions)
    if problem:
        raise DraftProblem(problem.words, field=problem.field)
    if publication not in PUBLICATION:
        raise DraftProblem(
            f"Publication is one of {', '.join(PUBLICATION)}, not {publication!r}.",
            field="publication",
        )
    return {
        "title": title,
        "background": background.replace("\r\n", "\n"),
        "contact": contact,
        "opens": opens,
        "closes": closes,
        "questions": json.dumps(questions, ensure_ascii=False),
        "publication": publication,
    }


def _set_groups(conn: Connection, consultation_id: str, groups: Sequence[str]) -> None:
    wanted = list(dict.fromkeys(g.strip() for g in groups if g.strip()))
    known = set(conn.execute(select(t.groups.c.id).where(t.groups.c.id.in_(wanted))).scalars())
    for group_id in wanted:
        if group_id not in known:
            raise NotFoundOnHub(f"There is no group {group_id} on this hub.")

    cg = t.consultation_groups
    conn.execute(delete(cg).where(cg.c.consultation_id == consultation_id))
    if wanted:
        conn.execute(
            insert(cg), [{"consultation_id": consultation_id, "group_id": g} for g in wanted]
        )


# --- drafts ----------------------------------------------------------------------------


def create_draft(
    conn: Connection,
    *,
    hub_device: str,
    title: str,
    closes: str,
    questions: Any,
    groups: Sequence[str] = (),
    background: str = "",
    contact: str = "",
    opens: str | None = None,
    publication: str = "full",
    created_by: int | None = None,
    now_ms: int | None = None,
) -> str:
    """Save a new draft; its id on the hub (each group's log gives it one of its own)."""
    values = _checked(
        title=title,
        background=background,
        contact=contact,
        opens=opens,
        closes=closes,
        questions=questions,
        publication=publication,
        now_ms=now_ms,
    )
    consultation_id = authored_id(hub_device)
    conn.execute(
        insert(t.consultations).values(
            id=consultation_id, created_by=created_by, created_ms=wall_ms(), **values
        )
    )
    _set_groups(conn, consultation_id, groups)
    return consultation_id


def edit_draft(
    conn: Connection,
    consultation_id: str,
    *,
    title: str,
    closes: str,
    questions: Any,
    groups: Sequence[str],
    background: str = "",
    contact: str = "",
    opens: str | None = None,
    publication: str = "full",
    now_ms: int | None = None,
) -> None:
    """Replace a draft's fields and groups; a published consultation is not edited."""
    _draft_row(conn, consultation_id)
    values = _checked(
        title=title,
        background=background,
        contact=contact,
        opens=opens,
        closes=closes,
        questions=questions,
        publication=publication,
        now_ms=now_ms,
    )
    conn.execute(
        update(t.consultations).where(t.consultations.c.id == consultation_id).values(**values)
    )
    _set_groups(conn, consultation_id, groups)


def _draft_row(conn: Connection, consultation_id: str) -> Row[Any]:
    """The draft's row, locked; refused if it is not there or is published already."""
    row = conn.execute(
        select(t.consultations).where(t.consultations.c.id == consultation_id).with_for_update()
    ).first()
    if row is None:
        raise NotFoundOnHub("There is no such consultation on this hub.", code=Code.NOT_FOUND)
    if row.published_ms is not None:
        raise HubRefusal(
            "That consultation has been published, and is no longer changed.",
            code=Code.NOT_ALLOWED,
        )
    return row


# --- documents ---------------------------------------------------------------------------


def _clean_filename(filename: str) -> str:
    # Browsers send a bare name, but some a whole Windows path; either way, its last part.
    name = PureWindowsPath(PurePosixPath(filename).name).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if c.isprintable()).strip()
    if len(name) > MAX_FILENAME:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem[: MAX_FILENAME - len(suffix) - 1]}.{suffix}" if dot else name[:MAX_FILENAME]
    return name


def add_document(conn: Connection, consultation_id: str, *, filename: str, data: bytes) -> Document:
    """Attach a document to a draft; its type is told by its name, never by the sender."""
    _draft_row(conn, consultation_id)
    name = _clean_filename(filename)
    if not name:
        raise DraftProblem("A document needs a file name.", field="documents")
    if not data:
        raise DraftProblem(f"{name} is empty.", field="documents")
    if len(data) > MAX_DOCUMENT_BYTES:
        most = MAX_DOCUMENT_BYTES // (1024 * 1024)
        raise DraftProblem(
            f"{name} is larger than {most} MB; attach a smaller copy.", field="documents"
        )
    docs = t.consultation_documents
    held = conn.execute(
        select(func.count()).select_from(docs).where(docs.c.consultation_id == consultation_id)
    ).scalar_one()
    if held >= MAX_DOCUMENTS:
        raise DraftProblem(
            f"A consultation takes at most {MAX_DOCUMENTS} documents.", field="documents"
        )
    suffix = PurePosixPath(name.lower()).suffix
    media_type = DOCUMENT_TYPES.get(suffix) or (
        mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    document = Document(uuid7(), name, media_type, len(data))
    conn.execute(
        insert(docs).values(
            id=document.id,
            consultation_id=consultation_id,
            filename=document.filename,
            media_type=document.media_type,
            size=document.size,
            data=data,
        )
    )
    return document


def remove_document(conn: Connection, consultation_id: str, document_id: str) -> None:
    _draft_row(conn, consultation_id)
    docs = t.consultation_documents
    gone = conn.execute(
        delete(docs).where(docs.c.consultation_id == consultation_id, docs.c.id == document_id)
    ).rowcount
    if not gone:
        raise NotFoundOnHub("There is no such document.", code=Code.NOT_FOUND)


def document_data(
    conn: Connection, consultation_id: str, document_id: str, *, public: bool
) -> tuple[Document, bytes] | None:
    """A document and its bytes; for the public, only once its consultation is published."""
    docs, c = t.consultation_documents, t.consultations
    row = conn.execute(
        select(docs, c.c.published_ms)
        .join(c, c.c.id == docs.c.consultation_id)
        .where(docs.c.consultation_id == consultation_id, docs.c.id == document_id)
    ).first()
    if row is None or (public and row.published_ms is None):
        return None
    return Document(row.id, row.filename, row.media_type, int(row.size)), bytes(row.data)


# --- reading -------------------------------------------------------------------------------


def _load(conn: Connection, row: Row[Any]) -> Consultation:
    cg, g, docs = t.consultation_groups, t.groups, t.consultation_documents
    groups = conn.execute(
        select(cg.c.group_id, g.c.name, cg.c.discussion_id, cg.c.entity)
        .join(g, g.c.id == cg.c.group_id)
        .where(cg.c.consultation_id == row.id)
        .order_by(g.c.name, cg.c.group_id)
    )
    documents = conn.execute(
        select(docs.c.id, docs.c.filename, docs.c.media_type, docs.c.size)
        .where(docs.c.consultation_id == row.id)
        .order_by(docs.c.id)
    )
    return Consultation(
        id=row.id,
        title=row.title,
        background=row.background,
        contact=row.contact,
        opens=row.opens,
        closes=row.closes,
        questions=tuple(json.loads(row.questions)),
        publication=row.publication,
        created_by=row.created_by,
        created_ms=int(row.created_ms),
        published_ms=row.published_ms,
        feedback=row.feedback,
        feedback_ms=row.feedback_ms,
        groups=tuple(ConsultedGroup(r.group_id, r.name, r.discussion_id, r.entity) for r in groups),
        documents=tuple(Document(r.id, r.filename, r.media_type, int(r.size)) for r in documents),
    )


def get(
    conn: Connection, consultation_id: str, *, viewer: Viewer | None = None, lock: bool = False
) -> Consultation:
    """The consultation, if the viewer may see it; NotFoundOnHub otherwise (the same
    answer for one they may not see as for none, so ids of other groups' tell nothing).
    """
    query = select(t.consultations).where(t.consultations.c.id == consultation_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    found = None if row is None else _load(conn, row)
    if found is None or not found.visible_to(viewer):
        raise NotFoundOnHub("There is no such consultation on this hub.", code=Code.NOT_FOUND)
    return found


def list_consultations(conn: Connection, *, viewer: Viewer | None = None) -> list[Consultation]:
    """Those the viewer may see: drafts and open ones by closing date, then closed ones."""
    rows = conn.execute(select(t.consultations).order_by(t.consultations.c.created_ms.desc()))
    found = [c for c in (_load(conn, row) for row in rows) if c.visible_to(viewer)]
    now = wall_ms()
    return sorted(found, key=lambda c: (c.status(now) == "closed", c.closes, c.title))


def group_names(
    conn: Connection, *, can_see: Callable[[str], bool] | None = None
) -> dict[str, str]:
    """The hub's groups by id, as an officer may choose among them, by name."""
    rows = conn.execute(select(t.groups.c.id, t.groups.c.name).order_by(t.groups.c.name))
    return {r.id: r.name for r in rows if can_see is None or can_see(r.id)}
