"""Merge rules for what members write: categories, discussions, posts, reactions,
polls, notes and follows. Note bodies merge as text CRDT updates.
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

from app.clock import physical_ms
from app.merge_rows import (
    MEMBER,
    NOT_MEMBER,
    NOT_ORGANISER,
    ORGANISER,
    created_base,
    index,
    lww,
    register,
    unindex,
)
from app.ops import Op
from app.text_crdt import apply_update, render

if TYPE_CHECKING:
    from app.apply import Applier

# --- categories and discussions ------------------------------------------------


def category_create(a: Applier, op: Op) -> str | None:
    if a.rank(op) < ORGANISER:
        return NOT_ORGANISER
    cur = a.db.execute(
        "INSERT INTO categories (id, group_id, name, position, deleted, created_by, created_hlc,"
        " clocks) VALUES (?,?,?,?,0,?,?,'{}')",
        (op.entity, op.group, op.fields["name"], op.fields.get("position", 0), op.device, op.hlc),
    )
    a.remember("categories", op.entity, cur.lastrowid or 0, op)
    return None


def category_update(a: Applier, op: Op) -> str | None:
    if a.rank(op) < ORGANISER:
        return NOT_ORGANISER
    found = a.find("categories", op.entity, op)
    if found is None:
        return "no such category (yet)"
    lww(a, "categories", found[0], op, op.fields, base=created_base(a, "categories", found[0]))
    return None


def discussion_create(a: Applier, op: Op) -> str | None:
    if a.rank(op) < MEMBER:
        return NOT_MEMBER
    if a.find("categories", op.fields["category_id"], op) is None:
        return "its category has not arrived"
    title = op.fields["title"]
    n = a.next_n()
    a.db.execute(
        "INSERT INTO discussions (n, id, group_id, category_id, title, pinned, locked, resolved,"
        " deleted, created_by, created_hlc, last_activity_hlc, clocks)"
        " VALUES (?,?,?,?,?,0,0,0,0,?,?,?,'{}')",
        (n, op.entity, op.group, op.fields["category_id"], title, op.device, op.hlc, op.hlc),
    )
    a.remember("discussions", op.entity, n, op)
    index(a, "discussion", n, op.group, title, "", new=True)
    return None


# Fields of a discussion only organisers set; the rest its starter may set too.
_MODERATION = frozenset({"pinned", "locked", "category_id"})


def discussion_update(a: Applier, op: Op) -> str | None:
    rank = a.rank(op)
    if rank < MEMBER:
        return NOT_MEMBER
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
    if a.rank(op) < MEMBER:
        return NOT_MEMBER
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
    if rank < MEMBER:
        return NOT_MEMBER
    found = a.find("posts", op.entity, op)
    if found is None:
        return "no such post (yet)"
    n, author = found
    if author != op.device and (rank < ORGANISER or "body" in op.fields):
        return "only its author edits a post; organisers may delete or restore it"
    won = lww(a, "posts", n, op, op.fields, base=created_base(a, "posts", n))
    if won:
        body, deleted = a.db.execute("SELECT body, deleted FROM posts WHERE n = ?", (n,)).fetchone()
        if deleted:
            unindex(a, "post", n)
        else:
            index(a, "post", n, op.group, "", body)
    return None


def reaction_set(a: Applier, op: Op) -> str | None:
    if a.rank(op) < MEMBER:
        return NOT_MEMBER
    if a.find("posts", op.entity, op) is None:
        return "its post has not arrived"
    key = (op.entity, op.device, op.fields["emoji"])
    register(
        a, op, "reactions", ("post_id", "member", "emoji"), key, {"present": op.fields["present"]}
    )
    return None


# --- polls ------------------------------------------------------------------------


def poll_create(a: Applier, op: Op) -> str | None:
    if a.rank(op) < MEMBER:
        return NOT_MEMBER
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
    if a.rank(op) < MEMBER:
        return NOT_MEMBER
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


# --- notes ------------------------------------------------------------------------


def note_create(a: Applier, op: Op) -> str | None:
    if a.rank(op) < MEMBER:
        return NOT_MEMBER
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
    if a.rank(op) < MEMBER:
        return NOT_MEMBER
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
    if rank < MEMBER:
        return NOT_MEMBER
    found = a.find("notes", op.entity, op)
    if found is None:
        return "its note has not arrived"
    n, author = found
    if "deleted" in op.fields and author != op.device and rank < ORGANISER:
        return "only its author or an organiser deletes a note"
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


# --- follows ----------------------------------------------------------------------


def follow_set(a: Applier, op: Op) -> str | None:
    if a.rank(op) < MEMBER:
        return NOT_MEMBER
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
