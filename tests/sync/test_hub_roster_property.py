"""The hub's view of who belongs to a group is the one every laptop comes to.

Several devices write membership ops (admissions, removals, invitations made, revoked
and redeemed, some with the wrong code or too late) and an organiser-only change, with
stamps that do not follow the order they reach the hub in. The ops are pushed in random
batches, and whatever may pass later is pushed again, as laptops keep it in their
outboxes. Then the hub's roles (its roster, rebuilt or cached, and its roles table)
equal those of a laptop that holds every op, and a laptop that holds only what the hub
accepted is in the same state as that one.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Engine, insert, select

from app.apply import ingest
from app.clock import pack, wall_ms
from app.dump import dump
from app.identity import DeviceIdentity
from app.ids import uuid7
from app.invite_proof import invite_key, prove
from app.ops import Op, op_from_wire, sign_op
from app.services import members
from app.store import Store, open_store
from sync.hub import roster, service
from sync.hub import tables as t
from sync.hub.db import make_engine, migrate

DEVICES = 4  # 0 founds the group; the others start outside it


class Writers:
    """Devices that sign ops with one shared clock, stamps moving forward per op."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self.ids = [DeviceIdentity.generate() for _ in range(DEVICES)]
        self.heads: list[tuple[int, str | None]] = [(0, None)] * DEVICES
        self.ms = wall_ms() - 3_600_000
        self.group = ""
        self.ops: list[Op] = []

    def write(self, who: int, kind: str, action: str, payload: dict[str, Any], entity: str) -> Op:
        self.ms += self.rnd.randint(1, 40)
        seq, prev = self.heads[who]
        op_id = entity if action == "create" else uuid7()
        op = sign_op(
            self.ids[who].key,
            op_id=op_id,
            group=self.group or op_id,
            device=self.ids[who].device_id,
            seq=seq + 1,
            prev=prev,
            hlc=pack(self.ms),
            kind=kind,
            entity=entity,
            action=action,
            payload=payload,
        )
        self.group = op.group
        self.heads[who] = (op.seq, op.hash)
        self.ops.append(op)
        return op


def _write_story(w: Writers, steps: list[tuple[int, int, int, int]]) -> None:
    w.write(0, "group", "create", {"name": "Ward 7"}, uuid7())
    invites: list[tuple[str, str]] = []  # (id, token)
    roles = ("removed", "member", "clerk", "organiser")
    for who, action, target, extra in steps:
        if action == 0:
            device = w.ids[target].device_id
            w.write(who, "member", "set_role", {"role": roles[extra]}, device)
        elif action == 1:
            token = uuid7()
            expires = w.ms + (5 if extra == 0 else 3_600_000)
            payload = {"role": roles[max(extra, 1)], "invite_key": invite_key(token),
                       "expires_ms": expires}  # fmt: skip
            invite = uuid7()
            w.write(who, "invite", "create", payload, invite)
            invites.append((invite, token))
        elif action == 2 and invites:
            invite, _token = invites[target % len(invites)]
            w.write(who, "invite", "update", {"revoked": True}, invite)
        elif action == 3 and invites:
            invite, token = invites[target % len(invites)]
            code = token if extra else uuid7()  # sometimes the wrong code
            proof = prove(code, invite, w.ids[who].device_id)
            w.write(who, "invite", "redeem", {"proof": proof}, invite)
        elif action == 4:
            w.write(who, "group", "update", {"name": f"Ward {target}"}, w.group)


def _push(conn: Connection, group: str, ops: list[Op]) -> list[dict[str, Any]]:
    results = service.push(conn, group_id=group, wire_ops=[op.to_wire() for op in ops])
    return [r.answer().model_dump(exclude_none=True) for r in results]


def _deliver(engine: Engine, w: Writers) -> None:
    with engine.begin() as conn:
        conn.execute(insert(t.groups).values(id=w.group, name="Ward 7", created_ms=0))
    order = list(w.ops)
    w.rnd.shuffle(order)
    while order:
        size = w.rnd.randint(1, 6)
        batch, order = order[:size], order[size:]
        with engine.begin() as conn:
            _push(conn, w.group, batch)
    # What waits is sent again, with the author's whole history, until nothing changes.
    by_chain = sorted(w.ops, key=lambda op: (op.device, op.seq))
    while True:
        with engine.begin() as conn:
            answers = _push(conn, w.group, by_chain)
        if not any(a["status"] == "accepted" for a in answers):
            break


def _log(engine: Engine, group: str) -> list[Op]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.ops.c.wire).where(t.ops.c.group_id == group).order_by(t.ops.c.seq)
        )
        return [op_from_wire(json.loads(r[0])) for r in rows]


@contextmanager
def _laptop(folder: Path, ops: list[Op]) -> Iterator[Store]:
    store = open_store(folder, use_keyring=False)
    try:
        with store.write() as db:
            ingest(db, ops, sealer=store.sealer)
        yield store
    finally:
        store.close()


@settings(
    max_examples=int(os.environ.get("MOOT_HUB_ROSTER_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    steps=st.lists(
        st.tuples(
            st.integers(0, DEVICES - 1),
            st.integers(0, 4),
            st.integers(0, DEVICES - 1),
            st.integers(0, 3),
        ),
        min_size=3,
        max_size=30,
    ),
)
def test_the_hub_and_the_laptops_agree_on_roles(
    seed: int, steps: list[tuple[int, int, int, int]]
) -> None:
    w = Writers(random.Random(seed))
    _write_story(w, steps)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'hub.db'}")
        try:
            migrate(engine)
            _deliver(engine, w)
            devices = [i.device_id for i in w.ids]
            with engine.connect() as conn:
                cached = roster.roster_for(conn, w.group)
                roster.clear_cache()
                rebuilt = roster.roster_for(conn, w.group)
                held = conn.execute(
                    select(t.members.c.device, t.members.c.role).where(
                        t.members.c.group_id == w.group
                    )
                )
                table = dict.fromkeys(devices, "removed") | {r.device: r.role for r in held}
            with (
                _laptop(Path(tmp) / "all", w.ops) as everything,
                _laptop(Path(tmp) / "hub", _log(engine, w.group)) as via_hub,
            ):
                with everything.read() as db:
                    laptop = {d: members.role_in(db, w.group, d) for d in devices}
                assert {d: rebuilt.current(d) for d in devices} == laptop
                assert {d: cached.current(d) for d in devices} == laptop
                assert table == laptop
                assert dump(store=via_hub, group_id=w.group) == dump(
                    store=everything, group_id=w.group
                )
        finally:
            engine.dispose()


def test_the_roster_replica_has_the_laptops_tables(tmp_path: Path) -> None:
    query = (
        "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
        " AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'alembic%' AND name NOT LIKE 'search_%'"
    )
    store = open_store(tmp_path / "laptop", use_keyring=False)
    try:
        with store.read() as db:
            laptop = {r[0]: r[1] for r in db.execute(query)}
    finally:
        store.close()
    replica = {r[0]: r[1] for r in roster.Roster.empty("g")._db.execute(query)}
    assert replica.keys() == laptop.keys()
    assert replica["search"] == laptop["search"]
