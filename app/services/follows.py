"""Following and muting: members choose which discussions and categories they hear about."""

from __future__ import annotations

import sqlite3

from app.errors import InvalidInput, NotFound
from app.kinds.discussions import FOLLOW_STATES
from app.store import Store
from app.writer import writing


def follow(*, store: Store, target_id: str, state: str = "following") -> None:
    """Follow, mute (``state='muted'``) or stop following (``'none'``) a discussion or category."""
    if state not in FOLLOW_STATES:
        raise InvalidInput(
            f"Unknown follow state {state!r}; use one of: {', '.join(FOLLOW_STATES)}."
        )
    with writing(store) as w:
        kind, group_id = _target(w.db, target_id)
        w.emit(group_id, "follow", target_id, "set", {"target_kind": kind, "state": state})


def followed(*, store: Store, group_id: str) -> dict[str, str]:
    """This member's follow state per discussion or category id."""
    with store.read() as db:
        return follows_in(db, store.device_id, group_id)


def follows_in(db: sqlite3.Connection, me: str, group_id: str) -> dict[str, str]:
    rows = db.execute(
        "SELECT target_id, state FROM follows WHERE group_id = ? AND member = ?"
        " AND state != 'none'",
        (group_id, me),
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def _target(db: sqlite3.Connection, target_id: str) -> tuple[str, str]:
    """(kind, group id) of a discussion or category."""
    for kind, table in (("discussion", "discussions"), ("category", "categories")):
        row = db.execute(f"SELECT group_id FROM {table} WHERE id = ?", (target_id,)).fetchone()
        if row is not None:
            return kind, str(row[0])
    raise NotFound(f"No discussion or category with id {target_id!r} in this profile.")
