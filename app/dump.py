"""A group's materialised state as canonical JSON.

Two replicas that have seen the same ops print byte-identical dumps: rows are sorted
by their ids, nothing device-local (read marks, outbox, row numbers) is included,
and ops still waiting count for nothing.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from app.canonical import canonical_json
from app.personal import Sealer
from app.services.common import require_group
from app.store import Store

# table -> (columns, sort key columns, columns holding JSON text, boolean columns)
_TABLES: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    "categories": ("id, name, position, deleted", "id", (), ("deleted",)),
    "members": (
        "device, role, display_name, bio, interests, contact, contact_consent, joined_hlc",
        "device",
        ("interests",),
        (),
    ),
    "invitations": (
        "id, role, invite_key, expires_ms, revoked, used_by, created_by",
        "id",
        (),
        ("revoked",),
    ),
    "discussions": (
        "id, category_id, title, pinned, locked, resolved, deleted, created_by, created_hlc,"
        " last_activity_hlc",
        "id",
        (),
        ("pinned", "locked", "resolved", "deleted"),
    ),
    "posts": (
        "id, discussion_id, reply_to, body, deleted, created_by, created_hlc",
        "id",
        (),
        ("deleted",),
    ),
    "reactions": ("post_id, member, emoji", "post_id, member, emoji", (), ()),
    "polls": (
        "id, discussion_id, question, options, multiple, closes_ms, created_by",
        "id",
        ("options",),
        ("multiple",),
    ),
    "votes": ("poll_id, member, choices", "poll_id, member", ("choices",), ()),
    "notes": ("id, title, text, deleted, created_by", "id", (), ("deleted",)),
    "follows": ("member, target_id, target_kind, state", "member, target_id", (), ()),
}


def group_state(db: sqlite3.Connection, group_id: str, sealer: Sealer) -> dict[str, Any]:
    require_group(db, group_id)
    group = db.execute(
        "SELECT id, name, description, colour, emblem, founder FROM groups WHERE id = ?",
        (group_id,),
    ).fetchone()
    state: dict[str, Any] = {"group": dict(group)}
    for table, (columns, order, json_cols, bool_cols) in _TABLES.items():
        extra = " AND present = 1" if table == "reactions" else ""
        rows = db.execute(
            f"SELECT {columns} FROM {table} WHERE group_id = ?{extra} ORDER BY {order}",
            (group_id,),
        ).fetchall()
        items = []
        for row in rows:
            item = dict(row)
            for col in json_cols:
                item[col] = json.loads(item[col])
            for col in bool_cols:
                item[col] = bool(item[col])
            if "contact" in item:  # sealed with this laptop's key: show the shared value
                item["contact"] = sealer.unseal(item["contact"])
            items.append(item)
        state[table] = items
    return state


def dump(*, store: Store, group_id: str) -> str:
    with store.read() as db:
        return canonical_json(group_state(db, group_id, store.sealer))
