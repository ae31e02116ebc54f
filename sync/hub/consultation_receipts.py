"""The hub's receipt for a group's response: ``consultation/receive``, written as a push
takes the submission in, in the same transaction.

Called from ``sync.hub.service.push`` once the pushed ops are appended (and the roster
brought up to date), with the group's row still locked by the push: the receipt is the
next op in the log, and its "late" is the hub's clock against the consultation's
closing, not the laptop's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection, select

from app.clock import wall_ms
from app.identity import DeviceIdentity
from app.kinds.consultations import closes_at_ms
from app.ops import Op
from sync.hub import tables as t
from sync.hub.consultation_responses import submission_fits
from sync.hub.errors import Forbidden
from sync.hub.service import write_as_hub

SUBMIT = ("consultation", "submit")


def acknowledge(
    conn: Connection, hub: DeviceIdentity, group_id: str, submits: Iterable[Op]
) -> list[Op]:
    """Write a receipt for each submission that counts; the receipts written.

    ``submits`` are pushed ``consultation/submit`` ops just accepted whose authors may
    write them. One for a consultation the hub did not publish to this group, or whose
    answers do not fit its questions, counts on no laptop and gets no receipt.
    """
    written: list[Op] = []
    now = wall_ms()
    for op in submits:
        found = conn.execute(
            select(t.consultations.c.closes, t.consultations.c.questions)
            .select_from(
                t.consultations.join(
                    t.consultation_groups,
                    t.consultation_groups.c.consultation_id == t.consultations.c.id,
                )
            )
            .where(
                t.consultation_groups.c.entity == op.entity,
                t.consultation_groups.c.group_id == group_id,
                t.consultation_groups.c.discussion_id.is_not(None),
            )
        ).first()
        if found is None or not submission_fits(json.loads(found[1]), op.fields["answers"]):
            continue
        payload = {"submission": op.id, "received_ms": now, "late": now > closes_at_ms(found[0])}
        try:
            written.append(
                write_as_hub(conn, hub, group_id, "consultation", op.entity, "receive", payload)
            )
        except Forbidden:
            # The group took the hub's role away: the response stands, unreceipted
            # (nothing was written; the refusal comes before the append).
            continue
    return written
