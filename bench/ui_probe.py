"""Measurements that need a fresh process of their own; ``bench.ui_bench`` runs them.

    python -m bench.ui_probe startup PROFILE T0   # `moot --data-dir PROFILE` until usable
    python -m bench.ui_probe bare T0              # a bare QApplication + QMainWindow
    python -m bench.ui_probe core PROFILE T0      # the same first reads with no Qt at all
    python -m bench.ui_probe stall PROFILE HUB CODE  # event-loop gaps while joining a hub

``T0`` is the parent's ``time.time()`` just before it started this process, so times
include the interpreter's own start. Each prints one line, ``RESULT {json}``. Qt and
the app are imported inside the functions: what is timed is what each mode loads.
"""

from __future__ import annotations

import gc
import itertools
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

POLL_MS = 1
GAP_TIMER_MS = 5
SETTLE_S = 0.5  # after a bootstrap, keep measuring while the window takes the group in
NO_LIST_GRACE_S = 1.0  # a discussions page with no list view yet: stop waiting after this
TIMEOUT_S = 120.0


def memory_mb() -> dict[str, float]:
    """Resident memory now and at its peak (Linux /proc), in MiB."""
    found: dict[str, float] = {}
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return found
    for line in lines:
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


def report(result: dict[str, Any]) -> None:
    print("RESULT " + json.dumps(result), flush=True)


def percentile(samples: Sequence[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


# --- start-up ------------------------------------------------------------------------


def startup(profile: Path, t0: float) -> None:
    """Start the app as ``moot --data-dir`` does; stop one loop turn after the list fills."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    watcher = _ReadyWatcher(t0, app.quit)
    poll = QTimer()
    poll.setInterval(POLL_MS)
    poll.timeout.connect(watcher.check)
    poll.start()

    from ui.main import main

    code = main(["--data-dir", str(profile)])
    watcher.result["exit_code"] = code
    report(watcher.result)


class _ReadyWatcher:
    """Notes when the window shows, has its group, its categories, and a filled list."""

    def __init__(self, t0: float, quit_app: Callable[[], None]) -> None:
        self.t0 = t0
        self.quit_app = quit_app
        self.milestones: dict[str, float] = {}
        self.result: dict[str, Any] = {"milestones": self.milestones}
        self.finishing = False

    def _mark(self, name: str) -> None:
        self.milestones.setdefault(name, time.time() - self.t0)

    def check(self) -> None:
        from PySide6.QtCore import QTimer

        if self.finishing:
            return
        window = _main_window()
        if window is None:
            if time.time() - self.t0 > TIMEOUT_S:
                self._finish("no main window appeared")
            return
        self._mark("window shown")
        box = getattr(window, "group_box", None)
        if box is not None and box.count() > 0:
            self._mark("group in the side panel")
        nav = getattr(window, "nav", None)
        top = nav.topLevelItem(0) if nav is not None else None
        if top is not None and top.childCount() > 0:
            self._mark("categories in the side panel")
        rows = _list_rows(window)
        if rows:
            self._mark("list filled")
            self.result["list_rows"] = rows
            self.finishing = True
            # The figure is the first event-loop turn after the list is there.
            QTimer.singleShot(0, lambda: self._finish(None))
            return
        since = self.milestones.get("categories in the side panel")
        if since is not None and time.time() - self.t0 - since > NO_LIST_GRACE_S:
            # Nothing to wait for: the figure is the last step the window reached.
            self._finish("the discussions page shows no list yet", at=since)
        elif time.time() - self.t0 > TIMEOUT_S:
            self._finish("the list did not fill in time")

    def _finish(self, note: str | None, *, at: float | None = None) -> None:
        self.finishing = True
        self.result["ready_s"] = time.time() - self.t0 if at is None else at
        self.result["note"] = note
        self.result["memory_mb"] = memory_mb()
        self.quit_app()


def _main_window() -> Any:
    from PySide6.QtWidgets import QApplication, QMainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMainWindow) and widget.isVisible():
            return widget
    return None


def _list_rows(window: Any) -> int:
    """Rows in the item views of the page shown in the main area (not the side panel)."""
    from PySide6.QtWidgets import QAbstractItemView, QComboBox

    stack = getattr(window, "stack", None)
    page = stack.currentWidget() if stack is not None else window.centralWidget()
    if page is None:
        return 0
    rows = 0
    for view in page.findChildren(QAbstractItemView):
        parent, in_combo = view.parentWidget(), False
        while parent is not None and not in_combo:
            in_combo = isinstance(parent, QComboBox)
            parent = parent.parentWidget()
        model = view.model()
        if not in_combo and model is not None and view.isVisible():
            rows = max(rows, model.rowCount())
    return rows


# --- baselines -----------------------------------------------------------------------


def bare(t0: float) -> None:
    """A bare QApplication and an empty QMainWindow of the same size, to one loop turn."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1200, 760)
    window.show()
    result: dict[str, Any] = {}

    def done() -> None:
        result["ready_s"] = time.time() - t0
        result["memory_mb"] = memory_mb()
        app.quit()

    QTimer.singleShot(0, done)
    app.exec()
    report(result)


def core(profile: Path, t0: float) -> None:
    """What the window reads first, with no Qt: open the profile, its groups, one list page."""
    from app.services import discussions, groups
    from app.store import open_store

    store = open_store(profile, use_keyring=False)
    opened = time.time() - t0
    found = groups.list_groups(store=store)
    rows = 0
    if found:
        groups.list_categories(store=store, group_id=found[0].id)
        rows = len(discussions.list_discussions(store=store, group_id=found[0].id))
    result = {
        "opened_s": opened,
        "ready_s": time.time() - t0,
        "list_rows": rows,
        "memory_mb": memory_mb(),
    }
    store.close()
    report(result)


# --- stalls while a bootstrap runs ----------------------------------------------------


def stall(profile: Path, hub_url: str, code: str) -> None:
    """Join a group on a hub from the open window, timing every event-loop turn meanwhile."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from app.store import open_store
    from sync.hubs import join_hub
    from ui.context import AppContext
    from ui.gui import freeze_startup_heap
    from ui.window import MainWindow

    app = QApplication(sys.argv[:1])
    store = open_store(profile, use_keyring=False)
    ctx = AppContext(store)
    window = MainWindow(ctx)
    window.show()
    freeze_startup_heap()

    ticks: list[float] = []
    # Collector pauses stop every thread; they are timed to tell them from other stalls.
    gc_pauses: list[float] = []
    gc_started = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            gc_started[0] = time.perf_counter()
        elif info["generation"] == 2:
            gc_pauses.append((time.perf_counter() - gc_started[0]) * 1000)

    gc.callbacks.append(on_gc)
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(GAP_TIMER_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    result: dict[str, Any] = {}
    started = 0.0
    progress_events = [0]

    def idle_done() -> None:
        nonlocal started
        result["idle"] = _gap_stats(ticks)
        result["idle"].pop("max_at")
        ticks.clear()
        started = time.perf_counter()
        ctx.tasks.run_with_progress(
            lambda progress: join_hub(store=store, hub_url=hub_url, code=code, progress=progress),
            done=joined,
            failed=failed,
            progress=shown,
        )

    def shown(done: int, total: int, what: str) -> None:
        progress_events[0] += 1
        window.statusBar().showMessage(f"{what}: {done:,} of {total:,}")

    def joined(answer: Any) -> None:
        result["bootstrap_s"] = time.perf_counter() - started
        result["pulled"] = getattr(answer, "pulled", None)
        QTimer.singleShot(int(SETTLE_S * 1000), finish)

    def failed(message: str) -> None:
        result["error"] = message
        finish()

    def finish() -> None:
        result["busy"] = _gap_stats(ticks)
        result["busy"]["max_at_s"] = result["busy"].pop("max_at") - started
        result["progress_events"] = progress_events[0]
        result["gc_full"] = {"count": len(gc_pauses), "max_ms": max(gc_pauses, default=0.0)}
        result["memory_mb"] = memory_mb()
        app.quit()

    timer.start()
    QTimer.singleShot(1000, idle_done)  # a second of the idle window first, as a baseline
    app.exec()
    ctx.tasks.wait()
    store.close()
    report(result)


def _gap_stats(ticks: Sequence[float]) -> dict[str, float]:
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    worst = max(range(len(gaps)), key=gaps.__getitem__, default=0)
    return {
        "max_at": ticks[worst] if gaps else 0.0,
        "ticks": len(ticks),
        "max_ms": max(gaps, default=float("nan")),
        "p99_ms": percentile(gaps, 0.99),
        "median_ms": percentile(gaps, 0.5),
        "over_50ms": sum(1 for g in gaps if g > 50),
    }


def main(argv: Sequence[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["MOOT_KEYRING"] = "0"
    mode, *rest = argv
    if mode == "startup":
        startup(Path(rest[0]), float(rest[1]))
    elif mode == "bare":
        bare(float(rest[0]))
    elif mode == "core":
        core(Path(rest[0]), float(rest[1]))
    elif mode == "stall":
        stall(Path(rest[0]), rest[1], rest[2])
    else:
        print(f"unknown mode {mode!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
