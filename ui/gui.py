"""Start the desktop app: the Qt application, the profile, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from app.errors import MootError
from app.store import open_store
from ui.context import AppContext
from ui.window import MainWindow


def run_gui(*, data_dir: Path | None, demo: bool) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Moot")
    app.setOrganizationName("Moot")
    try:
        store = open_store(data_dir)
    except (MootError, OSError) as exc:
        QMessageBox.critical(None, "Moot", f"The profile could not be opened: {exc}")
        return 1
    ctx = AppContext(store)
    window = MainWindow(ctx)
    window.show()
    try:
        return app.exec()
    finally:
        ctx.tasks.wait()
        store.close()
