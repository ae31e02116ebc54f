"""``moot --json``, refused: one JSON object on stderr with the code a script acts on.

Each case is run as a script would run it, and the profile is checked unchanged.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.codes import Code
from app.services import discussions, groups
from app.store import open_store
from tests.hubs import free_port
from tests.moot_cli import ENV, REPO, moot_command, profile_state, run_moot


@dataclass(frozen=True)
class Profile:
    data_dir: Path
    group: str

    def refused(self, *args: str) -> tuple[dict[str, Any], str]:
        """The JSON object on stderr, and what came on stdout (a sync's outcome, say)."""
        done = run_moot(self.data_dir, *args, "--json")
        assert done.returncode == 1, done
        assert len(done.stderr.splitlines()) == 1, done.stderr
        answer: dict[str, Any] = json.loads(done.stderr)
        assert set(answer) == {"error", "message"}
        assert answer["message"]
        return answer, done.stdout

    def state(self) -> dict[str, Any]:
        return profile_state(self.data_dir)


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Profile:
    data_dir = tmp_path_factory.mktemp("laptop")
    store = open_store(data_dir, use_keyring=False)
    try:
        group = groups.create_group(store=store, name="Allotments")
        discussions.start_discussion(store=store, group_id=group, title="Sheds", body="Paint?")
    finally:
        store.close()
    return Profile(data_dir, group)


def _not_a_bundle(folder: Path) -> str:
    path = folder / "minutes.txt"
    path.write_text("Minutes of the last meeting\n")
    return str(path)


CASES: dict[str, tuple[list[str], Code]] = {
    "unknown discussion": (["reply", "01a2-no-such-discussion", "Hello"], Code.NOT_FOUND),
    "empty title": (["discussion", "start", "{group}", "   ", "Body"], Code.INVALID_INPUT),
    "not a bundle": (["bundle", "import", "{not_a_bundle}"], Code.BAD_BUNDLE),
    "export to a missing folder": (
        ["bundle", "export", "{group}", "{nowhere}"],
        Code.FILE_ERROR,
    ),
    "sync of a group with no hub": (["sync", "{group}"], Code.NOT_LINKED),
    "a hub that is down": (["join", "http://127.0.0.1:{port}", "abcdefgh12"], Code.HUB_UNREACHABLE),
}


@pytest.mark.parametrize("case", CASES)
def test_a_refused_command_says_its_code_and_changes_nothing(
    profile: Profile, tmp_path: Path, case: str
) -> None:
    template, code = CASES[case]
    fill = {
        "group": profile.group,
        "not_a_bundle": _not_a_bundle(tmp_path),
        "nowhere": str(tmp_path / "no-such-stick" / "a.moot"),
        "port": str(free_port()),
    }
    before = profile.state()
    answer, out = profile.refused(*(part.format(**fill) for part in template))
    assert answer["error"] == code
    if template[0] == "sync":  # a sync says how each group went, this one too
        assert [g["error"] for g in json.loads(out)["groups"]] == [code]
    else:
        assert out == ""
    assert profile.state() == before


def test_the_readme_lists_every_code() -> None:
    listed = set(re.findall(r"^\| `([a-z_]+)` \|", (REPO / "README.md").read_text(), re.M))
    assert {code.value for code in Code} <= listed


def test_ctrl_c_stops_a_command_with_its_code_and_changes_nothing(profile: Profile) -> None:
    """Interrupted while the hub keeps it waiting: exit 130, ``cancelled``, nothing joined."""
    with socket.socket() as silent:  # takes the connection, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        before = profile.state()
        moot = subprocess.Popen(
            moot_command(profile.data_dir, "join", url, "abcdefgh12", "--json"),
            cwd=REPO,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        waiting, _ = silent.accept()  # the command is now waiting for the hub's answer
        with waiting:
            moot.send_signal(signal.SIGINT)
            out, err = moot.communicate(timeout=60)
    assert moot.returncode == 130
    assert out == ""
    assert json.loads(err)["error"] == Code.CANCELLED
    assert profile.state() == before
