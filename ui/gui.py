"""Start the desktop app: the Qt application, the profile, the main window.

``moot --demo`` opens a profile of its own, in ``demo/`` under the data folder, so
exploring the sample group never mixes with a person's real groups; the sample group is
made there the first time, in the background.

``moot --smoke-test`` opens the window as usual, waits until its start-up work is done
(the groups listed, the sample group made), prints one line and quits: a check that an
installed or frozen build really starts, with no one to look at the screen.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app import moot_version
from app.errors import MootError
from app.logs import log_to_file
from app.settings import default_data_dir
from app.store import open_store
from ui.context import AppContext
from ui.icons import app_icon
from ui.window import MainWindow

DEMO_FOLDER = "demo"
SMOKE_POLL_MS = 50
SMOKE_TIMEOUT_S = 120


def demo_data_dir(data_dir: Path | None) -> Path:
    return (data_dir or default_data_dir()) / DEMO_FOLDER


def freeze_startup_heap() -> None:
    """Leave what start-up made (Qt wrappers, modules) out of later full collections.

    A full collection pauses every thread while it walks all tracked objects; during a
    long sync in a worker, walking the window's own heap each time stalled the window
    for tens of milliseconds.
    """
    gc.collect()
    gc.freeze()


def run_gui(*, data_dir: Path | None, demo: bool, smoke_test: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Moot")
    app.setOrganizationName("Moot")
    app.setDesktopFileName("org.moot.Moot")
    app.setWindowIcon(app_icon())
    if demo:
        data_dir = demo_data_dir(data_dir)
    try:
        store = open_store(data_dir)
    except (MootError, OSError) as exc:
        if smoke_test:  # no one is there to close a message box
            print(f"Moot did not start: the profile could not be opened: {exc}", file=sys.stderr)
        else:
            QMessageBox.critical(None, "Moot", f"The profile could not be opened: {exc}")
        return 1
    log_to_file(store.settings.data_dir)
    ctx = AppContext(store)
    window = MainWindow(ctx)
    window.show()
    freeze_startup_heap()
    if demo:
        window.prepare_demo()
    smoke = SmokeTest(app, window, demo=demo) if smoke_test else None  # held while it runs
    if smoke is not None:
        smoke.start()
    try:
        return app.exec()
    finally:
        ctx.tasks.shutdown()
        store.close()


class SmokeTest:
    """Quits the app once the window is up and idle: 0 with a line saying so, else 1.

    Every read and write of start-up runs as a task, and a task started by another's
    answer is counted before that one ends, so "no task left to report" means start-up
    has finished; a failure no caller handled, or a sample group that was not made,
    fails the check.
    """

    def __init__(self, app: QApplication, window: MainWindow, *, demo: bool) -> None:
        self.app, self.window, self.demo = app, window, demo
        self.messages: list[str] = []
        self.timer = QTimer(window)
        self.timer.setInterval(SMOKE_POLL_MS)
        self.timer.timeout.connect(self._check)
        self.deadline = QTimer(window)
        self.deadline.setSingleShot(True)
        self.deadline.setInterval(SMOKE_TIMEOUT_S * 1000)
        self.deadline.timeout.connect(
            lambda: self._fail(f"the window was not ready after {SMOKE_TIMEOUT_S} s")
        )
        window.ctx.message.connect(self.messages.append)
        window.ctx.tasks.unhandled.connect(self._fail)

    def start(self) -> None:
        self.timer.start()
        self.deadline.start()

    def _check(self) -> None:
        handle = self.window.windowHandle()
        if handle is None or not handle.isExposed() or self.window.ctx.tasks.busy():
            return
        found = len(self.window.group_list)
        if self.demo and not found:
            self._fail("; ".join(self.messages) or "the sample group was not made")
            return
        where = self.window.ctx.store.settings.data_dir
        groups = f"{found} group{'s' * (found != 1)}"
        print(f"Moot {moot_version()} started: {groups} in {where}", flush=True)
        self._quit(0)

    def _fail(self, reason: str) -> None:
        print(f"Moot did not start: {reason}", file=sys.stderr, flush=True)
        self._quit(1)

    def _quit(self, code: int) -> None:
        self.timer.stop()
        self.deadline.stop()
        self.window.close()  # saves the window's state and stops its sync, as a person would
        self.app.exit(code)
