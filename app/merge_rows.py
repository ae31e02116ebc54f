"""What every merge rule shares: the search index, and last-writer-wins writes.

Scalar fields are last-writer-wins by (stamp, device); reactions, votes and follows are
last-writer-wins registers per element. Each rule (see app.kinds) returns None
once its op has taken effect, or a short reason why it cannot (yet).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from app.ops import Op
from app.search_rows import search_rowid

if TYPE_CHECKING:
    from app.apply import Applier

MAX_KEY = 2**63


def index(
    a: Applier, kind: str, n: int, group: str, title: str, body: str, *, new: bool = False
) -> None:
    """Queue the row's search entry; an entity indexed before loses its old entry first."""
    rowid = search_rowid(kind, n)
    if not new and rowid not in a.search_rows:
        a.db.execute("DELETE FROM search WHERE rowid = ?", (rowid,))
    a.search_rows[rowid] = (title, body, group)


def unindex(a: Applier, kind: str, n: int) -> None:
    rowid = search_rowid(kind, n)
    a.search_rows.pop(rowid, None)
    a.db.execute("DELETE FROM search WHERE rowid = ?", (rowid,))


def lww(
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


def created_base(a: Applier, table: str, n: int) -> list[Any]:
    row = a.db.execute(f"SELECT created_hlc, created_by FROM {table} WHERE n = ?", (n,)).fetchone()
    return [row[0], row[1]]


def register(
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
