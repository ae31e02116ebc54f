"""An installed Moot upgraded over the previous release: the laptop's profile folder and
the hub's database, left where that release kept them, are taken over in place by the
commands a clerk and a council's IT team run (``moot``, ``moot-hub migrate``,
``moot-hub serve``), and nothing anyone wrote is lost on the way.

The previous release is the newest migration fixture (``bench/migration_fixtures.py``):
a profile and a hub database as that release's own code left them, with one change the
laptop had not sent yet. ``tests/app/test_migration_fixtures.py`` and
``tests/sync/test_hub_migration_fixtures.py`` upgrade every older release too, in this
process; here it is the installed console scripts, one process each, as in real life.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.migration_fixtures import Fixture, fixtures
from sync.hub.local import running_hub, sqlite_url
from tests.moot_cli import ENV, REPO

BIN = Path(sys.executable).parent  # where the virtualenv installed the console scripts


def _previous_release() -> Fixture:
    released = [f for f in fixtures() if f.has_hub]
    assert released, "no fixtures: run python -m bench.migration_fixtures"
    return released[-1]


def _run(command: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / command), *args],
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def _json(command: str, *args: str) -> Any:
    done = _run(command, *args, "--json")
    assert done.returncode == 0, f"{command} {' '.join(args)}: {done.stderr}"
    return json.loads(done.stdout)


def _dump(profile: Path, group_id: str) -> str:
    done = _run("moot", "--data-dir", str(profile), "dump", group_id)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_previous_release_upgrades_in_place_and_syncs(tmp_path: Path) -> None:
    release = _previous_release()
    content = release.content()
    groups = release.manifest["laptop"]["groups"]
    laptop = release.unpack_laptop(tmp_path / "laptop")
    hub_db = sqlite_url(release.unpack_hub(tmp_path / "hub"))

    # The council upgrades first, as the systemd unit does before it serves.
    assert _json("moot-hub", "migrate", "--db", hub_db)["migrated"] is True
    assert _json("moot-hub", "migrate", "--db", hub_db) == {"migrated": True, "key_moved": False}

    # The clerk's laptop opens the old profile: every group reads as the old release printed it.
    listed = _json("moot", "--data-dir", str(laptop), "group", "list")
    assert sorted(g["name"] for g in listed) == sorted(g["name"] for g in groups.values())
    for group_id, printed in content["dumps"].items():
        assert _dump(laptop, group_id).strip() == printed.strip()

    with running_hub(hub_db) as base:
        # The same hub at the address it always had: here a new port, so the link follows it.
        with sqlite3.connect(laptop / "moot.db") as db:
            db.execute("UPDATE hub_links SET hub_url = ?", (base,))
        db.close()
        synced = _json("moot", "--data-dir", str(laptop), "sync")
        assert [(g["synced"], g["rejected"]) for g in synced["groups"]] == [(True, 0)] * len(groups)
        assert synced["pushed"] == 1  # the change the old release had not sent yet

        newcomer = tmp_path / "newcomer"
        for group_id in groups:
            code = _json("moot-hub", "invite", group_id, "--db", hub_db)["code"]
            _json("moot", "--data-dir", str(newcomer), "join", base, code)
        again = _json("moot", "--data-dir", str(laptop), "sync")
        assert [(g["synced"], g["rejected"]) for g in again["groups"]] == [(True, 0)] * len(groups)
        for group_id in groups:
            assert _dump(newcomer, group_id) == _dump(laptop, group_id)
