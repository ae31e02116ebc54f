"""Helpers shared by the tests: replicas passing ops between them, and profile snapshots."""

from __future__ import annotations

import random
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from app.apply import ingest, read_log
from app.dump import dump
from app.ids import uuid7
from app.ops import Op, sign_op
from app.services import groups
from app.store import Store


def ops_of(store: Store) -> list[Op]:
    with store.read() as db:
        return read_log(db, store.sealer)


def deliver(ops: Sequence[Op], to: Store, *, batch: int | None = None) -> None:
    """Hand ops to a replica as a sync would, in the order given, in one or more batches."""
    size = batch or max(len(ops), 1)
    for i in range(0, len(ops), size):
        chunk = ops[i : i + size]
        with to.write() as db:
            # Judged by the clock that stamps this replica's changes, as syncs do.
            result = ingest(db, chunk, sealer=to.sealer, now_ms=to.clock.wall_ms())
        to.clock.observe(result.max_hlc)


def deliver_shuffled(src: Store, dst: Store, rnd: random.Random, *, share: float = 1.0) -> None:
    """Deliver a random share of src's ops, shuffled, some twice, in random batches."""
    ops = ops_of(src)
    picked = [op for op in ops if rnd.random() < share]
    picked += rnd.sample(picked, k=len(picked) // 5)  # duplicates
    rnd.shuffle(picked)
    deliver(picked, dst, batch=rnd.randint(1, 8))


def sync_all(stores: Sequence[Store], rnd: random.Random) -> None:
    """Everyone ends up with every op: two rounds of all-to-all delivery in random order."""
    for _ in range(2):
        pairs = [(a, b) for a in stores for b in stores if a is not b]
        rnd.shuffle(pairs)
        for a, b in pairs:
            deliver_shuffled(a, b, rnd)


def snapshot(store: Store) -> dict[str, Any]:
    """All a refused change must leave alone: groups, their dumps, the op log, the outbox.

    ``dump`` leaves out ops still waiting; the log here does not, so a refusal may not
    leave even a waiting op behind.
    """
    listed = groups.list_groups(store=store)
    with store.read() as db:
        log = [tuple(r) for r in db.execute("SELECT id, hash, state FROM ops ORDER BY id")]
        outbox = [r[0] for r in db.execute("SELECT op_id FROM outbox ORDER BY op_id")]
    return {
        "groups": listed,
        "dumps": {g.id: dump(store=store, group_id=g.id) for g in listed},
        "log": log,
        "outbox": outbox,
    }


def pdf_text(path: Path) -> str:
    """A PDF's text, as poppler's ``pdftotext`` reads it; skipped, saying why, without it."""
    tool = shutil.which("pdftotext")
    if tool is None:
        print("skipped: pdftotext (poppler-utils) is not installed here")
        pytest.skip("pdftotext (poppler-utils) is not installed here")
    return subprocess.run([tool, str(path), "-"], capture_output=True, text=True, check=True).stdout


RecordProperty = Callable[[str, object], None]


def record_figures(record: RecordProperty, **figures: object) -> None:
    """What a reliability test found (its count and unit, lost, twice, …), for
    ``bench.reliability`` to print from pytest's JUnit XML."""
    for name, value in figures.items():
        record(name, value)


def forge(
    store: Store,
    group: str,
    kind: str,
    entity: str,
    action: str,
    payload: dict[str, Any],
    *,
    hlc: int | None = None,
    op_id: str | None = None,
    after: Op | None = None,
) -> Op:
    """An op signed with this laptop's key, bypassing every check its services make;
    next in its chain after ``after`` (another forged op), else after what it holds.
    """
    mine = [op for op in ops_of(store) if op.device == store.device_id and op.group == group]
    last = after or (mine[-1] if mine else None)
    return sign_op(
        store.identity.key,
        op_id=op_id or uuid7(),
        group=group,
        device=store.device_id,
        seq=last.seq + 1 if last else 1,
        prev=last.hash if last else None,
        hlc=hlc if hlc is not None else store.clock.now(),
        kind=kind,
        entity=entity,
        action=action,
        payload=payload,
    )
