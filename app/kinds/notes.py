"""Shared notes: a title, and a body that merges as text CRDT updates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app import payload as p
from app.codes import Code, Refusal
from app.domain import Domain, Dump, Kind, Table
from app.merge_rows import created_base, index, lww, unindex
from app.ops import Op
from app.roles import ORGANISER
from app.schema import Base
from app.text_crdt import apply_update, check_update, render

if TYPE_CHECKING:
    from app.apply import Applier

# --- merge rules ------------------------------------------------------------------------


def note_create(a: Applier, op: Op) -> str | None:
    state = apply_update(None, op.fields["update"])
    text = render(state)
    n = a.next_n()
    a.db.execute(
        "INSERT INTO notes (n, id, group_id, title, text, ydoc, deleted, created_by, created_hlc,"
        " clocks) VALUES (?,?,?,?,?,?,0,?,?,'{}')",
        (n, op.entity, op.group, op.fields["title"], text, state, op.device, op.hlc),
    )
    a.remember("notes", op.entity, n, op)
    index(a, "note", n, op.group, op.fields["title"], text, new=True)
    return None


def note_edit(a: Applier, op: Op) -> str | None:
    found = a.find("notes", op.entity, op)
    if found is None:
        return "its note has not arrived"
    n = found[0]
    title, ydoc, deleted = a.db.execute(
        "SELECT title, ydoc, deleted FROM notes WHERE n = ?", (n,)
    ).fetchone()
    state = apply_update(ydoc, op.fields["update"])
    text = render(state)
    a.db.execute("UPDATE notes SET ydoc = ?, text = ? WHERE n = ?", (state, text, n))
    if not deleted:
        index(a, "note", n, op.group, title, text)
    return None


def note_update(a: Applier, op: Op) -> str | None:
    rank = a.rank(op)
    found = a.find("notes", op.entity, op)
    if found is None:
        return "its note has not arrived"
    n, author = found
    if "deleted" in op.fields and author != op.device and rank < ORGANISER:
        return Refusal(Code.NOT_OWNER, "only its author or an organiser deletes a note")
    won = lww(a, "notes", n, op, op.fields, base=created_base(a, "notes", n))
    if won:
        title, text, deleted = a.db.execute(
            "SELECT title, text, deleted FROM notes WHERE n = ?", (n,)
        ).fetchone()
        if deleted:
            unindex(a, "note", n)
        else:
            index(a, "note", n, op.group, title, text)
    return None


# --- its tables, as its migrations make them -----------------------------------------


class Note(Base):
    """A shared note: the body is a text CRDT, ``text`` its current plain rendering."""

    __tablename__ = "notes"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String)
    title: Mapped[str] = mapped_column(String)
    text: Mapped[str] = mapped_column(Text, server_default="")
    ydoc: Mapped[bytes] = mapped_column(LargeBinary)
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


# --- what each kind carries ---------------------------------------------------------


def _check_body_update(op: Op) -> None:
    if "update" in op.fields:
        check_update(op.fields["update"], op.device)


_UPDATE = p.text(10 * p.MAX_TEXT)

DOMAIN = Domain(
    name="notes",
    needs=("members",),
    tables=(
        Table(
            "notes",
            Dump("id, title, text, deleted, created_by", "id", bools=("deleted",)),
            searchable=True,
        ),
    ),
    kinds=(
        Kind(
            "note",
            "create",
            note_create,
            {"title": p.title, "update": _UPDATE},
            check=_check_body_update,
        ),
        Kind("note", "edit", note_edit, {"update": _UPDATE}, check=_check_body_update),
        Kind("note", "update", note_update, {}, {"title": p.title, "deleted": p.boolean}),
    ),
)
