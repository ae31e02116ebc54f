"""Quick polls in a discussion, and the votes cast in them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app import payload as p
from app.clock import physical_ms
from app.domain import Domain, Dump, Kind, Table
from app.merge_rows import register
from app.ops import Op
from app.schema import Base

if TYPE_CHECKING:
    from app.apply import Applier

# --- merge rules ------------------------------------------------------------------------


def poll_create(a: Applier, op: Op) -> str | None:
    f = op.fields
    if a.find("discussions", f["discussion_id"], op) is None:
        return "its discussion has not arrived"
    cur = a.db.execute(
        "INSERT INTO polls (id, group_id, discussion_id, question, options, multiple, closes_ms,"
        " created_by, created_hlc, clocks) VALUES (?,?,?,?,?,?,?,?,?,'{}')",
        (
            op.entity,
            op.group,
            f["discussion_id"],
            f["question"],
            json.dumps(f["options"]),
            f["multiple"],
            f.get("closes_ms"),
            op.device,
            op.hlc,
        ),
    )
    a.remember("polls", op.entity, cur.lastrowid or 0, op)
    return None


def vote_set(a: Applier, op: Op) -> str | None:
    found = a.find("polls", op.entity, op)
    if found is None:
        return "its poll has not arrived"
    options, multiple, closes_ms = a.db.execute(
        "SELECT options, multiple, closes_ms FROM polls WHERE n = ?", (found[0],)
    ).fetchone()
    choices = op.fields["choices"]
    if any(c >= len(json.loads(options)) for c in choices) or len(set(choices)) != len(choices):
        return "the vote names an option the poll does not have"
    if not multiple and len(choices) > 1:
        return "the poll takes one choice"
    if closes_ms is not None and physical_ms(op.hlc) > closes_ms:
        return "the poll had closed"
    register(
        a,
        op,
        "votes",
        ("poll_id", "member"),
        (op.entity, op.device),
        {"choices": json.dumps(sorted(choices))},
    )
    return None


# --- its tables, as its migrations make them -----------------------------------------


class Poll(Base):
    __tablename__ = "polls"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String)
    discussion_id: Mapped[str] = mapped_column(String)
    question: Mapped[str] = mapped_column(String)
    options: Mapped[str] = mapped_column(Text)  # JSON list of option texts
    multiple: Mapped[bool] = mapped_column(Boolean, server_default=false())
    closes_ms: Mapped[int | None] = mapped_column(BigInteger)
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


class Vote(Base):
    """A member's current choices in a poll: one register per member per poll."""

    __tablename__ = "votes"
    poll_id: Mapped[str] = mapped_column(String, primary_key=True)
    member: Mapped[str] = mapped_column(String, primary_key=True)
    group_id: Mapped[str] = mapped_column(String)
    choices: Mapped[str] = mapped_column(Text)  # JSON list of option indexes
    hlc: Mapped[int] = mapped_column(BigInteger)
    device: Mapped[str] = mapped_column(String)


# --- what each kind carries ---------------------------------------------------------


def _options(v: Any) -> bool:
    return isinstance(v, list) and 2 <= len(v) <= p.MAX_OPTIONS and all(p.title(x) for x in v)


def _choices(v: Any) -> bool:
    return (
        isinstance(v, list) and len(v) <= p.MAX_OPTIONS and all(p.integer(x) and x >= 0 for x in v)
    )


DOMAIN = Domain(
    name="polls",
    needs=("discussions",),
    tables=(
        Table(
            "polls",
            Dump(
                "id, discussion_id, question, options, multiple, closes_ms, created_by",
                "id",
                json=("options",),
                bools=("multiple",),
            ),
        ),
        Table("votes", Dump("poll_id, member, choices", "poll_id, member", json=("choices",))),
    ),
    kinds=(
        Kind(
            "poll",
            "create",
            poll_create,
            {
                "discussion_id": p.ident,
                "question": p.title,
                "options": _options,
                "multiple": p.boolean,
            },
            {"closes_ms": p.opt_integer},
            refers=("discussion_id",),
        ),
        Kind("vote", "set", vote_set, {"choices": _choices}),
    ),
)
