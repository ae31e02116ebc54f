"""Categories, discussions, posts, reactions and follows: their kinds of op and merge rules."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app import payload as p
from app.codes import Code, Refusal
from app.domain import Domain, Dump, Kind, Table
from app.merge_rows import created_base, index, lww, register, unindex
from app.ops import Op
from app.roles import NOT_ORGANISER, ORGANISER
from app.schema import Base

if TYPE_CHECKING:
    from app.apply import Applier

# --- categories and discussions ------------------------------------------------


def category_create(a: Applier, op: Op) -> str | None:
    cur = a.db.execute(
        "INSERT INTO categories (id, group_id, name, position, deleted, created_by, created_hlc,"
        " clocks) VALUES (?,?,?,?,0,?,?,'{}')",
        (op.entity, op.group, op.fields["name"], op.fields.get("position", 0), op.device, op.hlc),
    )
    a.remember("categories", op.entity, cur.lastrowid or 0, op)
    return None


def category_update(a: Applier, op: Op) -> str | None:
    found = a.find("categories", op.entity, op)
    if found is None:
        return "no such category (yet)"
    lww(a, "categories", found[0], op, op.fields, base=created_base(a, "categories", found[0]))
    return None


def discussion_create(a: Applier, op: Op) -> str | None:
    if a.find("categories", op.fields["category_id"], op) is None:
        return "its category has not arrived"
    publish_ms = op.fields.get("publish_ms")
    if publish_ms is not None and a.rank(op) < ORGANISER:
        return NOT_ORGANISER  # organisers seed discussions ahead; members just start them
    title = op.fields["title"]
    n = a.next_n()
    a.db.execute(
        "INSERT INTO discussions (n, id, group_id, category_id, title, pinned, locked, resolved,"
        " deleted, created_by, created_hlc, last_activity_hlc, publish_ms, clocks)"
        " VALUES (?,?,?,?,?,0,0,0,0,?,?,?,?,'{}')",
        (
            n,
            op.entity,
            op.group,
            op.fields["category_id"],
            title,
            op.device,
            op.hlc,
            op.hlc,
            publish_ms,
        ),
    )
    a.remember("discussions", op.entity, n, op)
    index(a, "discussion", n, op.group, title, "", new=True)
    return None


# Fields of a discussion only organisers set; the rest its starter may set too.
_MODERATION = frozenset({"pinned", "locked", "category_id", "publish_ms"})


def discussion_update(a: Applier, op: Op) -> str | None:
    rank = a.rank(op)
    found = a.find("discussions", op.entity, op)
    if found is None:
        return "no such discussion (yet)"
    n, starter = found
    if rank < ORGANISER and (starter != op.device or _MODERATION & op.fields.keys()):
        return NOT_ORGANISER
    if "category_id" in op.fields and a.find("categories", op.fields["category_id"], op) is None:
        return "its category has not arrived"
    won = lww(a, "discussions", n, op, op.fields, base=created_base(a, "discussions", n))
    if "title" in won or "deleted" in won:
        title, deleted = a.db.execute(
            "SELECT title, deleted FROM discussions WHERE n = ?", (n,)
        ).fetchone()
        if deleted:
            unindex(a, "discussion", n)
        else:
            index(a, "discussion", n, op.group, title, "")
    return None


# --- posts and reactions ----------------------------------------------------------


def post_create(a: Applier, op: Op) -> str | None:
    f = op.fields
    discussion = f["discussion_id"]
    if a.find("discussions", discussion, op) is None:
        return "its discussion has not arrived"
    reply_to = f.get("reply_to")
    if reply_to is not None and a.find("posts", reply_to, op) is None:
        return "the post it answers has not arrived"
    n = a.next_n()
    try:
        a.db.execute(
            "INSERT INTO posts (n, id, group_id, discussion_id, reply_to, body, deleted,"
            " created_by, created_hlc, clocks) VALUES (?,?,?,?,?,?,0,?,?,'{}')",
            (n, op.entity, op.group, discussion, reply_to, f["body"], op.device, op.hlc),
        )
    except sqlite3.IntegrityError:
        return "the post exists already"
    a.remember("posts", op.entity, n, op)
    index(a, "post", n, op.group, "", f["body"], new=True)
    if op.hlc > a.activity.get(discussion, 0):
        a.activity[discussion] = op.hlc
    return None


def post_update(a: Applier, op: Op) -> str | None:
    rank = a.rank(op)
    found = a.find("posts", op.entity, op)
    if found is None:
        return "no such post (yet)"
    n, author = found
    if author != op.device and (rank < ORGANISER or "body" in op.fields):
        return Refusal(
            Code.NOT_OWNER, "only its author edits a post; organisers may delete or restore it"
        )
    won = lww(a, "posts", n, op, op.fields, base=created_base(a, "posts", n))
    if won:
        body, deleted = a.db.execute("SELECT body, deleted FROM posts WHERE n = ?", (n,)).fetchone()
        if deleted:
            unindex(a, "post", n)
        else:
            index(a, "post", n, op.group, "", body)
    return None


def reaction_set(a: Applier, op: Op) -> str | None:
    if a.find("posts", op.entity, op) is None:
        return "its post has not arrived"
    key = (op.entity, op.device, op.fields["emoji"])
    register(
        a, op, "reactions", ("post_id", "member", "emoji"), key, {"present": op.fields["present"]}
    )
    return None


# --- follows ----------------------------------------------------------------------


def follow_set(a: Applier, op: Op) -> str | None:
    table = "discussions" if op.fields["target_kind"] == "discussion" else "categories"
    if a.find(table, op.entity, op) is None:
        return "what it follows has not arrived"
    register(
        a,
        op,
        "follows",
        ("member", "target_id"),
        (op.device, op.entity),
        {"target_kind": op.fields["target_kind"], "state": op.fields["state"]},
    )
    return None


# --- its tables, as its migrations make them -----------------------------------------


class Category(Base):
    __tablename__ = "categories"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String, ForeignKey("groups.id"))
    name: Mapped[str] = mapped_column(String)
    position: Mapped[int] = mapped_column(Integer, server_default="0")
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")


class Discussion(Base):
    __tablename__ = "discussions"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String, ForeignKey("groups.id"))
    category_id: Mapped[str] = mapped_column(String)
    title: Mapped[str] = mapped_column(String)
    pinned: Mapped[bool] = mapped_column(Boolean, server_default=false())
    locked: Mapped[bool] = mapped_column(Boolean, server_default=false())
    resolved: Mapped[bool] = mapped_column(Boolean, server_default=false())
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    last_activity_hlc: Mapped[int] = mapped_column(BigInteger)
    # Set when an organiser wrote it ahead: it shows on every laptop from then on.
    publish_ms: Mapped[int | None] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")
    __table_args__ = (Index("ix_discussions_activity", "group_id", "last_activity_hlc"),)


class Post(Base):
    __tablename__ = "posts"
    n: Mapped[int] = mapped_column(Integer, primary_key=True)
    id: Mapped[str] = mapped_column(String, unique=True)
    group_id: Mapped[str] = mapped_column(String)
    discussion_id: Mapped[str] = mapped_column(String)
    reply_to: Mapped[str | None] = mapped_column(String)
    body: Mapped[str] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_by: Mapped[str] = mapped_column(String)
    created_hlc: Mapped[int] = mapped_column(BigInteger)
    clocks: Mapped[str] = mapped_column(Text, server_default="{}")
    __table_args__ = (Index("ix_posts_discussion", "discussion_id", "created_hlc"),)


class Reaction(Base):
    """Per-element last-writer-wins presence: (post, member, emoji) is there or not."""

    __tablename__ = "reactions"
    post_id: Mapped[str] = mapped_column(String, primary_key=True)
    member: Mapped[str] = mapped_column(String, primary_key=True)
    emoji: Mapped[str] = mapped_column(String, primary_key=True)
    group_id: Mapped[str] = mapped_column(String)
    present: Mapped[bool] = mapped_column(Boolean)
    hlc: Mapped[int] = mapped_column(BigInteger)
    device: Mapped[str] = mapped_column(String)


class Follow(Base):
    """A member following or muting a discussion or a category (an LWW register)."""

    __tablename__ = "follows"
    member: Mapped[str] = mapped_column(String, primary_key=True)
    target_id: Mapped[str] = mapped_column(String, primary_key=True)
    group_id: Mapped[str] = mapped_column(String)
    target_kind: Mapped[str] = mapped_column(String)
    state: Mapped[str] = mapped_column(String)  # 'following' | 'muted' | 'none'
    hlc: Mapped[int] = mapped_column(BigInteger)
    device: Mapped[str] = mapped_column(String)


# --- what each kind carries ---------------------------------------------------------

FOLLOW_STATES = ("following", "muted", "none")
FOLLOW_TARGETS = ("discussion", "category")

DOMAIN = Domain(
    name="discussions",
    needs=("members",),
    tables=(
        Table("categories", Dump("id, name, position, deleted", "id", bools=("deleted",))),
        Table(
            "discussions",
            Dump(
                "id, category_id, title, pinned, locked, resolved, deleted, created_by,"
                " created_hlc, last_activity_hlc, publish_ms",
                "id",
                bools=("pinned", "locked", "resolved", "deleted"),
            ),
            searchable=True,
        ),
        Table(
            "posts",
            Dump(
                "id, discussion_id, reply_to, body, deleted, created_by, created_hlc",
                "id",
                bools=("deleted",),
            ),
            searchable=True,
        ),
        Table(
            "reactions",
            Dump("post_id, member, emoji", "post_id, member, emoji", where="present = 1"),
        ),
        Table(
            "follows",
            Dump("member, target_id, target_kind, state", "member, target_id"),
        ),
    ),
    kinds=(
        Kind(
            "category",
            "create",
            category_create,
            {"name": p.title},
            {"position": p.integer},
            least="organiser",
        ),
        Kind(
            "category",
            "update",
            category_update,
            {},
            {"name": p.title, "position": p.integer, "deleted": p.boolean},
            least="organiser",
        ),
        Kind(
            "discussion",
            "create",
            discussion_create,
            {"title": p.title, "category_id": p.ident},
            {"publish_ms": p.moment},
            refers=("category_id",),
        ),
        Kind(
            "discussion",
            "update",
            discussion_update,
            {},
            {
                "title": p.title,
                "category_id": p.ident,
                "pinned": p.boolean,
                "locked": p.boolean,
                "resolved": p.boolean,
                "deleted": p.boolean,
                "publish_ms": p.moment,
            },
            refers=("category_id",),
        ),
        Kind(
            "post",
            "create",
            post_create,
            {"discussion_id": p.ident, "body": p.text()},
            {"reply_to": p.opt_ident},
            refers=("discussion_id", "reply_to"),
        ),
        Kind("post", "update", post_update, {}, {"body": p.text(), "deleted": p.boolean}),
        Kind("reaction", "set", reaction_set, {"emoji": p.text(32), "present": p.boolean}),
        Kind(
            "follow",
            "set",
            follow_set,
            {"target_kind": p.one_of(*FOLLOW_TARGETS), "state": p.one_of(*FOLLOW_STATES)},
        ),
    ),
)
