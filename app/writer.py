"""Local edits: each becomes a signed op, applied through the same door as remote ops.

A write's ops, their application and their place in the outbox commit in one SQLite
transaction, so the log and the tables never disagree. Permission is decided by the
merge rules: an edit those rules would not apply is refused here with their reason,
before anything is stored. (Services add a few refusals of their own that must not
void what others wrote offline, such as replying in a locked discussion.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.apply import ingest
from app.errors import NotAllowed
from app.ids import authored_id
from app.ops import Op, sign_op
from app.registry import REGISTRY
from app.roles import NOT_MEMBER
from app.store import Store


class Writer:
    def __init__(self, store: Store, db: sqlite3.Connection) -> None:
        self.store = store
        self.db = db
        self.ops: list[Op] = []
        self.groups: set[str] = set()

    def emit(
        self,
        group: str,
        kind: str,
        entity: str,
        action: str,
        fields: dict[str, Any],
        *,
        op_id: str | None = None,
    ) -> Op:
        device = self.store.device_id
        row = self.db.execute(
            "SELECT seq, hash FROM ops WHERE group_id = ? AND device = ? ORDER BY seq DESC LIMIT 1",
            (group, device),
        ).fetchone()
        seq, prev = (row[0] + 1, row[1]) if row else (1, None)
        if action == "create":
            op_id = entity  # an entity takes the id of the op that makes it
        op = sign_op(
            self.store.identity.key,
            op_id=op_id or authored_id(device),
            group=group,
            device=device,
            seq=seq,
            prev=prev,
            hlc=self.store.clock.now(),
            kind=kind,
            entity=entity,
            action=action,
            payload=fields,
        )
        REGISTRY.validate(op)
        result = ingest(self.db, [op], sealer=self.store.sealer, trusted=True)
        if op.id in result.reasons:
            raise NotAllowed(self._explain(result.reasons[op.id]))
        self.db.execute("INSERT INTO outbox (op_id) VALUES (?)", (op.id,))
        self.ops.append(op)
        self.groups.add(group)
        return op

    def _explain(self, reason: str) -> str:
        if reason == NOT_MEMBER:
            return (
                "This laptop cannot write in the group: an organiser has not admitted it"
                f" (its device id is {self.store.device_id})."
            )
        return reason[0].upper() + reason[1:] + "."


@contextmanager
def writing(store: Store) -> Iterator[Writer]:
    """One unit of work: commits every op emitted in it, or none of them."""
    with store.write() as db:
        writer = Writer(store, db)
        yield writer
    store.notify(writer.groups)
