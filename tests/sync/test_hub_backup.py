"""``moot-hub backup`` and ``moot-hub restore``: a hub brought back from its backup is the
same hub to every laptop.

Laptops work in two groups on a real hub; the hub is backed up while it serves, and
restored into a fresh database (a new SQLite file; a new PostgreSQL database where
``MOOT_TEST_PG_URL`` names a server). A hub served from it hands out the same log, byte
for byte; a laptop that synced before syncs again and nothing changes; a new laptop
that bootstraps from it prints the same ``moot dump`` of every group as the laptops
printed before; one that joins with an invitation ends in the same state as the others.
Bad input to ``restore`` is refused in words and changes nothing.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import stat
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from app.dump import dump
from app.services import discussions, groups, members, notes
from app.store import Store
from bench.migration_fixtures import fixtures
from sync import hubs
from sync.client import HubClient
from sync.engine import sync_group
from sync.hub import cli, pg_tools
from tests.hubs import (
    apply_entries,
    create_group,
    hub_command,
    link_token,
    make_invite,
    own_ops,
    pg_url_or_skip,
    postgres_database,
    pull_all,
    push,
    running_hub,
    sqlite_url,
)
from tests.moot_cli import run_moot

MakeStore = Callable[[str], Store]


def moot_hub(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``moot-hub --db DB ARGS --json``, run by its own ``main`` in this process (a
    process of its own takes a second): its exit status, output and words.
    """
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = cli.main(["--db", db, *args, "--json"])
    return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())


def said(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """What a command answered: its report, or, refused, its error and message."""
    found: dict[str, Any] = json.loads(done.stdout if done.returncode == 0 else done.stderr)
    return found


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two fresh hub databases of one kind: the first hub's, and one to restore into."""
    if request.param == "sqlite":
        (tmp_path / "first").mkdir()
        (tmp_path / "second").mkdir()
        yield sqlite_url(tmp_path / "first"), sqlite_url(tmp_path / "second")
        return
    admin = pg_url_or_skip()
    pg_tools_or_skip()
    with postgres_database(admin) as first, postgres_database(admin) as second:
        yield first, second


def pg_tools_or_skip() -> None:
    """Skip, saying why, where PostgreSQL's pg_dump and pg_restore are not installed."""
    try:
        pg_tools.tool("pg_dump")
        pg_tools.tool("pg_restore")
    except pg_tools.ToolFailed:
        pytest.skip("no pg_dump or pg_restore here (apt-get install postgresql-client)")


def _moot_dump(store: Store, group: str) -> str:
    """``moot dump GROUP`` on the laptop's profile, as printed."""
    done = run_moot(store.settings.data_dir, "dump", group)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _dump(store: Store, group: str) -> str:
    """What ``moot dump GROUP`` prints, read in this process."""
    return dump(store=store, group_id=group) + "\n"


def _work(ann: Store, bob: Store, cat: Store, parish: str, allotments: str) -> None:
    """A little of what groups do: threads, a shared note, contact details, one erased."""
    groups.set_my_name(store=ann, name="Ann")
    disc, _ = discussions.start_discussion(
        store=ann, group_id=parish, title="Verges", body="Who cuts them?"
    )
    note = notes.create_note(store=ann, group_id=parish, title="Agenda", body="1. Verges\n")
    plots, _ = discussions.start_discussion(
        store=ann, group_id=allotments, title="Plot 7", body="Free from April"
    )
    for store, group in ((ann, parish), (ann, allotments), (bob, parish), (cat, allotments)):
        sync_group(store, group)
    discussions.reply(store=bob, discussion_id=disc, body="The parish does")
    notes.append_to_note(store=bob, note_id=note, line="2. Bins")
    members.set_contact(store=bob, group_id=parish, contact="07700 900123", consent="members")
    members.erase_contact(store=bob, group_id=parish)
    discussions.reply(store=cat, discussion_id=plots, body="I'll take it")
    members.set_contact(store=cat, group_id=allotments, contact="cat@example.org")
    for _round in range(2):
        for store, group in ((bob, parish), (cat, allotments), (ann, parish), (ann, allotments)):
            sync_group(store, group)


def test_a_restored_hub_is_the_same_hub_to_every_laptop(
    databases: tuple[str, str],
    tmp_path: Path,
    make_store: MakeStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first_db, second_db = databases
    kept_key, restored_key = tmp_path / "first.key", tmp_path / "restored.key"
    ann, bob, cat = make_store("ann"), make_store("bob"), make_store("cat")
    backup = tmp_path / "backups" / "hub.backup"
    backup.parent.mkdir()
    monkeypatch.setenv("MOOT_HUB_KEY", str(kept_key))
    with running_hub(first_db) as first:
        parish = create_group(first_db, "Ashby Parish")
        allotments = create_group(first_db, "Mill Lane Allotments")
        for store, group, role in (
            (ann, parish, "organiser"),
            (ann, allotments, "organiser"),
            (bob, parish, "member"),
            (cat, allotments, "member"),
        ):
            hubs.join_hub(store=store, hub_url=first, code=make_invite(first_db, group, role=role))
        _work(ann, bob, cat, parish, allotments)
        both = (parish, allotments)
        before = {g: _moot_dump(ann, g) for g in both}
        assert _dump(bob, parish) == before[parish]
        assert _dump(cat, allotments) == before[allotments]
        tokens = {g: link_token(ann, g) for g in both}
        log_before = {g: pull_all(first, g, tokens[g]) for g in both}
        spare = make_invite(first_db, parish, uses=2)  # made before, used after the restore

        done = moot_hub(first_db, "backup", str(backup))  # while the hub serves
        assert done.returncode == 0, done.stderr
        made = said(done)
    ops = sum(len(entries) for entries in log_before.values())
    assert (made["groups"], made["ops"], made["bytes"]) == (2, ops, backup.stat().st_size)
    assert made["key_in_backup"] is False
    assert made["key_file"] == str(kept_key)
    assert f"keep a copy of {kept_key}" in made["next"]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert kept_key.read_text().strip() not in backup.read_bytes().decode("latin-1")

    # The hub's machine is lost: its key comes back from where it was kept apart.
    shutil.copyfile(kept_key, restored_key)
    monkeypatch.setenv("MOOT_HUB_KEY", str(restored_key))
    done = moot_hub(second_db, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    restored = said(done)
    assert (restored["groups"], restored["ops"], restored["key"]) == (2, ops, "matches")
    # Which database it wrote, so one run with the wrong settings shows it at once.
    assert restored["database"] == make_url(second_db).render_as_string(hide_password=True)
    assert made["database"] == make_url(first_db).render_as_string(hide_password=True)
    assert restored["schema"] == restored["backup_schema"] == made["schema"]

    with running_hub(second_db) as second:
        for g in both:
            assert pull_all(second, g, tokens[g]) == log_before[g]
        # A laptop that synced before: nothing to send, nothing new, nothing changed.
        for g in both:
            result = sync_group(ann, g, client=HubClient(second, tokens[g]))
            assert (result.pushed, result.pulled, result.rejected) == (0, 0, 0)
            assert _dump(ann, g) == before[g]
        # A new laptop bootstrapping each group's log prints the same dump, byte for byte.
        fresh = make_store("fresh")
        for g in both:
            apply_entries(fresh, pull_all(second, g, tokens[g]))
            assert _moot_dump(fresh, g) == before[g]
        # One that joins with an invitation made before the backup, and one made since.
        dan = make_store("dan")
        hubs.join_hub(store=dan, hub_url=second, code=spare)
        hubs.join_hub(store=dan, hub_url=second, code=make_invite(second_db, allotments))
        for g in both:
            sync_group(ann, g, client=HubClient(second, tokens[g]))
            assert _dump(dan, g) == _dump(ann, g)
        # And work goes on: Dan writes, Bob reads it from the restored hub.
        disc, _ = discussions.start_discussion(
            store=dan, group_id=parish, title="Hello", body="New here"
        )
        sync_group(dan, parish)
        sync_group(bob, parish, client=HubClient(second, link_token(bob, parish)))
        assert [p.body for p in discussions.thread(store=bob, discussion_id=disc)] == ["New here"]


def _sqlite_hub_folder(tmp_path: Path, name: str) -> tuple[str, Path]:
    folder = tmp_path / name
    folder.mkdir()
    return sqlite_url(folder), folder


def _file_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_bad_backups_are_refused_in_words_and_change_nothing(
    tmp_path: Path, make_store: MakeStore
) -> None:
    source_db, _ = _sqlite_hub_folder(tmp_path, "source")
    create_group(source_db, "Allotments")
    good = tmp_path / "good.backup"
    assert moot_hub(source_db, "backup", str(good)).returncode == 0

    target_db, target = _sqlite_hub_folder(tmp_path, "target")
    create_group(target_db, "Tennis club")
    before = _file_state(target)

    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all\n" * 50)
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 3])
    other = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
        db.commit()
    newer = tmp_path / "newer.backup"
    shutil.copyfile(good, newer)
    with closing(sqlite3.connect(newer)) as db:
        db.execute("UPDATE alembic_version SET version_num = '0999'")
        db.commit()
    pg_archive = tmp_path / "postgres.backup"
    pg_archive.write_bytes(pg_tools.MAGIC + b"\x01\x0e" + bytes(200))
    cases = [
        (junk, "invalid_input", "is not a Moot hub backup"),
        (truncated, "invalid_input", "is not a Moot hub backup that can be read"),
        (other, "invalid_input", "is not a Moot hub's database: it has no"),
        (newer, "invalid_input", "a newer moot-hub made it. Upgrade this one"),
        (pg_archive, "invalid_input", "is a backup of a hub on PostgreSQL"),
        (tmp_path / "missing.backup", "file_error", "There is no file"),
        (good, "invalid_input", "holds 1 group already"),  # the target is in use
    ]
    for source, code, words in cases:
        done = moot_hub(target_db, "restore", str(source))
        assert done.returncode == 1, (source, done.stdout)
        refused = said(done)
        assert refused["error"] == code, refused
        assert words in refused["message"], refused
        assert _file_state(target) == before, source.name
    # Without --json: one line a person can act on.
    plain = subprocess.run(
        hub_command(target_db, "restore", str(junk)), capture_output=True, text=True, check=False
    )
    assert plain.returncode == 1
    assert plain.stderr.count("\n") == 1
    assert plain.stderr.startswith("moot-hub: ")
    assert "Nothing was changed." in plain.stderr

    # A database a hub has only migrated holds nothing to lose: no --force needed.
    migrated_db, _ = _sqlite_hub_folder(tmp_path, "migrated")
    assert moot_hub(migrated_db, "migrate").returncode == 0
    done = moot_hub(migrated_db, "restore", str(good))
    assert done.returncode == 0, done.stderr
    assert said(done)["groups"] == 1

    # --force replaces a database in use; a backup never overwrites one unasked.
    done = moot_hub(target_db, "restore", str(good), "--force")
    assert done.returncode == 0, done.stderr
    assert said(done)["groups"] == 1
    again = moot_hub(source_db, "backup", str(good))
    assert said(again)["error"] == "invalid_input"
    assert "exists already" in said(again)["message"]
    assert moot_hub(source_db, "backup", str(good), "--force").returncode == 0
    itself = moot_hub(source_db, "backup", source_db.removeprefix("sqlite:///"), "--force")
    assert "the hub's database itself" in said(itself)["message"]


def test_a_backup_of_an_older_hub_is_migrated_as_it_is_restored(tmp_path: Path) -> None:
    """Databases released versions left, as they would be restored into today's hub: a
    hub at schema 0008, and one from before 0003 that kept its private key inside."""
    by_schema = {f.manifest["hub_revision"]: f for f in fixtures() if f.has_hub}
    for schema in ("0008", "0002"):
        fixture = by_schema[schema]
        old = fixture.unpack_hub(tmp_path / f"old{schema}")
        target_db, target = _sqlite_hub_folder(tmp_path, f"new{schema}")
        if (old / "hub.key").exists():
            shutil.copyfile(old / "hub.key", target / "hub.key")  # kept apart, brought back
        done = moot_hub(target_db, "restore", str(old / "hub.db"))
        assert done.returncode == 0, done.stderr
        report = said(done)
        assert report["backup_schema"] == schema
        assert report["schema"] > schema
        if schema == "0008":
            assert report["key"] == "matches"
        else:  # written by the restore, for the hub's owner alone
            assert report["key"] == "moved"
            assert stat.S_IMODE((target / "hub.key").stat().st_mode) == 0o600
        kept = {
            (group, seq, op_id)
            for group, entries in fixture.content()["hub_log"].items()
            for seq, op_id in entries
        }
        with closing(sqlite3.connect(target / "hub.db")) as db:
            served = set(db.execute("SELECT group_id, seq, op_id FROM hub_ops"))
            legacy = db.execute("SELECT COUNT(*) FROM hub_keys WHERE name = 'device'").fetchone()
        assert served == kept
        assert legacy == (0,)  # the private key left the restored database
        with running_hub(target_db) as url:  # and the hub starts on it with its own key
            assert url


def test_a_backup_taken_during_pushes_is_of_one_moment(
    tmp_path: Path, make_store: MakeStore
) -> None:
    db, _folder = _sqlite_hub_folder(tmp_path, "hub")
    ann = make_store("ann")
    with running_hub(db, rate_limits=False) as url:
        group = create_group(db, "Allotments")
        hubs.join_hub(store=ann, hub_url=url, code=make_invite(db, group))
        disc, _ = discussions.start_discussion(store=ann, group_id=group, title="T", body="B")
        for i in range(400):
            discussions.reply(store=ann, discussion_id=disc, body=f"Reply {i}")
        wire = own_ops(ann, group)
        token = link_token(ann, group)
        stop = threading.Event()

        def pushing() -> None:
            for start in range(0, len(wire), 10):
                if stop.is_set():
                    return
                push(url, group, token, wire[start : start + 10])

        pusher = threading.Thread(target=pushing)
        pusher.start()
        backups = []
        try:
            while pusher.is_alive() and len(backups) < 20:
                path = tmp_path / f"during{len(backups)}.backup"
                done = moot_hub(db, "backup", str(path))
                assert done.returncode == 0, done.stderr
                backups.append((path, said(done)))
        finally:
            stop.set()
            pusher.join()
    assert any(0 < report["ops"] < len(wire) for _path, report in backups)  # caught mid-way
    for path, report in backups:
        with closing(sqlite3.connect(path)) as copy:
            seqs = [s for (s,) in copy.execute("SELECT seq FROM hub_ops ORDER BY seq")]
            (next_seq,) = copy.execute("SELECT next_seq FROM hub_groups").fetchone()
        assert seqs == list(range(1, next_seq)), path.name  # no gap, no op past the head
        assert report["ops"] == len(seqs)


def test_postgres_backups_need_pg_tools_and_say_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(pg_tools.shutil, "which", lambda _name: None)
    monkeypatch.setattr(pg_tools, "DEBIAN_BINARIES", tmp_path / "none")
    archive = tmp_path / "hub.backup"
    archive.write_bytes(pg_tools.MAGIC + bytes(100))
    db = "postgresql://moot:secret@127.0.0.1:1/nowhere"
    assert cli.main(["--db", db, "restore", str(archive), "--json"]) == 1
    refused = json.loads(capsys.readouterr().err)
    assert refused["error"] == "database_error"
    assert "pg_restore was not found: install PostgreSQL's client tools" in refused["message"]
    assert "secret" not in refused["message"]


def test_postgres_restores_take_only_what_they_should(tmp_path: Path) -> None:
    """A cut archive, or a database in use, is refused and left as it was; --force
    replaces one in use; a database a hub only migrated is taken without it."""
    admin = pg_url_or_skip()
    pg_tools_or_skip()
    with (
        postgres_database(admin) as source_db,
        postgres_database(admin) as target_db,
        postgres_database(admin) as migrated_db,
    ):
        create_group(source_db, "Allotments")
        good = tmp_path / "good.backup"
        assert moot_hub(source_db, "backup", str(good)).returncode == 0
        create_group(target_db, "Tennis club")
        cut = tmp_path / "cut.backup"
        cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
        for source, force, words in (
            (cut, ["--force"], "is not a backup pg_restore can read"),
            (good, [], "holds 1 group already"),
        ):
            done = moot_hub(target_db, "restore", str(source), *force)
            assert done.returncode == 1
            assert said(done)["error"] == "invalid_input"
            assert words in said(done)["message"]
        check = moot_hub(target_db, "backup", str(tmp_path / "check.backup"))
        assert said(check)["groups"] == 1  # still the Tennis club's alone
        done = moot_hub(target_db, "restore", str(good), "--force")
        assert done.returncode == 0, done.stderr
        assert said(done)["groups"] == 1

        assert moot_hub(migrated_db, "migrate").returncode == 0
        done = moot_hub(migrated_db, "restore", str(good))
        assert done.returncode == 0, done.stderr
        assert (said(done)["groups"], said(done)["ops"]) == (1, said(check)["ops"])


def test_a_laptop_finds_an_older_backup_restored_even_after_the_log_grew_again(
    tmp_path: Path, make_store: MakeStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ann's reply reached the hub after its last backup; the hub is restored from that
    backup, and Bob's newer replies carry its log past where Ann had pulled before she
    syncs. She still finds that the log is not the one she pulled: she takes in all of
    Bob's replies and sends hers again, so both laptops end with every post."""
    (first_db, _), (second_db, _) = (
        _sqlite_hub_folder(tmp_path, "first"),
        _sqlite_hub_folder(tmp_path, "second"),
    )
    monkeypatch.setenv("MOOT_HUB_KEY", str(tmp_path / "hub.key"))
    ann, bob = make_store("ann"), make_store("bob")
    backup = tmp_path / "hub.backup"
    with running_hub(first_db) as first:
        parish = create_group(first_db, "Ashby Parish")
        for store, role in ((ann, "organiser"), (bob, "member")):
            hubs.join_hub(store=store, hub_url=first, code=make_invite(first_db, parish, role=role))
        disc, _ = discussions.start_discussion(
            store=ann, group_id=parish, title="Verges", body="Who cuts them?"
        )
        sync_group(ann, parish)
        sync_group(bob, parish)
        assert moot_hub(first_db, "backup", str(backup)).returncode == 0
        discussions.reply(store=ann, discussion_id=disc, body="Ann, after the backup")
        sync_group(ann, parish)
    assert moot_hub(second_db, "restore", str(backup)).returncode == 0

    with running_hub(second_db) as second:
        ann_hub = HubClient(second, link_token(ann, parish))
        bob_hub = HubClient(second, link_token(bob, parish))
        for n in range(3):
            discussions.reply(store=bob, discussion_id=disc, body=f"Bob, reply {n + 1}")
        sync_group(bob, parish, client=bob_hub)
        sync_group(ann, parish, client=ann_hub)  # finds the log rewound: pulls it all again
        sync_group(ann, parish, client=ann_hub)  # and sends her reply back to the hub
        sync_group(bob, parish, client=bob_hub)
    posts = [p.body for p in discussions.thread(store=ann, discussion_id=disc)]
    assert sorted(posts) == sorted(
        ["Who cuts them?", "Ann, after the backup", "Bob, reply 1", "Bob, reply 2", "Bob, reply 3"]
    )
    assert _dump(bob, parish) == _dump(ann, parish)
