"""Council meetings and their record: agenda items, attendance, declarations of
interest, minutes, resolutions and actions, and the approval that freezes them.

Minutes merge as text CRDT updates (as notes do), so a clerk and a member who minute
one item offline both keep their words. Everything else is last-writer-wins per field.

Approval is a snapshot: the clerk's laptop writes the whole record as it stands (its
canonical JSON and that text's hash) into the approval op, which its device signs.
The approved minutes are read from that snapshot, never from the live rows, so a row
changed behind the app's back cannot change them. A change to the record stamped after
an approval is refused on every replica; one stamped before it but arriving later
still lands in the live rows and is not part of what was approved.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Boolean, Integer, LargeBinary, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from app import payload as p
from app.codes import Code, Refusal
from app.domain import Domain, Dump, Kind, Table
from app.errors import InvalidOp
from app.meeting_view import ACTION_STATES, ATTENDANCE, INTERESTS, MODES
from app.merge_rows import created_base, lww, register
from app.ops import Op, is_hex
from app.roles import CLERK
from app.schema import Base
from app.text_crdt import apply_update, check_update, render

if TYPE_CHECKING:
    from app.apply import Applier

STANDARD_ITEMS = ("apologies", "declarations", "last_minutes", "public", "actions")
MAX_RECORD = 2_000_000  # characters of an approved record's canonical JSON
# Bytes of one paper. Its op carries it as base64 (4 MiB is about 5.6 MB of text), so
# one paper always fits a request the hub takes (8 MiB, decompressed) with room over.
MAX_PAPER = 4 * 1024 * 1024
MAX_PAPER_NAME = 200
APPROVED = Refusal(
    Code.NOT_ALLOWED,
    "the minutes were approved; a correction is a resolution of a later meeting",
)
# What changes the record of a meeting; all but these are frozen by its approval.
_NOT_RECORD = {("action", "update"), ("meeting", "sign"), ("meeting", "approve")}

# --- merge rules ------------------------------------------------------------------------


def _meeting_row(a: Applier, meeting_id: str, op: Op) -> tuple[int, str] | None:
    return a.find("meetings", meeting_id, op)


def _frozen(a: Applier, meeting_n: int, op: Op) -> Refusal | None:
    """Refused: the op is stamped after the meeting's approval."""
    row = a.db.execute(
        "SELECT approved_hlc, approved_by FROM meetings WHERE n = ?", (meeting_n,)
    ).fetchone()
    if row[0] is not None and (row[0], row[1]) < op.order:
        return APPROVED
    return None


def _meeting_of_item(a: Applier, item_id: str, op: Op) -> tuple[int, int] | None:
    """(item n, meeting n) of an item that is there for ``op``."""
    found = a.find("meeting_items", item_id, op)
    if found is None:
        return None
    (meeting_id,) = a.db.execute(
        "SELECT meeting_id FROM meeting_items WHERE n = ?", (found[0],)
    ).fetchone()
    meeting = a.find("meetings", meeting_id, op)
    return None if meeting is None else (found[0], meeting[0])


def meeting_create(a: Applier, op: Op) -> str | None:
    f = op.fields
    cur = a.db.execute(
        "INSERT INTO meetings (id, group_id, title, starts_at, body, place, mode, chair, clerk,"
        " members_draft, public, stage, deleted, created_by, created_hlc, clocks)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,'draft',0,?,?,'{}')",
        (
            op.entity,
            op.group,
            f["title"],
            f["starts_at"],
            f.get("body", ""),
            f.get("place", ""),
            f.get("mode", "in_person"),
            f.get("chair"),
            f.get("clerk"),
            f.get("members_draft", False),
            f.get("public", ""),
            op.device,
            op.hlc,
        ),
    )
    a.remember("meetings", op.entity, cur.lastrowid or 0, op)
    return None


def meeting_update(a: Applier, op: Op) -> str | None:
    found = _meeting_row(a, op.entity, op)
    if found is None:
        return "no such meeting (yet)"
    if frozen := _frozen(a, found[0], op):
        return frozen
    lww(a, "meetings", found[0], op, op.fields, base=created_base(a, "meetings", found[0]))
    return None


def meeting_approve(a: Applier, op: Op) -> str | None:
    """The record as approved at a later meeting; the earliest approval stands."""
    f = op.fields
    found = _meeting_row(a, op.entity, op)
    later = _meeting_row(a, f["at"], op)
    if found is None or later is None:
        return "its meeting or the meeting approving it has not arrived"
    (starts, approved_hlc, approved_by) = a.db.execute(
        "SELECT starts_at, approved_hlc, approved_by FROM meetings WHERE n = ?", (found[0],)
    ).fetchone()
    (later_starts,) = a.db.execute(
        "SELECT starts_at FROM meetings WHERE n = ?", (later[0],)
    ).fetchone()
    if later_starts <= starts:
        return Refusal(Code.INVALID_INPUT, "minutes are approved at a later meeting")
    if approved_hlc is not None and (approved_hlc, approved_by) < op.order:
        return Refusal(Code.NOT_ALLOWED, "the minutes were approved already")
    a.db.execute(
        "UPDATE meetings SET approved_hlc = ?, approved_by = ?,"
        " approved_at = ?, approve_op = ?, content_hash = ?, record = ? WHERE n = ?",
        (op.hlc, op.device, f["at"], op.id, f["content_hash"], f["record"], found[0]),
    )
    if approved_hlc is not None or _changed_after(a, op):
        # What was applied after this approval's stamp is void now: apply again in order.
        a.rebuild_later(op.group)
    return None


def _changed_after(a: Applier, approval: Op) -> bool:
    """Whether a change to the meeting's record stamped after ``approval`` is applied."""
    items = {
        r[0]
        for r in a.db.execute(
            "SELECT id FROM meeting_items WHERE meeting_id = ?", (approval.entity,)
        )
    }
    touched = {approval.entity, *items}
    for table in ("declarations", "resolutions", "actions", "item_papers"):
        touched |= {
            r[0]
            for r in a.db.execute(
                f"SELECT id FROM {table} WHERE item_id IN (SELECT id FROM meeting_items"
                " WHERE meeting_id = ?)",
                (approval.entity,),
            )
        }
    later = a.db.execute(
        "SELECT kind, action, entity, device, hlc FROM ops WHERE group_id = ? AND hlc >= ?"
        " AND state = 1",
        (approval.group, approval.hlc),
    )
    return any(
        (kind, action) not in _NOT_RECORD and entity in touched and (hlc, device) > approval.order
        for kind, action, entity, device, hlc in later
    )


def meeting_sign(a: Applier, op: Op) -> str | None:
    found = _meeting_row(a, op.entity, op)
    if found is None:
        return "no such meeting (yet)"
    approved = a.db.execute(
        "SELECT approved_hlc, approved_by FROM meetings WHERE n = ?", (found[0],)
    ).fetchone()
    if approved[0] is None or (approved[0], approved[1]) > op.order:
        return "the minutes have not been approved (yet)"
    fields = {
        "signed_chair": op.fields["chair"],
        "signed_at": op.fields["signed_at"],
        "signed_device": op.device,
    }
    lww(a, "meetings", found[0], op, fields, base=created_base(a, "meetings", found[0]))
    return None


def meeting_summon(a: Applier, op: Op) -> str | None:
    """The summons went out, carrying the public agenda as it stood; the latest stands.

    Issued again (the agenda changed), the newer one is the one published.
    """
    found = _meeting_row(a, op.entity, op)
    if found is None:
        return "no such meeting (yet)"
    if frozen := _frozen(a, found[0], op):
        return frozen
    fields = {"summons_sent": op.fields["issued_on"]}
    lww(a, "meetings", found[0], op, fields, base=created_base(a, "meetings", found[0]))
    return None


def _check_agenda(op: Op) -> None:
    try:
        agenda = json.loads(op.fields["agenda"])
    except (ValueError, RecursionError):  # not JSON; or nested deeper than it can be read
        agenda = None
    if not isinstance(agenda, dict) or not isinstance(agenda.get("items"), list):
        raise InvalidOp(f"op {op.id}: the agenda it carries is not an agenda")


def item_create(a: Applier, op: Op) -> str | None:
    f = op.fields
    meeting = _meeting_row(a, f["meeting_id"], op)
    if meeting is None:
        return "its meeting has not arrived"
    if frozen := _frozen(a, meeting[0], op):
        return frozen
    cur = a.db.execute(
        "INSERT INTO meeting_items (id, group_id, meeting_id, title, position, exempt,"
        " exempt_reason, standard, minutes, deleted, created_by, created_hlc, clocks)"
        " VALUES (?,?,?,?,?,?,?,?,'',0,?,?,'{}')",
        (
            op.entity,
            op.group,
            f["meeting_id"],
            f["title"],
            f["position"],
            f.get("exempt", False),
            f.get("exempt_reason", ""),
            f.get("standard"),
            op.device,
            op.hlc,
        ),
    )
    a.remember("meeting_items", op.entity, cur.lastrowid or 0, op)
    return None


def item_update(a: Applier, op: Op) -> str | None:
    found = _meeting_of_item(a, op.entity, op)
    if found is None:
        return "no such agenda item (yet)"
    n, meeting_n = found
    if frozen := _frozen(a, meeting_n, op):
        return frozen
    fields = dict(op.fields)
    number = fields.pop("minute_number", None)
    if number is not None:
        # Stable once given: the earliest number written stands.
        held = a.db.execute(
            "SELECT number_hlc, number_device FROM meeting_items WHERE n = ?", (n,)
        ).fetchone()
        if held[0] is None or (held[0], held[1]) > op.order:
            a.db.execute(
                "UPDATE meeting_items SET minute_number = ?, number_hlc = ?, number_device = ?"
                " WHERE n = ?",
                (number, op.hlc, op.device, n),
            )
    if fields:
        lww(a, "meeting_items", n, op, fields, base=created_base(a, "meeting_items", n))
    return None


def item_minute(a: Applier, op: Op) -> str | None:
    found = _meeting_of_item(a, op.entity, op)
    if found is None:
        return "its agenda item has not arrived"
    n, meeting_n = found
    if frozen := _frozen(a, meeting_n, op):
        return frozen
    if a.rank(op) < CLERK:
        # Fixed when the meeting is made, so every replica judges an edit alike.
        (allowed,) = a.db.execute(
            "SELECT members_draft FROM meetings WHERE n = ?", (meeting_n,)
        ).fetchone()
        if not allowed:
            return Refusal(Code.NOT_CLERK, "only the clerk minutes this meeting")
    (ydoc,) = a.db.execute("SELECT ydoc FROM meeting_items WHERE n = ?", (n,)).fetchone()
    state = apply_update(ydoc, op.fields["update"])
    a.db.execute(
        "UPDATE meeting_items SET ydoc = ?, minutes = ? WHERE n = ?", (state, render(state), n)
    )
    return None


def attendance_set(a: Applier, op: Op) -> str | None:
    found = _meeting_row(a, op.entity, op)
    if found is None:
        return "its meeting has not arrived"
    if frozen := _frozen(a, found[0], op):
        return frozen
    f = op.fields
    register(
        a,
        op,
        "attendance",
        ("meeting_id", "member"),
        (op.entity, f["member"]),
        {"status": f["status"], "apologies_accepted": f.get("apologies_accepted")},
    )
    return None


def _item_child_create(table: str, columns: dict[str, Any]) -> Any:
    """The create rule of a row that belongs to an agenda item (declaration, resolution,
    action); ``columns`` are the payload fields it takes, with the value each has unsaid.
    """

    def create(a: Applier, op: Op) -> str | None:
        f = op.fields
        found = _meeting_of_item(a, f["item_id"], op)
        if found is None:
            return "its agenda item has not arrived"
        if frozen := _frozen(a, found[1], op):
            return frozen
        values = [_column(f.get(c, unsaid)) for c, unsaid in columns.items()]
        names = ", ".join(columns)
        cur = a.db.execute(
            f"INSERT INTO {table} (id, group_id, item_id, {names}, deleted, created_by,"
            f" created_hlc, clocks) VALUES (?,?,?,{','.join('?' * len(columns))},0,?,?,'{{}}')",
            (op.entity, op.group, f["item_id"], *values, op.device, op.hlc),
        )
        a.remember(table, op.entity, cur.lastrowid or 0, op)
        return None

    return create


def _item_child_update(table: str, *, after_approval: frozenset[str] = frozenset()) -> Any:
    """The update rule of such a row; ``after_approval`` fields may change once approved."""

    def update(a: Applier, op: Op) -> str | None:
        found = a.find(table, op.entity, op)
        if found is None:
            return "no such row (yet)"
        (item_id,) = a.db.execute(
            f"SELECT item_id FROM {table} WHERE n = ?", (found[0],)
        ).fetchone()
        item = _meeting_of_item(a, item_id, op)
        if item is None:
            return "its agenda item has not arrived"
        if not set(op.fields) <= after_approval and (frozen := _frozen(a, item[1], op)):
            return frozen
        changes = {k: _column(v) for k, v in op.fields.items()}
        lww(a, table, found[0], op, changes, base=created_base(a, table, found[0]))
        return None

    return update


def paper_create(a: Applier, op: Op) -> str | None:
    """A paper of an agenda item: a file's bytes, checked against its hash (_check_paper)."""
    f = op.fields
    found = _meeting_of_item(a, f["item_id"], op)
    if found is None:
        return "its agenda item has not arrived"
    if frozen := _frozen(a, found[1], op):
        return frozen
    cur = a.db.execute(
        "INSERT INTO item_papers (id, group_id, item_id, name, media_type, size, sha256,"
        " deleted, created_by, created_hlc, clocks, data) VALUES (?,?,?,?,?,?,?,0,?,?,'{}',?)",
        (
            op.entity,
            op.group,
            f["item_id"],
            f["name"],
            f.get("media_type", ""),
            f["size"],
            f["sha256"],
            op.device,
            op.hlc,
            base64.b64decode(f["data"]),
        ),
    )
    a.remember("item_papers", op.entity, cur.lastrowid or 0, op)
    return None


def _column(value: Any) -> Any:
    """A payload value as its column holds it: lists as JSON text."""
    return json.dumps(value, separators=(",", ":")) if isinstance(value, list) else value


# --- its tables, as its migrations make them -----------------------------------------


class Meeting(Base):
    """A meeting of the group's council or committee; ``record`` once approved."""

    __tablename__ = "meetings"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String, index=True)
    title: Mapped[str] = mapped_column(String)
    starts_at: Mapped[str] = mapped_column(String)  # "2027-01-14T19:30", local time
    body: Mapped[str] = mapped_column(String, server_default="")
    place: Mapped[str] = mapped_column(String, server_default="")
    mode: Mapped[str] = mapped_column(String, server_default="in_person")
    chair: Mapped[str | None] = mapped_column(String)
    clerk: Mapped[str | None] = mapped_column(String)
    members_draft: Mapped[bool] = mapped_column(Boolean, server_default=false())
    public: Mapped[str] = mapped_column(Text, server_default="")
    # Draft or circulated; that it was approved or signed is read from those columns.
    stage: Mapped[str] = mapped_column(String, server_default="draft")
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")
    approved_hlc: Mapped[int | None] = mapped_column(BigInteger)
    approved_by: Mapped[str | None] = mapped_column(String)
    approved_at: Mapped[str | None] = mapped_column(String)  # the later meeting's id
    approve_op: Mapped[str | None] = mapped_column(String)
    content_hash: Mapped[str | None] = mapped_column(String)
    record: Mapped[str | None] = mapped_column(Text)  # the approved record, canonical JSON
    signed_chair: Mapped[str | None] = mapped_column(String)
    signed_at: Mapped[str | None] = mapped_column(String)
    signed_device: Mapped[str | None] = mapped_column(String)
    summons_sent: Mapped[str | None] = mapped_column(String)  # ISO date


class MeetingItem(Base):
    """An agenda item; ``minutes`` renders its text CRDT ``ydoc``."""

    __tablename__ = "meeting_items"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String)
    meeting_id: Mapped[str] = mapped_column(String, index=True)
    title: Mapped[str] = mapped_column(String)
    position: Mapped[int] = mapped_column(BigInteger)
    exempt: Mapped[bool] = mapped_column(Boolean, server_default=false())
    exempt_reason: Mapped[str] = mapped_column(Text, server_default="")
    standard: Mapped[str | None] = mapped_column(String)
    minute_number: Mapped[str | None] = mapped_column(String)
    number_hlc: Mapped[int | None] = mapped_column(BigInteger)
    number_device: Mapped[str | None] = mapped_column(String)
    minutes: Mapped[str] = mapped_column(Text, server_default="")
    ydoc: Mapped[bytes | None] = mapped_column(LargeBinary)
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


class Attendance(Base):
    """Who was at a meeting, and how: a last-writer-wins register per member."""

    __tablename__ = "attendance"
    meeting_id: Mapped[str] = mapped_column(String, primary_key=True)
    member: Mapped[str] = mapped_column(String, primary_key=True)
    group_id: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String)
    apologies_accepted: Mapped[bool | None] = mapped_column(Boolean)
    hlc: Mapped[int] = mapped_column(BigInteger)
    device: Mapped[str] = mapped_column(String)


class Declaration(Base):
    """A member's declaration of an interest in an agenda item."""

    __tablename__ = "declarations"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String)
    item_id: Mapped[str] = mapped_column(String, index=True)
    member: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String)
    nature: Mapped[str] = mapped_column(Text)
    dispensation: Mapped[bool] = mapped_column(Boolean, server_default=false())
    left_room: Mapped[bool] = mapped_column(Boolean, server_default=false())
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


class Resolution(Base):
    """A motion put to an agenda item: carried (RESOLVED that …) or fallen, and its vote."""

    __tablename__ = "resolutions"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String)
    item_id: Mapped[str] = mapped_column(String, index=True)
    text: Mapped[str] = mapped_column(Text)
    carried: Mapped[bool] = mapped_column(Boolean)
    votes_for: Mapped[int] = mapped_column(Integer, server_default="0")
    votes_against: Mapped[int] = mapped_column(Integer, server_default="0")
    abstain: Mapped[int] = mapped_column(Integer, server_default="0")
    unanimous: Mapped[bool] = mapped_column(Boolean, server_default=false())
    recorded: Mapped[str] = mapped_column(Text, server_default="[]")  # [[member, vote], …]
    casting: Mapped[str | None] = mapped_column(String)
    proposer: Mapped[str | None] = mapped_column(String)
    seconder: Mapped[str | None] = mapped_column(String)
    corrects: Mapped[str | None] = mapped_column(String)  # a minute number
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


class MeetingAction(Base):
    """Something to be done, arising from an agenda item; its status outlives approval."""

    __tablename__ = "actions"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String, index=True)
    item_id: Mapped[str] = mapped_column(String)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String)
    due: Mapped[str | None] = mapped_column(String)  # ISO date
    status: Mapped[str] = mapped_column(String, server_default="open")
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


class ItemPaper(Base):
    """A file put with an agenda item (a report, a plan); ``data`` holds its bytes."""

    __tablename__ = "item_papers"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String)
    item_id: Mapped[str] = mapped_column(String, index=True)
    name: Mapped[str] = mapped_column(String)
    media_type: Mapped[str] = mapped_column(String, server_default="")
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String)
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")
    # Last: SQLite reads a row's columns in order, so those above are read without it.
    data: Mapped[bytes] = mapped_column(LargeBinary)


# --- what each kind carries ---------------------------------------------------------


def _local_datetime(v: Any) -> bool:
    """'2027-01-14T19:30': a local date and time to the minute."""
    if not isinstance(v, str) or len(v) != 16:
        return False
    try:
        datetime.strptime(v, "%Y-%m-%dT%H:%M")
    except ValueError:
        return False
    return True


def _opt_date(v: Any) -> bool:
    return v is None or p.iso_date(v)


def _member(v: Any) -> bool:
    return is_hex(v, 64)


def _opt_member(v: Any) -> bool:
    return v is None or _member(v)


def _count(v: Any) -> bool:
    return p.integer(v) and 0 <= v <= 10_000


def _recorded(v: Any) -> bool:
    return (
        isinstance(v, list)
        and len(v) <= 200
        and all(
            isinstance(x, list)
            and len(x) == 2
            and _member(x[0])
            and x[1] in ("for", "against", "abstain")
            for x in v
        )
    )


def _minute_number(v: Any) -> bool:
    return isinstance(v, str) and 3 <= len(v) <= 20


def _check_minute(op: Op) -> None:
    check_update(op.fields["update"], op.device)


def record_hash(record: str) -> str:
    """The hash an approval signs: SHA-256 of the record's canonical JSON text."""
    return hashlib.sha256(record.encode()).hexdigest()


def _check_record(op: Op) -> None:
    if record_hash(op.fields["record"]) != op.fields["content_hash"]:
        raise InvalidOp(f"op {op.id}: the approved record does not match its hash")


def file_name(v: Any) -> bool:
    """A file's own name, with no folder: nothing that could point outside where it is saved."""
    return (
        isinstance(v, str)
        and 0 < len(v.strip()) <= MAX_PAPER_NAME
        and len(v) <= MAX_PAPER_NAME
        and v not in (".", "..")
        and not any(c in v for c in "/\\")
        and v.isprintable()
    )


def _paper_size(v: Any) -> bool:
    return p.integer(v) and 0 < v <= MAX_PAPER


# Base64 text of MAX_PAPER bytes, at most: longer is refused before it is decoded.
_PAPER_DATA = p.text(4 * -(-MAX_PAPER // 3))


def _check_paper(op: Op) -> None:
    """The bytes are the file the op names: decoded, of its size and its hash."""
    f = op.fields
    try:
        data = base64.b64decode(f["data"], validate=True)
    except (binascii.Error, ValueError):
        raise InvalidOp(f"op {op.id}: the paper's data is not base64") from None
    if base64.b64encode(data).decode() != f["data"]:
        # One encoding per file: else two ops could carry one file in different text.
        raise InvalidOp(f"op {op.id}: the paper's data is not standard base64")
    if len(data) != f["size"] or len(data) > MAX_PAPER:
        raise InvalidOp(f"op {op.id}: the paper's data is not of the size it gives")
    if hashlib.sha256(data).hexdigest() != f["sha256"]:
        raise InvalidOp(f"op {op.id}: the paper's data does not match its hash")


_MEETING_FIELDS = {
    "body": p.text(100),
    "place": p.text(300),
    "mode": p.one_of(*MODES),
    "chair": _opt_member,
    "clerk": _opt_member,
    "public": p.text(2_000),
}
_RESOLUTION_FIELDS = {
    "votes_for": _count,
    "votes_against": _count,
    "abstain": _count,
    "unanimous": p.boolean,
    "recorded": _recorded,
    "casting": p.one_of("for", "against"),
    "proposer": _opt_member,
    "seconder": _opt_member,
    "corrects": _minute_number,
}
_RESOLUTION_COLUMNS = {
    "text": "",
    "carried": False,
    "votes_for": 0,
    "votes_against": 0,
    "abstain": 0,
    "unanimous": False,
    "recorded": [],
    "casting": None,
    "proposer": None,
    "seconder": None,
    "corrects": None,
}
_DECLARATION_FIELDS = {"dispensation": p.boolean, "left_room": p.boolean}
_MINUTE = p.text(10 * p.MAX_TEXT)

DOMAIN = Domain(
    name="meetings",
    needs=("members",),
    tables=(
        Table(
            "meetings",
            Dump(
                "id, title, starts_at, body, place, mode, chair, clerk, members_draft, public,"
                " stage, deleted, approved_by, approved_at, content_hash, signed_chair, signed_at,"
                " summons_sent",
                "starts_at, id",
                bools=("members_draft", "deleted"),
            ),
        ),
        Table(
            "meeting_items",
            Dump(
                "id, meeting_id, title, position, exempt, exempt_reason, standard,"
                " minute_number, minutes, deleted",
                "meeting_id, position, id",
                bools=("exempt", "deleted"),
            ),
        ),
        Table(
            "attendance",
            Dump(
                "meeting_id, member, status, apologies_accepted",
                "meeting_id, member",
                bools=("apologies_accepted",),
            ),
        ),
        Table(
            "declarations",
            Dump(
                "id, item_id, member, kind, nature, dispensation, left_room, deleted",
                "item_id, id",
                bools=("dispensation", "left_room", "deleted"),
            ),
        ),
        Table(
            "resolutions",
            Dump(
                "id, item_id, text, carried, votes_for, votes_against, abstain, unanimous,"
                " recorded, casting, proposer, seconder, corrects, deleted",
                "item_id, id",
                json=("recorded",),
                bools=("carried", "unanimous", "deleted"),
            ),
        ),
        Table(
            "actions",
            Dump(
                "id, item_id, text, owner, due, status, deleted",
                "item_id, id",
                bools=("deleted",),
            ),
        ),
        # The file's hash stands for its bytes: the dump stays small, and equal bytes agree.
        Table(
            "item_papers",
            Dump(
                "id, item_id, name, media_type, size, sha256, deleted",
                "item_id, id",
                bools=("deleted",),
            ),
        ),
    ),
    kinds=(
        Kind(
            "meeting",
            "create",
            meeting_create,
            {"title": p.title, "starts_at": _local_datetime},
            {**_MEETING_FIELDS, "members_draft": p.boolean},
            least="clerk",
        ),
        Kind(
            "meeting",
            "update",
            meeting_update,
            {},
            {
                **_MEETING_FIELDS,
                "title": p.title,
                "starts_at": _local_datetime,
                "stage": p.one_of("draft", "circulated"),
                "deleted": p.boolean,
            },
            least="clerk",
        ),
        Kind(
            "meeting",
            "approve",
            meeting_approve,
            {"at": p.ident, "content_hash": p.hex_of(64), "record": p.text(MAX_RECORD)},
            least="clerk",
            check=_check_record,
            refers=("at",),
        ),
        Kind(
            "meeting",
            "sign",
            meeting_sign,
            {"chair": _member, "signed_at": p.text(40)},
            least="clerk",
        ),
        Kind(
            "meeting",
            "summon",
            meeting_summon,
            {"issued_on": p.iso_date, "agenda": p.text(MAX_RECORD)},
            least="clerk",
            check=_check_agenda,
        ),
        Kind(
            "item",
            "create",
            item_create,
            {"meeting_id": p.ident, "title": p.title, "position": p.integer},
            {
                "exempt": p.boolean,
                "exempt_reason": p.text(500),
                "standard": p.one_of(*STANDARD_ITEMS),
            },
            least="clerk",
            refers=("meeting_id",),
        ),
        Kind(
            "item",
            "update",
            item_update,
            {},
            {
                "title": p.title,
                "position": p.integer,
                "exempt": p.boolean,
                "exempt_reason": p.text(500),
                "minute_number": _minute_number,
                "deleted": p.boolean,
            },
            least="clerk",
        ),
        # Members may draft minutes where the meeting allows it (see item_minute).
        Kind("item", "minute", item_minute, {"update": _MINUTE}, check=_check_minute),
        Kind(
            "attendance",
            "set",
            attendance_set,
            {"member": _member, "status": p.one_of(*ATTENDANCE)},
            {"apologies_accepted": p.boolean},
            least="clerk",
        ),
        Kind(
            "declaration",
            "create",
            _item_child_create(
                "declarations",
                {
                    "member": None,
                    "kind": None,
                    "nature": "",
                    "dispensation": False,
                    "left_room": False,
                },
            ),
            {
                "item_id": p.ident,
                "member": _member,
                "kind": p.one_of(*INTERESTS),
                "nature": p.text(2_000),
            },
            _DECLARATION_FIELDS,
            least="clerk",
            refers=("item_id",),
        ),
        Kind(
            "declaration",
            "update",
            _item_child_update("declarations"),
            {},
            {
                **_DECLARATION_FIELDS,
                "kind": p.one_of(*INTERESTS),
                "nature": p.text(2_000),
                "deleted": p.boolean,
            },
            least="clerk",
        ),
        Kind(
            "resolution",
            "create",
            _item_child_create("resolutions", _RESOLUTION_COLUMNS),
            {"item_id": p.ident, "text": p.text(20_000), "carried": p.boolean},
            _RESOLUTION_FIELDS,
            least="clerk",
            refers=("item_id",),
        ),
        Kind(
            "resolution",
            "update",
            _item_child_update("resolutions"),
            {},
            {
                **_RESOLUTION_FIELDS,
                "text": p.text(20_000),
                "carried": p.boolean,
                "deleted": p.boolean,
            },
            least="clerk",
        ),
        Kind(
            "action",
            "create",
            _item_child_create("actions", {"text": "", "owner": None, "due": None}),
            {"item_id": p.ident, "text": p.text(2_000)},
            {"owner": _opt_member, "due": _opt_date},
            least="clerk",
            refers=("item_id",),
        ),
        Kind(
            "action",
            "update",
            _item_child_update("actions", after_approval=frozenset({"status"})),
            {},
            {
                "text": p.text(2_000),
                "owner": _opt_member,
                "due": _opt_date,
                "status": p.one_of(*ACTION_STATES),
                "deleted": p.boolean,
            },
            least="clerk",
        ),
        Kind(
            "paper",
            "create",
            paper_create,
            {
                "item_id": p.ident,
                "name": file_name,
                "size": _paper_size,
                "sha256": p.hex_of(64),
                "data": _PAPER_DATA,
            },
            {"media_type": p.text(100)},
            least="clerk",
            check=_check_paper,
            refers=("item_id",),
        ),
        Kind(
            "paper",
            "update",
            _item_child_update("item_papers"),
            {},
            {"deleted": p.boolean},
            least="clerk",
        ),
    ),
)
