"""A hub's database brought up to date keeps its data, and mends what older hubs kept."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, text

from app.ops import Op
from app.services import groups, members
from app.store import Store
from sync.hub.db import alembic_config, make_engine
from tests.hubs import migrate, sqlite_url
from tests.support import deliver, ops_of


def _contact_op(store: Store) -> Op:
    """The contact details this laptop itself gave."""
    [op] = [
        o
        for o in ops_of(store)
        if (o.kind, o.action) == ("member", "contact") and o.device == store.device_id
    ]
    return op


def test_contact_details_erased_before_the_upgrade_leave_the_hub(
    tmp_path: Path, make_store: Callable[[str], Store]
) -> None:
    ann, bob = make_store("ann"), make_store("bob")
    group = groups.create_group(store=ann, name="Allotments")
    members.set_contact(store=ann, group_id=group, contact="07700 900123")
    kept = _contact_op(ann)  # with its payload, as a hub before 0004 holds it
    members.erase_contact(store=ann, group_id=group)
    members.admit(store=ann, group_id=group, device=bob.device_id, role="member")
    deliver(ops_of(ann), bob)
    members.set_contact(store=bob, group_id=group, contact="bob@example.org")  # not erased
    log = [*sorted(ops_of(ann), key=lambda o: o.order), _contact_op(bob)]

    db = sqlite_url(tmp_path)
    engine = make_engine(db)
    with engine.connect() as conn:
        command.upgrade(alembic_config(conn), "0003")
        conn.execute(
            text("INSERT INTO hub_groups (id, name, created_ms) VALUES (:g, 'A', 0)"), {"g": group}
        )
        for seq, op in enumerate(log, start=1):
            wire = kept.to_wire() if op.id == kept.id else op.to_wire()
            conn.execute(
                text(
                    "INSERT INTO hub_ops (group_id, seq, op_id, device, dev_seq, hlc, hash,"
                    " prev, kind, action, entity, wire) VALUES (:g, :s, :id, :d, :ds, :h,"
                    " :hash, :prev, :k, :a, :e, :w)"
                ),
                {
                    "g": group,
                    "s": seq,
                    "id": op.id,
                    "d": op.device,
                    "ds": op.seq,
                    "h": op.hlc,
                    "hash": op.hash,
                    "prev": op.prev,
                    "k": op.kind,
                    "a": op.action,
                    "e": op.entity,
                    "w": json.dumps(wire, separators=(",", ":")),
                },
            )
        conn.commit()
    before = _wires(engine)
    assert "07700 900123" in before

    migrate(db)

    after = _wires(engine)
    engine.dispose()
    assert "07700 900123" not in after
    assert "bob@example.org" in after
    assert after.count('"payload":null') == before.count('"payload":null') + 1


def _wires(engine: Engine) -> str:
    with engine.connect() as conn:
        return "\n".join(conn.execute(text("SELECT wire FROM hub_ops ORDER BY seq")).scalars())
