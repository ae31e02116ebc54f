"""A profile made by every earlier version of Moot opens under this one as it was left:
its op log op for op, everything its own ``moot dump`` showed, a state its log rebuilds
byte for byte, and a laptop that still takes a reply.

The profiles are fixtures made by the released versions themselves
(``bench/migration_fixtures.py``, which also says when to add one): two laptops wrote a
varied history with what each version offered, and the manifest beside each profile
keeps what that version held and printed.

The logs of the first day's versions (before "Harden merging against hostile ops",
ea24ebf) are not taken in by today's checks; that known fault is kept visible below.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest

from app.apply import ingest, read_log
from app.dump import dump
from app.errors import InvalidOp
from app.services import discussions, groups
from app.store import Store, open_store
from bench.migration_fixtures import Fixture, fixtures
from tests.support import RecordProperty, record_figures

FIXTURES = fixtures()

# Columns renamed since an older version printed its dump: the value is kept under the
# new name. App migration 0004 renamed an invitation's token_hash to invite_key.
RENAMED = {("invitations", "token_hash"): "invite_key"}


def _legacy_log(fixture: Fixture) -> bool:
    """Whether the log holds ops from before an entity's id was its op's id (the first
    day's versions): such a create, arriving now, could claim an entity already made."""
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(fixture.unpack_laptop(Path(folder)) / "moot.db")
        try:
            found = db.execute(
                "SELECT 1 FROM ops WHERE action = 'create' AND entity != id LIMIT 1"
            ).fetchone()
        finally:
            db.close()
    return found is not None


LEGACY = [f for f in FIXTURES if _legacy_log(f)]


def _opened(fixture: Fixture, folder: Path) -> Store:
    """The fixture's profile, copied to ``folder`` and opened (so migrated) by this version."""
    return open_store(fixture.unpack_laptop(folder), use_keyring=False)


def _missing(old_dump: dict[str, Any], new_dump: dict[str, Any]) -> list[str]:
    """What the older version's dump showed that the upgraded profile's no longer does.

    Only what the older version printed is compared: tables and columns added since
    are not in it, and a column renamed since is read under its new name.
    """
    lost = []
    for table, old in old_dump.items():
        new = new_dump.get(table)
        old_rows, new_rows = ([old], [new]) if isinstance(old, dict) else (old, new)
        if not isinstance(new_rows, list) or len(new_rows) != len(old_rows):
            lost.append(f"{table}: {len(old_rows)} rows before, now {new!r:.200}")
            continue
        for old_row, new_row in zip(old_rows, new_rows, strict=True):
            for column, value in old_row.items():
                now = new_row.get(RENAMED.get((table, column), column))
                if now != value:
                    lost.append(f"{table}.{column}: {value!r:.100} is now {now!r:.100}")
    return lost


def test_a_profile_from_every_earlier_version_keeps_its_log_and_content(
    tmp_path: Path, record_property: RecordProperty
) -> None:
    assert FIXTURES, "no fixtures: run python -m bench.migration_fixtures"
    problems: list[str] = []
    lost_ops = changed_groups = 0
    for fixture in FIXTURES:
        content = fixture.content()
        store = _opened(fixture, tmp_path / fixture.name)
        try:
            with store.read() as db:
                [verdict] = db.execute("PRAGMA integrity_check").fetchone()
                log = dict(db.execute("SELECT id, hash FROM ops").fetchall())
            if verdict != "ok":
                problems.append(f"{fixture.name}: integrity check says {verdict}")
            wanted = {op_id: content["hashes"][op_id] for op_id in content["laptop_ops"]}
            if log != wanted:
                gone = [i for i in wanted if log.get(i) != wanted[i]]
                lost_ops += len(gone)
                extra = sorted(set(log) - set(wanted))
                problems.append(f"{fixture.name}: ops lost or changed {gone}, new {extra}")
            for group_id, printed in content["dumps"].items():
                kept = fixture.manifest["laptop"]["groups"][group_id]["dump_sha256"]
                if hashlib.sha256(printed.encode()).hexdigest() != kept:
                    problems.append(f"{fixture.name}: group {group_id}'s dump is not the one made")
                missing = _missing(
                    json.loads(printed), json.loads(dump(store=store, group_id=group_id))
                )
                if missing:
                    changed_groups += 1
                    problems.append(f"{fixture.name}: group {group_id} lost {missing[:5]}")
            problems += [f"{fixture.name}: {p}" for p in _still_works(store)]
        finally:
            store.close()
    record_figures(
        record_property,
        count=len(FIXTURES),
        unit="versions",
        lost=lost_ops,
        changed=changed_groups,
        failures=len(problems),
    )
    assert not problems, "\n".join(problems)


def _still_works(store: Store) -> list[str]:
    """Reply in the first group's welcome thread and read the reply back."""
    [allotments] = [g for g in groups.list_groups(store=store) if g.name == "Mill Lane Allotments"]
    [welcome] = [
        d
        for d in discussions.list_discussions(store=store, group_id=allotments.id)
        if d.title == "Welcome to the allotments"
    ]
    post = discussions.reply(
        store=store, discussion_id=welcome.id, body="Still here after the upgrade."
    )
    shown = discussions.thread(store=store, discussion_id=welcome.id)
    if [(p.id, p.body, p.author_name) for p in shown[-1:]] != [
        (post, "Still here after the upgrade.", "Ann Organiser")
    ]:
        return [f"the reply written after the upgrade reads back as {shown[-1:]}"]
    return []


def _rebuilt_differently(fixture: Fixture, folder: Path) -> list[str]:
    """The groups whose upgraded state differs from what this version builds from the
    same log in a new profile: "the same content hashes", or not."""
    store = _opened(fixture, folder / "upgraded")
    rebuilt = open_store(folder / "rebuilt", use_keyring=False)
    try:
        with store.read() as db:
            log = read_log(db, store.sealer)
        with rebuilt.write() as db:
            ingest(db, log, sealer=rebuilt.sealer)
        return [
            group.id
            for group in groups.list_groups(store=store)
            if dump(store=rebuilt, group_id=group.id) != dump(store=store, group_id=group.id)
        ]
    finally:
        store.close()
        rebuilt.close()


def test_every_upgraded_profile_holds_what_its_log_rebuilds(
    tmp_path: Path, record_property: RecordProperty
) -> None:
    """The state the old version built, carried over by the migrations, is byte for byte
    what this version builds from the same log."""
    checked = [f for f in FIXTURES if f not in LEGACY]
    problems = []
    for fixture in checked:
        differ = _rebuilt_differently(fixture, tmp_path / fixture.name)
        problems += [f"{fixture.name}: group {g} differs from its log rebuilt" for g in differ]
    record_figures(record_property, count=len(checked), unit="versions", changed=len(problems))
    assert not problems, "\n".join(problems)


@pytest.mark.xfail(
    strict=True,
    raises=InvalidOp,
    reason="a known fault: ops written before an entity's id was its op's id (and invitations "
    "kept by token) are refused by today's checks, so no other laptop or hub takes such a log",
)
def test_a_log_from_before_ids_were_bound_is_rebuilt_too(tmp_path: Path) -> None:
    assert LEGACY
    for fixture in LEGACY:
        assert _rebuilt_differently(fixture, tmp_path / fixture.name) == []
