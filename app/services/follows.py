"""Following and muting: members choose which discussions and categories they hear about."""

from __future__ import annotations

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
    kind, group_id = _target(store, target_id)
    with writing(store) as w:
        w.emit(group_id, "follow", target_id, "set", {"target_kind": kind, "state": state})


def followed(*, store: Store, group_id: str) -> dict[str, str]:
    """This member's follow state per discussion or category id."""
    with store.read() as db:
        rows = db.execute(
            "SELECT target_id, state FROM follows WHERE group_id = ? AND member = ?"
            " AND state != 'none'",
            (group_id, store.device_id),
        ).fetchall()
    return {r[0]: r[1] for r in rows}


def _target(store: Store, target_id: str) -> tuple[str, str]:
    """(kind, group id) of a discussion or category."""
    with store.read() as db:
        for kind, table in (("discussion", "discussions"), ("category", "categories")):
            row = db.execute(f"SELECT group_id FROM {table} WHERE id = ?", (target_id,)).fetchone()
            if row is not None:
                return kind, str(row[0])
    raise NotFound(f"No discussion or category with id {target_id!r} in this profile.")
