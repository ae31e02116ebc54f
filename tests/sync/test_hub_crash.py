"""A hub killed (SIGKILL) at random points while a laptop uploads to it, then started
again on the same database, keeps every op it acknowledged and holds none twice.

A laptop writes a group's busy day offline (1,500 changes) and syncs; its hub, a real
``moot-hub serve`` process, is killed after a random share of the time the same upload
takes when left alone. Then: the hub's SQLite file passes ``PRAGMA integrity_check``;
every op the laptop saw acknowledged is in the hub's log as the kill left it; the hub
is started again on the same database and port, and the laptop syncs to the end. In
the end nothing waits in the outbox, the laptop is up to date with no failure shown,
every op the laptop wrote is on the hub once, the log is numbered 1..head with no gap,
and each op the hub held at the kill keeps its place. On SQLite always; on PostgreSQL
too when ``MOOT_TEST_PG_URL`` is set (the same, less the integrity check).

Each point starts from the same laptop and the same hub, both copied from before the
upload; the first point's hub is killed just after the upload ends, which times it.
``MOOT_HUB_CRASH_POINTS`` sets the points per database (6 here; the soak:
``MOOT_HUB_CRASH_POINTS=500``).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app import hub_links
from app.services import discussions, notes
from app.store import Store, open_store
from sync import hubs
from sync.client import HubClient, make_session
from sync.engine import sync_group
from sync.errors import HubFailed, HubTimeout, HubUnreachable, SyncError
from sync.hub import tables as t
from sync.hub.db import make_engine
from sync.hub.local import drop_database
from tests.hubs import (
    PROTOCOL_HEADERS,
    create_group,
    free_port,
    hub_command,
    make_invite,
    pg_url_or_skip,
    postgres_database,
    running_hub,
    sqlite_url,
)
from tests.support import RecordProperty, record_figures

POINTS = int(os.environ.get("MOOT_HUB_CRASH_POINTS", "6"))
WRITES = 1500  # changes written offline, all still to upload (some are two ops)
SEED = 31
STARTUP_TIMEOUT = 60.0  # seconds; a loaded machine starts Python slowly
# What a laptop may meet when its hub dies under it; anything else is a finding.
NETWORK_ERRORS = (HubUnreachable, HubTimeout, HubFailed)

START_MARK = "--- moot-hub serve started"  # in the hub's log, before each start's output
Copier = Callable[[str], AbstractContextManager[str]]


# --- a hub process that can be killed and started again --------------------------------


class Hub:
    """``moot-hub serve`` on one database, started again on the same port after a kill."""

    def __init__(self, db_url: str, log_path: Path) -> None:
        self.db_url, self.log_path = db_url, log_path
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def launch(self) -> None:
        """Start the process; ``ready`` waits for it to answer."""
        with open(self.log_path, "a", encoding="utf-8") as log:
            log.write(f"{START_MARK} on port {self.port}\n")
            log.flush()
            self.process = subprocess.Popen(
                hub_command(
                    self.db_url,
                    "serve",
                    *("--host", "127.0.0.1", "--port", str(self.port)),
                    *("--public-url", self.url),
                ),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def ready(self) -> None:
        for _attempt in range(5):
            if self._answers():
                return
            # Another process took the port while the hub was down: the laptop is
            # pointed at the new one, as a council would tell its members.
            self.port = free_port()
            self.launch()
        raise AssertionError(f"the hub found no free port:\n{self.tail()}")

    def start(self) -> None:
        self.launch()
        self.ready()

    def _answers(self) -> bool:
        """True once the hub answers; False if it exited because its port was taken."""
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                said = self.output().rpartition(START_MARK)[2]
                if "address already in use" in said.lower():
                    return False
                raise AssertionError(f"the hub exited as it started:\n{self.tail()}")
            try:
                answer = requests.get(f"{self.url}/v1/hub", headers=PROTOCOL_HEADERS, timeout=2)
            except requests.RequestException:
                answer = None
            if answer is not None and answer.status_code == 200:
                return True
            time.sleep(0.02)
        raise AssertionError(f"the hub did not answer in {STARTUP_TIMEOUT:.0f} s:\n{self.tail()}")

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=60)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def output(self) -> str:
        """All the hub said, in every start; only its end is shown in a failure."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def tail(self) -> str:
        return self.output()[-4000:]


# --- the hub's database, read directly: after a kill, what it holds is what was committed


@dataclass(frozen=True)
class HubLog:
    entries: list[tuple[int, str]]  # (seq, op id) in seq order
    head: int  # the group's counter: the seq its next op will take, less one

    @property
    def ids(self) -> list[str]:
        return [op_id for _, op_id in self.entries]

    def whole(self) -> bool:
        """Numbered 1..head without a gap, and the counter agrees (else the next push
        would clash with a seq already taken, or leave one out)."""
        seqs = [seq for seq, _ in self.entries]
        return seqs == list(range(1, len(seqs) + 1)) and self.head == len(seqs)


def read_hub_log(db_url: str, group: str) -> HubLog:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                select(t.ops.c.seq, t.ops.c.op_id)
                .where(t.ops.c.group_id == group)
                .order_by(t.ops.c.seq)
            ).all()
            next_seq = conn.execute(
                select(t.groups.c.next_seq).where(t.groups.c.id == group)
            ).scalar_one()
    finally:
        engine.dispose()
    return HubLog([(int(seq), str(op_id)) for seq, op_id in rows], int(next_seq) - 1)


def integrity_problems(db_url: str) -> list[str]:
    """What ``PRAGMA integrity_check`` finds in a SQLite hub (PostgreSQL: not asked)."""
    if not db_url.startswith("sqlite"):
        return []
    db = sqlite3.connect(str(make_url(db_url).database))
    try:
        found = [str(r[0]) for r in db.execute("PRAGMA integrity_check")]
    finally:
        db.close()
    return [] if found == ["ok"] else found


# --- copies of the hub's database as it was before the upload ---------------------------


def sqlite_copier(base_db: str, folder: Path) -> Copier:
    base = Path(str(make_url(base_db).database))

    @contextmanager
    def copy(name: str) -> Iterator[str]:
        target = folder / f"hub-{name}"
        target.mkdir()
        source, copied = sqlite3.connect(base), sqlite3.connect(target / base.name)
        try:
            source.backup(copied)  # whole, whatever the base's WAL still holds
        finally:
            source.close()
            copied.close()
        key = base.with_suffix(".key")  # the hub's identity, which its group was made by
        shutil.copy2(key, target / key.name)
        try:
            yield sqlite_url(target)
        finally:
            shutil.rmtree(target, ignore_errors=True)

    return copy


def postgres_copier(admin_url: str, base_db: str) -> Copier:
    import psycopg
    from psycopg import sql

    base_name = str(make_url(base_db).database)

    @contextmanager
    def copy(_name: str) -> Iterator[str]:
        name = f"{base_name}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(base_name)
                )
            )
        try:
            yield make_url(base_db).set(database=name).render_as_string(hide_password=False)
        finally:
            drop_database(admin_url, name)

    return copy


# --- the laptop ---------------------------------------------------------------------------


def write_offline(store: Store, group: str, rnd: random.Random, n: int) -> None:
    """A busy group's day on one laptop: discussions, replies, notes and lines added."""
    said: list[str] = []
    kept: list[str] = []
    for k in range(n):
        roll = rnd.random()
        if not said or roll < 0.1:
            said.append(
                discussions.start_discussion(
                    store=store, group_id=group, title=f"Topic {k}", body=f"Opening words {k}"
                )[0]
            )
        elif not kept or roll < 0.15:
            kept.append(notes.create_note(store=store, group_id=group, title=f"Note {k}"))
        elif roll < 0.35:
            notes.append_to_note(store=store, note_id=rnd.choice(kept), line=f"Line {k}")
        else:
            discussions.reply(store=store, discussion_id=rnd.choice(said), body=f"Reply {k}")


def own_op_ids(store: Store) -> set[str]:
    with store.read() as db:
        rows = db.execute("SELECT id FROM ops WHERE device = ?", (store.device_id,))
        return {str(r[0]) for r in rows}


def held_op_ids(store: Store) -> set[str]:
    with store.read() as db:
        return {str(r[0]) for r in db.execute("SELECT id FROM ops")}


def waiting_op_ids(store: Store) -> set[str]:
    with store.read() as db:
        return {str(r[0]) for r in db.execute("SELECT op_id FROM outbox")}


def link_of(store: Store, group: str) -> hub_links.HubLink:
    with store.read() as db:
        link = hub_links.get_link(db, store.sealer, group)
    assert link is not None
    return link


def point_at(store: Store, group: str, hub_url: str) -> str:
    """Point the laptop's link at ``hub_url`` (a no-op if it is there already); its token."""
    link = link_of(store, group)
    if link.hub_url != hub_url:
        with store.write() as db:
            hub_links.save_link(db, store.sealer, group_id=group, hub_url=hub_url, token=link.token)
    return link.token


def sync_once(store: Store, group: str, url: str, token: str) -> SyncError | None:
    """One sync that gives up at the first failure, so it stops where the kill stopped it
    (the app's own retries would spend seconds on a hub that is gone)."""
    client = HubClient(url, token, session=make_session(retries=0))
    try:
        sync_group(store, group, client=client)
    except SyncError as exc:
        return exc
    finally:
        client.session.close()
    return None


# --- the test -----------------------------------------------------------------------------


@dataclass
class Tally:
    killed: int = 0  # kills that stopped the upload before its end
    partial: int = 0  # kills that left the hub with some of the laptop's ops, not all
    unheard: int = 0  # ops the hub committed that the laptop never heard acknowledged
    lost: int = 0
    twice: int = 0
    gaps: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    findings: list[str] = field(default_factory=list)


@dataclass
class Point:
    """One kill point: a copy of the hub's database with its own hub process, and a copy
    of the laptop, both as they were before the upload. ``stack`` ends them."""

    stack: ExitStack
    hub: Hub
    laptop: Store
    group: str


def prepare(name: str, copier: Copier, template: Path, group: str, tmp_path: Path) -> Point:
    """A point, its hub launched: it starts while the point before it is still at work."""
    stack = ExitStack()
    try:
        hub = Hub(stack.enter_context(copier(name)), tmp_path / f"hub-{name}.log")
        stack.callback(hub.stop)
        hub.launch()
        folder = shutil.copytree(template, tmp_path / f"laptop-{name}")
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        laptop = open_store(folder, use_keyring=False)
        stack.callback(laptop.close)
    except BaseException:
        stack.close()
        raise
    return Point(stack, hub, laptop, group)


def crash_points(
    base_db: str, copier: Copier, tmp_path: Path, record_property: RecordProperty
) -> Tally:
    rnd = random.Random(SEED)
    group = create_group(base_db, "Crashed Hub Parish")
    template = tmp_path / "template"
    with running_hub(base_db) as url:
        writer = open_store(template, use_keyring=False)
        try:
            hubs.join_hub(store=writer, hub_url=url, code=make_invite(base_db, group))
            write_offline(writer, group, rnd, WRITES)  # offline: all still to upload
            written = own_op_ids(writer)
            assert waiting_op_ids(writer) == written
        finally:
            writer.close()
    base = read_hub_log(base_db, group)

    tally = Tally()
    whole = 0.0  # seconds an upload takes when left alone; the first point's is
    upcoming: Point | None = prepare("0", copier, template, group, tmp_path)
    try:
        for n in range(POINTS):
            assert upcoming is not None
            point, upcoming = upcoming, None
            with point.stack:
                delay = rnd.uniform(0, whole) if n else None
                at_kill = kill_mid_upload(point, written, delay, tally)
                if n + 1 < POINTS:
                    upcoming = prepare(str(n + 1), copier, template, group, tmp_path)
                finish(point, written, base, at_kill, tally)
                if not at_kill.stopped:
                    # An upload left whole times the window afresh: the first, on a
                    # database not yet read, is the slowest.
                    whole = min(whole, at_kill.took) if whole else at_kill.took
    finally:
        if upcoming is not None:
            upcoming.stack.close()

    print(
        f"hub crash ({base_db.split(':')[0]}): {POINTS} kills, {tally.killed} mid-upload, "
        f"{tally.partial} with the upload part taken, {tally.unheard} ops taken unheard, "
        f"{tally.lost} lost, {tally.twice} twice, {tally.gaps} gaps; "
        f"the laptop saw {dict(tally.errors)}"
    )
    record_figures(
        record_property,
        count=POINTS,
        unit="kills",
        lost=tally.lost,
        twice=tally.twice,
        gaps=tally.gaps,
        killed=tally.killed,
        partial=tally.partial,
        unheard=tally.unheard,
    )
    return tally


@dataclass(frozen=True)
class AtKill:
    log: HubLog  # the hub's log as the kill left it: what it had committed
    missing: set[str]  # ops acknowledged to the laptop but not on the hub, or gone from it
    took: float  # seconds from the start of the sync until it ended or failed
    stopped: bool  # the kill stopped the sync before its end


def kill_mid_upload(point: Point, written: set[str], delay: float | None, tally: Tally) -> AtKill:
    """Upload, and kill the hub ``delay`` seconds in (``None``: once the sync is done)."""
    hub, laptop = point.hub, point.laptop
    hub.ready()
    token = point_at(laptop, point.group, hub.url)
    start = time.perf_counter()
    if delay is None:
        failed = sync_once(laptop, point.group, hub.url, token)
        assert failed is None, f"a sync with nothing killed failed: {failed}"
        took = time.perf_counter() - start
        hub.kill()
    else:
        killer = threading.Timer(delay, hub.kill)
        killer.start()
        failed = sync_once(laptop, point.group, hub.url, token)
        took = time.perf_counter() - start
        killer.join()  # a sync that ended first still has its hub killed, idle
    if failed is not None:
        tally.killed += 1
        said = str(failed).replace(hub.url, "<hub>")
        tally.errors[f"{type(failed).__name__}: {said}"] += 1
        if not isinstance(failed, NETWORK_ERRORS):
            tally.findings.append(f"the stopped sync said {type(failed).__name__}: {failed}")

    problems = integrity_problems(hub.db_url)
    assert not problems, f"the hub's database is damaged after a kill: {problems[:5]}"
    log = read_hub_log(hub.db_url, point.group)
    acknowledged = written - waiting_op_ids(laptop)
    taken = set(log.ids) & written
    tally.partial += 0 < len(taken) < len(written)
    tally.unheard += len(taken - acknowledged)
    missing = (acknowledged - taken) | (written - held_op_ids(laptop))
    return AtKill(log, missing, took, stopped=failed is not None)


def finish(point: Point, written: set[str], base: HubLog, at_kill: AtKill, tally: Tally) -> None:
    """Start the hub again on the same database, sync to the end, and count what is amiss."""
    hub, laptop = point.hub, point.laptop
    hub.start()
    token = point_at(laptop, point.group, hub.url)
    result = sync_group(laptop, point.group, client=HubClient(hub.url, token))
    turned_away = (result.rejections or []) + (result.held or [])
    if turned_away:
        tally.findings.append(f"the hub turned {len(turned_away)} ops away: {turned_away[:3]}")
    final = read_hub_log(hub.db_url, point.group)
    hub.stop()
    if "Traceback" in hub.output():
        tally.findings.append(f"the hub failed after starting again:\n{hub.tail()}")

    waiting = waiting_op_ids(laptop)
    if waiting:
        tally.findings.append(f"{len(waiting)} ops still wait in the outbox after a whole sync")
    link = link_of(laptop, point.group)
    if link.cursor != final.head:
        tally.findings.append(f"the laptop stopped at {link.cursor} of the hub's {final.head} ops")
    if link.last_error is not None:
        tally.findings.append(f"the laptop still shows a failed sync: {link.last_error}")
    on_hub = Counter(final.ids)
    kept = set(final.entries)
    missing = set(at_kill.missing)
    missing |= written - set(on_hub)
    missing |= {op_id for seq, op_id in at_kill.log.entries if (seq, op_id) not in kept}
    missing |= set(base.ids) - set(on_hub)
    missing |= written - held_op_ids(laptop)
    tally.lost += len(missing)
    tally.twice += sum(n - 1 for n in on_hub.values())
    tally.gaps += (not at_kill.log.whole()) + (not final.whole())


def check(tally: Tally) -> None:
    assert not tally.findings, "\n".join(tally.findings[:5])
    assert (tally.lost, tally.twice, tally.gaps) == (0, 0, 0)
    assert tally.killed > 0, "every upload ended before its hub was killed"


def test_a_sqlite_hub_killed_mid_upload_keeps_every_op_once(
    tmp_path: Path, record_property: RecordProperty
) -> None:
    (tmp_path / "hub").mkdir()
    base_db = sqlite_url(tmp_path / "hub")
    tally = crash_points(base_db, sqlite_copier(base_db, tmp_path), tmp_path, record_property)
    check(tally)


def test_a_postgres_hub_killed_mid_upload_keeps_every_op_once(
    tmp_path: Path, record_property: RecordProperty
) -> None:
    admin_url = pg_url_or_skip()
    with postgres_database(admin_url) as base_db:
        tally = crash_points(
            base_db, postgres_copier(admin_url, base_db), tmp_path, record_property
        )
    check(tally)


@pytest.fixture(autouse=True)
def _quiet_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOOT_KEYRING", "0")
