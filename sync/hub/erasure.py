"""Erasure on the hub: a member's erased contact details are blanked in the stored log.

A member may erase their own details at any time; the op saying so travels like any
other, and once the hub takes it, it keeps no copy of what it covers.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, and_, or_, select, update

from sync.hub import tables as t
from sync.hub.db import note_erasure


def erase_contact_payloads(conn: Connection, group_id: str, members: set[str]) -> None:
    """Blank the stored contact details that each member's newest erasure covers.

    As laptops do (``app.apply.erase_personal_payloads``): the op stays, signed and in
    its place in the log, without its payload, so the hub keeps and serves no copy of
    details their owner erased.
    """
    ops = t.ops.c
    for member in sorted(members):
        where = (ops.group_id == group_id, ops.kind == "member", ops.entity == member)
        erased = conn.execute(
            select(ops.hlc, ops.device)
            .where(*where, ops.action == "erase", ops.device == member)
            .order_by(ops.hlc.desc())
            .limit(1)
        ).first()
        if erased is None:
            continue
        covered = conn.execute(
            select(ops.seq, ops.wire).where(
                *where,
                ops.action == "contact",
                or_(
                    ops.hlc < erased.hlc,
                    and_(ops.hlc == erased.hlc, ops.device < erased.device),
                ),
            )
        ).all()
        for seq, wire in covered:
            op = json.loads(wire)
            if op.get("payload") is not None:
                op["payload"] = None
                blank = json.dumps(op, separators=(",", ":"), ensure_ascii=False)
                conn.execute(
                    update(t.ops).where(ops.group_id == group_id, ops.seq == seq).values(wire=blank)
                )
                note_erasure(conn)
