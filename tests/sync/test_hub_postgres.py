"""The council hub at scale on real PostgreSQL: two hub processes, one database.

Eight laptops push concurrently through both hubs while readers page through the log
from both: every reader must see every op exactly once, in sequence order, with no
gap, even though pushes commit in an order no single process controls. Needs a
PostgreSQL URL in MOOT_TEST_PG_URL (``.ci/run`` sets one up); skips without it.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from app.services import discussions, groups
from app.store import Store
from sync.hub import service
from sync.hub import tables as t
from sync.hub.db import make_engine
from tests.hubs import (
    create_group,
    enrol,
    make_invite,
    migrate,
    own_ops,
    pg_url_or_skip,
    postgres_database,
    pull_all,
    pull_page,
    push,
    running_hub,
)
from tests.support import ops_of

LAPTOPS = 8
OPS_EACH = 150  # ops each laptop writes, then pushes
BATCH = (10, 30)  # ops per push, drawn at random in this range
READERS = 3
DEADLINE_S = 60.0  # the concurrent phase gives up (and fails) after this


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database of this test's own, migrated; dropped afterwards."""
    with postgres_database(pg_url_or_skip()) as url:
        migrate(url)  # once, before the hubs start: each would migrate an empty one as it starts
        yield url


@pytest.fixture
def two_hubs(pg_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two hub processes on the one database; their logs are checked for tracebacks."""
    logs = [tmp_path / "hub1.log", tmp_path / "hub2.log"]
    with ExitStack() as stack:
        hubs = tuple(stack.enter_context(running_hub(pg_url, log_path=log)) for log in logs)
        yield hubs[0], hubs[1]
    for log in logs:
        text = log.read_text(encoding="utf-8")
        assert "Traceback" not in text, f"{log.name}:\n{text[-4000:]}"


def write_ops(store: Store, group_id: str, count: int) -> list[dict[str, Any]]:
    """At least ``count`` ops by this laptop: a discussion and replies to it, as wire ops."""
    discussion, _post = discussions.start_discussion(
        store=store, group_id=group_id, title=f"From {store.device_id[:8]}", body="Hello all"
    )
    ops = own_ops(store, group_id)
    for i in range(count - len(ops)):
        discussions.reply(store=store, discussion_id=discussion, body=f"Reply {i}")
    ops = own_ops(store, group_id)
    assert len(ops) >= count
    return ops


@dataclass
class Reader:
    """What one reader saw, paging from both hubs while the pushers ran."""

    seen: list[tuple[int, str]] = field(default_factory=list)  # (seq, op id), as received
    errors: list[str] = field(default_factory=list)
    polls: int = 0
    polls_during_pushes: int = 0


def read_until_done(
    hubs: tuple[str, str],
    group_id: str,
    token: str,
    pushing_done: threading.Event,
    rnd: random.Random,
    deadline: float,
) -> Reader:
    reader = Reader()
    cursor = 0
    with requests.Session() as session:
        while True:
            if time.monotonic() > deadline:
                reader.errors.append(f"gave up at seq {cursor}: the deadline passed")
                return reader
            finished = pushing_done.is_set()  # before the request: its page is then final
            hub = hubs[reader.polls % 2]
            page = pull_page(
                hub,
                group_id,
                token,
                after=cursor,
                limit=rnd.choice((1, 7, 50, 200, 2000)),
                session=session,
            )
            reader.polls += 1
            reader.polls_during_pushes += not finished
            for entry in page["ops"]:
                if entry["seq"] != cursor + 1:
                    reader.errors.append(f"{hub}: after seq {cursor} came seq {entry['seq']}")
                cursor = entry["seq"]
                reader.seen.append((entry["seq"], entry["op"]["id"]))
            if cursor > page["head"]:
                reader.errors.append(f"{hub}: seq {cursor} is past the head {page['head']}")
            if finished and cursor == page["head"]:
                return reader


@dataclass
class Batch:
    hub: str
    ops: list[dict[str, Any]]
    results: list[dict[str, Any]]


def push_in_batches(
    hubs: tuple[str, str],
    group_id: str,
    token: str,
    ops: list[dict[str, Any]],
    rnd: random.Random,
    start: threading.Barrier,
) -> list[Batch]:
    """Push ``ops`` in order, in batches of random size, alternately to each hub."""
    batches: list[Batch] = []
    turn = rnd.randrange(2)
    start.wait()
    with requests.Session() as session:
        i = 0
        while i < len(ops):
            chunk = ops[i : i + rnd.randint(*BATCH)]
            hub = hubs[turn % 2]
            answer = push(hub, group_id, token, chunk, session=session)
            batches.append(Batch(hub, chunk, answer["results"]))
            i += len(chunk)
            turn += 1
    return batches


def first_refusal(pushed: list[list[Batch]]) -> str:
    """Where the first push that was not wholly accepted went, and what came before it."""
    for laptop, batches in enumerate(pushed):
        for k, batch in enumerate(batches):
            answered = zip(batch.ops, batch.results, strict=True)
            bad = [(op, r) for op, r in answered if r["status"] != "accepted"]
            if bad:
                op, result = bad[0]
                before = batches[k - 1] if k else None
                return (
                    f"laptop {laptop}: {batch.hub} answered {result['status']} "
                    f"({result.get('reason')}) for its op with device seq {op['seq']}; "
                    + (
                        f"its previous push, of device seqs {before.ops[0]['seq']}.."
                        f"{before.ops[-1]['seq']}, had just been accepted by {before.hub}"
                        if before
                        else "it was its first push"
                    )
                )
    return ""


def test_concurrent_pushes_through_two_hubs_reach_every_reader_once_in_order(
    pg_url: str, two_hubs: tuple[str, str], make_store: Callable[[str], Store]
) -> None:
    group_id = create_group(pg_url, "Riverside allotments")
    code = make_invite(pg_url, group_id, uses=LAPTOPS)
    laptops = [make_store(f"laptop{i}") for i in range(LAPTOPS)]

    # Everyone joins at once, half through each hub, on the one invitation.
    with ThreadPoolExecutor(LAPTOPS) as pool:
        joined = list(
            pool.map(
                lambda i: enrol(two_hubs[i % 2], code, laptops[i], name=f"Member {i}"),
                range(LAPTOPS),
            )
        )
    assert {gid for gid, _ in joined} == {group_id}
    tokens = [token for _, token in joined]
    before = pull_all(two_hubs[0], group_id, tokens[0])
    assert [e["seq"] for e in before] == list(range(1, len(before) + 1))
    joins = [e for e in before if (e["op"]["kind"], e["op"]["action"]) == ("member", "set_role")]
    assert {e["op"]["entity"] for e in joins} == {laptop.device_id for laptop in laptops}

    outgoing = [write_ops(laptop, group_id, OPS_EACH) for laptop in laptops]
    pushed_ids = [op["id"] for ops in outgoing for op in ops]
    assert len(set(pushed_ids)) == len(pushed_ids)

    started = time.monotonic()
    deadline = started + DEADLINE_S
    pushing_done = threading.Event()
    start = threading.Barrier(LAPTOPS)
    with ThreadPoolExecutor(LAPTOPS + READERS) as pool:
        readers = [
            pool.submit(
                read_until_done,
                two_hubs,
                group_id,
                tokens[r],
                pushing_done,
                random.Random(100 + r),
                deadline,
            )
            for r in range(READERS)
        ]
        pushers = [
            pool.submit(
                push_in_batches,
                two_hubs,
                group_id,
                tokens[i],
                outgoing[i],
                random.Random(i),
                start,
            )
            for i in range(LAPTOPS)
        ]
        try:
            pushed = [future.result(timeout=DEADLINE_S) for future in pushers]
        finally:
            pushing_done.set()
        seen_by = [future.result(timeout=DEADLINE_S) for future in readers]
    elapsed = time.monotonic() - started

    # Every push was accepted, each op once, with a sequence number of its own.
    results = [r for batches in pushed for batch in batches for r in batch.results]
    assert [r["id"] for r in results] == pushed_ids
    refused = [r for r in results if r["status"] != "accepted"]
    assert not refused, f"{len(refused)} ops not accepted; first: {first_refusal(pushed)}"
    accepted = {r["id"]: r["seq"] for r in results}
    assert len(set(accepted.values())) == len(accepted)

    # The log: what was there before, then every pushed op, numbered 1..head with no gap.
    head = len(before) + len(pushed_ids)
    log = pull_all(two_hubs[1], group_id, tokens[1], limit=333)
    assert [e["seq"] for e in log] == list(range(1, head + 1))
    assert log[: len(before)] == before
    in_log = {e["op"]["id"]: e["seq"] for e in log}
    assert {i: in_log[i] for i in pushed_ids} == accepted
    assert pull_all(two_hubs[0], group_id, tokens[0], limit=2000) == log

    # Every reader saw exactly that: each op once, in order, nothing skipped.
    expected = [(e["seq"], e["op"]["id"]) for e in log]
    for n, reader in enumerate(seen_by):
        assert not reader.errors, f"reader {n}: {reader.errors[:5]}"
        assert reader.seen == expected, f"reader {n}"
        assert reader.polls_during_pushes > 0, f"reader {n} only read after the pushes"
    assert elapsed < DEADLINE_S


def test_a_push_sent_again_is_a_duplicate_with_the_same_seq(
    pg_url: str, two_hubs: tuple[str, str], make_store: Callable[[str], Store]
) -> None:
    group_id = create_group(pg_url, "Tenants' association")
    laptop = make_store("laptop")
    _, token = enrol(two_hubs[0], make_invite(pg_url, group_id), laptop)
    ops = write_ops(laptop, group_id, 12)
    first, rest = ops[:8], ops[8:]

    sent = push(two_hubs[0], group_id, token, first)
    assert {r["status"] for r in sent["results"]} == {"accepted"}
    seqs = [r["seq"] for r in sent["results"]]
    assert seqs == list(range(sent["head"] - len(first) + 1, sent["head"] + 1))

    # The same push again, to the same hub and to the other one: nothing new is stored.
    for hub in two_hubs:
        again = push(hub, group_id, token, first)
        assert again["results"] == [
            {"id": op["id"], "status": "duplicate", "seq": seq}
            for op, seq in zip(first, seqs, strict=True)
        ]
        assert again["head"] == sent["head"]

    # A retry that overlaps new ops: the old ones are duplicates, the new ones follow on.
    mixed = push(two_hubs[1], group_id, token, first[-3:] + rest)
    assert [(r["status"], r["seq"]) for r in mixed["results"]] == [
        *(("duplicate", seq) for seq in seqs[-3:]),
        *(("accepted", sent["head"] + k) for k in range(1, len(rest) + 1)),
    ]
    assert mixed["head"] == sent["head"] + len(rest)

    log = pull_all(two_hubs[0], group_id, token)
    assert [e["seq"] for e in log] == list(range(1, mixed["head"] + 1))
    ids = [e["op"]["id"] for e in log]
    assert len(set(ids)) == len(ids)
    assert ids[-len(ops) :] == [op["id"] for op in ops]


def test_ops_the_log_holds_already_are_a_conflict_not_a_crash(
    pg_url: str, make_store: Callable[[str], Store]
) -> None:
    """The bulk copy into the log fails as an INSERT would, so the hub answers 409."""
    ann = make_store("ann")
    group = groups.create_group(store=ann, name="Allotments")
    mine = sorted(ops_of(ann), key=lambda op: op.seq)
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(insert(t.groups).values(id=group, name="Allotments", created_ms=0))
        service._append(conn, group, mine)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        service._append(conn, group, mine[:1])
    with engine.connect() as conn:
        held = conn.execute(select(func.count()).select_from(t.ops)).scalar_one()
    engine.dispose()
    assert held == len(mine)
