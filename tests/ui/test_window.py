"""The window opens on the profile's groups and moves between places."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from app.services import groups
from app.store import Store
from ui.window import MainWindow


def test_window_shows_the_groups_categories(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    group_id = groups.create_group(store=store, name="Riverside Residents")
    groups.add_category(store=store, group_id=group_id, name="Planning")
    window = make_window()
    qtbot.waitUntil(lambda: window.group_box.count() == 1)
    assert "Riverside Residents" in window.group_box.itemText(0)
    labels = []
    qtbot.waitUntil(lambda: window.nav.topLevelItem(0).childCount() == 3)
    top = window.nav.topLevelItem(0)
    labels = [top.child(i).text(0) for i in range(top.childCount())]
    assert labels == ["General", "Off-topic", "Planning"]


def test_a_new_group_written_elsewhere_appears(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    groups.create_group(store=store, name="Allotment Society")
    store.notify({"x"})  # what a sync does after it pulls
    qtbot.waitUntil(lambda: window.group_box.count() == 1)
