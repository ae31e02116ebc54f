"""Taking ops in: verify, store, and apply them in the one order every replica agrees on.

``ingest`` is the only door into the materialised tables, for local edits and for
ops from elsewhere alike. An op that cannot take effect yet (its author not admitted,
its target not arrived) is kept waiting, with the keys of what it waits for (see
``wait_keys``), and tried again when an op that takes effect touches one of them: the
cost of an arrival does not grow with the number of ops waiting. When an op lands
before ops that depended on a state it changes (a removal that is older than what the
removed device wrote since), the group is rebuilt from its log in order.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.clock import check_not_future, wall_ms
from app.errors import InvalidOp
from app.ops import Known, Op, verify_runs
from app.personal import Sealer, note_erasure
from app.registry import REGISTRY
from app.timeline import Timeline

WAITING, APPLIED = 0, 1

_CHUNK = 500


@dataclass
class IngestResult:
    received: int = 0  # ops new to this replica
    applied: int = 0  # of those and earlier waiting ones, how many took effect
    waiting: int = 0  # new ops that cannot take effect yet
    groups: set[str] = field(default_factory=set)
    max_hlc: int = 0
    new_ids: list[str] = field(default_factory=list)  # ids of the ops new to this replica
    reasons: dict[str, str] = field(default_factory=dict)  # op id -> why it waits


class Applier:
    """Per-transaction state of the apply loop: role timelines, caches and write buffers."""

    def __init__(self, db: sqlite3.Connection, sealer: Sealer) -> None:
        self.db = db
        self.sealer = sealer
        self.timelines: dict[str, Timeline] = {}
        self.latest_in_batch: dict[tuple[str, str], int] = {}
        # (table, id) -> (n, created_by, group, created_hlc) of rows looked up or made
        self.rows: dict[tuple[str, str], tuple[int, str, str, int]] = {}
        self.to_rebuild: set[str] = set()
        self.rebuilding = False
        self._next_n: int | None = None
        # Written once at the end of a batch rather than once per op.
        self.search_rows: dict[int, tuple[str, str, str]] = {}
        self.activity: dict[str, int] = {}
        self.touched: set[str] = set()  # wait keys of what ops applied so far changed

    def timeline(self, group: str) -> Timeline:
        tl = self.timelines.get(group)
        if tl is None:
            tl = self.timelines[group] = Timeline.load(self.db, group)
        return tl

    def rank(self, op: Op) -> int:
        return self.timeline(op.group).rank_at(op.device, op.order)

    def rebuild_later(self, group: str) -> None:
        """Ask for the group to be applied again from its log once this batch is in."""
        if not self.rebuilding:
            self.to_rebuild.add(group)

    def role_changed_in_past(self, group: str, device: str, hlc: int) -> None:
        """A role change at ``hlc`` may void or revive ops the device wrote after it."""
        self.touched.add(role_key(group, device))
        if self.rebuilding:
            return
        later = (
            self.latest_in_batch.get((group, device), 0) >= hlc
            or self.db.execute(
                "SELECT 1 FROM ops WHERE group_id = ? AND device = ? AND hlc >= ? AND state = 1"
                " LIMIT 1",
                (group, device, hlc),
            ).fetchone()
        )
        if later:
            self.to_rebuild.add(group)

    def find(self, table: str, entity_id: str, op: Op) -> tuple[int, str] | None:
        """(n, created_by) of what ``op`` refers to, if it is in op's group and older.

        Something made later in the total order does not count as there for an op:
        applying in that order from scratch must give what was applied on arrival.
        """
        key = (table, entity_id)
        row = self.rows.get(key)
        if row is None:
            found = self.db.execute(
                f"SELECT n, created_by, group_id, created_hlc FROM {table} WHERE id = ?",
                (entity_id,),
            ).fetchone()
            if found is None:
                return None
            row = self.rows[key] = (found[0], found[1], found[2], found[3])
        n, created_by, group, created_hlc = row
        if group != op.group or (created_hlc, created_by) >= op.order:
            return None
        return n, created_by

    def remember(self, table: str, entity_id: str, n: int, op: Op) -> None:
        self.rows[(table, entity_id)] = (n, op.device, op.group, op.hlc)

    def next_n(self) -> int:
        """Row numbers for searchable rows from one counter, so search rowids only rise."""
        if self._next_n is None:
            self._next_n = 1 + max(
                self.db.execute(f"SELECT COALESCE(MAX(n), 0) FROM {t}").fetchone()[0]
                for t in REGISTRY.searchable
            )
        n = self._next_n
        self._next_n += 1
        return n

    def try_apply(self, op: Op) -> str | None:
        """Apply one op; None if it took effect, else the reason it waits."""
        if op.payload is None and (op.kind, op.action) not in REGISTRY.personal:
            return "its content was erased"
        try:
            reason = REGISTRY.apply(self, op)
        except sqlite3.IntegrityError:
            reason = "it clashes with something already here"
        if reason is None:
            self.touched.add(entity_key(op.entity))
            key = (op.group, op.device)
            if op.hlc > self.latest_in_batch.get(key, 0):
                self.latest_in_batch[key] = op.hlc
        return reason

    def flush(self) -> None:
        """Write what was buffered during the batch: search rows and last activity."""
        if self.search_rows:
            self.db.executemany(
                "INSERT INTO search (rowid, title, body, group_id) VALUES (?,?,?,?)",
                [(rowid, *row) for rowid, row in sorted(self.search_rows.items())],
            )
            self.search_rows.clear()
        if self.activity:
            self.db.executemany(
                "UPDATE discussions SET last_activity_hlc = MAX(last_activity_hlc, ?) WHERE id = ?",
                [(hlc, disc) for disc, hlc in self.activity.items()],
            )
            self.activity.clear()


def ingest(
    db: sqlite3.Connection,
    ops: Iterable[Op],
    *,
    sealer: Sealer,
    trusted: bool = False,
    now_ms: int | None = None,
) -> IngestResult:
    """Verify, store and apply ops inside the caller's transaction.

    ``trusted`` skips signature and schema checks, for ops this device has just made.
    Raises InvalidOp or ClockError before writing anything if any op is bad.
    """
    result = IngestResult()
    fresh = _new_ops(db, ops)
    if not fresh:
        return result
    if not trusted:
        now = wall_ms() if now_ms is None else now_ms
        for op in fresh:
            REGISTRY.validate(op)
            check_not_future(op.hlc, now)
        verify_runs(fresh, _known_neighbours(db, fresh))
    result.received = len(fresh)
    result.new_ids = [op.id for op in fresh]
    groups = {op.group for op in fresh}
    result.groups = groups

    applier = Applier(db, sealer)
    states = _apply_in_order(applier, fresh, result.reasons)
    waiting = [op for op in fresh if states[op.id] == WAITING]
    held = _any_waiting(db, groups)
    revived = _wake(applier, sealer, states, waiting, result.reasons, held=held)

    db.executemany(
        "INSERT INTO ops (id, group_id, device, seq, prev, hlc, kind, entity, action, payload,"
        " payload_hash, sig, hash, state) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [_op_row(op, states[op.id], sealer) for op in fresh],
    )
    _remember_waits(db, [op for op in fresh if states[op.id] == WAITING])
    personal = {op.group for op in fresh if (op.kind, op.action) in REGISTRY.erasing}
    erase_personal_payloads(db, personal)
    if revived:
        db.executemany("UPDATE ops SET state = 1 WHERE id = ?", [(i,) for i in revived])
        db.executemany("DELETE FROM waits WHERE op_id = ?", [(i,) for i in revived])
    for group in applier.to_rebuild:
        states.update(rebuild_group(db, group, sealer))
    result.applied = sum(1 for s in states.values() if s == APPLIED)
    result.waiting = sum(1 for op in fresh if states[op.id] == WAITING)
    # The clock follows only ops that took effect: ops that wait for ever (an outsider's,
    # say) must not drag it forward.
    result.max_hlc = max((op.hlc for op in fresh if states[op.id] == APPLIED), default=0)
    return result


def rebuild_group(db: sqlite3.Connection, group: str, sealer: Sealer) -> dict[str, int]:
    """Forget the group's materialised state and apply its whole log again, in order."""
    REGISTRY.clear_group(db, group)
    db.execute("UPDATE ops SET state = 0 WHERE group_id = ?", (group,))
    ops = [
        row_to_op(r, sealer) for r in db.execute("SELECT * FROM ops WHERE group_id = ?", (group,))
    ]
    applier = Applier(db, sealer)
    applier.rebuilding = True
    states = _apply_in_order(applier, ops, {})
    db.executemany(
        "UPDATE ops SET state = 1 WHERE id = ?",
        [(op_id,) for op_id, s in states.items() if s == APPLIED],
    )
    db.execute("DELETE FROM waits WHERE group_id = ?", (group,))
    _remember_waits(db, [op for op in ops if states[op.id] == WAITING])
    erase_personal_payloads(db, {group})
    return states


def erase_personal_payloads(db: sqlite3.Connection, groups: set[str]) -> None:
    """Blank the stored payloads of contact details that a member's erasure covers.

    The erasure's stamp is kept on the member row (``clocks.erased``), so contact ops
    older than it are blanked whenever they arrive, before or after the erasure.
    """
    for group in groups:
        blanked = db.execute(
            "UPDATE ops SET payload = NULL WHERE group_id = ? AND kind = 'member'"
            " AND action = 'contact' AND payload IS NOT NULL AND EXISTS (SELECT 1 FROM members m"
            " WHERE m.group_id = ops.group_id AND m.device = ops.entity"
            " AND json_extract(m.clocks, '$.erased') IS NOT NULL"
            " AND (ops.hlc < json_extract(m.clocks, '$.erased[0]')"
            "  OR (ops.hlc = json_extract(m.clocks, '$.erased[0]')"
            "      AND ops.device < json_extract(m.clocks, '$.erased[1]'))))",
            (group,),
        )
        if blanked.rowcount > 0:  # only then are there old copies to clear
            note_erasure(db)


def _apply_in_order(applier: Applier, ops: Sequence[Op], reasons: dict[str, str]) -> dict[str, int]:
    """Apply in the total order, passing again over what waited while anything changed."""
    states = {op.id: WAITING for op in ops}
    pending = sorted(ops, key=lambda o: o.order)
    while pending:
        still: list[Op] = []
        for op in pending:
            reason = applier.try_apply(op)
            if reason is None:
                states[op.id] = APPLIED
                reasons.pop(op.id, None)
            else:
                reasons[op.id] = reason
                still.append(op)
        if len(still) == len(pending):
            break
        pending = still
    applier.flush()
    return states


def _new_ops(db: sqlite3.Connection, ops: Iterable[Op]) -> list[Op]:
    unique: dict[str, Op] = {}
    for op in ops:
        unique.setdefault(op.id, op)
    ids = list(unique)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        held = db.execute(
            f"SELECT id, hash FROM ops WHERE id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
        for op_id, op_hash in held:
            if unique[op_id].hash != op_hash:
                raise InvalidOp(f"op {op_id} differs from the op of that id already held")
            del unique[op_id]
    return list(unique.values())


def _known_neighbours(db: sqlite3.Connection, ops: Sequence[Op]) -> Known:
    """The stored ops just before and after each new op in its author's chain."""
    wanted: dict[tuple[str, str], set[int]] = {}
    for op in ops:
        wanted.setdefault((op.group, op.device), set()).update((op.seq - 1, op.seq, op.seq + 1))
    known: Known = {}
    for (group, device), seqs in wanted.items():
        seq_list = sorted(seqs)
        for i in range(0, len(seq_list), _CHUNK):
            chunk = seq_list[i : i + _CHUNK]
            rows = db.execute(
                "SELECT seq, hash, prev, hlc FROM ops WHERE group_id = ? AND device = ?"
                f" AND seq IN ({','.join('?' * len(chunk))})",
                [group, device, *chunk],
            )
            for seq, op_hash, prev, hlc in rows:
                known[(group, device, seq)] = (op_hash, prev, hlc)
    return known


def role_key(group: str, device: str) -> str:
    return f"r:{group}:{device}"


def entity_key(entity: str) -> str:
    return f"e:{entity}"


def wait_keys(op: Op) -> set[str]:
    """What could let a waiting op take effect: a change to one of these.

    Its author's role; its entity arriving (or, for a member's profile, that member
    being admitted); the entities its payload names. Whatever else it waits for never
    comes, or comes with a rebuild of the group, which tries every op again.
    """
    keys = {role_key(op.group, op.device), role_key(op.group, op.entity), entity_key(op.entity)}
    kind = REGISTRY.kinds.get((op.kind, op.action))
    for name in kind.refers if kind else ():
        value = op.fields.get(name)
        if isinstance(value, str):
            keys.add(entity_key(value))
    return keys


def _any_waiting(db: sqlite3.Connection, groups: set[str]) -> bool:
    """Whether the groups hold ops waiting from before: most of the time, none."""
    return any(
        db.execute("SELECT 1 FROM ops WHERE group_id = ? AND state = 0 LIMIT 1", (g,)).fetchone()
        for g in groups
    )


def _remember_waits(db: sqlite3.Connection, ops: Sequence[Op]) -> None:
    if not ops:
        return
    db.executemany(
        "INSERT INTO waits (key, op_id, group_id) VALUES (?,?,?)",
        [(key, op.id, op.group) for op in ops for key in sorted(wait_keys(op))],
    )


def _wake(
    applier: Applier,
    sealer: Sealer,
    states: dict[str, int],
    new_waiting: Sequence[Op],
    reasons: dict[str, str],
    *,
    held: bool,
) -> list[str]:
    """Try again the waiting ops that what has just taken effect may free, until none is.

    Returns the ids of ops held before this batch that now took effect; ``states``
    gains every op tried.
    """
    db = applier.db
    by_key: dict[str, list[Op]] = {}
    for op in new_waiting:
        for key in wait_keys(op):
            by_key.setdefault(key, []).append(op)
    revived: list[str] = []
    while applier.touched:
        keys = sorted(applier.touched)
        applier.touched = set()
        candidates = {op.id: op for key in keys for op in by_key.get(key, ())}
        woken: set[str] = set()
        for i in range(0, len(keys) if held else 0, _CHUNK):
            chunk = keys[i : i + _CHUNK]
            rows = db.execute(
                "SELECT * FROM ops WHERE state = 0 AND id IN (SELECT op_id FROM waits"
                f" WHERE key IN ({','.join('?' * len(chunk))}))",
                chunk,
            )
            for row in rows:
                if states.get(row["id"]) != APPLIED:
                    candidates[row["id"]] = row_to_op(row, sealer)
                    woken.add(row["id"])
        ops = [op for op in candidates.values() if states.get(op.id) != APPLIED]
        if not ops:
            break
        tried = _apply_in_order(applier, ops, reasons)
        states.update(tried)
        revived += [op_id for op_id in woken if tried.get(op_id) == APPLIED]
    return revived


def _op_row(op: Op, state: int, sealer: Sealer) -> tuple[object, ...]:
    payload = sealer.payload_to_db(op.kind, op.action, op.payload_json)
    return (
        op.id,
        op.group,
        op.device,
        op.seq,
        op.prev,
        op.hlc,
        op.kind,
        op.entity,
        op.action,
        payload,
        op.payload_hash,
        op.sig,
        op.hash,
        state,
    )


def read_log(db: sqlite3.Connection, sealer: Sealer, group_id: str | None = None) -> list[Op]:
    """The ops held (of one group, or all), in the total order."""
    where, params = ("WHERE group_id = ?", (group_id,)) if group_id else ("", ())
    rows = db.execute(f"SELECT * FROM ops {where} ORDER BY hlc, device", params)
    return [row_to_op(r, sealer) for r in rows]


def read_membership(db: sqlite3.Connection, sealer: Sealer, group_id: str) -> list[Op]:
    """The group's ops that decide who holds which role, in the total order."""
    membership = sorted(REGISTRY.membership)
    pairs = " OR ".join("(kind = ? AND action = ?)" for _ in membership)
    rows = db.execute(
        f"SELECT * FROM ops WHERE group_id = ? AND ({pairs}) ORDER BY hlc, device",
        (group_id, *(part for pair in membership for part in pair)),
    )
    return [row_to_op(r, sealer) for r in rows]


def row_to_op(row: sqlite3.Row, sealer: Sealer) -> Op:
    payload = sealer.payload_from_db(row["payload"])
    return Op(
        row["id"],
        row["group_id"],
        row["device"],
        row["seq"],
        row["prev"],
        row["hlc"],
        row["kind"],
        row["entity"],
        row["action"],
        row["payload_hash"],
        row["sig"],
        payload,
    )
