"""Fixtures for the window: real widgets, offscreen, over a fresh profile."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pytestqt.qtbot import QtBot

from app.store import Store
from ui.context import AppContext
from ui.window import MainWindow


@pytest.fixture
def make_window(qtbot: QtBot, store: Store) -> Iterator[Callable[[], MainWindow]]:
    """Open the main window over ``store``; its workers are waited for at the end."""
    made: list[AppContext] = []

    def make() -> MainWindow:
        ctx = AppContext(store)
        made.append(ctx)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        return window

    yield make
    for ctx in made:
        ctx.tasks.wait()
