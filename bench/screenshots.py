"""Pictures of the main views, taken from the app itself running on the sample group.

Run from the repository root:

    .venv/bin/python -m bench.screenshots [--out resources/screenshots] [--size 1280x800]

It builds the sample group (``app.demo.build_demo``) in a temporary profile, starts the
app on it the way ``moot --data-dir`` does, and goes where a person would through the
window's public moves (``navigate``, ``open_item``, typing into ``search``), saving a
PNG of each view. A last picture shows the app on an empty profile: what someone sees
the very first time. Qt's offscreen platform draws everything unless QT_QPA_PLATFORM
says otherwise (``xvfb-run -a env QT_QPA_PLATFORM=xcb …`` for a real X server).

A view that fails is reported and skipped, so the script can be rerun as pages grow.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
SETTLE_QUIET_S = 0.4  # no background work for this long: the view has what it loads
SETTLE_LIMIT_S = 15.0
SEARCH_TEXT = "village hall"
YOUR_NAME = "Sam Carter"


@dataclass(frozen=True)
class DemoIds:
    thread: str  # a long discussion without a poll
    poll: str  # a discussion with a poll
    note: str


@dataclass
class Outcome:
    saved: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def make_demo(folder: Path) -> DemoIds:
    from app.demo import build_demo
    from app.services import discussions, groups, notes
    from app.store import open_store

    store = open_store(folder, use_keyring=False)
    try:
        groups.set_my_name(store=store, name=YOUR_NAME)
        group_id = build_demo(store)
        listed = discussions.list_discussions(store=store, group_id=group_id, limit=100)
        by_title = {d.title: d.id for d in listed}
        notes_by_title = {n.title: n.id for n in notes.list_notes(store=store, group_id=group_id)}
    finally:
        store.close()
    return DemoIds(
        thread=by_title["Planning application: 12 homes on land off Mill Road"],
        poll=by_title["Summer fun day — ideas and helpers"],
        note=notes_by_title["Village hall booking rules"],
    )


# --- driving the window -----------------------------------------------------------------


def main_window() -> Any:
    from PySide6.QtWidgets import QApplication, QMainWindow

    shown = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()
    ]
    return shown[-1] if shown else None


def settle(window: Any) -> None:
    """Let the window's background work finish and the results land on screen."""
    from PySide6.QtWidgets import QApplication

    pool = getattr(getattr(getattr(window, "ctx", None), "tasks", None), "pool", None)
    deadline = time.monotonic() + SETTLE_LIMIT_S
    quiet_since = time.monotonic()
    while time.monotonic() < deadline:
        QApplication.processEvents()
        busy = pool is not None and pool.activeThreadCount() > 0
        if busy:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > SETTLE_QUIET_S:
            return
        time.sleep(0.01)


def grab_with_popups(window: Any) -> Any:
    """The window's picture with any open popup (search results, say) drawn where it shows."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    picture = window.grab()
    origin = window.mapToGlobal(QPoint(0, 0))
    painter = QPainter(picture)
    try:
        for widget in QApplication.topLevelWidgets():
            kind = widget.windowType()
            floating = kind in (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.Tool)
            if widget is not window and widget.isVisible() and floating:
                painter.drawPixmap(widget.mapToGlobal(QPoint(0, 0)) - origin, widget.grab())
    finally:
        painter.end()
    return picture


Step = Callable[[Any], None]


def shoot(window: Any, name: str, step: Step, out: Path, outcome: Outcome) -> None:
    """Do ``step`` in the window, let it settle, save the picture; report a failure."""
    try:
        step(window)
        settle(window)
        path = out / f"{name}.png"
        if not grab_with_popups(window).save(str(path)):
            raise OSError(f"could not write {path}")
        outcome.saved.append(path)
    except Exception as exc:  # a page still being written must not stop the others
        outcome.skipped.append(f"{name}: {type(exc).__name__}: {exc}")


def demo_steps(ids: DemoIds) -> list[tuple[str, Step]]:
    def thread(w: Any) -> None:
        w.navigate("discussions")
        settle(w)
        w.open_item("discussion", ids.thread, ids.thread)

    def poll(w: Any) -> None:
        w.open_item("discussion", ids.poll, ids.poll)

    def note(w: Any) -> None:
        w.navigate("notes")
        settle(w)
        w.open_item("note", ids.note, "")

    def members(w: Any) -> None:
        w.navigate("members")

    def meetings(w: Any) -> None:
        # The latest approved minutes, opened at their first item of business.
        w.navigate("meetings")
        settle(w)
        page = w.pages["meetings"]
        approved = [m for m in page.summaries if m.stage in ("approved", "signed")]
        page.open(max(approved, key=lambda m: m.starts_at).id)
        settle(w)
        standard = {i.id for i in page.view.items if i.standard}
        first = next(r for r, i in enumerate(page.view.items) if i.id not in standard)
        page.agenda.setCurrentRow(first)

    def overview(w: Any) -> None:
        w.navigate("overview")

    def notifications(w: Any) -> None:
        # The newest as it pops up where there is no tray: in the status bar.
        from ui.notifier import words_for

        w.navigate("notifications")
        settle(w)
        found = w.notifications.found or []
        if found:
            title, text = words_for(found[:1])
            w.ctx.message.emit(f"{title}: {text.splitlines()[0]}")

    def search(w: Any) -> None:
        from PySide6.QtTest import QTest

        w.navigate("discussions")
        settle(w)
        w.search.focus_search()
        QTest.keyClicks(w.search, SEARCH_TEXT)
        time.sleep(0.3)  # a search box may wait for typing to pause

    return [
        ("discussions", thread),
        ("poll", poll),
        ("notes", note),
        ("members", members),
        ("meetings", meetings),
        ("overview", overview),
        ("notifications", notifications),
        ("search", search),
    ]


def run_app(profile: Path, size: tuple[int, int], script: Callable[[Any], None]) -> None:
    """Start the app on ``profile`` as ``moot --data-dir`` does, run ``script`` on its window."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    started = time.monotonic()

    def when_shown() -> None:
        window = main_window()
        if window is None:
            if time.monotonic() - started < SETTLE_LIMIT_S:
                QTimer.singleShot(50, when_shown)
            else:
                app.quit()
            return
        try:
            window.resize(*size)
            settle(window)
            script(window)
        finally:
            window.close()
            app.quit()

    QTimer.singleShot(0, when_shown)
    from ui.main import main

    main(["--data-dir", str(profile)])


# --- main -------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "resources" / "screenshots")
    parser.add_argument("--size", default="1280x800", help="window size, WIDTHxHEIGHT")
    args = parser.parse_args(argv)
    try:
        width, height = (int(n) for n in args.size.lower().split("x"))
    except ValueError:
        parser.error("--size takes WIDTHxHEIGHT, e.g. 1280x800")
    args.size = (width, height)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["MOOT_KEYRING"] = "0"
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    outcome = Outcome()
    with tempfile.TemporaryDirectory(prefix="moot-screenshots-") as folder:
        demo, empty = Path(folder) / "demo", Path(folder) / "empty"
        ids = make_demo(demo)

        def on_demo(window: Any) -> None:
            for name, step in demo_steps(ids):
                shoot(window, name, step, out, outcome)

        run_app(demo, args.size, on_demo)
        run_app(empty, args.size, lambda w: shoot(w, "first-run", lambda _w: None, out, outcome))
    for path in outcome.saved:
        print(f"saved   {path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path}")
    for reason in outcome.skipped:
        print(f"skipped {reason}")
    return 0 if outcome.saved else 1


if __name__ == "__main__":
    sys.exit(main())
