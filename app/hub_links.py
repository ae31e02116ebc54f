"""Where each group syncs to, as this laptop knows it: the hub, the token, the cursor.

Device-local: never synced, never in a dump. The token is sealed like personal data,
so a copied profile file does not carry the right to sync as this laptop.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app.apply import row_to_op
from app.clock import wall_ms
from app.codes import Code, code_of
from app.errors import MootError
from app.ops import Op
from app.personal import Sealer


@dataclass(frozen=True)
class Failure:
    """What went wrong at a group's last sync: the code to word it by, and the hub's words."""

    code: Code
    detail: str


@dataclass(frozen=True)
class HubLink:
    group_id: str
    hub_url: str
    token: str
    cursor: int
    last_sync_ms: int | None
    last_error: Failure | None
    cursor_op: str | None  # the id of the op at seq ``cursor``, once one was pulled


def save_link(
    db: sqlite3.Connection, sealer: Sealer, *, group_id: str, hub_url: str, token: str
) -> None:
    db.execute(
        "INSERT INTO hub_links (group_id, hub_url, token, cursor) VALUES (?,?,?,0)"
        " ON CONFLICT (group_id) DO UPDATE SET token = excluded.token,"
        # Another hub's log is numbered afresh: start pulling it from the beginning.
        " cursor = CASE WHEN hub_url = excluded.hub_url THEN cursor ELSE 0 END,"
        " cursor_op = CASE WHEN hub_url = excluded.hub_url THEN cursor_op ELSE NULL END,"
        " hub_url = excluded.hub_url",
        (group_id, hub_url, sealer.seal(token)),
    )


def get_link(db: sqlite3.Connection, sealer: Sealer, group_id: str) -> HubLink | None:
    row = db.execute("SELECT * FROM hub_links WHERE group_id = ?", (group_id,)).fetchone()
    if row is None:
        return None
    return HubLink(
        row["group_id"],
        row["hub_url"],
        sealer.unseal(row["token"]),
        row["cursor"],
        row["last_sync_ms"],
        None
        if row["last_error"] is None
        else Failure(code_of(row["last_error_code"], Code.FAILED), row["last_error"]),
        row["cursor_op"],
    )


def linked_groups(db: sqlite3.Connection) -> list[str]:
    return [r[0] for r in db.execute("SELECT group_id FROM hub_links ORDER BY group_id")]


def advance_cursor(
    db: sqlite3.Connection, group_id: str, cursor: int, op_id: str | None = None
) -> None:
    """Pulled up to ``cursor``, the hub's seq of the op ``op_id`` (None: from the start)."""
    db.execute(
        "UPDATE hub_links SET cursor = ?, cursor_op = ? WHERE group_id = ?",
        (cursor, op_id, group_id),
    )


def record_outcome(db: sqlite3.Connection, group_id: str, error: MootError | None) -> None:
    """After a sync: when it last succeeded, or what went wrong last."""
    if error is None:
        db.execute(
            "UPDATE hub_links SET last_sync_ms = ?, last_error = NULL, last_error_code = NULL"
            " WHERE group_id = ?",
            (wall_ms(), group_id),
        )
    else:
        db.execute(
            "UPDATE hub_links SET last_error = ?, last_error_code = ? WHERE group_id = ?",
            (str(error), error.code, group_id),
        )


def outbox(
    db: sqlite3.Connection,
    sealer: Sealer,
    group_id: str,
    limit: int,
    *,
    skip: frozenset[str] | set[str] = frozenset(),
    max_chars: int | None = None,
) -> list[Op]:
    """Ops of the group that no hub has acknowledged yet, oldest first, less ``skip``.

    At most ``limit``; with ``max_chars``, no more payload text than that past the first
    op, read op by op: an outbox of papers is not loaded whole to send a few of them.
    """
    # CROSS JOIN keeps SQLite starting from the (usually small) outbox.
    outbox_ops = (
        " FROM outbox o CROSS JOIN ops ON ops.id = o.op_id WHERE ops.group_id = ?"
        " ORDER BY ops.hlc, ops.device LIMIT ?"
    )
    if max_chars is None and not skip:
        rows = db.execute("SELECT ops.*" + outbox_ops, (group_id, limit))
        return [row_to_op(r, sealer) for r in rows]
    # Ordered by the columns before the payload alone, so no payload is read to sort.
    ids = [r[0] for r in db.execute("SELECT ops.id" + outbox_ops, (group_id, limit + len(skip)))]
    ops: list[Op] = []
    chars = 0
    for op_id in (i for i in ids if i not in skip):
        if len(ops) == limit:
            break
        row = db.execute("SELECT * FROM ops WHERE id = ?", (op_id,)).fetchone()
        chars += len(row["payload"] or "")
        if ops and max_chars is not None and chars > max_chars:
            break
        ops.append(row_to_op(row, sealer))
    return ops


def outbox_size(db: sqlite3.Connection, group_id: str) -> int:
    (count,) = db.execute(
        "SELECT COUNT(*) FROM outbox o CROSS JOIN ops ON ops.id = o.op_id WHERE ops.group_id = ?",
        (group_id,),
    ).fetchone()
    return int(count)


def acknowledge(db: sqlite3.Connection, op_ids: list[str]) -> None:
    db.executemany("DELETE FROM outbox WHERE op_id = ?", [(i,) for i in op_ids])


def queue(db: sqlite3.Connection, op_ids: list[str]) -> None:
    """Put ops that arrived from elsewhere (a bundle) in the outbox, for the hub to have."""
    db.executemany("INSERT OR IGNORE INTO outbox (op_id) VALUES (?)", [(i,) for i in op_ids])
