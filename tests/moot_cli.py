"""The ``moot`` command as tests run it: a real process, on a profile of its own.

Each call starts Python afresh (about half a second), so tests group their checks
into a few stories rather than one process per assertion.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.store import open_store
from tests.support import snapshot

REPO = Path(__file__).resolve().parents[1]
# The profile is named on the command line, and keys stay in files, never the keyring.
ENV = {k: v for k, v in os.environ.items() if k != "MOOT_DATA_DIR"} | {"MOOT_KEYRING": "0"}


def moot_command(data_dir: Path, *args: object) -> list[str]:
    return [sys.executable, "-m", "ui.main", "--data-dir", str(data_dir), *map(str, args)]


def run_moot(
    data_dir: Path, *args: object, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        moot_command(data_dir, *args),
        cwd=REPO,
        env=ENV,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )


def profile_state(data_dir: Path) -> dict[str, Any]:
    """Everything a refused command must leave alone (read in this process)."""
    store = open_store(data_dir, use_keyring=False)
    try:
        return snapshot(store)
    finally:
        store.close()


@dataclass
class Laptop:
    """One profile, driven only through the ``moot`` command."""

    data_dir: Path

    def call(self, *args: object) -> subprocess.CompletedProcess[str]:
        return run_moot(self.data_dir, *args)

    def ok(self, *args: object) -> str:
        proc = self.call(*args)
        assert proc.returncode == 0, f"moot {args} failed: {proc.stderr}"
        assert proc.stderr == ""
        return proc.stdout

    def json(self, *args: object) -> Any:
        out = self.ok(*args, "--json")
        return json.loads(out) if out.strip() else None

    def refused(self, *args: object) -> str:
        """Run a command that must fail; return its one line of explanation."""
        proc = self.call(*args)
        assert proc.returncode != 0, f"moot {args} should have failed: {proc.stdout}"
        assert proc.stdout == ""
        lines = proc.stderr.splitlines()
        assert len(lines) == 1, f"expected one line on stderr, got: {proc.stderr!r}"
        assert lines[0].startswith("moot: ")
        return lines[0]

    def dump(self, group_id: str) -> str:
        return self.ok("dump", group_id)

    def state(self) -> dict[str, Any]:
        return profile_state(self.data_dir)


class Clerk(Laptop):
    """A laptop whose refused commands must also leave its profile as it was."""

    def refused(self, *args: object) -> str:
        """The one line a refused command says, having changed nothing."""
        before = self.state()
        line = super().refused(*args)
        assert self.state() == before
        return line
