"""How fast a long meeting opens and prints on a big profile.

Run from the repository root:

    .venv/bin/python -m bench.meetings_bench [--ops 100000] [--items 40] [--words 2000]

It applies a group history of ``--ops`` signed ops (as ``bench.apply_bench`` builds
it) to a fresh profile, calls a meeting in that group with ``--items`` agenda items
and ``--words`` words of minutes (with declarations, resolutions and actions), then
times, as medians:

- reading the meeting as its page shows it (``read_meeting``: one transaction,
  everything in it), goal under 100 ms;
- opening it on the window's Meetings page, offscreen: from the click on its row until
  the page shows it (the worker's read and the page's drawing of the agenda,
  attendance and record), goal under 100 ms;
- printing its minutes to PDF (``render_pdf``), goal under 2 s;

beside baselines from the same run: the bare SQLite reads of the meeting's rows, and
WeasyPrint making a one-paragraph PDF. It never fails on time.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence

from app.papers import render_pdf
from app.papers.pdf import html_to_pdf
from app.services import meetings
from app.store import Store
from bench.apply_bench import Prose, big_profile
from bench.papers_bench import ONE_PARAGRAPH

GOAL_OPEN_S = 0.100
GOAL_PDF_S = 2.0


def median_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def long_meeting(store: Store, group_id: str, items: int, words: int, seed: int) -> str:
    """A meeting of ``items`` items sharing ``words`` words of minutes, made as a clerk would."""
    rnd = random.Random(seed)
    prose = Prose(rnd)
    meeting = meetings.create_meeting(
        store=store, group_id=group_id, title="Annual parish meeting",
        starts_at="2027-05-13T19:00", place="Village hall",
    )  # fmt: skip
    view = meetings.read_meeting(store=store, meeting_id=meeting)
    item_ids = [i.id for i in view.items]
    while len(item_ids) < items:
        title = f"Item {len(item_ids) + 1}: {prose.title()}"
        item_ids.append(meetings.add_item(store=store, meeting_id=meeting, title=title))
    per_item = max(words // items, 1)
    me = store.device_id
    for n, item in enumerate(item_ids):
        text = " ".join(prose.body().split()[:per_item])
        while len(text.split()) < per_item:
            text += " " + prose.body()
        meetings.set_minutes(
            store=store, item_id=item, text=" ".join(text.split()[:per_item]) + "\n"
        )
        if n % 4 == 0:
            meetings.resolve(
                store=store, item_id=item, text=f"that {prose.title().lower()}",
                votes_for=5, votes_against=2, abstain=1,
            )  # fmt: skip
        if n % 5 == 0:
            meetings.add_action(store=store, item_id=item, text=prose.title(), owner=me)
        if n % 10 == 0:
            meetings.declare(
                store=store, item_id=item, member=me, kind="non_registrable",
                nature="Lives nearby",
            )  # fmt: skip
    return meeting


def window_opens(store: Store, group_id: str, meeting_id: str, other: str, runs: int) -> float:
    """Median time for the Meetings page to show the meeting, offscreen.

    It opens another meeting between runs, so every run reads and draws the long one
    afresh; each run ends once the page shows it and its worker is idle.
    """
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ui.context import AppContext
    from ui.pages.meetings import MeetingsPage

    app = QApplication.instance() or QApplication([])
    ctx = AppContext(store)
    ctx.select_group(group_id)
    page = MeetingsPage(ctx)
    page.resize(1200, 760)
    page.show()

    def shown(wanted: str) -> None:
        while page.view is None or page.view.id != wanted or ctx.tasks.busy():
            app.processEvents()
            time.sleep(0.0005)

    times = []
    for _ in range(runs):
        page.open(other)
        shown(other)
        start = time.perf_counter()
        page.open(meeting_id)
        shown(meeting_id)
        times.append(time.perf_counter() - start)
    page.close()
    return statistics.median(times)


def raw_reads(db: sqlite3.Connection, meeting_id: str) -> None:
    """The baseline: the meeting's rows read straight from SQLite, with no composing."""
    with db:
        db.execute("SELECT * FROM meetings WHERE id = ?", (meeting_id,)).fetchall()
        items = db.execute(
            "SELECT id, title, minutes FROM meeting_items WHERE meeting_id = ?", (meeting_id,)
        ).fetchall()
        for table in ("declarations", "resolutions", "actions"):
            db.execute(
                f"SELECT * FROM {table} WHERE item_id IN"
                " (SELECT id FROM meeting_items WHERE meeting_id = ?)",
                (meeting_id,),
            ).fetchall()
        assert items


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.meetings_bench")
    parser.add_argument("--ops", type=int, default=100_000, help="ops in the group's history")
    parser.add_argument("--devices", type=int, default=40)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--words", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with big_profile(args.ops, args.devices, args.seed, "moot-meetings-bench-") as (store, work):
        start = time.perf_counter()
        meeting = long_meeting(store, work.group_id, args.items, args.words, args.seed)
        view = meetings.read_meeting(store=store, meeting_id=meeting)
        words = sum(len(i.minutes.split()) for i in view.items)
        print(
            f"meeting: {len(view.items)} items, {words:,} words of minutes, made in"
            f" {time.perf_counter() - start:.1f} s"
        )
        opened = median_of(
            args.runs, lambda: meetings.read_meeting(store=store, meeting_id=meeting)
        )
        other = meetings.create_meeting(
            store=store, group_id=work.group_id, title="Planning committee",
            starts_at="2027-06-10T19:00",
        )  # fmt: skip
        shown = window_opens(store, work.group_id, meeting, other, args.runs)
        db = sqlite3.connect(store.settings.data_dir / "moot.db")
        raw = median_of(args.runs, lambda: raw_reads(db, meeting))
        db.close()
        first = median_of(1, lambda: render_pdf("minutes", view))
        pdf = median_of(args.pdf_runs, lambda: render_pdf("minutes", view))
        fixed = median_of(args.pdf_runs, lambda: html_to_pdf(ONE_PARAGRAPH))
    met_open = "goal met" if opened < GOAL_OPEN_S else "GOAL MISSED"
    met_pdf = "goal met" if pdf < GOAL_PDF_S else "GOAL MISSED"
    met_shown = "goal met" if shown < GOAL_OPEN_S else "GOAL MISSED"
    print(f"open the meeting (read_meeting), median: {opened * 1000:.1f} ms"
          f" (goal {GOAL_OPEN_S * 1000:.0f} ms: {met_open})")  # fmt: skip
    print(f"  baseline, its rows read raw from SQLite: {raw * 1000:.1f} ms"
          f" (read_meeting/raw {opened / max(raw, 1e-9):.1f}x)")  # fmt: skip
    print(f"open it on the Meetings page (read and drawn), median: {shown * 1000:.1f} ms"
          f" (goal {GOAL_OPEN_S * 1000:.0f} ms: {met_shown};"
          f" drawing/read_meeting {shown / max(opened, 1e-9):.1f}x)")  # fmt: skip
    print(f"minutes to PDF, median: {pdf:.2f} s (goal {GOAL_PDF_S:.0f} s: {met_pdf});"
          f" the first in the process {first:.2f} s")  # fmt: skip
    print(f"  baseline, a one-paragraph PDF: {fixed:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
