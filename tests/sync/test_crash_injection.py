"""A laptop killed (SIGKILL) at random points of a bundle import and of a sync, then
started again, loses nothing and holds nothing twice.

Each point is a real ``moot`` process killed after a random share of the time the
same work takes when left alone; then, in this process: ``PRAGMA integrity_check``
is ok, the work is done again to the end, and the laptop holds exactly what the
source holds (its dump), with every op once; after a sync, every op the laptop wrote
is on the hub once, and the hub's log has no gap. ``MOOT_CRASH_POINTS`` sets the
points per kind of work (25 each here; the soak: ``MOOT_CRASH_POINTS=250``).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app import hub_links
from app.dump import dump
from app.services import discussions, groups, notes
from app.store import Store, open_store
from sync import hubs
from sync.bundle import export_bundle, import_bundle
from sync.engine import sync_group
from tests.hubs import create_group, make_invite, pull_all, sqlite_hub
from tests.moot_cli import ENV, REPO, moot_command
from tests.support import RecordProperty, record_figures

MakeStore = Callable[[str], Store]
POINTS = int(os.environ.get("MOOT_CRASH_POINTS", "25"))


def _busy_group(store: Store, group: str, rnd: random.Random, n: int) -> None:
    """A group's everyday life: discussions, replies and notes, ``n`` of them."""
    said = []
    for k in range(n):
        if not said or rnd.random() < 0.15:
            disc, _ = discussions.start_discussion(
                store=store, group_id=group, title=f"Topic {k}", body=f"Opening words {k}"
            )
            said.append(disc)
        elif rnd.random() < 0.1:
            notes.create_note(store=store, group_id=group, title=f"Note {k}", body=f"Line {k}\n")
        else:
            discussions.reply(store=store, discussion_id=rnd.choice(said), body=f"Reply {k}")


def _moot(data_dir: Path, *args: object) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        moot_command(data_dir, *args),
        cwd=REPO,
        env=ENV,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _run_to_end(data_dir: Path, *args: object) -> float:
    """How long the work takes when nothing stops it, process start included."""
    start = time.perf_counter()
    process = _moot(data_dir, *args)
    assert process.wait(timeout=300) == 0
    return time.perf_counter() - start


def _kill_after(data_dir: Path, seconds: float, *args: object) -> bool:
    """Run the work and SIGKILL it after ``seconds``; whether it was killed (not done)."""
    process = _moot(data_dir, *args)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        return True
    return False


def _window(blank: Path, whole: float) -> tuple[float, float]:
    """When to kill: from when the process is ready to work until it is done."""
    started = min(_run_to_end(blank, "whoami") for _ in range(2))
    return started, max(whole, started)


def _intact(data_dir: Path) -> None:
    db = sqlite3.connect(data_dir / "moot.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        ids = [r[0] for r in db.execute("SELECT id FROM ops")]
        assert len(ids) == len(set(ids))
    finally:
        db.close()


def test_a_bundle_import_killed_anywhere_finishes_whole(
    make_store: MakeStore, tmp_path: Path, record_property: RecordProperty
) -> None:
    rnd = random.Random(11)
    source = make_store("source")
    group = groups.create_group(store=source, name="Killed Parish")
    _busy_group(source, group, rnd, 3000)
    bundle = tmp_path / "group.moot"
    export_bundle(store=source, group_id=group, path=bundle)
    expected = dump(store=source, group_id=group)

    blank = tmp_path / "blank"
    open_store(blank, use_keyring=False).close()  # a profile made, as a first run makes it
    whole = _run_to_end(shutil.copytree(blank, tmp_path / "timing"), "bundle", "import", bundle)
    window = _window(shutil.copytree(blank, tmp_path / "started"), whole)

    killed = 0
    for point in range(POINTS):
        laptop = shutil.copytree(blank, tmp_path / f"laptop-{point}")
        killed += _kill_after(laptop, rnd.uniform(*window), "bundle", "import", bundle)
        _intact(laptop)
        store = open_store(laptop, use_keyring=False)
        try:
            import_bundle(store=store, path=bundle)
            assert dump(store=store, group_id=group) == expected
        finally:
            store.close()
        shutil.rmtree(laptop)
    print(f"bundle import: {POINTS} points, {killed} killed before the end, all whole")
    record_figures(record_property, count=POINTS, unit="points", killed=killed)
    assert killed > 0  # points stopped the work before its end (most do)


def test_a_sync_killed_anywhere_loses_nothing_and_sends_nothing_twice(
    make_store: MakeStore, tmp_path: Path, record_property: RecordProperty
) -> None:
    rnd = random.Random(12)
    (tmp_path / "hub").mkdir()
    with sqlite_hub(tmp_path / "hub") as (url, db):
        group = create_group(db, "Killed Hub Parish")
        template = tmp_path / "template"
        writer = open_store(template, use_keyring=False)
        try:
            hubs.join_hub(store=writer, hub_url=url, code=make_invite(db, group, uses=1))
            _busy_group(writer, group, rnd, 1500)  # written offline: all still to send
            with writer.read() as conn:
                written = {r[0] for r in conn.execute("SELECT id FROM ops WHERE device = ?",
                                                     (writer.device_id,))}  # fmt: skip
                link = hub_links.get_link(conn, writer.sealer, group)
            assert link is not None
        finally:
            writer.close()
        whole = _run_to_end(shutil.copytree(template, tmp_path / "timing"), "sync")
        window = _window(shutil.copytree(template, tmp_path / "started"), whole)

        killed = lost = twice = 0
        for point in range(POINTS):
            # The same laptop each time, from before its sync: what the hub took at one
            # point is offered again at the next, and must count once.
            laptop = shutil.copytree(template, tmp_path / f"laptop-{point}")
            killed += _kill_after(laptop, rnd.uniform(*window), "sync")
            _intact(laptop)
            store = open_store(laptop, use_keyring=False)
            try:
                sync_group(store, group)
                with store.read() as conn:
                    assert hub_links.outbox_size(conn, group) == 0
                    held = {r[0] for r in conn.execute("SELECT id FROM ops")}
                log = pull_all(url, group, link.token)
                seqs = [e["seq"] for e in log]
                assert seqs == list(range(1, len(seqs) + 1))  # no gap
                on_hub = [e["op"]["id"] for e in log]
                lost += len(written - held) + len(written - set(on_hub))
                twice += len(on_hub) - len(set(on_hub))
            finally:
                store.close()
            shutil.rmtree(laptop)
        print(f"sync: {POINTS} points, {killed} killed before the end, {lost} lost, {twice} twice")
        record_figures(
            record_property, count=POINTS, unit="points", killed=killed, lost=lost, twice=twice
        )
        assert (lost, twice) == (0, 0)
        assert killed > 0


@pytest.fixture(autouse=True)
def _quiet_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOOT_KEYRING", "0")
