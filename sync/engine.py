"""One sync of a group with its hub: push the outbox, then pull what is new.

Each pushed batch is acknowledged in one local transaction; each pulled page is
applied, and the cursor moved past it, in one local transaction. Stopped at any point
(network gone, laptop closed, process killed), the next sync picks up where this one
stopped: pushes are idempotent on the hub and a page is either wholly applied or not.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import orjson

from app import hub_links
from app.apply import ingest, read_log
from app.codes import Code, code_of
from app.errors import Cancelled, ClockError, InvalidOp, MootError
from app.ops import Op, op_from_wire
from app.progress import Progress, quiet_if_none
from app.store import Store
from sync.client import HubClient, parse_page
from sync.errors import HubFailed, NotLinked, SyncError

PUSH_BATCH = 500
# Wire JSON per push, at most (a lone op larger goes alone): a hub takes 8 MiB a request,
# and a few papers, each up to 5.6 MB as text, must not make a push it always refuses.
PUSH_BYTES = 4 * 1024 * 1024
PAGE = 5_000

# What a sync reports it is doing; the window words them its own way.
SENDING = "Sending changes"
RECEIVING = "Receiving changes"
STOPPED = "Sync stopped; what was done so far is kept."


@dataclass(frozen=True)
class Rejection:
    """A change of this laptop's that the hub turned away for good, and why."""

    op_id: str
    code: Code
    reason: str


@dataclass
class SyncResult:
    group_id: str
    pushed: int = 0
    pulled: int = 0
    rejected: int = 0
    rejections: list[Rejection] | None = None
    # Changes the hub refused for now, kept in the outbox for a later sync (a clock
    # ahead of the hub's, say): the person may have something to put right.
    held: list[Rejection] | None = None
    requests: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0


def sync_group(
    store: Store,
    group_id: str,
    *,
    client: HubClient | None = None,
    progress: Progress | None = None,
) -> SyncResult:
    """Push, then pull; ``progress`` may stop it between (or just before) commits."""
    progress = quiet_if_none(progress)
    with store.read() as db:
        link = hub_links.get_link(db, store.sealer, group_id)
    if link is None:
        raise NotLinked("This group is not connected to a hub on this laptop.")
    client = client or HubClient(link.hub_url, link.token)
    result = SyncResult(group_id)
    try:
        _push(store, client, group_id, result, progress)
        _pull(store, client, group_id, (link.cursor, link.cursor_op), result, progress)
    except Cancelled:
        stopped = Cancelled(STOPPED)
        with store.write() as db:
            hub_links.record_outcome(db, group_id, stopped)
        raise stopped from None
    except MootError as exc:
        with store.write() as db:
            hub_links.record_outcome(db, group_id, exc)
        raise
    finally:
        result.requests = client.requests
        result.bytes_sent, result.bytes_received = client.bytes_sent, client.bytes_received
    with store.write() as db:
        hub_links.record_outcome(db, group_id, None)
    if result.pulled:
        store.notify({group_id})
    return result


def _push(
    store: Store,
    client: HubClient,
    group_id: str,
    result: SyncResult,
    progress: Progress,
) -> None:
    with store.read() as db:
        total = hub_links.outbox_size(db, group_id)
    skipped: set[str] = set()
    while True:
        progress.check()
        with store.read() as db:
            batch = hub_links.outbox(
                db, store.sealer, group_id, PUSH_BATCH, skip=skipped, max_chars=PUSH_BYTES
            )
        if not batch:
            return
        # Cut again by the bytes sent: text other than ASCII takes more than a byte a letter.
        wire = _within_bytes([op.to_wire() for op in batch], PUSH_BYTES)
        batch = batch[: len(wire)]
        answers = client.push(group_id, wire).results
        if len(answers) != len(batch):
            raise HubFailed("The hub's answer to a push could not be understood.")
        done, dropped = [], []
        for op, one in zip(batch, answers, strict=True):
            if one.status in ("accepted", "duplicate"):
                done.append(op.id)
            elif one.retry:
                skipped.add(op.id)  # stays in the outbox for a later sync
                why = Rejection(op.id, code_of(one.code, Code.REFUSED), one.reason or "")
                result.held = [*(result.held or []), why]
            else:
                dropped.append(op.id)
                why = Rejection(op.id, code_of(one.code, Code.REFUSED), one.reason or "")
                result.rejections = [*(result.rejections or []), why]
        with store.write() as db:
            hub_links.acknowledge(db, done + dropped)
        result.pushed += len(done)
        result.rejected += len(dropped)
        progress.report(result.pushed + result.rejected, total, SENDING)
        # Ops that wait for others stay skipped; the loop goes on past them, and ends
        # once every op in the outbox was sent or skipped.


def _within_bytes(wire_ops: list[dict[str, Any]], most: int) -> list[dict[str, Any]]:
    """The first ops whose JSON comes to at most ``most`` bytes; the first op always."""
    size = 0
    for n, wire in enumerate(wire_ops):
        size += len(orjson.dumps(wire)) + 1
        if size > most and n > 0:
            return wire_ops[:n]
    return wire_ops


@dataclass
class _Page:
    ops: list[Op]
    seqs: list[int]
    head: int


def _read_page(raw: bytes) -> _Page:
    """Decode and check a page of the hub's log; raises HubFailed if it is not well formed."""
    page = parse_page(raw)
    entries, head = page.get("ops"), page.get("head")
    if not isinstance(entries, list) or not isinstance(head, int):
        raise HubFailed("The hub's answer to a pull could not be understood.")
    try:
        ops = [op_from_wire(e["op"]) for e in entries]
        seqs = [int(e["seq"]) for e in entries]
    except (InvalidOp, KeyError, TypeError, ValueError) as exc:
        raise HubFailed(f"The hub sent a change that is not well formed: {exc}") from None
    for op in ops:
        # The chain check needs each op's hash; it is cached on the op, so working it
        # out here moves it to the thread that decodes beside the commit.
        op.hash  # noqa: B018
    return _Page(ops, seqs, head)


def _pull(
    store: Store,
    client: HubClient,
    group_id: str,
    cursor: tuple[int, str | None],
    result: SyncResult,
    progress: Progress,
) -> None:
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="moot-pull") as fetcher:
        committing = threading.Event()
        try:
            _pull_pages(store, client, group_id, cursor, result, progress, fetcher, committing)
        finally:
            committing.set()  # a fetch still waiting for it must not hold up the shutdown


def _pull_pages(
    store: Store,
    client: HubClient,
    group_id: str,
    cursor_at: tuple[int, str | None],
    result: SyncResult,
    progress: Progress,
    fetcher: ThreadPoolExecutor,
    committing: threading.Event,
) -> None:
    """Apply page after page; the next page is fetched while this one is applied.

    The next page is decoded only once this one starts to commit: decoding holds the
    interpreter and a commit does not, so the two run side by side instead of taking
    turns with the apply.

    The first page starts one op early, at the cursor itself, where the op last pulled
    must still stand: the hub's log was restored from an older backup if it does not,
    even once newer changes have carried the log past the cursor again.
    """

    def fetch_ahead(after: int) -> _Page:
        raw = client.pull_raw(group_id, after=after, limit=PAGE)
        committing.wait()
        return _read_page(raw)

    cursor, cursor_op = cursor_at
    start = cursor
    ahead: Future[_Page] | None = None
    while True:
        progress.check()
        if ahead is None:
            overlap = 1 if cursor_op is not None and cursor > 0 else 0
            page = _read_page(client.pull_raw(group_id, after=cursor - overlap, limit=PAGE))
            rewound = page.head < cursor
            if overlap and not rewound:
                # Another op at the cursor: the log was rewound, then grew again.
                rewound = page.seqs[:1] != [cursor] or page.ops[0].id != cursor_op
                page = _Page(page.ops[1:], page.seqs[1:], page.head)
                if not rewound and not page.ops and page.head > cursor:
                    # The page's size limit let in the overlapping op alone.
                    page = _read_page(client.pull_raw(group_id, after=cursor, limit=PAGE))
        else:
            page = ahead.result()
            rewound = page.head < cursor
        ahead = None
        if rewound:
            # The hub's log is not the one this laptop pulled: it was restored from a
            # backup. Pull it all again (duplicates are ignored) and send it everything
            # this laptop holds, so nothing acknowledged before is lost.
            with store.write() as db:
                hub_links.advance_cursor(db, group_id, 0)
                hub_links.queue(db, [op.id for op in read_log(db, store.sealer, group_id)])
            cursor, cursor_op, start = 0, None, 0
            continue
        if not page.ops:
            return
        seqs = page.seqs
        if seqs != list(range(cursor + 1, cursor + 1 + len(seqs))):
            raise HubFailed("The hub's log skipped or repeated changes; try again later.")
        if seqs[-1] < page.head:
            committing.clear()
            ahead = fetcher.submit(fetch_ahead, seqs[-1])
        try:
            with store.write() as db:
                # Stopped while waiting for the write lock: the page is not applied.
                progress.check()
                # Judged "too far ahead" by the clock that stamps this laptop's changes.
                now = store.clock.wall_ms()
                applied = ingest(db, page.ops, sealer=store.sealer, now_ms=now)
                hub_links.advance_cursor(db, group_id, seqs[-1], page.ops[-1].id)
                committing.set()
        except ClockError as exc:
            raise SyncError(
                f"Changes from the hub were refused: {exc}.", code=Code.CLOCK_BEHIND
            ) from None
        except InvalidOp as exc:
            raise HubFailed(f"The hub sent a change this laptop refuses: {exc}") from None
        store.clock.observe(applied.max_hlc)
        cursor, cursor_op = seqs[-1], page.ops[-1].id
        result.pulled += applied.received
        progress.report(cursor - start, max(page.head - start, 1), RECEIVING)
        if cursor >= page.head:
            return
