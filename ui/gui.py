"""Start the desktop app: the Qt application, the profile, the main window.

``moot --demo`` opens a profile of its own, in ``demo/`` under the data folder, so
exploring the sample group never mixes with a person's real groups; the sample group is
made there the first time, in the background.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from app.errors import MootError
from app.logs import log_to_file
from app.settings import default_data_dir
from app.store import open_store
from ui.context import AppContext
from ui.icons import app_icon
from ui.window import MainWindow

DEMO_FOLDER = "demo"


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


def run_gui(*, data_dir: Path | None, demo: bool) -> int:
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
        QMessageBox.critical(None, "Moot", f"The profile could not be opened: {exc}")
        return 1
    log_to_file(store.settings.data_dir)
    ctx = AppContext(store)
    window = MainWindow(ctx)
    window.show()
    freeze_startup_heap()
    if demo:
        window.prepare_demo()
    try:
        return app.exec()
    finally:
        ctx.tasks.shutdown()
        store.close()
