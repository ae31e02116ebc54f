"""Time for clock tests: one world clock the test moves on, and laptops and a hub that
read it with an error of their own, so no test sleeps for real time.

A laptop's clock is its store's ``HybridClock`` (every stamp it makes, and what it
counts as too far ahead, come from it); a hub's is the wall clock of its process, so a
hub made here runs with the process clock shifted by what the world has moved on:

    world = World(folder)
    laptop = Laptop(store, world, offset=DAY_MS)  # its clock a day fast
    with world_hub(folder, world) as (url, db):
        world.pass_time(2 * DAY_MS)  # two days pass, on the hub and on every laptop
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import sync.hub.local
from app.clock import DAY_MS, HybridClock, wall_ms
from app.store import Store
from sync.hub import cli as hub_cli_module

HOUR_MS = 3_600_000

# Run as the hub process: its wall clock is moved on by the milliseconds in a file the
# test writes, read afresh at every look at the time.
_SHIFTED_HUB = """
import runpy, sys, time
from pathlib import Path
_real, _shift = time.time_ns, Path(sys.argv.pop(1))
time.time_ns = lambda: _real() + int(_shift.read_text() or 0) * 1_000_000
sys.argv[0] = "moot-hub"
runpy.run_module("sync.hub.cli", run_name="__main__", alter_sys=True)
"""


class World:
    """The real time of a story: now, plus what the test has let pass."""

    def __init__(self, folder: Path) -> None:
        self.shift_file = folder / "time-passed-ms"
        self.reset()

    def reset(self) -> None:
        self.passed_ms = 0
        self.shift_file.write_text("0")

    def pass_time(self, ms: int) -> None:
        self.passed_ms += ms
        self.shift_file.write_text(str(self.passed_ms))

    def now_ms(self) -> int:
        return wall_ms() + self.passed_ms


@dataclass
class Laptop:
    """A profile whose wall clock is ``offset`` ms off the world's; set ``offset`` to move it."""

    name: str
    store: Store
    world: World
    offset: int = 0

    def __post_init__(self) -> None:
        self.store.clock = HybridClock(self.store.clock.last, now_ms=self.wall_ms)

    def wall_ms(self) -> int:
        return self.world.now_ms() + self.offset

    def put_clock_right(self) -> None:
        self.offset = 0


@contextmanager
def world_hub(folder: Path, world: World) -> Iterator[tuple[str, str]]:
    """A real hub on loopback whose clock is the world's: (base URL, database URL)."""

    def command(db_url: str, *args: str) -> list[str]:
        return [sys.executable, "-c", _SHIFTED_HUB, str(world.shift_file), "--db", db_url, *args]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sync.hub.local, "hub_command", command)
        with sync.hub.local.sqlite_hub(folder) as hub:
            yield hub


def hub_says(db_url: str, *args: str) -> dict[str, Any]:
    """A ``moot-hub`` command run in this process (a process of its own takes seconds)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = hub_cli_module.main(["--db", db_url, *args, "--json"])
    assert code == 0, f"moot-hub {' '.join(args)} failed"
    answer: dict[str, Any] = json.loads(out.getvalue())
    return answer


__all__ = ["DAY_MS", "HOUR_MS", "Laptop", "World", "hub_says", "world_hub"]
