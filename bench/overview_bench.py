"""How fast the organiser's overview is worked out on a big profile.

Run from the repository root:

    .venv/bin/python -m bench.overview_bench [--ops 100000] [--devices 40] [--runs 9]

It applies a group history of ``--ops`` signed ops (as ``bench.apply_bench`` builds
it) to a fresh profile, on the founder's (an organiser's) laptop, then times, as
medians:

- working out the group's overview (``overview``: every list and figure, in one read
  transaction);
- opening the Overview place, offscreen: from asking the page for it until the page
  shows every figure, the chart and the lists, goal under 300 ms;

beside a baseline from the same run: one bare SQLite pass over the group's ops and
posts (what any answer to "who was active when" has to read). It never fails on time.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from collections.abc import Sequence

from app.services import overview
from app.store import Store
from bench.apply_bench import big_profile
from bench.meetings_bench import median_of

GOAL_S = 0.300


def page_opens(store: Store, group_id: str, runs: int) -> float:
    """Median time for the Overview page to show the group, offscreen."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.context import AppContext
    from ui.pages.overview import OverviewPage

    app = QApplication.instance() or QApplication([])
    ctx = AppContext(store)
    ctx.select_group(group_id)
    page = OverviewPage(ctx)
    page.resize(1200, 760)
    page.show()
    times: list[float] = []
    for _ in range(runs):
        page.seen = None
        start = time.perf_counter()
        page.reload()
        while page.seen is None or ctx.tasks.busy():
            app.processEvents()
            time.sleep(0.0005)
        times.append(time.perf_counter() - start)
    assert page.body.isVisible(), "the bench's laptop should be an organiser's"
    page.close()
    return statistics.median(times)


def raw_pass(db: sqlite3.Connection, group_id: str) -> None:
    db.execute("SELECT device, MAX(hlc) FROM ops WHERE group_id = ? GROUP BY device", (group_id,))
    db.execute("SELECT COUNT(*), MAX(created_hlc) FROM posts WHERE group_id = ?", (group_id,))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.overview_bench")
    parser.add_argument("--ops", type=int, default=100_000, help="ops in the group's history")
    parser.add_argument("--devices", type=int, default=40)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with big_profile(args.ops, args.devices, args.seed, "moot-overview-bench-") as (store, work):
        seen = overview.overview(store=store, group_id=work.group_id)
        took = median_of(args.runs, lambda: overview.overview(store=store, group_id=work.group_id))
        shown = page_opens(store, work.group_id, args.runs)
        db = sqlite3.connect(store.settings.data_dir / "moot.db")
        raw = median_of(args.runs, lambda: raw_pass(db, work.group_id))
        db.close()
    posts = sum(w.posts for w in seen.posts_per_week)
    print(
        f"overview: {seen.members} members, {len(seen.unanswered)} unanswered,"
        f" {len(seen.open_polls)} open polls, {posts:,} posts in the pulse's weeks"
    )
    met = "goal met" if shown < GOAL_S else "GOAL MISSED"
    print(f"work out the overview, median: {took * 1000:.1f} ms")
    print(
        f"open the Overview place (read and drawn), median: {shown * 1000:.1f} ms"
        f" (goal {GOAL_S * 1000:.0f} ms: {met}; drawing/reading {shown / max(took, 1e-9):.1f}x)"
    )
    print(
        f"  baseline, one bare pass over the group's ops and posts: {raw * 1000:.1f} ms"
        f" (overview/raw {took / max(raw, 1e-9):.1f}x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
