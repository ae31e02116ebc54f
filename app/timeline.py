"""Who held which role when: an op counts under the role its author had at its stamp.

Judging each op by the role at its own point in the total order (not by today's role)
keeps a removed member's earlier words while voiding what they write afterwards, and
gives every replica the same answer whatever order the ops arrived in.
"""

from __future__ import annotations

import bisect
import sqlite3
from dataclasses import dataclass, field

from app.roles import ROLE_RANK

Key = tuple[int, str]  # (stamp, device): the total order of ops


@dataclass
class Timeline:
    """Role changes of one group, per device, sorted by the key of the op that made them."""

    changes: dict[str, list[tuple[Key, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, db: sqlite3.Connection, group_id: str) -> Timeline:
        tl = cls()
        rows = db.execute(
            "SELECT device, hlc, author, role FROM role_changes WHERE group_id = ?", (group_id,)
        )
        for device, hlc, author, role in rows:
            tl.changes.setdefault(device, []).append(((hlc, author), role))
        for entries in tl.changes.values():
            entries.sort()
        return tl

    def add(self, device: str, key: Key, role: str) -> None:
        bisect.insort(self.changes.setdefault(device, []), (key, role))

    def role_at(self, device: str, key: Key) -> str:
        """The device's role just before ``key``; 'removed' if it had none."""
        entries = self.changes.get(device)
        if not entries:
            return "removed"
        i = bisect.bisect_left(entries, (key, "")) - 1
        return entries[i][1] if i >= 0 else "removed"

    def current(self, device: str) -> str:
        entries = self.changes.get(device)
        return entries[-1][1] if entries else "removed"

    def rank_at(self, device: str, key: Key) -> int:
        return ROLE_RANK[self.role_at(device, key)]
