"""The Qt bindings keep Python whole: a window that stays open for days makes millions
of calls into Qt, and a binding that dropped a reference on each (PySide6 6.12.0 drops
one to ``None`` on every call that returns nothing, on Python before 3.12) would crash
the app after a few thousand. ``pyproject.toml`` leaves such a release out."""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem
from pytestqt.qtbot import QtBot

CALLS = 2_000


def test_calls_into_qt_leave_pythons_none_as_it_was(qtbot: QtBot) -> None:
    label, items = QLabel(), QListWidget()
    qtbot.addWidget(label)
    qtbot.addWidget(items)
    # The collector, left to run, would free whatever else held None meanwhile.
    gc.collect()
    gc.disable()
    try:
        before = sys.getrefcount(None)
        for n in range(CALLS):
            label.setText(f"{n} posts")
            item = QListWidgetItem("Speed watch volunteers?")
            item.setData(Qt.ItemDataRole.UserRole, ("discussion", str(n)))
            items.addItem(item)
        after = sys.getrefcount(None)
    finally:
        gc.enable()
    items.clear()
    # A leaking binding drops one a call, four calls a turn: thousands, not a handful.
    assert before - after < CALLS // 2
