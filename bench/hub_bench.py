"""How a council hub copes with a big group: upload, bootstrap, idle syncs, many laptops.

Run from the repository root:

    .venv/bin/python -m bench.hub_bench [--ops 100000] [--postgres URL] [--profile]

It builds one group's signed history with ``bench.apply_bench`` (outside every
timing), applies it to the founder's laptop and connects the group to real
``moot-hub serve`` processes on 127.0.0.1, then times and prints:

- hub ingest: the founder's laptop pushes the whole history in 2,000-op requests
  (what ``connect_hub`` does, in bigger batches) over HTTP, and the same pushes
  straight into ``sync.hub.service`` in this process, for comparison;
- bootstrap: a new laptop, a process of its own (``bench.join_probe``), joins with an
  invitation and pulls the whole group (``sync.hubs.join_hub``: hub read, transfer,
  chain and signature checks, apply, search index), once directly and once through a
  counting TCP relay that measures the bytes really on the wire, headers included;
  then where the time goes: the pulls alone over HTTP, the same pages served in this
  process (no network), and the pulled ops parsed and applied alone, against a local
  apply of the same history;
- a sync when nothing changed: requests and bytes on the wire, and its time;
- many laptops at once: light laptops (a device key, a hub token and signed ops made
  beforehand) each sync a few times (push a few ops, pull up to the head) from a
  thread pool, against one hub on SQLite and against two hub processes sharing one
  PostgreSQL database; request latency p50/p99, retries, errors, and the CPU the hubs,
  the laptops and the whole machine used. No laptop begins a sync after
  ``--deadline`` seconds, so a hub that stalls cannot hold the run for long.

Bytes on the wire are counted by a TCP relay on loopback that the laptop talks to
instead of the hub (request and status lines, headers, gzipped bodies, both ways);
``HubClient``'s own counters are shown beside them. CPU times come from /proc (Linux).

With ``--postgres URL`` (or ``MOOT_TEST_PG_URL``) the ingest and many-laptops runs
also happen on a fresh PostgreSQL database made through that URL (its role needs
CREATEDB), dropped afterwards. ``--profile`` adds cProfile tables of the hub's push
and pull, run in this process.

It prints figures and never fails on time; it exits non-zero only if a result is
wrong (an op refused or lost, a gap in a pulled log, a laptop's state incomplete).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import gzip
import itertools
import json
import math
import os
import pstats
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from fastapi.routing import APIRoute

from app import hub_links
from app.apply import ingest, read_log, read_membership
from app.clock import pack, wall_ms
from app.identity import DeviceIdentity
from app.ids import uuid7
from app.ops import op_from_wire, sign_op
from app.services import members
from app.services.search import search
from app.store import Store, open_store
from bench.apply_bench import (
    SEARCH_WORD,
    Check,
    Profiles,
    Prose,
    Workload,
    apply_one_call,
    build_workload,
    print_profile_table,
    print_workload,
)
from sync.client import HubClient, make_session, parse_page
from sync.engine import PAGE, PUSH_BATCH, sync_group
from sync.errors import SyncError
from sync.hub import service
from sync.hub.api import GZIP_LEVEL, create_app
from sync.hub.db import make_engine, migrate
from sync.hub.keys import load_hub_identity
from sync.hub.local import (
    hub_cli,
    make_invite,
    postgres_database,
    running_hub,
    sqlite_url,
)
from sync.hub.local import migrate as migrate_db
from sync.hub.settings import HubSettings, default_key_file
from sync.proofs import join_message, register_message, sign
from sync.protocol import PROTOCOL, PROTOCOL_HEADER

PG_URL_VARIABLE = "MOOT_TEST_PG_URL"  # as .ci/run sets it
GOAL_BOOTSTRAP_S = 8.0
GOAL_IDLE_REQUESTS = 1
GOAL_IDLE_BYTES = 1024
GOAL_HUB_OPS_PER_S = 5_000
# The most a hub takes per push request.
PUSH_OPS = HubSettings(db_url="", key_file=Path()).max_push_ops
GROUP_NAME = "Ashcombe Residents' Association"
GZIP_SAMPLE_PAGES = 8
IN_PROCESS = "http://in-process.invalid"  # the address proofs name when no HTTP is involved


def _goal(met: bool) -> str:
    return "met" if met else "NOT met"


def _size(n: float) -> str:
    if n < 10 * 1024:
        return f"{n:,.0f} B"
    if n < 1024 * 1024:
        return f"{n / 1024:,.1f} KiB"
    return f"{n / (1024 * 1024):,.1f} MiB"


def _pct(samples: Sequence[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _headers(token: str) -> dict[str, str]:
    return {
        PROTOCOL_HEADER: str(PROTOCOL),
        "Accept-Encoding": "gzip",
        "Authorization": f"Bearer {token}",
    }


# --- bytes on the wire --------------------------------------------------------------


class CountingProxy:
    """A TCP relay on 127.0.0.1 that counts every byte each way: headers, bodies, all."""

    def __init__(self, target_url: str) -> None:
        target = urlsplit(target_url)
        self.target = (target.hostname or "127.0.0.1", target.port or 80)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.up = 0  # laptop -> hub
        self.down = 0  # hub -> laptop
        self.connections = 0
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> tuple[int, int, int]:
        """(bytes up, bytes down, connections opened) since the last reset."""
        with self._lock:
            counts = (self.up, self.down, self.connections)
            self.up = self.down = self.connections = 0
            return counts

    def close(self) -> None:
        self._closed.set()
        self.listener.close()
        with self._lock:
            for sock in self._sockets:
                sock.close()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                laptop, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            hub = socket.create_connection(self.target)
            for sock in (laptop, hub):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self.connections += 1
                self._sockets += [laptop, hub]
            threading.Thread(target=self._pump, args=(laptop, hub, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(hub, laptop, False), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, upward: bool) -> None:
        buffer = bytearray(1 << 18)
        view = memoryview(buffer)
        try:
            while n := src.recv_into(buffer):
                dst.sendall(view[:n])
                with self._lock:
                    if upward:
                        self.up += n
                    else:
                        self.down += n
        except OSError:
            pass
        finally:
            with suppress(OSError):
                dst.shutdown(socket.SHUT_WR)


# --- CPU time --------------------------------------------------------------------


def _proc_cpu(match: Callable[[list[str]], bool]) -> float | None:
    """CPU seconds used so far by the live processes whose command line ``match`` accepts.

    Linux only (read from /proc); None elsewhere or if none matches.
    """
    proc = Path("/proc")
    if not proc.is_dir():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    total, found = 0.0, False
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            if not match(argv):
                continue
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(stat[11]) + int(stat[12])) / tick  # utime, stime
        found = True
    return total if found else None


def _machine_cpu() -> float | None:
    """CPU seconds the whole machine has been busy (Linux: /proc/stat), else None."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    busy = sum(int(v) for i, v in enumerate(fields[:8]) if i not in (3, 4))  # not idle, iowait
    return busy / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds spent since it was made: by the hub processes on ``db_url``, by this
    process (the laptops), and by the whole machine (so also PostgreSQL and the OS)."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.start = (self._hubs(), time.process_time(), _machine_cpu())

    def _hubs(self) -> float | None:
        return _proc_cpu(lambda argv: self.db_url in argv and "serve" in argv)

    def read(self) -> tuple[float | None, float, float | None]:
        """(hub processes, this process, whole machine) CPU seconds since made."""
        now = (self._hubs(), time.process_time(), _machine_cpu())
        hub = None if now[0] is None or self.start[0] is None else now[0] - self.start[0]
        machine = None if now[2] is None or self.start[2] is None else now[2] - self.start[2]
        return hub, now[1] - self.start[1], machine


def _cpu(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds:.2f} s"


# --- putting the history on a hub ---------------------------------------------------


@dataclass
class Upload:
    label: str
    seconds: float
    request_s: list[float]
    statuses: Counter[str]
    goal: bool = True  # the hub-ingest goal applies (not to the in-process comparison)

    @property
    def ops(self) -> int:
        return sum(self.statuses.values())

    @property
    def ops_per_s(self) -> float:
        return self.ops / self.seconds


def register_group(base_url: str, db_url: str, laptop: Store, group_id: str) -> str:
    """What ``connect_hub`` does before it uploads: admit the hub, register. The token."""
    client = HubClient(base_url)
    hub = client.info()
    members.admit(
        store=laptop,
        group_id=group_id,
        device=hub.device,
        role="organiser",
        display_name=hub.name or "Council hub",
    )
    code = str(hub_cli(db_url, "registration-code")["code"])
    stamp = wall_ms()
    message = register_message(hub.device, client.base_url, group_id, code, stamp)
    return client.register(
        code=code,
        group_id=group_id,
        name=GROUP_NAME,
        device=laptop.device_id,
        proof=sign(laptop.identity.key, message),
        stamp_ms=stamp,
        membership=membership_wire(laptop, group_id),
    )


def membership_wire(laptop: Store, group_id: str) -> list[dict[str, Any]]:
    with laptop.read() as db:
        return [op.to_wire() for op in read_membership(db, laptop.sealer, group_id)]


def log_wire(laptop: Store, group_id: str) -> list[dict[str, Any]]:
    with laptop.read() as db:
        return [op.to_wire() for op in read_log(db, laptop.sealer, group_id)]


def push_history(
    base_url: str, token: str, group_id: str, wire: Sequence[dict[str, Any]], label: str
) -> Upload:
    """Push every op in ``PUSH_OPS``-op requests through ``HubClient`` (gzip and all)."""
    client = HubClient(base_url, token)
    statuses: Counter[str] = Counter()
    request_s: list[float] = []
    gc.collect()
    start = time.perf_counter()
    for batch in _batches(wire, PUSH_OPS):
        t0 = time.perf_counter()
        answer = client.push(group_id, list(batch))
        request_s.append(time.perf_counter() - t0)
        statuses.update(r.status for r in answer.results)
    return Upload(label, time.perf_counter() - start, request_s, statuses)


def push_in_process(
    db_url: str,
    laptop: Store,
    group_id: str,
    wire: Sequence[dict[str, Any]],
    prof: cProfile.Profile | None = None,
) -> Upload:
    """The same pushes straight into ``sync.hub.service`` on a database of their own."""
    engine = make_engine(db_url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            code = service.registration_code(conn)
            hub, stamp = load_hub_identity(conn, default_key_file(db_url)), wall_ms()
            service.register(
                conn,
                code=code,
                group_id=group_id,
                name=GROUP_NAME,
                device=laptop.device_id,
                proof=sign(
                    laptop.identity.key,
                    register_message(hub.device_id, IN_PROCESS, group_id, code, stamp),
                ),
                stamp_ms=stamp,
                hub=hub,
                hub_url=IN_PROCESS,
                membership=membership_wire(laptop, group_id),
            )
        statuses: Counter[str] = Counter()
        request_s: list[float] = []
        gc.collect()
        if prof:
            prof.enable()
        start = time.perf_counter()
        for batch in _batches(wire, PUSH_OPS):
            t0 = time.perf_counter()
            with engine.begin() as conn:
                results = service.push(conn, group_id=group_id, wire_ops=list(batch))
            request_s.append(time.perf_counter() - t0)
            statuses.update(r.status for r in results)
        seconds = time.perf_counter() - start
        if prof:
            prof.disable()
    finally:
        engine.dispose()
    label = "same, in process (service.push, no HTTP)"
    return Upload(label, seconds, request_s, statuses, goal=False)


def parse_alone(wire: Sequence[dict[str, Any]]) -> float:
    """Seconds for ``op_from_wire`` over every op (shape check, payload hash)."""
    start = time.perf_counter()
    for one in wire:
        op_from_wire(one)
    return time.perf_counter() - start


# --- bootstrap ----------------------------------------------------------------------


@dataclass
class Bootstrap:
    label: str
    seconds: float
    pulled: int
    requests: int
    client_sent: int  # as HubClient counts: bodies and header fields, roughly
    client_received: int  # Content-Length of the (gzipped) answers
    store: Store
    token: str
    cpu: tuple[float | None, float, float | None]  # hub, laptop, machine
    wire: tuple[int, int, int] | None = None  # bytes up, bytes down, connections


def bootstrap(
    profiles: Profiles,
    hub_url: str,
    db_url: str,
    code: str,
    label: str,
    proxy: CountingProxy | None = None,
) -> Bootstrap:
    """A new laptop joins with ``code`` and takes in the whole group, timed.

    The laptop is a process of its own (``bench.join_probe``); its profile is opened
    here afterwards, for the checks and the idle syncs.
    """
    folder = profiles.root / f"new-laptop-{next(_new_laptops)}"
    gc.collect()
    if proxy:
        proxy.reset()
    cpu = CpuMeter(db_url)
    done = subprocess.run(
        [sys.executable, "-m", "bench.join_probe", hub_url, code, str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    hub_cpu, _, machine_cpu = cpu.read()
    if done.returncode != 0:
        raise RuntimeError(f"the joining laptop failed:\n{done.stderr}")
    joined = json.loads(done.stdout.strip().splitlines()[-1])
    return Bootstrap(
        label,
        joined["seconds"],
        joined["pulled"],
        joined["requests"],
        joined["bytes_sent"],
        joined["bytes_received"],
        open_store(folder, use_keyring=False),
        joined["token"],
        (hub_cpu, joined["cpu"], machine_cpu),
        proxy.reset() if proxy else None,
    )


_new_laptops = itertools.count(1)


@dataclass
class IdleSync:
    requests: int
    client_bytes: int
    wire: tuple[int, int, int]
    pushed: int
    pulled: int
    ms: list[float]
    outbox_ms: list[float]  # the laptop's own outbox look-ups, as the push step makes them


def idle_syncs(store: Store, group_id: str, proxy: CountingProxy, times: int = 5) -> IdleSync:
    """``sync_group`` when nothing changed, as ``moot sync`` runs it (a client of its own)."""
    first: IdleSync | None = None
    ms: list[float] = []
    outbox_ms: list[float] = []
    for _ in range(times):
        start = time.perf_counter()
        with store.read() as db:
            hub_links.outbox_size(db, group_id)
            hub_links.outbox(db, store.sealer, group_id, PUSH_BATCH)
        outbox_ms.append((time.perf_counter() - start) * 1000)
        proxy.reset()
        start = time.perf_counter()
        result = sync_group(store, group_id)
        ms.append((time.perf_counter() - start) * 1000)
        if first is None:
            first = IdleSync(
                result.requests,
                result.bytes_sent + result.bytes_received,
                proxy.reset(),
                result.pushed,
                result.pulled,
                ms,
                outbox_ms,
            )
    assert first is not None
    return first


# --- where a bootstrap's time goes ------------------------------------------------


@dataclass
class PullRun:
    seconds: float = 0.0
    http_s: float = 0.0  # request sent to last compressed byte in: hub work + transfer
    gunzip_s: float = 0.0
    json_s: float = 0.0
    pages: int = 0
    gz_bytes: int = 0
    raw_bytes: int = 0
    entries: list[dict[str, Any]] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)  # a sample of uncompressed pages
    gaps: int = 0


def pull_over_http(base_url: str, group_id: str, token: str, *, keep: bool) -> PullRun:
    """Page through the whole log as the sync engine does, without applying anything."""
    run = PullRun()
    session = requests.Session()
    url = f"{base_url}/v1/groups/{group_id}/ops"
    bodies: list[bytes] = []
    after = 0
    gc.collect()
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        answer = session.get(
            url,
            params={"after": after, "limit": PAGE},
            headers=_headers(token),
            timeout=60,
            stream=True,
        )
        answer.raise_for_status()
        raw = answer.raw.read(decode_content=False)
        t1 = time.perf_counter()
        zipped = answer.headers.get("Content-Encoding") == "gzip"
        body = gzip.decompress(raw) if zipped else raw
        t2 = time.perf_counter()
        page = parse_page(body)  # as the laptop decodes a page
        t3 = time.perf_counter()
        run.http_s += t1 - t0
        run.gunzip_s += t2 - t1
        run.json_s += t3 - t2
        run.pages += 1
        run.gz_bytes += len(raw)
        run.raw_bytes += len(body)
        entries = page["ops"]
        if keep:
            run.entries.extend(entries)
            bodies.append(body)
        if not entries:
            break
        seqs = [e["seq"] for e in entries]
        if seqs != list(range(after + 1, after + 1 + len(seqs))):
            run.gaps += 1
        after = seqs[-1]
        if after >= page["head"]:
            break
    run.seconds = time.perf_counter() - start
    session.close()
    step = max(1, len(bodies) // GZIP_SAMPLE_PAGES)
    run.bodies = bodies[::step][:GZIP_SAMPLE_PAGES]
    return run


async def _asgi_get(app: Any, path: str, query: str, headers: list[tuple[bytes, bytes]]) -> bytes:
    """One GET through the hub's ASGI app in this process; the body as sent."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    delivered = False
    chunks: list[bytes] = []
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    if status != 200:
        raise RuntimeError(f"in-process GET {path}?{query} answered {status}")
    return b"".join(chunks)


@dataclass
class Served:
    route_s: float  # the whole route in process: auth, DB, splice, gzip
    service_s: float  # service.pull alone: the DB read and the page spliced from it
    pages: int


def serve_in_process(db_url: str, group_id: str, token: str, head: int) -> Served:
    """The hub's work for every page of a bootstrap, without a network or a laptop."""
    app = create_app(HubSettings(db_url=db_url, key_file=default_key_file(db_url)))
    headers = [(k.lower().encode(), v.encode()) for k, v in _headers(token).items()]
    path = f"/v1/groups/{group_id}/ops"
    afters = list(range(0, head, PAGE))

    async def all_pages() -> float:
        spent = 0.0
        for after in afters:
            t0 = time.perf_counter()
            await _asgi_get(app, path, f"after={after}&limit={PAGE}", headers)
            spent += time.perf_counter() - t0
        return spent

    gc.collect()
    route_s = asyncio.run(all_pages())
    engine = make_engine(db_url)
    service_s = 0.0
    try:
        for after in afters:
            t0 = time.perf_counter()
            with engine.begin() as conn:
                service.pull(conn, group_id=group_id, after=after, limit=PAGE)
            service_s += time.perf_counter() - t0
    finally:
        engine.dispose()
    return Served(route_s, service_s, len(afters))


def profile_pull(
    db_url: str, group_id: str, token: str, head: int
) -> tuple[cProfile.Profile, float]:
    """Every page of a bootstrap through the pull route's own function, its reply turned
    into JSON and gzipped as the hub's middleware does, in this thread (so cProfile sees
    it all; FastAPI would run the route in a worker thread)."""
    app = create_app(HubSettings(db_url=db_url, key_file=default_key_file(db_url)))
    route = next(
        r
        for r in app.routes
        if isinstance(r, APIRoute) and r.path.endswith("/ops") and "GET" in (r.methods or ())
    )
    pull = route.endpoint
    prof = cProfile.Profile()
    gc.collect()
    start = time.perf_counter()
    prof.enable()
    for after in range(0, head, PAGE):
        reply = pull(group_id, authorization=f"Bearer {token}", after=after, limit=PAGE)
        gzip.compress(reply.model_dump_json().encode(), compresslevel=GZIP_LEVEL)
    prof.disable()
    return prof, time.perf_counter() - start


@dataclass
class GzipCost:
    level: int
    seconds: float  # scaled to every page
    ratio: float


def gzip_costs(run: PullRun) -> list[GzipCost]:
    """What compressing every page would cost at a few levels (from a sample of pages)."""
    sample = sum(len(b) for b in run.bodies)
    if not sample:
        return []
    scale = run.raw_bytes / sample
    costs = []
    for level in (9, 6, 1):
        start = time.perf_counter()
        packed = sum(len(gzip.compress(b, compresslevel=level)) for b in run.bodies)
        costs.append(GzipCost(level, (time.perf_counter() - start) * scale, sample / packed))
    return costs


@dataclass
class ClientApply:
    parse_s: float
    ingest_s: float
    ops: int


def apply_pages(profiles: Profiles, entries: Sequence[dict[str, Any]]) -> ClientApply:
    """Pulled pages parsed and ingested into a fresh laptop, a transaction a page."""
    store = profiles.fresh(as_founder=False)
    parse_s = ingest_s = 0.0
    gc.collect()
    for page in _batches(entries, PAGE):
        t0 = time.perf_counter()
        ops = [op_from_wire(e["op"]) for e in page]
        t1 = time.perf_counter()
        with store.write() as db:
            ingest(db, ops, sealer=store.sealer)
        ingest_s += time.perf_counter() - t1
        parse_s += t1 - t0
    profiles.discard(store)
    return ClientApply(parse_s, ingest_s, len(entries))


# --- many laptops at once ---------------------------------------------------------


@dataclass
class Laptop:
    identity: DeviceIdentity
    hub_url: str
    token: str = ""
    ops: list[dict[str, Any]] = field(default_factory=list)
    pushed: int = 0
    cursor: int = 0
    seen: set[str] = field(default_factory=set)
    push_ms: list[float] = field(default_factory=list)
    pull_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    retries: int = 0
    skipped: int = 0  # syncs not begun before the deadline
    pulled: int = 0  # ops pulled
    received: int = 0  # bytes of (gzipped) answers in the timed syncs, as HubClient counts


def _count_retries(laptop: Laptop, session: requests.Session) -> None:
    """Count the attempts the client's own retries hid (503 busy, dropped connections)."""

    def hook(response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        retry = getattr(response.raw, "retries", None)
        laptop.retries += len(getattr(retry, "history", ()) or ())

    session.hooks["response"].append(hook)


def join_laptops(
    hub_urls: Sequence[str], code: str, group_id: str, count: int, discussion_id: str, ops: int
) -> tuple[list[Laptop], list[float]]:
    """Light laptops: a key, a token from the hub, ``ops`` signed posts ready to push."""
    prose = Prose(random.Random(11))
    laptops: list[Laptop] = []
    join_ms: list[float] = []
    hubs = {url: HubClient(url).info().device for url in hub_urls}
    for i in range(count):
        laptop = Laptop(DeviceIdentity.generate(), hub_urls[i % len(hub_urls)])
        client = HubClient(laptop.hub_url)
        start = time.perf_counter()
        stamp = wall_ms()
        answer = client.join(
            code=code,
            device=laptop.identity.device_id,
            proof=sign(
                laptop.identity.key,
                join_message(hubs[laptop.hub_url], client.base_url, code, stamp),
            ),
            stamp_ms=stamp,
            name=prose.person(),
        )
        join_ms.append((time.perf_counter() - start) * 1000)
        client.session.close()
        laptop.token = answer.token
        laptops.append(laptop)
    stamp = pack(wall_ms())
    for laptop in laptops:
        prev: str | None = None
        for seq in range(1, ops + 1):
            op_id = uuid7()
            op = sign_op(
                laptop.identity.key,
                op_id=op_id,
                group=group_id,
                device=laptop.identity.device_id,
                seq=seq,
                prev=prev,
                hlc=stamp + seq,
                kind="post",
                entity=op_id,
                action="create",
                payload={"discussion_id": discussion_id, "body": prose.body()},
            )
            prev = op.hash
            laptop.ops.append(op.to_wire())
    return laptops, join_ms


def sync_laptop(laptop: Laptop, client: HubClient, group_id: str, upto: int) -> None:
    """Push the laptop's ops up to ``upto``, then pull to the head, timing each request."""
    batch = laptop.ops[laptop.pushed : upto]
    if batch:
        start = time.perf_counter()
        try:
            answer = client.push(group_id, batch)
        except SyncError as exc:
            laptop.errors.append(f"push: {exc.__class__.__name__}: {exc}")
            return
        laptop.push_ms.append((time.perf_counter() - start) * 1000)
        for one in answer.results:
            if one.status not in ("accepted", "duplicate"):
                laptop.wrong.append(f"push refused {one.id}: {one.code}: {one.reason}")
        laptop.pushed = upto
    while True:
        start = time.perf_counter()
        try:
            page = client.pull(group_id, after=laptop.cursor, limit=PAGE)
        except SyncError as exc:
            laptop.errors.append(f"pull: {exc.__class__.__name__}: {exc}")
            return
        laptop.pull_ms.append((time.perf_counter() - start) * 1000)
        entries = page["ops"]
        if not entries:
            return
        seqs = [int(e["seq"]) for e in entries]
        if seqs != list(range(laptop.cursor + 1, laptop.cursor + 1 + len(seqs))):
            laptop.wrong.append(f"pull after {laptop.cursor}: seqs {seqs[0]}..{seqs[-1]} gap")
        laptop.seen.update(str(e["op"]["id"]) for e in entries)
        laptop.pulled += len(entries)
        laptop.cursor = seqs[-1]
        if laptop.cursor >= int(page["head"]):
            return


@dataclass
class Crowd:
    label: str
    laptops: list[Laptop]
    join_ms: list[float]
    seconds: float
    rounds: int
    per_sync: int
    head_before: int
    head_after: int
    wrong: list[str]
    cpu: tuple[float | None, float, float | None]  # hubs, laptops, machine
    pulled: int  # ops pulled in the timed syncs
    hub_tracebacks: int = 0

    @property
    def push_ms(self) -> list[float]:
        return [ms for lap in self.laptops for ms in lap.push_ms]

    @property
    def pull_ms(self) -> list[float]:
        return [ms for lap in self.laptops for ms in lap.pull_ms]

    @property
    def errors(self) -> list[str]:
        return [e for lap in self.laptops for e in lap.errors]

    @property
    def retries(self) -> int:
        return sum(lap.retries for lap in self.laptops)

    @property
    def skipped(self) -> int:
        return sum(lap.skipped for lap in self.laptops)


def _head(hub_url: str, group_id: str, token: str) -> int:
    client = HubClient(hub_url, token)
    head = int(client.pull(group_id, after=2**61, limit=1)["head"])
    client.session.close()
    return head


def run_crowd(
    label: str,
    hub_urls: Sequence[str],
    db_url: str,
    group_id: str,
    discussion_id: str,
    *,
    count: int,
    rounds: int,
    per_sync: int,
    deadline_s: float,
) -> Crowd:
    """``count`` laptops each sync ``rounds`` times at once; then a check nothing was lost.

    No laptop begins a sync after ``deadline_s``, so a hub that stalls cannot hold the
    run for long; the syncs left out are counted.
    """
    code = make_invite(db_url, group_id, uses=count)
    laptops, join_ms = join_laptops(
        hub_urls, code, group_id, count, discussion_id, rounds * per_sync
    )
    head_before = _head(hub_urls[0], group_id, laptops[0].token)
    for laptop in laptops:
        laptop.cursor = head_before
    barrier = threading.Barrier(count)
    stop = math.inf

    def work(laptop: Laptop) -> None:
        client = HubClient(laptop.hub_url, laptop.token, session=make_session())
        _count_retries(laptop, client.session)
        try:
            barrier.wait(timeout=120)
            for r in range(rounds):
                if time.perf_counter() > stop:
                    laptop.skipped = rounds - r
                    break
                sync_laptop(laptop, client, group_id, (r + 1) * per_sync)
        finally:
            laptop.received = client.bytes_received
            client.session.close()

    gc.collect()
    cpu = CpuMeter(db_url)
    start = time.perf_counter()
    stop = start + deadline_s
    with ThreadPoolExecutor(max_workers=count) as pool:
        list(pool.map(work, laptops))
    seconds = time.perf_counter() - start
    cpu_used = cpu.read()
    pulled = sum(lap.pulled for lap in laptops)

    # Afterwards, untimed: each laptop catches up (and re-sends what an error held back).
    wrong: list[str] = []
    for laptop in laptops:
        client = HubClient(laptop.hub_url, laptop.token)
        before = len(laptop.errors)
        sync_laptop(laptop, client, group_id, len(laptop.ops))
        client.session.close()
        wrong += [f"catch-up failed: {e}" for e in laptop.errors[before:]]
        del laptop.errors[before:]
    head_after = _head(hub_urls[0], group_id, laptops[0].token)
    written = {str(op["id"]) for laptop in laptops for op in laptop.ops}
    for laptop in laptops:
        wrong += laptop.wrong
        if laptop.cursor != head_after:
            wrong.append(f"laptop stopped at {laptop.cursor}, head {head_after}")
        missing = written - laptop.seen
        if missing:
            wrong.append(f"laptop {laptop.identity.device_id[:8]} never saw {len(missing)} ops")
    if head_after - head_before != len(written):
        wrong.append(f"head moved {head_after - head_before}, {len(written)} ops written")
    return Crowd(
        label,
        laptops,
        join_ms,
        seconds,
        rounds,
        per_sync,
        head_before,
        head_after,
        wrong,
        cpu_used,
        pulled,
    )


def tracebacks(logs: Sequence[Path]) -> int:
    return sum(
        log.read_text(encoding="utf-8", errors="replace").count("Traceback")
        for log in logs
        if log.exists()
    )


# --- checks -----------------------------------------------------------------------


def check_bootstrap(boot: Bootstrap, work: Workload, head: int) -> list[Check]:
    exp = work.expected
    with boot.store.read() as db:

        def count(sql: str) -> int:
            return int(db.execute(sql).fetchone()[0])

        checks = [
            Check(f"{boot.label}: ops pulled", boot.pulled, head),
            Check(f"{boot.label}: ops held", count("SELECT COUNT(*) FROM ops"), head),
            Check(
                f"{boot.label}: ops in effect",
                count("SELECT COUNT(*) FROM ops WHERE state = 1"),
                head,
            ),
            Check(
                f"{boot.label}: discussions",
                count("SELECT COUNT(*) FROM discussions"),
                exp.discussions,
            ),
            Check(f"{boot.label}: posts", count("SELECT COUNT(*) FROM posts"), exp.posts),
            Check(f"{boot.label}: polls", count("SELECT COUNT(*) FROM polls"), exp.polls),
            Check(f"{boot.label}: votes", count("SELECT COUNT(*) FROM votes"), len(exp.votes)),
            Check(
                f"{boot.label}: search rows",
                count("SELECT COUNT(*) FROM search"),
                exp.posts + exp.discussions,
            ),
        ]
    hits = search(store=boot.store, group_id=work.group_id, query=SEARCH_WORD)
    checks.append(Check(f"{boot.label}: search finds {SEARCH_WORD!r}", len(hits) > 0, True))
    return checks


def check_upload(upload: Upload, n: int) -> list[Check]:
    return [
        Check(f"{upload.label}: ops accepted", upload.statuses.get("accepted", 0), n),
        Check(f"{upload.label}: ops refused", upload.ops - upload.statuses.get("accepted", 0), 0),
    ]


def check_crowd(crowd: Crowd) -> Check:
    return Check(f"{crowd.label}: lost, refused or out-of-order ops", len(crowd.wrong), 0)


# --- the report -------------------------------------------------------------------


def print_uploads(uploads: Sequence[Upload], parse_s: float | None, local_rate: float) -> None:
    print(f"\nhub ingest: the founder's laptop pushes the history in {PUSH_OPS:,}-op requests")
    for up in uploads:
        ms = [s * 1000 for s in up.request_s]
        print(
            f"  {up.label:<44} {up.seconds:>7.2f} s {up.ops_per_s:>9,.0f} ops/s"
            f"   request p50 {_pct(ms, 0.5):>5.0f} ms  max {max(ms):>5.0f} ms"
            f"   local apply/this {local_rate / up.ops_per_s:>4.1f}×"
        )
    n = uploads[0].ops if uploads else 0
    if n and parse_s:
        print(
            f"  {'of that, op_from_wire alone (parse, hash)':<44} {parse_s:>7.2f} s"
            f" {n / parse_s:>9,.0f} ops/s"
        )
    for up in uploads:
        if up.goal:
            print(
                f"  goal ≥ {GOAL_HUB_OPS_PER_S:,} ops/s, {up.label}: {up.ops_per_s:,.0f}"
                f" → {_goal(up.ops_per_s >= GOAL_HUB_OPS_PER_S)}"
            )
    sys.stdout.flush()


def print_bootstrap(
    boots: Sequence[Bootstrap],
    local_s: float,
    n_local: int,
    pulls: PullRun,
    served: Served,
    applied: ClientApply,
    gz: Sequence[GzipCost],
) -> None:
    print("\nbootstrap: a new laptop joins with an invitation and pulls the whole group")
    for b in boots:
        print(
            f"  {b.label:<44} {b.seconds:>7.2f} s {b.pulled / b.seconds:>9,.0f} ops/s"
            f"   {b.pulled:,} ops, {b.requests} requests"
            f"   HubClient counts {_size(b.client_sent)} up, {_size(b.client_received)} down"
        )
        hub_cpu, laptop_cpu, _ = b.cpu
        print(f"  {'':<44} CPU: hub process {_cpu(hub_cpu)}, laptop {_cpu(laptop_cpu)}")
        if b.wire:
            up, down, conns = b.wire
            print(
                f"  {'':<44} on the wire (counting TCP relay): {_size(up)} up,"
                f" {_size(down)} down, {conns} connection(s);"
                f" {down / max(b.pulled, 1):,.0f} B per op"
            )
    best = min(b.seconds for b in boots)
    print(
        f"  goal < {GOAL_BOOTSTRAP_S:g} s: best of {len(boots)} {best:.2f} s"
        f" → {_goal(best < GOAL_BOOTSTRAP_S)};"
        f"  local apply of the {n_local:,} ops in one ingest: {local_s:.2f} s;"
        f" bootstrap/local {best / local_s:.2f}×"
    )
    other_s = best - pulls.seconds - applied.parse_s - applied.ingest_s
    print("  where the time goes (each part timed alone, same pages):")
    rows = [
        ("pulls alone over HTTP, nothing applied", pulls.seconds),
        ("  hub: whole route in process (no network)", served.route_s),
        ("    of which service.pull (DB read, splice)", served.service_s),
        (
            f"    the rest of the route: auth, JSON, gzip-{GZIP_LEVEL}",
            served.route_s - served.service_s,
        ),
        ("  transfer + requests overhead", pulls.http_s - served.route_s),
        ("  laptop: gunzip", pulls.gunzip_s),
        ("  laptop: decoding the JSON (orjson)", pulls.json_s),
        ("laptop: op_from_wire (shape, payload hash)", applied.parse_s),
        ("laptop: ingest, a transaction a page", applied.ingest_s),
        ("the rest (join, cursor, hub links, notify)", other_s),
    ]
    for label, seconds in rows:
        print(f"    {label:<50} {seconds:>6.2f} s {100 * seconds / best:>5.1f}%")
    print(
        f"    {pulls.pages} pages of ≤{PAGE:,} ops: {_size(pulls.gz_bytes)} gzipped,"
        f" {_size(pulls.raw_bytes)} of JSON ({pulls.raw_bytes / max(pulls.gz_bytes, 1):.1f}:1)"
    )
    if gz:
        costs = ", ".join(f"level {g.level} {g.seconds:.2f} s ({g.ratio:.1f}:1)" for g in gz)
        print(f"    gzip of every page, in this process: {costs}")


def print_idle(idle: IdleSync) -> None:
    up, down, conns = idle.wire
    total = up + down
    print("\nsync when nothing changed (sync_group, its own HubClient, as `moot sync`)")
    print(
        f"  {idle.requests} request(s); on the wire {up:,} B up + {down:,} B down = {total:,} B"
        f" over {conns} connection(s); HubClient counts {idle.client_bytes:,} B;"
        f" pushed {idle.pushed}, pulled {idle.pulled}"
    )
    print(
        f"  time per idle sync: median {statistics.median(idle.ms):.1f} ms,"
        f" max {max(idle.ms):.1f} ms ({len(idle.ms)} syncs); of which the laptop's outbox"
        f" look-ups (hub_links.outbox_size + outbox, nothing queued):"
        f" median {statistics.median(idle.outbox_ms):.1f} ms"
    )
    ok = idle.requests <= GOAL_IDLE_REQUESTS and total < GOAL_IDLE_BYTES
    print(
        f"  goal one round trip under {GOAL_IDLE_BYTES:,} B:"
        f" {idle.requests} request(s), {total:,} B → {_goal(ok)}"
    )


def print_crowd(crowd: Crowd) -> None:
    n = len(crowd.laptops)
    every = crowd.push_ms + crowd.pull_ms
    ops = n * crowd.rounds * crowd.per_sync
    print(
        f"\n{n} laptops syncing at once, {crowd.label}: each {crowd.rounds} syncs of"
        f" {crowd.per_sync} ops pushed, then pulled to the head"
    )
    print(
        f"  joins beforehand, one at a time: median {statistics.median(crowd.join_ms):.0f} ms,"
        f" max {max(crowd.join_ms):.0f} ms"
    )
    print(
        f"  {crowd.seconds:.2f} s for {len(every):,} requests ({len(every) / crowd.seconds:,.0f}"
        f" requests/s, {ops / crowd.seconds:,.0f} ops pushed/s); log {crowd.head_before:,}"
        f" → {crowd.head_after:,}"
    )
    cpus = os.cpu_count() or 1
    received = sum(lap.received for lap in crowd.laptops)
    hub, laptops, machine = crowd.cpu
    # Process and machine counters tick separately: "the rest" is rough, and never < 0.
    rest = None if hub is None or machine is None else max(0.0, machine - hub - laptops)
    per_request = "" if hub is None else f" ({1000 * hub / max(len(every), 1):.1f} ms a request)"
    print(f"  pulled {crowd.pulled:,} ops in all, {_size(received)} gzipped")
    print(
        f"  CPU: hub process(es) {_cpu(hub)}{per_request}, laptops (this process)"
        f" {_cpu(laptops)}, the rest (PostgreSQL, OS) ≈ {_cpu(rest)}; the machine"
        f" {_cpu(machine)} of {cpus} CPUs × {crowd.seconds:.1f} s = {cpus * crowd.seconds:.1f} s"
    )
    for label, samples in (
        ("all requests", every),
        ("push", crowd.push_ms),
        ("pull", crowd.pull_ms),
    ):
        print(
            f"  {label:<13} p50 {_pct(samples, 0.5):>7.0f} ms   p99 {_pct(samples, 0.99):>7.0f} ms"
            f"   max {max(samples, default=float('nan')):>7.0f} ms   ({len(samples):,})"
        )
    errors = crowd.errors
    print(
        f"  errors {len(errors)} (failed after the client's retries); attempts retried"
        f" {crowd.retries}; tracebacks in hub logs {crowd.hub_tracebacks};"
        f" syncs not begun by the deadline {crowd.skipped}"
        f" → goal zero errors {_goal(not errors and not crowd.skipped)}"
    )
    for what, times in Counter(errors).most_common(5):
        print(f"    {times:>4} × {what}")
    for line in crowd.wrong[:10]:
        print(f"    wrong: {line}")
    sys.stdout.flush()


def print_checks(checks: Sequence[Check]) -> None:
    print("\nchecks")
    for c in checks:
        mark = "ok" if c.ok else "WRONG"
        print(f"  {mark:<5} {c.name:<52} {c.got!s:>8}" + ("" if c.ok else f"  (want {c.want})"))


def print_profile(title: str, prof: cProfile.Profile, seconds: float) -> None:
    stats = pstats.Stats(prof)
    print(f"\nprofile: {title} ({seconds:.2f} s); top by own time")
    print_profile_table(stats, seconds, cumulative=False)


# --- main -------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--ops", type=int, default=100_000, help="ops in the group's history")
    parser.add_argument("--devices", type=int, default=40, help="devices writing the history")
    parser.add_argument("--laptops", type=int, default=100, help="laptops syncing at once")
    parser.add_argument("--rounds", type=int, default=5, help="syncs per laptop")
    parser.add_argument("--per-sync", type=int, default=3, help="ops each laptop pushes a sync")
    parser.add_argument(
        "--deadline",
        type=float,
        default=60.0,
        help="seconds after which no laptop begins another sync (keeps a stall bounded)",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get(PG_URL_VARIABLE, ""),
        help=f"PostgreSQL URL whose role may create databases (default ${PG_URL_VARIABLE})",
    )
    parser.add_argument("--seed", type=int, default=7, help="seed for the made-up content")
    parser.add_argument("--profile", action="store_true", help="also profile hub push and pull")
    args = parser.parse_args(argv)
    if args.devices < 2 or args.ops < args.devices + 8 or args.laptops < 1 or args.rounds < 1:
        parser.error("need at least 2 devices, enough ops to found and admit, and 1 laptop")
    return args


def _pg_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "?"


@dataclass
class Run:
    """What every part of the run shares."""

    args: argparse.Namespace
    root: Path
    stack: ExitStack
    profiles: Profiles
    work: Workload
    laptop: Store  # the founder's, holding the history
    local_s: float
    checks: list[Check] = field(default_factory=list)

    @property
    def local_rate(self) -> float:
        return len(self.work.ops) / self.local_s

    def crowd(self, label: str, hub_urls: Sequence[str], db_url: str, logs: list[Path]) -> None:
        a = self.args
        crowd = run_crowd(
            label,
            hub_urls,
            db_url,
            self.work.group_id,
            self.work.last_discussion,
            count=a.laptops,
            rounds=a.rounds,
            per_sync=a.per_sync,
            deadline_s=a.deadline,
        )
        crowd.hub_tracebacks = tracebacks(logs)
        print_crowd(crowd)
        self.checks.append(check_crowd(crowd))


def on_sqlite(run: Run) -> None:
    """Upload, bootstraps, an idle sync and the crowd, against one hub on SQLite."""
    gid, work, profiles, root = run.work.group_id, run.work, run.profiles, run.root
    folder = root / "hub-sqlite"
    folder.mkdir()
    db_url = sqlite_url(folder)
    migrate_db(db_url)
    logs = [root / "hub-sqlite.log"]
    # Laptops reach this hub through the counting relay, at the relay's address.
    base = run.stack.enter_context(
        running_hub(db_url, log_path=logs[0], knows_its_address=False, rate_limits=False)
    )

    token = register_group(base, db_url, run.laptop, gid)
    wire = log_wire(run.laptop, gid)
    uploads = [push_history(base, token, gid, wire, "SQLite hub, over HTTP")]
    (root / "hub-in-process").mkdir()
    uploads.append(push_in_process(sqlite_url(root / "hub-in-process"), run.laptop, gid, wire))
    for upload in uploads:
        run.checks += check_upload(upload, len(wire))
    print_uploads(uploads, parse_alone(wire), run.local_rate)
    if run.args.profile:
        prof = cProfile.Profile()
        (root / "hub-profiled").mkdir()
        push_in_process(sqlite_url(root / "hub-profiled"), run.laptop, gid, wire, prof)
        print_profile("hub push in process, SQLite", prof, uploads[1].seconds)

    code = make_invite(db_url, gid, uses=10)
    proxy = CountingProxy(base)
    run.stack.callback(proxy.close)
    boots = [
        bootstrap(profiles, base, db_url, code, "join_hub, direct"),
        bootstrap(profiles, proxy.url, db_url, code, "join_hub, through the relay", proxy),
    ]
    head = _head(base, gid, boots[-1].token)
    for age, boot in enumerate(reversed(boots)):
        # Each join adds the hub's op admitting that laptop: an earlier one saw fewer.
        run.checks += check_bootstrap(boot, work, head - age)
    idle = idle_syncs(boots[1].store, gid, proxy)
    run.checks.append(Check("idle sync: ops pushed + pulled", idle.pushed + idle.pulled, 0))
    pulls = pull_over_http(base, gid, boots[0].token, keep=True)
    got = (len(pulls.entries), pulls.gaps)
    run.checks.append(Check("pulls alone: (ops, gaps)", got, (head, 0)))
    served = serve_in_process(db_url, gid, boots[0].token, head)
    applied = apply_pages(profiles, pulls.entries)
    pulls.entries = []
    print_bootstrap(boots, run.local_s, len(work.ops), pulls, served, applied, gzip_costs(pulls))
    pulls.bodies = []
    print_idle(idle)
    if run.args.profile:
        prof, seconds = profile_pull(db_url, gid, boots[0].token, head)
        print_profile(
            f"hub pull route's function + JSON + gzip-{GZIP_LEVEL}, in process, SQLite",
            prof,
            seconds,
        )
    for boot in boots:
        profiles.discard(boot.store)

    run.crowd("SQLite, one hub process", [base], db_url, logs)


def on_postgres(run: Run, admin_url: str) -> None:
    """Upload and the crowd against two hub processes sharing a fresh PostgreSQL database."""
    gid = run.work.group_id
    pg_url = run.stack.enter_context(postgres_database(admin_url))
    migrate_db(pg_url)
    logs = [run.root / "hub-pg-1.log", run.root / "hub-pg-2.log"]
    bases = [
        run.stack.enter_context(running_hub(pg_url, log_path=log, rate_limits=False))
        for log in logs
    ]
    token = register_group(bases[0], pg_url, run.laptop, gid)
    wire = log_wire(run.laptop, gid)
    upload = push_history(bases[0], token, gid, wire, "PostgreSQL hub, over HTTP")
    run.checks += check_upload(upload, len(wire))
    print_uploads([upload], None, run.local_rate)
    pulls = pull_over_http(bases[1], gid, token, keep=False)
    run.checks.append(Check("PostgreSQL pulls alone: gaps", pulls.gaps, 0))
    print(
        f"  pulls alone over HTTP from the other hub process: {pulls.seconds:.2f} s for"
        f" {pulls.pages} pages ({_size(pulls.gz_bytes)} gzipped), nothing applied"
    )
    run.crowd("PostgreSQL, two hub processes", bases, pg_url, logs)


@contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="moot-hub-bench-") as folder:
        yield Path(folder)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(
        f"Moot hub benchmark · Python {sys.version.split()[0]} · SQLite {sqlite3.sqlite_version}"
        f" · PostgreSQL {_pg_version(args.postgres) if args.postgres else 'not given'}"
        f" · {os.cpu_count()} CPUs · hubs and laptops on 127.0.0.1",
        flush=True,
    )
    with scratch() as root, ExitStack() as stack:
        profiles = Profiles(root)
        work = build_workload(profiles.founder, args.ops, args.devices, args.seed)
        print_workload(work, args.devices)
        laptop = profiles.fresh()  # the founder's
        stack.callback(laptop.close)
        gc.collect()
        start = time.perf_counter()
        local = apply_one_call(laptop, work.ops)
        local_s = time.perf_counter() - start
        laptop.clock.observe(local.max_hlc)
        print(
            f"\nlocal apply on the founder's laptop, one ingest call (the baseline):"
            f" {local_s:.2f} s, {len(work.ops) / local_s:,.0f} ops/s",
            flush=True,
        )
        run = Run(args, root, stack, profiles, work, laptop, local_s)
        on_sqlite(run)
        if args.postgres:
            print("\n--- PostgreSQL ---")
            on_postgres(run, args.postgres)
        print_checks(run.checks)
    return 0 if all(c.ok for c in run.checks) else 1


if __name__ == "__main__":
    sys.exit(main())
