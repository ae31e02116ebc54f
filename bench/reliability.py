"""The reliability suite: each of its tests run at the size asked, one line each.

    python -m bench.reliability            # the sizes the test suite runs (minutes)
    python -m bench.reliability --soak     # the sizes on demand (hours)
    python -m bench.reliability --only crash --only abuse

Each test is an ordinary test of ``tests/`` (so the suite runs a small copy of it
every time); this runs them with pytest in a subprocess, at the size its environment
variable asks, and reads what each recorded (its count, and what it checks: lost,
twice, server errors…) from pytest's JUnit XML. It prints a line per test and exits
non-zero if any failed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Part:
    name: str
    tests: tuple[str, ...]
    soak: dict[str, str] = field(default_factory=dict)  # environment for the on-demand size


PARTS = (
    Part(
        "faults found",
        (
            "tests/sync/test_hub_refusals.py",
            "tests/sync/test_bundle.py::"
            "test_a_bundle_without_its_groups_start_is_kept_waiting_and_counts_once_it_comes",
            "tests/sync/test_hub_membership.py::test_a_removed_members_invitation_codes_stop_working",
        ),
    ),
    Part(
        "crash injection",
        ("tests/sync/test_crash_injection.py", "tests/sync/test_hub_crash.py"),
        {"MOOT_CRASH_POINTS": "500", "MOOT_HUB_CRASH_POINTS": "500"},
    ),
    Part("network faults", ("tests/sync/test_hub_faults.py",), {"MOOT_FAULT_OPS": "10000"}),
    Part("clock skew", ("tests/sync/test_clock_skew.py",), {"MOOT_SKEW_EXAMPLES": "500"}),
    Part("long offline", ("tests/sync/test_long_offline.py",), {"MOOT_OFFLINE_EXAMPLES": "200"}),
    Part(
        "migrations",
        ("tests/app/test_migration_fixtures.py", "tests/sync/test_hub_migration_fixtures.py"),
    ),
    Part(
        "contract",
        ("tests/sync/test_hub_openapi.py",),
        {"MOOT_OPENAPI_EXAMPLES": "1500"},
    ),
    Part("abuse", ("tests/sync/test_hub_abuse.py",), {"MOOT_ABUSE_BURST": "20000"}),
    Part("fuzzing", ("tests/sync/test_fuzz_decoders.py",), {"MOOT_FUZZ_RUNS": "1000000"}),
    Part("lost laptop", ("tests/sync/test_lost_laptop.py",)),
    Part(
        "convergence",
        (
            "tests/app/test_convergence.py",
            "tests/app/test_membership_convergence.py",
            "tests/app/test_meeting_convergence.py",
        ),
        {"MOOT_CONVERGENCE_EXAMPLES": "2000"},
    ),
)

# What a test may record besides its count, in the order they are printed.
FIGURES = ("lost", "twice", "server_errors", "failures", "crashes", "changed", "found")


@dataclass
class Line:
    part: str
    test: str
    outcome: str
    seconds: float
    properties: dict[str, str]

    def text(self) -> str:
        count = self.properties.get("count")
        unit = self.properties.get("unit", "")
        sized = f"{int(count):>9,} {unit:<9}" if count and count.isdigit() else " " * 19
        figures = " · ".join(f"{k} {self.properties[k]}" for k in FIGURES if k in self.properties)
        extra = [
            f"{k} {v}"
            for k, v in self.properties.items()
            if k not in FIGURES and k not in ("count", "unit")
        ]
        shown = " · ".join(x for x in (figures, *extra) if x)
        return (
            f"{self.part:<16} {self.test[:58]:<58} {sized} {self.outcome:<7} "
            f"{self.seconds:>8.1f} s  {shown}"
        ).rstrip()


def _lines(part: Part, report: Path) -> list[Line]:
    lines = []
    for case in ET.parse(report).getroot().iter("testcase"):
        outcome = "passed"
        for child in case:
            if child.tag in ("failure", "error"):
                outcome = "FAILED"
            elif child.tag == "skipped" and outcome == "passed":
                outcome = "skipped"
        properties = {
            p.get("name", ""): p.get("value", "") for p in case.iter("property") if p.get("name")
        }
        lines.append(
            Line(part.name, case.get("name", "?"), outcome, float(case.get("time", 0)), properties)
        )
    return lines


def run_part(part: Part, *, soak: bool, workers: int, folder: Path) -> tuple[list[Line], str]:
    """Run one part's tests; its lines, and pytest's output if it failed to run them."""
    present = [t for t in part.tests if (REPO / t.split("::")[0]).exists()]
    if not present:
        return [Line(part.name, "(no tests here)", "FAILED", 0.0, {})], ""
    report = folder / f"{part.name.replace(' ', '-')}.xml"
    env = {**os.environ, **(part.soak if soak else {}), "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *present]
    command += [f"--junitxml={report}", "-o", "junit_family=xunit1"]
    if workers > 1:
        command += ["-n", str(workers)]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if not report.exists():
        return [Line(part.name, "(pytest did not run)", "FAILED", 0.0, {})], done.stdout
    lines = _lines(part, report)
    return lines, done.stdout if done.returncode not in (0, 5) else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__)
    parser.add_argument("--soak", action="store_true", help="the sizes on demand (hours)")
    parser.add_argument(
        "--only", action="append", metavar="WORD", help="only the parts whose name has WORD"
    )
    parser.add_argument("-n", "--workers", type=int, default=1, help="pytest-xdist workers")
    args = parser.parse_args(argv)
    parts = [p for p in PARTS if not args.only or any(w in p.name for w in args.only)]
    failed = 0
    start = time.perf_counter()
    print(f"{'part':<16} {'test':<58} {'count':>19} {'result':<7} {'time':>10}  figures")
    with tempfile.TemporaryDirectory() as folder:
        for part in parts:
            lines, output = run_part(
                part, soak=args.soak, workers=args.workers, folder=Path(folder)
            )
            for line in lines:
                print(line.text(), flush=True)
                failed += line.outcome == "FAILED"
            if output and failed:
                print(output[-3000:], file=sys.stderr)
    total = time.perf_counter() - start
    print(f"{failed} failed, {total:.0f} s in all ({'soak' if args.soak else 'suite'} sizes)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
