"""How long ``moot-hub backup`` and ``moot-hub restore`` take on a hub holding a big group.

Run from the repository root:

    .venv/bin/python -m bench.backup_bench [--ops 50000] [--postgres URL] [--repeat 3]

It builds one group's signed history with ``bench.apply_bench``, applies it to the
founder's laptop and pushes it straight into ``sync.hub.service`` in this process (as
``bench.hub_bench`` does, no HTTP) on a fresh SQLite hub database, all outside every
timing. Then it times, and prints, the median of ``--repeat`` runs of each step:

- SQLite: ``backup`` (``sync.hub.backup.backup``, SQLite's online backup) to a new
  file, against a plain ``shutil.copyfile`` of the checkpointed ``hub.db``; and
  ``restore`` into a new SQLite file, against a plain copy of the backup file;
- PostgreSQL, with ``--postgres URL`` (or ``MOOT_TEST_PG_URL``): the same history
  pushed into a fresh database made through that URL (its role needs CREATEDB), then
  ``backup`` (``pg_dump`` in its custom format, from an exported snapshot) against
  ``pg_dump --format=custom`` run directly, and ``restore`` into another fresh
  database against ``pg_restore`` of the same archive run directly. Every database it
  makes is dropped afterwards. Without a URL the PostgreSQL part is skipped, saying so.

Files are read from a warm page cache, for the baselines as for the steps they measure.
``restore`` includes everything the command does: its checks of the backup, the load,
migrating and the key's check; the baselines only move the bytes.

It prints figures and never fails on time; it exits non-zero only if a result is wrong:
an op refused while building, or a restored database whose ops per group, or whose op
ids and hashes in ``seq`` order, differ from the original's.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from sqlalchemy import text

from app.store import Store
from bench.apply_bench import Check, Profiles, apply_one_call, build_workload
from bench.hub_bench import log_wire, push_in_process
from sync.hub import backup, pg_tools
from sync.hub.db import make_engine
from sync.hub.local import postgres_database, sqlite_url

PG_URL_VARIABLE = "MOOT_TEST_PG_URL"  # as .ci/run sets it
KEY_VARIABLE = "MOOT_HUB_KEY"  # where an in-process hub keeps its key (sync.hub.settings)
MB = 1_000_000

OpRow = tuple[str, int, str, str]  # group_id, seq, op_id, hash
T = TypeVar("T")


# --- building the hub's content ------------------------------------------------------


@dataclass
class History:
    """The group's history, held by the founder's laptop, as the hub is pushed it."""

    laptop: Store
    group_id: str
    wire: list[dict[str, Any]]


def make_history(root: Path, ops: int, devices: int, seed: int) -> History:
    profiles = Profiles(root)
    start = time.perf_counter()
    work = build_workload(profiles.founder, ops, devices, seed)
    laptop = profiles.fresh()  # the founder's
    local = apply_one_call(laptop, work.ops)
    laptop.clock.observe(local.max_hlc)
    wire = log_wire(laptop, work.group_id)
    print(
        f"history: {len(work.ops):,} ops by {devices} devices, made, signed and applied to"
        f" the founder's laptop in {time.perf_counter() - start:.1f} s (not timed below)",
        flush=True,
    )
    return History(laptop, work.group_id, wire)


@contextmanager
def hub_key_at(path: Path) -> Iterator[None]:
    """The in-process hub keeps its key at ``path`` meanwhile, never in a data folder of
    the user's (where a PostgreSQL hub's key goes by default)."""
    before = os.environ.get(KEY_VARIABLE)
    os.environ[KEY_VARIABLE] = str(path)
    try:
        yield
    finally:
        if before is None:
            del os.environ[KEY_VARIABLE]
        else:
            os.environ[KEY_VARIABLE] = before


def fill_hub(db_url: str, key_file: Path, history: History, label: str) -> list[Check]:
    """Push the whole history into the hub's database in process; checks of the pushes."""
    with hub_key_at(key_file):
        upload = push_in_process(db_url, history.laptop, history.group_id, history.wire)
    accepted = upload.statuses.get("accepted", 0)
    print(
        f"{label} hub filled in process: {upload.ops:,} ops pushed in {upload.seconds:.1f} s"
        f" ({upload.ops_per_s:,.0f} ops/s, not timed below)",
        flush=True,
    )
    return [
        Check(f"{label}: ops accepted", accepted, len(history.wire)),
        Check(f"{label}: ops refused", upload.ops - accepted, 0),
    ]


# --- what a database holds -----------------------------------------------------------


def op_rows(db_url: str) -> list[OpRow]:
    """Every op the hub holds: (group, seq, op id, hash), by group and seq."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT group_id, seq, op_id, hash FROM hub_ops ORDER BY group_id, seq")
            ).all()
    finally:
        engine.dispose()
    return [(str(g), int(s), str(o), str(h)) for g, s, o, h in rows]


def compare(label: str, original: list[OpRow], restored: list[OpRow]) -> list[Check]:
    """The restored database holds the same ops per group, in the same order, as the original."""
    per_group_want = Counter(row[0] for row in original)
    per_group_got = Counter(row[0] for row in restored)
    first_difference = next(
        (i for i, (a, b) in enumerate(zip(original, restored, strict=False)) if a != b),
        None if len(original) == len(restored) else min(len(original), len(restored)),
    )
    return [
        Check(f"{label}: ops per group", dict(per_group_got), dict(per_group_want)),
        Check(
            f"{label}: ids and hashes in seq order",
            "identical" if first_difference is None else f"differ from row {first_difference}",
            "identical",
        ),
    ]


def checkpoint(database: Path) -> None:
    """Write the SQLite database's log home and empty it: the file alone holds it all."""
    with closing(sqlite3.connect(database)) as db:
        busy, _, _ = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise RuntimeError(f"{database} could not be checkpointed: a reader holds it")


# --- timing ----------------------------------------------------------------------------


@dataclass
class Step:
    """One step's runs: what it moved and how long each run took."""

    label: str
    ops: int
    size: int  # bytes of the file written (a backup, a copy) or read (a restore)
    runs: list[float] = field(default_factory=list)
    baseline: Step | None = None

    @property
    def seconds(self) -> float:
        return statistics.median(self.runs)

    @property
    def mb_per_s(self) -> float:
        return self.size / MB / self.seconds


def timed(run: Callable[[], T]) -> tuple[float, T]:
    """Seconds ``run`` took, and what it returned."""
    gc.collect()  # every run starts from the same heap, not the last run's garbage
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def print_steps(title: str, steps: Sequence[Step]) -> None:
    print(f"\n{title}")
    print(
        f"  {'step':<44} {'ops':>8} {'file':>10} {'median s':>9} {'MB/s':>8} {'vs baseline':>12}"
        f"  {'runs, s':<}"
    )
    for step in steps:
        ratio = (
            f"{step.seconds / step.baseline.seconds:.2f}x"
            if step.baseline and step.baseline.seconds > 0
            else "baseline"
        )
        runs = ", ".join(f"{s:.3f}" for s in step.runs)
        print(
            f"  {step.label:<44} {step.ops:>8,} {step.size / MB:>7,.1f} MB {step.seconds:>9.3f}"
            f" {step.mb_per_s:>8,.1f} {ratio:>12}  {runs}"
        )


def time_backups(
    kind: str,
    db_url: str,
    key_file: Path,
    stem: Path,
    repeat: int,
    ops: int,
    baseline: Step,
    plain_copy: Callable[[Path], object],
) -> tuple[Step, Path, list[Check]]:
    """``moot-hub backup`` run ``repeat`` times in turn with ``plain_copy``, its baseline,
    each writing a file of its own beside ``stem``: the step, the first backup (the others
    are removed) and what each backup reported."""
    made = Step("moot-hub backup", ops, 0, baseline=baseline)
    checks: list[Check] = []
    backups: list[Path] = []
    for i in range(repeat):
        plain = stem.with_name(f"{stem.name}-plain-{i}")
        baseline.runs.append(timed(partial(plain_copy, plain))[0])
        baseline.size = plain.stat().st_size
        plain.unlink()
        into = stem.with_name(f"{stem.name}-backup-{i}")
        seconds, report = timed(
            partial(backup.backup, db_url=db_url, key_file=key_file, into=into, force=False)
        )
        made.runs.append(seconds)
        checks.append(Check(f"{kind} backup {i + 1}: ops it reports", report["ops"], ops))
        backups.append(into)
    made.size = backups[0].stat().st_size
    for extra in backups[1:]:
        extra.unlink()
    return made, backups[0], checks


# --- SQLite ----------------------------------------------------------------------------


def on_sqlite(root: Path, history: History, repeat: int) -> list[Check]:
    folder = root / "sqlite-hub"
    folder.mkdir()
    db_url = sqlite_url(folder)
    database = folder / "hub.db"
    key_file = folder / "hub.key"
    checks = fill_hub(db_url, key_file, history, "SQLite")
    original = op_rows(db_url)
    ops = len(original)
    checkpoint(database)

    copy = Step("baseline: shutil.copyfile of hub.db", ops, 0)
    made, source, checked = time_backups(
        "SQLite", db_url, key_file, root / "sqlite", repeat, ops,
        copy, partial(shutil.copyfile, database),
    )  # fmt: skip
    checks += checked

    copy_back = Step("baseline: shutil.copyfile of the backup", ops, made.size)
    restored = Step("moot-hub restore into a new file", ops, made.size, baseline=copy_back)
    for i in range(repeat):
        plain = root / f"sqlite-copy-back-{i}.db"
        copy_back.runs.append(timed(partial(shutil.copyfile, source, plain))[0])
        plain.unlink()
        target = root / f"sqlite-restored-{i}"
        target.mkdir()
        target_url = sqlite_url(target)
        seconds, report = timed(
            partial(
                backup.restore, db_url=target_url, key_file=key_file, source=source, force=False
            )
        )
        restored.runs.append(seconds)
        checks.append(Check(f"SQLite restore {i + 1}: ops it reports", report["ops"], ops))
        checks += compare(f"SQLite restore {i + 1}", original, op_rows(target_url))
        shutil.rmtree(target)

    print_steps(
        f"SQLite: median of {repeat} runs (file: what the step writes; for a restore, the"
        " backup it reads)",
        [copy, made, copy_back, restored],
    )
    return checks


# --- PostgreSQL ------------------------------------------------------------------------


def pg_server_version(admin_url: str) -> str:
    with psycopg.connect(admin_url) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "?"


def tool_version(name: str) -> str:
    done = subprocess.run(
        [pg_tools.tool(name), "--version"], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def on_postgres(root: Path, history: History, repeat: int, admin_url: str) -> list[Check]:
    key_file = root / "pg-hub.key"
    with postgres_database(admin_url) as db_url:
        checks = fill_hub(db_url, key_file, history, "PostgreSQL")
        original = op_rows(db_url)
        ops = len(original)
        address = pg_tools.Address.of(db_url)

        raw = Step("baseline: pg_dump --format=custom", ops, 0)
        made, source, checked = time_backups(
            "PostgreSQL", db_url, key_file, root / "pg", repeat, ops,
            raw, partial(pg_tools.dump, address),
        )  # fmt: skip
        checks += checked

    raw_back = Step("baseline: pg_restore --single-transaction", ops, made.size)
    restored = Step("moot-hub restore into a new database", ops, made.size, baseline=raw_back)
    for i in range(repeat):
        with postgres_database(admin_url) as target_url:
            target = pg_tools.Address.of(target_url)
            raw_back.runs.append(timed(partial(pg_tools.restore, target, source, clean=False))[0])
        with postgres_database(admin_url) as target_url:
            seconds, report = timed(
                partial(
                    backup.restore, db_url=target_url, key_file=key_file, source=source, force=False
                )
            )
            restored.runs.append(seconds)
            checks.append(Check(f"PostgreSQL restore {i + 1}: ops it reports", report["ops"], ops))
            checks += compare(f"PostgreSQL restore {i + 1}", original, op_rows(target_url))

    print_steps(
        f"PostgreSQL: median of {repeat} runs (file: what the step writes; for a restore,"
        " the backup it reads)",
        [raw, made, raw_back, restored],
    )
    return checks


# --- main ------------------------------------------------------------------------------


def print_checks(checks: Sequence[Check]) -> None:
    print("\nchecks")
    for c in checks:
        mark = "ok" if c.ok else "WRONG"
        print(f"  {mark:<5} {c.name:<44} {c.got!s}" + ("" if c.ok else f"  (want {c.want})"))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--ops", type=int, default=50_000, help="ops in the group's history")
    parser.add_argument("--devices", type=int, default=40, help="devices writing the history")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed step")
    parser.add_argument(
        "--postgres",
        default=os.environ.get(PG_URL_VARIABLE, ""),
        help=f"PostgreSQL URL whose role may create databases (default ${PG_URL_VARIABLE})",
    )
    parser.add_argument("--seed", type=int, default=7, help="seed for the made-up content")
    args = parser.parse_args(argv)
    if args.devices < 2 or args.ops < args.devices + 8 or args.repeat < 1:
        parser.error("need at least 2 devices, enough ops to found and admit, and 1 run")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    postgres = "not given"
    skip_pg = ""
    if not args.postgres:
        skip_pg = f"no --postgres URL given and ${PG_URL_VARIABLE} is not set"
    else:
        try:
            postgres = f"{pg_server_version(args.postgres)}, {tool_version('pg_dump')}"
        except (psycopg.Error, pg_tools.ToolFailed, subprocess.CalledProcessError) as exc:
            skip_pg = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0]}"
            postgres = "unusable"
    print(
        f"Moot hub backup benchmark · Python {sys.version.split()[0]}"
        f" · SQLite {sqlite3.sqlite_version} · PostgreSQL {postgres} · {os.cpu_count()} CPUs",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="moot-backup-bench-") as folder:
        root = Path(folder)
        history = make_history(root, args.ops, args.devices, args.seed)
        try:
            checks = on_sqlite(root, history, args.repeat)
            if skip_pg:
                print(f"\nPostgreSQL: skipped ({skip_pg})")
                if args.postgres:  # asked for, and not to be had: said as a failure
                    checks.append(Check("PostgreSQL at the URL given", "unusable", "usable"))
            else:
                checks += on_postgres(root, history, args.repeat, args.postgres)
        finally:
            history.laptop.close()
    print_checks(checks)
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
