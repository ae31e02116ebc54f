"""``moot sync`` as a scheduled script sees it: every group's outcome, and the exit code."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from app import hub_links
from app.logs import LOG_FILE
from app.services import discussions
from app.store import Store
from sync import hubs
from sync.engine import sync_group
from tests.hubs import create_group, make_invite, sqlite_hub
from tests.moot_cli import run_moot


def test_moot_sync_says_how_each_group_went_and_fails_if_one_did(
    make_store: Callable[[str], Store], tmp_path: Path
) -> None:
    with sqlite_hub(tmp_path) as (url, db):
        first, second = create_group(db, "Allotments"), create_group(db, "Bowls Club")
        ann, bob = make_store("ann"), make_store("bob")
        for group_id in (first, second):
            hubs.join_hub(store=ann, hub_url=url, code=make_invite(db, group_id, role="organiser"))
            hubs.join_hub(store=bob, hub_url=url, code=make_invite(db, group_id))
        discussions.start_discussion(store=ann, group_id=second, title="Greens", body="Mow?")
        sync_group(ann, second)
        with bob.write() as conn:  # the hub no longer knows bob's token for Allotments
            hub_links.save_link(conn, bob.sealer, group_id=first, hub_url=url, token="revoked")
        bob.close()
        data_dir = bob.settings.data_dir

        plain = run_moot(data_dir, "sync")
        assert plain.returncode == 1
        lines = sorted(plain.stdout.splitlines())  # groups come in the order of their ids
        assert len(lines) == 2
        assert lines[0].startswith("Allotments: not synced: ")
        assert lines[1].startswith("Bowls Club: sent 0 changes and received ")
        assert plain.stderr.startswith("moot: Allotments: ")
        assert len(plain.stderr.splitlines()) == 1

        as_json = run_moot(data_dir, "sync", "--json")
        assert as_json.returncode == 1
        answer = json.loads(as_json.stdout)
        by_name = {g["group_name"]: g for g in answer["groups"]}
        assert by_name["Allotments"]["synced"] is False
        assert by_name["Allotments"]["error"]
        assert by_name["Bowls Club"]["synced"] is True
        assert by_name["Bowls Club"]["error"] is None

        only = run_moot(data_dir, "sync", second, "--json")
        assert only.returncode == 0, only.stderr
        assert [g["group_name"] for g in json.loads(only.stdout)["groups"]] == ["Bowls Club"]
        assert "failed" in (data_dir / LOG_FILE).read_text()  # the failure is in the log
