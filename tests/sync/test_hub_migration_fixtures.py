"""A hub's database made by every earlier version of Moot upgrades with ``moot-hub migrate``
(on SQLite, and loaded into PostgreSQL) and serves its log unchanged: the laptop that
version left syncs with nothing refused, and a new laptop that joins bootstraps the whole
log into the same state. A laptop too old for the hub, or a hub too old for the laptop,
is answered in words that say what to do, never a stack trace.

The databases and laptops are fixtures made by the released versions themselves
(``bench/migration_fixtures.py``). ``tests/sync/test_hub_e2e.py`` and
``tests/sync/test_hub_codes.py`` check the refusal of made-up protocol versions and its
code; ``tests/ui/test_sync_ui_words.py`` the window's words for it. Here the versions and
answers are those of the releases.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from alembic import command
from sqlalchemy import Boolean, MetaData, insert, text

import sync.hub.local
from app import hub_links
from app.codes import Code
from app.dump import dump
from app.store import Store, open_store
from bench.migration_fixtures import ERASED, Fixture, fixtures
from sync import hubs
from sync.client import HubClient
from sync.engine import sync_group
from sync.errors import ProtocolMismatch
from sync.hub.db import alembic_config, make_engine
from sync.protocol import PROTOCOL, PROTOCOL_HEADER, ErrorBody
from tests.hubs import (
    PG_URL_VARIABLE,
    create_group,
    postgres_database,
    running_hub,
    sqlite_hub,
    sqlite_url,
)
from tests.moot_cli import run_moot
from tests.support import RecordProperty, record_figures
from tests.world_clock import hub_says

HUB_FIXTURES = [f for f in fixtures() if f.has_hub]
# Fixtures are checked two at a time: most of each check waits on a hub process starting.
WORKERS = 2
# ``moot-hub`` commands run in this process (a process of their own takes a second), and
# Alembic and the redirected output they use are the process's own: one at a time.
_ONE_AT_A_TIME = threading.Lock()


def _hub_says(db_url: str, *args: str) -> dict[str, Any]:
    with _ONE_AT_A_TIME:
        return hub_says(db_url, *args)


Log = dict[str, list[tuple[int, str, str]]]  # group: (seq, op id, op hash), in seq order


def _kept_log(fixture: Fixture) -> Log:
    """The hub's log as the old version left it, from the fixture's manifest."""
    content = fixture.content()
    return {
        group: [(seq, op_id, content["hashes"][op_id]) for seq, op_id in entries]
        for group, entries in content["hub_log"].items()
    }


def _log(db_url: str) -> tuple[Log, bool]:
    """The hub's log, and whether any op in it still carries the erased telephone number."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT group_id, seq, op_id, hash, wire FROM hub_ops ORDER BY group_id, seq")
            ).all()
    finally:
        engine.dispose()
    log: Log = {}
    for group, seq, op_id, op_hash, _wire in rows:
        log.setdefault(group, []).append((seq, op_id, op_hash))
    return log, any(ERASED in wire for *_, wire in rows)


@dataclass
class Found:
    """What the fixtures' hubs showed after the upgrade, over all of them."""

    checked: list[str] = field(default_factory=list)
    lost: int = 0  # ops of the old log gone or changed
    refused: int = 0  # the old laptop's changes the upgraded hub turned away
    changed: int = 0  # groups a new laptop bootstrapped into another state
    problems: list[str] = field(default_factory=list)

    def add(self, fixture: Fixture, problem: str) -> None:
        self.problems.append(f"{fixture.name}: {problem}")

    def record(self, record_property: RecordProperty) -> None:
        record_figures(
            record_property,
            count=len(self.checked),
            unit="versions",
            lost=self.lost,
            refused=self.refused,
            changed=self.changed,
        )


def _each(check: Callable[[Fixture, Found], None]) -> Found:
    """Run ``check`` on every hub fixture, a few at once; what they found, all together."""
    each = {f.name: Found() for f in HUB_FIXTURES}
    with ThreadPoolExecutor(WORKERS) as pool:
        running = {f.name: pool.submit(check, f, each[f.name]) for f in HUB_FIXTURES}
        for name, done in running.items():
            if (failed := done.exception()) is not None:
                failed.add_note(f"checking the fixture {name}")
                raise failed
    found = Found()
    for name, one in each.items():
        found.checked += one.checked
        found.lost += one.lost
        found.refused += one.refused
        found.changed += one.changed
        found.problems += one.problems
        if not one.checked:
            found.problems.append(f"{name}: not checked")
    return found


def _check_upgraded(fixture: Fixture, db_url: str, folder: Path, found: Found) -> None:
    """The upgraded hub's log, then a sync of the old laptop and a new laptop's bootstrap."""
    kept, (now, erased_kept) = _kept_log(fixture), _log(db_url)
    for group, entries in kept.items():
        if now.get(group) != entries:
            found.lost += len(set(entries) - set(now.get(group, [])))
            found.add(fixture, f"group {group}'s log changed in the upgrade")
    if erased_kept:  # hubs before revision 0004 kept erased details: the upgrade blanks them
        found.add(fixture, "the upgraded hub still holds contact details their member erased")
    with running_hub(db_url) as base:
        with _ONE_AT_A_TIME:  # opening a profile migrates it, with Alembic
            laptop = open_store(fixture.unpack_laptop(folder / "laptop"), use_keyring=False)
            newcomer = open_store(folder / "newcomer", use_keyring=False)
        try:
            _sync_old_laptop(fixture, laptop, base, found)
            for group in kept:
                hubs.join_hub(
                    store=newcomer, hub_url=base, code=_hub_says(db_url, "invite", group)["code"]
                )
            _sync_old_laptop(fixture, laptop, base, found)  # it takes in the newcomer
            for group in kept:
                if dump(store=newcomer, group_id=group) != dump(store=laptop, group_id=group):
                    found.changed += 1
                    found.add(fixture, f"a new laptop bootstrapped group {group} differently")
        finally:
            laptop.close()
            newcomer.close()
    after, _ = _log(db_url)
    if set(after) != set(kept):
        found.add(fixture, f"the hub holds groups {sorted(after)}, not {sorted(kept)}")
    for group, entries in kept.items():
        if after[group][: len(entries)] != entries:
            found.add(fixture, f"group {group}'s log changed once served")
    found.checked.append(fixture.name)


def _sync_old_laptop(fixture: Fixture, laptop: Store, base: str, found: Found) -> None:
    """Sync each group the old laptop links, with the hub at its new address."""
    with laptop.read() as db:
        links = [hub_links.get_link(db, laptop.sealer, g) for g in hub_links.linked_groups(db)]
        waiting = {g: hub_links.outbox_size(db, g) for g in hub_links.linked_groups(db)}
    if sorted(waiting) != sorted(fixture.content()["hub_log"]):
        found.add(fixture, f"the old laptop links {sorted(waiting)}, not the hub's groups")
    for link in links:
        assert link is not None
        # The same hub, moved: the same log, so the laptop's cursor still holds.
        result = sync_group(laptop, link.group_id, client=HubClient(base, link.token))
        found.refused += result.rejected + len(result.held or ())
        if result.rejected or result.held or result.pushed != waiting[link.group_id]:
            found.add(fixture, f"group {link.group_id}: {result}")
    with laptop.read() as db:
        after = {g: hub_links.get_link(db, laptop.sealer, g) for g in hub_links.linked_groups(db)}
    failed = [g for g, link in after.items() if link is None or link.last_error is not None]
    if failed:
        found.add(fixture, f"groups {failed} still show their last sync failed")


def test_a_hub_from_every_earlier_version_upgrades_and_serves_its_log(
    tmp_path: Path, record_property: RecordProperty
) -> None:
    assert HUB_FIXTURES, "no hub fixtures: run python -m bench.migration_fixtures"

    def check(fixture: Fixture, found: Found) -> None:
        folder = fixture.unpack_hub(tmp_path / fixture.name / "hub")
        db_url = sqlite_url(folder)
        moved = _hub_says(db_url, "migrate")["key_moved"]
        # Hubs before revision 0003 kept their key in the database: it moves out now.
        if moved != (fixture.manifest["hub_revision"] < "0003"):
            found.add(fixture, f"the hub's key moved: {moved}")
        if any(ERASED.encode() in p.read_bytes() for p in folder.glob("hub.db*")):
            found.add(fixture, "an erased telephone number is still in the hub's files")
        _check_upgraded(fixture, db_url, tmp_path / fixture.name, found)

    found = _each(check)
    found.record(record_property)
    assert not found.problems, "\n".join(found.problems)


def _load_into_postgres(sqlite_file: Path, revision: str, pg_url: str) -> None:
    """The SQLite hub's rows in a PostgreSQL database at the same schema revision, as a
    council moving its hub to PostgreSQL would copy them."""
    engine = make_engine(pg_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
        tables = MetaData()
        tables.reflect(engine)
        source = sqlite3.connect(sqlite_file)
        try:
            with engine.begin() as conn:
                for table in tables.sorted_tables:
                    if table.name == "alembic_version":
                        continue
                    names = [c.name for c in table.columns]
                    flags = {c.name for c in table.columns if isinstance(c.type, Boolean)}
                    rows = source.execute(f'SELECT {", ".join(names)} FROM "{table.name}"')
                    values = [
                        {n: bool(v) if n in flags else v for n, v in zip(names, row, strict=True)}
                        for row in rows
                    ]
                    if values:
                        conn.execute(insert(table), values)
        finally:
            source.close()
    finally:
        engine.dispose()


def test_a_hub_from_every_earlier_version_upgrades_on_postgresql(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record_property: RecordProperty
) -> None:
    admin = os.environ.get(PG_URL_VARIABLE, "")
    if not admin:
        print(f"{PG_URL_VARIABLE} is not set, so no hub fixture is loaded into PostgreSQL")
        pytest.skip(f"{PG_URL_VARIABLE} not set: no PostgreSQL here")
    # A hub on PostgreSQL is given its key file by name; an older hub's key moves into it.
    keys: dict[str, Path] = {}
    serve = sync.hub.local.hub_command
    monkeypatch.setattr(
        sync.hub.local,
        "hub_command",
        lambda db_url, *args: [*serve(db_url, *args), "--key", str(keys[db_url])],
    )

    def check(fixture: Fixture, found: Found) -> None:
        folder = fixture.unpack_hub(tmp_path / fixture.name / "hub")
        with postgres_database(admin) as pg_url:
            keys[pg_url] = folder / "hub.key"
            with _ONE_AT_A_TIME:
                _load_into_postgres(folder / "hub.db", fixture.manifest["hub_revision"], pg_url)
            _hub_says(pg_url, "migrate", "--key", str(keys[pg_url]))
            _check_upgraded(fixture, pg_url, tmp_path / fixture.name, found)

    found = _each(check)
    found.record(record_property)
    assert not found.problems, "\n".join(found.problems)


# --- versions that do not speak the same protocol ----------------------------------------


def _old_protocols() -> list[int]:
    """The protocol versions the released laptops sent, other than this one's."""
    sent = {f.manifest["client_protocol"] for f in fixtures()}
    return sorted(p for p in sent if p is not None and p != PROTOCOL)


@pytest.fixture(scope="module")
def todays_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A hub of this version with one group: (base URL, the group's id)."""
    with sqlite_hub(tmp_path_factory.mktemp("today")) as (base, db_url):
        yield base, create_group(db_url, "Allotments")


def test_a_laptop_of_an_earlier_protocol_is_told_in_words_to_update_moot(
    todays_hub: tuple[str, str],
) -> None:
    old = _old_protocols()
    assert old, "no released laptop spoke another protocol"
    base, group = todays_hub
    for version in old:
        # As those laptops sent them (sync/client.py of their day): the header with
        # their version, a token, gzip accepted; they showed the answer's "detail".
        headers = {PROTOCOL_HEADER: str(version), "Accept-Encoding": "gzip"}
        signed_in = headers | {"Authorization": "Bearer an-old-token"}
        asked = [
            requests.get(f"{base}/v1/hub", headers=headers, timeout=30),
            requests.post(
                f"{base}/v1/join", json={"code": "ABCD-EFGH"}, headers=headers, timeout=30
            ),
            requests.get(
                f"{base}/v1/groups/{group}/ops",
                params={"after": 0},
                headers=signed_in,
                timeout=30,
            ),
            requests.post(
                f"{base}/v1/groups/{group}/ops", json={"ops": []}, headers=signed_in, timeout=30
            ),
        ]
        for answer in asked:
            assert answer.status_code == 426, answer.text
            body = ErrorBody.model_validate(answer.json())
            assert body.error == Code.PROTOCOL_MISMATCH
            assert "update Moot" in body.detail
            assert answer.json()["detail"] == body.detail  # what the old laptop shows


class _Answering(BaseHTTPRequestHandler):
    """A hub that answers every request alike: status and body as recorded."""

    status = 426
    body = b"{}"

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the test reads what the laptop says, not the stand-in's log


@contextmanager
def _hub_answering(status: int, body: str) -> Iterator[str]:
    handler = type("Recorded", (_Answering,), {"status": status, "body": body.encode()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_this_laptop_facing_a_hub_of_another_protocol_is_told_what_to_do(
    todays_hub: tuple[str, str], tmp_path: Path
) -> None:
    """A hub newer than this laptop answers as this version's hub answers an older one;
    the releases' hubs answered in their own shape, recorded when their fixtures were made
    (each of those laptops, upgraded, meets the hub it knew, not updated)."""
    base, _group = todays_hub
    newer = requests.get(f"{base}/v1/hub", headers={PROTOCOL_HEADER: str(PROTOCOL - 1)}, timeout=30)
    meetings = [(HUB_FIXTURES[-1], newer.status_code, newer.text, "update Moot")]
    for fixture in HUB_FIXTURES:
        said = fixture.manifest.get("hub_refusal")
        if said and all(said["body"] != body for _, _, body, _ in meetings):
            meetings.append((fixture, said["status"], said["body"], "update the hub"))
    assert len(meetings) > 1, "no released hub refused this laptop's protocol"
    for n, (fixture, status, body, advice) in enumerate(meetings):
        profile = fixture.unpack_laptop(tmp_path / f"laptop{n}")
        with _hub_answering(status, body) as stand_in:
            with _ONE_AT_A_TIME:
                laptop = open_store(profile, use_keyring=False)
            try:
                group = _relink(laptop, stand_in)
                with pytest.raises(ProtocolMismatch, match=advice) as refused:
                    sync_group(laptop, group)
                assert refused.value.code == Code.PROTOCOL_MISMATCH
            finally:
                laptop.close()
            done = run_moot(profile, "sync", group)
        assert done.returncode == 1, done.stdout
        assert "Traceback" not in done.stderr
        [line] = done.stderr.splitlines()
        assert line.startswith("moot: "), line
        assert advice in line, line


def _relink(laptop: Store, hub_url: str) -> str:
    """Point the laptop's first linked group at ``hub_url``; that group."""
    with laptop.write() as db:
        group = hub_links.linked_groups(db)[0]
        link = hub_links.get_link(db, laptop.sealer, group)
        assert link is not None
        hub_links.save_link(db, laptop.sealer, group_id=group, hub_url=hub_url, token=link.token)
    return group
