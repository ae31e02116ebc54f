"""Who belongs to a group, as every laptop works it out: by the app's own merge rules.

The hub keeps a small replica of each group's membership (an in-memory SQLite store in
the app's schema) holding only the ops that admit, promote, remove and invite, applied
by ``app.apply.ingest``. Judging pushed ops against it, rather than against rules of the
hub's own, is what keeps the hub from accepting an op every laptop voids (or refusing
one they all keep): expiry, revocation, single use and late role changes come out the
same because they are the same code.

Replicas are cached per process, keyed by the group's newest membership op (its
sequence number and id, recorded on the group's row), so several hub processes may
serve one database: a process whose cache is behind simply builds the replica again.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable

from sqlalchemy import Connection, and_, or_, select, update
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.schema import CreateIndex, CreateTable

from app.apply import WAITING, ingest
from app.codes import Code, Refusal
from app.ops import Op, op_from_wire
from app.personal import Sealer
from app.registry import REGISTRY
from app.schema import Base
from app.timeline import Key, Timeline
from sync.hub import tables as t

# As app/migrations/versions/0001_initial_schema.py makes it: a rebuild clears it.
_SEARCH_DDL = (
    "CREATE VIRTUAL TABLE search USING fts5(title, body, group_id UNINDEXED, "
    "tokenize='porter unicode61 remove_diacritics 2')"
)
_CACHE_SIZE = 64

CacheKey = tuple[str, int | None, str | None]
ID_TAKEN = Refusal(Code.ID_TAKEN, "another op has that id")


def is_membership(op: Op) -> bool:
    return (op.kind, op.action) in REGISTRY.membership


_ddl: list[str] | None = None
_ddl_lock = threading.Lock()


def _schema() -> list[str]:
    global _ddl
    with _ddl_lock:
        if _ddl is None:
            dialect = sqlite_dialect.dialect()
            statements = [_SEARCH_DDL]
            for table in Base.metadata.sorted_tables:
                statements.append(str(CreateTable(table).compile(dialect=dialect)))
                statements.extend(
                    str(CreateIndex(index).compile(dialect=dialect)) for index in table.indexes
                )
            _ddl = statements
        return _ddl


def _connect() -> sqlite3.Connection:
    # Used from whichever worker thread serves the request; the roster's lock serialises.
    db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys=ON")
    return db


class Roster:
    """One group's membership replica; use from one request at a time per copy."""

    def __init__(self, group_id: str, db: sqlite3.Connection) -> None:
        self.group_id = group_id
        self._db = db
        self._sealer = Sealer.generate()
        self._lock = threading.Lock()
        self._timeline: Timeline | None = None

    @classmethod
    def empty(cls, group_id: str) -> Roster:
        db = _connect()
        for statement in _schema():
            db.execute(statement)
        return cls(group_id, db)

    def copy(self) -> Roster:
        with self._lock:
            db = _connect()
            self._db.backup(db)
            other = Roster(self.group_id, db)
            other._timeline = self._timeline
            return other

    def load(self, ops: Iterable[Op]) -> None:
        """Take in membership ops already verified (accepted before, or checked by the caller)."""
        with self._lock:
            self._db.execute("BEGIN")
            ingest(self._db, list(ops), sealer=self._sealer, trusted=True)
            self._db.execute("COMMIT")
            self._timeline = None

    def judge(self, op: Op, *, keep_waiting: bool = False) -> str | None:
        """Take in one new membership op; why it does not take effect, or None if it does.

        An op that would only wait is taken out again, unless ``keep_waiting``: a
        waiting op has changed nothing, and the hub does not keep what it refuses. One
        it keeps waits here as on laptops, and takes effect when they would apply it.
        """
        with self._lock:
            self._timeline = None
            self._db.execute("BEGIN")
            try:
                result = ingest(self._db, [op], sealer=self._sealer, trusted=True)
                row = self._db.execute("SELECT state FROM ops WHERE id = ?", (op.id,)).fetchone()
                reason: str | None = None
                if row is None:
                    reason = ID_TAKEN
                elif row[0] == WAITING:
                    reason = result.reasons.get(op.id, "it cannot take effect")
                    if not keep_waiting:
                        self._db.execute("DELETE FROM ops WHERE id = ?", (op.id,))
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return reason

    def _tl(self) -> Timeline:
        with self._lock:
            if self._timeline is None:
                self._timeline = Timeline.load(self._db, self.group_id)
            return self._timeline

    def role_at(self, device: str, order: Key) -> str:
        """The device's role just before ``order`` in the group's total order."""
        return self._tl().role_at(device, order)

    def current(self, device: str) -> str:
        return self._tl().current(device)

    def roles(self) -> dict[str, str]:
        """Every device the group's log ever gave a role, with its role now."""
        tl = self._tl()
        return {device: tl.current(device) for device in tl.changes}

    def names(self) -> dict[str, str]:
        """The names members gave as they were admitted (profile edits are not kept here)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT device, display_name FROM members WHERE group_id = ?"
                " AND display_name != ''",
                (self.group_id,),
            ).fetchall()
        return {str(r[0]): str(r[1]) for r in rows}


_cache: OrderedDict[CacheKey, Roster] = OrderedDict()
_cache_lock = threading.Lock()


def _key(conn: Connection, group_id: str) -> CacheKey:
    row = conn.execute(
        select(t.groups.c.roster_seq, t.groups.c.roster_op).where(t.groups.c.id == group_id)
    ).first()
    if row is None:
        return (group_id, None, None)
    return (group_id, row[0], row[1])


def _membership_ops(conn: Connection, group_id: str) -> list[Op]:
    kinds = or_(
        *(and_(t.ops.c.kind == k, t.ops.c.action == a) for k, a in sorted(REGISTRY.membership))
    )
    rows = conn.execute(
        select(t.ops.c.wire).where(t.ops.c.group_id == group_id, kinds).order_by(t.ops.c.seq)
    )
    return [op_from_wire(json.loads(r[0])) for r in rows]


def roster_for(conn: Connection, group_id: str) -> Roster:
    """The group's membership replica as of the log ``conn`` sees; shared, do not judge on it.

    Call under the group's lock, so the recorded newest membership op is the log's own.
    """
    key = _key(conn, group_id)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    roster = Roster.empty(group_id)
    roster.load(_membership_ops(conn, group_id))
    _remember(key, roster)
    return roster


def _remember(key: CacheKey, roster: Roster) -> None:
    with _cache_lock:
        _cache[key] = roster
        _cache.move_to_end(key)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


def record_head(conn: Connection, roster: Roster, seq: int, op_id: str) -> None:
    """Note the group's newest membership op, and keep ``roster`` as the log with it.

    Cached under the new key only: if this transaction rolls back, that key never comes
    up again (the next op to take ``seq`` has another id), so the entry is never used.
    """
    conn.execute(
        update(t.groups)
        .where(t.groups.c.id == roster.group_id)
        .values(roster_seq=seq, roster_op=op_id)
    )
    _remember((roster.group_id, seq, op_id), roster)


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()
