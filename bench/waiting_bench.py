"""What ops left waiting cost everything else: a local reply, and freeing one of them.

Run from the repository root:

    .venv/bin/python -m bench.waiting_bench [--waiting 0 1000 10000] [--replies 200]

For each count W it makes a group on a fresh profile (the founder's) and hands it W
replies a member wrote in W discussions whose openings never arrived, so each reply
waits for its own discussion. Then it times, and prints, on that profile:

- a local reply in a discussion of the founder's (made, signed, applied, committed),
  the median of ``--replies``;
- the arrival of one missing opening, which frees the one reply waiting for it;

and, as the baseline measured in the same run, a raw ``sqlite3`` insert and commit
of one row in a file beside it. Ratios are against the run with no op waiting. It
prints figures and never fails on time; it exits non-zero only if an op that should
have taken effect did not.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from app.apply import ingest
from app.identity import DeviceIdentity
from app.ids import uuid7
from app.ops import Op, sign_op
from app.services import discussions, groups, members
from app.store import Store, open_store


class Chain:
    """A member's ops, signed and linked as their laptop would make them."""

    def __init__(self, identity: DeviceIdentity, group: str, start: int) -> None:
        self.identity, self.group = identity, group
        self.seq, self.hlc = 0, start
        self.prev: str | None = None

    def op(self, kind: str, entity: str | None, action: str, payload: dict[str, object]) -> Op:
        op_id = uuid7()
        self.seq += 1
        self.hlc += 1
        op = sign_op(
            self.identity.key,
            op_id=op_id,
            group=self.group,
            device=self.identity.device_id,
            seq=self.seq,
            prev=self.prev,
            hlc=self.hlc,
            kind=kind,
            entity=entity or op_id,
            action=action,
            payload=payload,
        )
        self.prev = op.hash
        return op


def _deliver(store: Store, ops: Sequence[Op]) -> int:
    with store.write() as db:
        result = ingest(db, ops, sealer=store.sealer)
    store.clock.observe(result.max_hlc)
    return result.applied


def run_one(folder: Path, waiting: int, replies: int) -> tuple[float, float, bool]:
    """(median local reply s, freeing one s, every op took effect as it should)."""
    store = open_store(folder / f"w{waiting}", use_keyring=False)
    try:
        group_id = groups.create_group(store=store, name="Ashby Parish")
        [category] = [c.id for c in groups.list_categories(store=store, group_id=group_id)][:1]
        member = DeviceIdentity.generate()
        members.admit(store=store, group_id=group_id, device=member.device_id)
        chain = Chain(member, group_id, store.clock.now())
        openings: list[Op] = []
        orphans: list[Op] = []
        for i in range(waiting + 1):
            fields: dict[str, object] = {"title": f"Lane {i}", "category_id": category}
            opening = chain.op("discussion", None, "create", fields)
            openings.append(opening)
            orphans.append(
                chain.op("post", None, "create", {"discussion_id": opening.id, "body": "Yes"})
            )
        # W replies wait for good; one more waits for the opening the timing delivers.
        _deliver(store, orphans)
        own, _ = discussions.start_discussion(
            store=store, group_id=group_id, title="Bins", body="Tuesday?"
        )
        times = []
        for i in range(replies):
            start = time.perf_counter()
            discussions.reply(store=store, discussion_id=own, body=f"Reply {i}")
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        freed = _deliver(store, [openings[-1]])
        free_s = time.perf_counter() - start
        with store.read() as db:
            (still,) = db.execute("SELECT COUNT(*) FROM ops WHERE state = 0").fetchone()
        return statistics.median(times), free_s, freed == 2 and still == waiting
    finally:
        store.close()


def raw_insert(folder: Path, count: int) -> float:
    db = sqlite3.connect(folder / "raw.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT)")
    times = []
    for i in range(count):
        start = time.perf_counter()
        with db:
            db.execute("INSERT INTO t VALUES (?, ?)", (uuid7(), f"Reply {i}"))
        times.append(time.perf_counter() - start)
    db.close()
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--waiting", type=int, nargs="+", default=[0, 1_000, 10_000])
    parser.add_argument("--replies", type=int, default=200, help="local replies timed")
    args = parser.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        raw = raw_insert(folder, args.replies)
        print(f"baseline  raw sqlite3 insert + commit of one row: {raw * 1e3:.2f} ms (median)")
        print(f"{'waiting':>8} {'local reply':>12} {'x raw':>6} {'x none':>7} {'free one':>9}")
        base: float | None = None
        for waiting in args.waiting:
            reply_s, free_s, right = run_one(folder, waiting, args.replies)
            base = reply_s if base is None else base
            print(
                f"{waiting:>8,} {reply_s * 1e3:>9.2f} ms {reply_s / raw:>6.1f}"
                f" {reply_s / base:>7.2f} {free_s * 1e3:>6.1f} ms{'' if right else '  WRONG'}"
            )
            ok = ok and right
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
