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
from app.registry import REGISTRY
from app.services.common import require_group
from app.store import Store


def group_state(db: sqlite3.Connection, group_id: str, sealer: Sealer) -> dict[str, Any]:
    require_group(db, group_id)
    state: dict[str, Any] = {}
    for table in REGISTRY.tables:
        spec = table.dump
        if spec is None:
            continue
        where = f" AND {spec.where}" if spec.where else ""
        rows = db.execute(
            f"SELECT {spec.columns} FROM {table.name} WHERE {table.key} = ?{where}"
            f" ORDER BY {spec.order}",
            (group_id,),
        ).fetchall()
        items = []
        for row in rows:
            item = dict(row)
            for col in spec.json:
                item[col] = json.loads(item[col])
            for col in spec.bools:
                item[col] = bool(item[col])
            if "contact" in item:  # sealed with this laptop's key: show the shared value
                item["contact"] = sealer.unseal(item["contact"])
            items.append(item)
        if spec.single is not None:
            state[spec.single] = items[0]
        else:
            state[table.name] = items
    return state


def dump(*, store: Store, group_id: str) -> str:
    with store.read() as db:
        return canonical_json(group_state(db, group_id, store.sealer))
