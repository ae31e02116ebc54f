"""A recorded history of every kind of change still merges to the very same group.

``tests/golden/history.jsonl.gz`` holds the signed ops of a sample parish group and
three laptops' work on it: invitations made, revoked and redeemed; categories, a
discussion, replies, edits, reactions set and taken back, a poll and changed votes, a
note edited on two laptops at once, follows, profiles, contact details shared and
erased, and a removed member still writing offline. ``history.dump.json`` is what
``moot dump`` printed for it when it was recorded. Whatever the delivery order, a
fresh laptop must print those bytes exactly: any change to how a kind of op merges
shows up here.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from app.apply import rebuild_group
from app.canonical import canonical_json
from app.dump import dump
from app.ops import Op, op_from_wire
from app.store import Store
from tests.support import deliver

GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def _history() -> list[Op]:
    with gzip.open(GOLDEN / "history.jsonl.gz", "rt", encoding="utf-8") as f:
        return [op_from_wire(json.loads(line)) for line in f]


def _recorded() -> str:
    return (GOLDEN / "history.dump.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", [None, 1, 2])
def test_the_recorded_history_dumps_byte_for_byte_as_recorded(
    make_store: Callable[[str], Store], seed: int | None
) -> None:
    ops = _history()
    kinds = {(op.kind, op.action) for op in ops}
    assert len(kinds) >= 20  # the history really does hold nearly every kind
    if seed is not None:
        random.Random(seed).shuffle(ops)
    store = make_store(f"replay-{seed}")
    deliver(ops, store, batch=None if seed is None else 37)
    (group_id,) = {op.group for op in ops}
    assert _as_recorded(dump(store=store, group_id=group_id)) == _recorded()

    with store.write() as db:
        rebuild_group(db, group_id, store.sealer)
    assert _as_recorded(dump(store=store, group_id=group_id)) == _recorded()


def _as_recorded(printed: str) -> str:
    """The dump without the tables of domains added since it was recorded, and without
    the columns added since (a discussion's ``publish_ms``, a group's ``welcome``), which
    this history leaves
    empty; everything it was recorded with is compared byte for byte.
    """
    recorded, state = json.loads(_recorded()), json.loads(printed)
    added = set(state) - set(recorded)
    assert all(not state[table] for table in added), added
    kept = {}
    for table, rows in recorded.items():
        known = {column for row in rows for column in row} if isinstance(rows, list) else None
        shown = state[table]
        if known is not None and isinstance(shown, list):
            shown = [{k: v for k, v in row.items() if k in known} for row in shown]
        elif isinstance(rows, dict) and isinstance(shown, dict):  # the one group
            shown = {k: v for k, v in shown.items() if k in rows}
        kept[table] = shown
    return canonical_json(kept)
