"""How each kind of op changes the tables the app reads: the merge rules, per kind.

Each handler returns None once the op has taken effect, or a short reason why it
cannot (yet): the author lacks the role, or what it refers to has not arrived. Scalar
fields are last-writer-wins by (stamp, device); reactions, votes and follows are
last-writer-wins registers per element; note bodies are text CRDT updates.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.clock import physical_ms
from app.invite_proof import proof_holds
from app.op_schema import ROLE_RANK
from app.ops import Op
from app.search_rows import search_rowid
from app.text_crdt import apply_update, render

if TYPE_CHECKING:
    from app.apply import Applier

Handler = Callable[["Applier", Op], "str | None"]
MEMBER, CLERK, ORGANISER = ROLE_RANK["member"], ROLE_RANK["clerk"], ROLE_RANK["organiser"]

MAX_KEY = 2**63
NOT_MEMBER = "the author is not a member of this group at that time"
NOT_ORGANISER = "only organisers may do this"

# Tables cleared when a group is rebuilt from its log, children before parents.
GROUP_TABLES = (
    "reactions",
    "votes",
    "follows",
    "polls",
    "posts",
    "discussions",
    "notes",
    "categories",
    "invitations",
    "role_changes",
    "members",
    "groups",
)


def clear_group(db: sqlite3.Connection, group: str) -> None:
    db.execute("DELETE FROM search WHERE group_id = ?", (group,))
    for table in GROUP_TABLES:
        column = "id" if table == "groups" else "group_id"
        db.execute(f"DELETE FROM {table} WHERE {column} = ?", (group,))


def _index(
    a: Applier, kind: str, n: int, group: str, title: str, body: str, *, new: bool = False
) -> None:
    """Queue the row's search entry; an entity indexed before loses its old entry first."""
    rowid = search_rowid(kind, n)
    if not new and rowid not in a.search_rows:
        a.db.execute("DELETE FROM search WHERE rowid = ?", (rowid,))
    a.search_rows[rowid] = (title, body, group)


def _unindex(a: Applier, kind: str, n: int) -> None:
    rowid = search_rowid(kind, n)
    a.search_rows.pop(rowid, None)
    a.db.execute("DELETE FROM search WHERE rowid = ?", (rowid,))


def _lww(
    a: Applier, table: str, n: int, op: Op, changes: dict[str, Any], *, base: list[Any]
) -> dict[str, Any]:
    """Write the fields this op wins by (stamp, device); return those it won."""
    (clocks_json,) = a.db.execute(f"SELECT clocks FROM {table} WHERE n = ?", (n,)).fetchone()
    clocks = json.loads(clocks_json)
    key = [op.hlc, op.device]
    won = {f: v for f, v in changes.items() if key > clocks.get(f, base)}
    if won:
        for f in won:
            clocks[f] = key
        columns = ", ".join(f"{f} = ?" for f in won)
        values = [json.dumps(v) if isinstance(v, list) else v for v in won.values()]
        a.db.execute(
            f"UPDATE {table} SET {columns}, clocks = ? WHERE n = ?",
            [*values, json.dumps(clocks, separators=(",", ":")), n],
        )
    return won


def _created_base(a: Applier, table: str, n: int) -> list[Any]:
    row = a.db.execute(f"SELECT created_hlc, created_by FROM {table} WHERE n = ?", (n,)).fetchone()
    return [row[0], row[1]]


# --- groups and membership -------------------------------------------------------


def group_create(a: Applier, op: Op) -> str | None:
    if op.id != op.group or op.entity != op.group or op.seq != 1:
        return "a group is founded only by its own first op"
    if a.db.execute("SELECT 1 FROM groups WHERE id = ?", (op.group,)).fetchone():
        return "the group exists already"
    f = op.fields
    a.db.execute(
        "INSERT INTO groups (id, name, description, colour, emblem, founder, created_hlc, clocks)"
        " VALUES (?,?,?,?,?,?,?,'{}')",
        (
            op.group,
            f.get("name", ""),
            f.get("description", ""),
            f.get("colour", ""),
            f.get("emblem", ""),
            op.device,
            op.hlc,
        ),
    )
    _grant(a, op, op.device, "organiser", f.get("display_name"))
    return None


def group_update(a: Applier, op: Op) -> str | None:
    if a.rank(op) < ORGANISER:
        return NOT_ORGANISER
    row = a.db.execute("SELECT n, created_hlc, founder FROM groups WHERE id = ?", (op.group,))
    n, created, founder = row.fetchone()
    _lww(a, "groups", n, op, op.fields, base=[created, founder])
    return None


def _grant(a: Applier, op: Op, device: str, role: str, display_name: str | None) -> None:
    """Record that ``device`` holds ``role`` from this op on, and keep its member row."""
    tl = a.timeline(op.group)
    tl.add(device, op.order, role)
    a.role_changed_in_past(op.group, device, op.hlc)
    a.db.execute(
        "INSERT INTO role_changes (op_id, group_id, device, role, hlc, author)"
        " VALUES (?,?,?,?,?,?)",
        (op.id, op.group, device, role, op.hlc, op.device),
    )
    row = a.db.execute(
        "SELECT n, joined_hlc FROM members WHERE group_id = ? AND device = ?", (op.group, device)
    ).fetchone()
    joined = op.hlc if role != "removed" else None
    if row is None:
        a.db.execute(
            "INSERT INTO members (group_id, device, role, display_name, joined_hlc, created_hlc,"
            " created_by, clocks) VALUES (?,?,?,?,?,?,?,?)",
            (
                op.group,
                device,
                tl.current(device),
                display_name or "",
                joined or 0,
                op.hlc,
                op.device,
                json.dumps({"display_name": list(op.order)} if display_name else {}),
            ),
        )
        return
    n, old_joined = row
    if joined is not None and (old_joined == 0 or joined < old_joined):
        a.db.execute("UPDATE members SET joined_hlc = ? WHERE n = ?", (joined, n))
    a.db.execute("UPDATE members SET role = ? WHERE n = ?", (tl.current(device), n))
    if display_name:
        # Members are made by whichever admission arrives first, so their fields
        # compare against "never set" rather than against the row's creation.
        _lww(a, "members", n, op, {"display_name": display_name}, base=[0, ""])


def member_set_role(a: Applier, op: Op) -> str | None:
    if a.rank(op) < ORGANISER:
        return NOT_ORGANISER
    _grant(a, op, op.entity, op.fields["role"], op.fields.get("display_name"))
    return None


def member_update(a: Applier, op: Op) -> str | None:
    rank = a.rank(op)
    if rank < MEMBER:
        return NOT_MEMBER
    if op.entity != op.device and rank < ORGANISER:
        return "members edit only their own profile"
    row = a.db.execute(
        "SELECT n FROM members WHERE group_id = ? AND device = ?", (op.group, op.entity)
    ).fetchone()
    if row is None:
        return "no such member (yet)"
    _lww(a, "members", row[0], op, op.fields, base=[0, ""])
    return None


def _member_n(a: Applier, op: Op) -> int | None:
    row = a.db.execute(
        "SELECT n FROM members WHERE group_id = ? AND device = ?", (op.group, op.entity)
    ).fetchone()
    return None if row is None else int(row[0])


def member_contact(a: Applier, op: Op) -> str | None:
    """A member's own contact details and who may see them; sealed in the row."""
    if a.rank(op) < MEMBER:
        return NOT_MEMBER
    if op.entity != op.device:
        return "members set only their own contact details"
    n = _member_n(a, op)
    if n is None:
        return "no such member (yet)"
    if op.payload is None:
        return None  # erased: it still counts, as nothing
    f = op.fields
    _lww(a, "members", n, op, {"contact": a.sealer.seal(f["contact"]),
                               "contact_consent": f["consent"]}, base=[0, ""])  # fmt: skip
    return None


def member_erase(a: Applier, op: Op) -> str | None:
    """Erase a member's contact details: on every laptop, in the rows and in the log.

    Only the member erases their own, and always may, even once removed: what the
    erasure blanks then never depends on roles that a late op could still change.
    """
    if op.entity != op.device:
        return "members erase only their own contact details"
    n = _member_n(a, op)
    if n is None:
        return "no such member (yet)"
    # Consent goes with the details it covered, so every laptop agrees on both.
    _lww(a, "members", n, op, {"contact": "", "contact_consent": "organisers"}, base=[0, ""])
    (clocks_json,) = a.db.execute("SELECT clocks FROM members WHERE n = ?", (n,)).fetchone()
    clocks = json.loads(clocks_json)
    if list(op.order) > clocks.get("erased", [0, ""]):
        clocks["erased"] = list(op.order)
        a.db.execute("UPDATE members SET clocks = ? WHERE n = ?", (json.dumps(clocks), n))
    return None


def invite_create(a: Applier, op: Op) -> str | None:
    if a.rank(op) < ORGANISER:
        return NOT_ORGANISER
    f = op.fields
    cur = a.db.execute(
        "INSERT INTO invitations (id, group_id, role, invite_key, expires_ms, created_by,"
        " created_hlc, revoked, clocks) VALUES (?,?,?,?,?,?,?,0,'{}')",
        (op.entity, op.group, f["role"], f["invite_key"], f["expires_ms"], op.device, op.hlc),
    )
    a.remember("invitations", op.entity, cur.lastrowid or 0, op)
    return None


def invite_update(a: Applier, op: Op) -> str | None:
    if a.rank(op) < ORGANISER:
        return NOT_ORGANISER
    found = a.find("invitations", op.entity, op)
    if found is None:
        return "no such invitation (yet)"
    if op.fields.get("revoked") is not True:
        return "an invitation can only be revoked, and stays revoked"
    n = found[0]
    used_by, used_hlc, clocks_json = a.db.execute(
        "SELECT used_by, used_hlc, clocks FROM invitations WHERE n = ?", (n,)
    ).fetchone()
    if used_by is not None and (used_hlc, used_by) > op.order:
        a.rebuild_later(op.group)  # it was used after this revocation: void that use
    # The earliest revocation counts: a second one must not reopen the window between.
    clocks = json.loads(clocks_json)
    if list(op.order) < clocks.get("revoked", [MAX_KEY, ""]):
        clocks["revoked"] = list(op.order)
    a.db.execute(
        "UPDATE invitations SET revoked = 1, clocks = ? WHERE n = ?", (json.dumps(clocks), n)
    )
    return None


def invite_redeem(a: Applier, op: Op) -> str | None:
    found = a.find("invitations", op.entity, op)
    if found is None:
        return "no such invitation (yet)"
    row = a.db.execute(
        "SELECT role, invite_key, expires_ms, revoked, used_by, used_hlc, clocks"
        " FROM invitations WHERE n = ?",
        (found[0],),
    ).fetchone()
    role, key, expires_ms, revoked, used_by, used_hlc, clocks = row
    if not proof_holds(key, op.fields["proof"], op.entity, op.device):
        return "the invitation code is wrong"
    if physical_ms(op.hlc) > expires_ms:
        return "the invitation had expired"
    if revoked and json.loads(clocks).get("revoked", [0, ""]) < list(op.order):
        return "the invitation had been revoked"
    if used_by is not None:
        if (used_hlc, used_by) < op.order:
            return "the invitation was already used"
        a.rebuild_later(op.group)  # this use came first: the later one is void
    a.db.execute(
        "UPDATE invitations SET used_by = ?, used_hlc = ? WHERE n = ?",
        (op.device, op.hlc, found[0]),
    )
    _grant(a, op, op.device, role, op.fields.get("display_name"))
    return None


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
    _lww(a, "categories", found[0], op, op.fields, base=_created_base(a, "categories", found[0]))
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
    _index(a, "discussion", n, op.group, title, "", new=True)
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
    won = _lww(a, "discussions", n, op, op.fields, base=_created_base(a, "discussions", n))
    if "title" in won or "deleted" in won:
        title, deleted = a.db.execute(
            "SELECT title, deleted FROM discussions WHERE n = ?", (n,)
        ).fetchone()
        if deleted:
            _unindex(a, "discussion", n)
        else:
            _index(a, "discussion", n, op.group, title, "")
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
    _index(a, "post", n, op.group, "", f["body"], new=True)
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
    won = _lww(a, "posts", n, op, op.fields, base=_created_base(a, "posts", n))
    if won:
        body, deleted = a.db.execute("SELECT body, deleted FROM posts WHERE n = ?", (n,)).fetchone()
        if deleted:
            _unindex(a, "post", n)
        else:
            _index(a, "post", n, op.group, "", body)
    return None


def _register(
    a: Applier,
    op: Op,
    table: str,
    key_cols: tuple[str, ...],
    key: tuple[Any, ...],
    values: dict[str, Any],
) -> None:
    """Set a per-element last-writer-wins register (a reaction, a vote, a follow)."""
    where = " AND ".join(f"{c} = ?" for c in key_cols)
    row = a.db.execute(f"SELECT hlc, device FROM {table} WHERE {where}", key).fetchone()
    if row is not None and (row[0], row[1]) >= op.order:
        return
    cols = (*key_cols, "group_id", *values, "hlc", "device")
    a.db.execute(
        f"INSERT OR REPLACE INTO {table} ({', '.join(cols)}) VALUES ({','.join('?' * len(cols))})",
        (*key, op.group, *values.values(), op.hlc, op.device),
    )


def reaction_set(a: Applier, op: Op) -> str | None:
    if a.rank(op) < MEMBER:
        return NOT_MEMBER
    if a.find("posts", op.entity, op) is None:
        return "its post has not arrived"
    key = (op.entity, op.device, op.fields["emoji"])
    _register(
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
    _register(
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
    _index(a, "note", n, op.group, op.fields["title"], text, new=True)
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
        _index(a, "note", n, op.group, title, text)
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
    won = _lww(a, "notes", n, op, op.fields, base=_created_base(a, "notes", n))
    if won:
        title, text, deleted = a.db.execute(
            "SELECT title, text, deleted FROM notes WHERE n = ?", (n,)
        ).fetchone()
        if deleted:
            _unindex(a, "note", n)
        else:
            _index(a, "note", n, op.group, title, text)
    return None


# --- follows ----------------------------------------------------------------------


def follow_set(a: Applier, op: Op) -> str | None:
    if a.rank(op) < MEMBER:
        return NOT_MEMBER
    table = "discussions" if op.fields["target_kind"] == "discussion" else "categories"
    if a.find(table, op.entity, op) is None:
        return "what it follows has not arrived"
    _register(
        a,
        op,
        "follows",
        ("member", "target_id"),
        (op.device, op.entity),
        {"target_kind": op.fields["target_kind"], "state": op.fields["state"]},
    )
    return None


HANDLERS: dict[tuple[str, str], Handler] = {
    ("group", "create"): group_create,
    ("group", "update"): group_update,
    ("member", "set_role"): member_set_role,
    ("member", "update"): member_update,
    ("member", "contact"): member_contact,
    ("member", "erase"): member_erase,
    ("invite", "create"): invite_create,
    ("invite", "update"): invite_update,
    ("invite", "redeem"): invite_redeem,
    ("category", "create"): category_create,
    ("category", "update"): category_update,
    ("discussion", "create"): discussion_create,
    ("discussion", "update"): discussion_update,
    ("post", "create"): post_create,
    ("post", "update"): post_update,
    ("reaction", "set"): reaction_set,
    ("poll", "create"): poll_create,
    ("vote", "set"): vote_set,
    ("note", "create"): note_create,
    ("note", "edit"): note_edit,
    ("note", "update"): note_update,
    ("follow", "set"): follow_set,
}
