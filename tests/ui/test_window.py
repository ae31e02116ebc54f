"""The window opens on the profile's groups and moves between places."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QShortcut
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from app.services import groups
from app.store import Store
from ui.gui import demo_data_dir
from ui.main import _window_args
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


def test_an_older_read_of_the_groups_answering_last_does_not_hide_a_new_one(
    qtbot: QtBot,
    store: Store,
    make_window: Callable[[], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Reads run side by side on the pool; the one the window made on opening, before
    # the group existed, is held back here until the newer read is on screen.
    real_list_groups = groups.list_groups
    first_read, first_may_answer = threading.Event(), threading.Event()

    def list_groups(*, store: Store) -> list[groups.GroupSummary]:
        found = real_list_groups(store=store)
        if not first_read.is_set():
            first_read.set()
            first_may_answer.wait(10)
        return found

    monkeypatch.setattr(groups, "list_groups", list_groups)
    window = make_window()
    assert first_read.wait(10)
    groups.create_group(store=store, name="Allotment Society")
    store.notify({"x"})
    qtbot.waitUntil(lambda: window.group_box.count() == 1)
    first_may_answer.set()
    window.ctx.tasks.wait()
    qtbot.wait(50)  # the held-back answer reaches the GUI thread
    assert window.group_box.count() == 1
    assert window.body.currentWidget() is window.splitter  # not the welcome page


def test_the_side_panel_shows_the_groups_colour_emblem_and_my_place(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    groups.set_my_name(store=store, name="Ann")
    groups.create_group(store=store, name="Ashby Parish", colour="#9b3b3b", emblem="🌳")
    window = make_window()
    qtbot.waitUntil(lambda: window.header.name.text() == "Ashby Parish")
    qtbot.waitUntil(lambda: "1 member" in window.header.role.text())
    assert window.header.role.text() == "You are an organiser · 1 member"
    image = window.header.tile.pixmap().toImage()
    corner = image.pixelColor(image.width() // 2, 2)  # the tile's top edge, in the colour
    assert corner.name() == "#9b3b3b"
    header = window.header.grab().toImage()
    underline = header.pixelColor(header.width() // 2, header.height() - 1)
    assert underline.name() == "#9b3b3b"  # the header is underlined in the group's colour
    # ... and only the widgets that show it carry it: a group switch re-styles those,
    # not the whole window.
    assert "#9b3b3b" not in QApplication.instance().styleSheet()  # type: ignore[union-attr]
    assert window.windowTitle() == "Ashby Parish — Moot"
    assert not window.group_box.isVisible()  # one group: nothing to switch between


def test_with_two_groups_the_switcher_shows_and_the_last_one_is_remembered(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    groups.create_group(store=store, name="Allotments")
    groups.create_group(store=store, name="Ashby Parish")
    window = make_window()
    qtbot.waitUntil(lambda: window.group_box.count() == 2)
    assert window.group_box.isVisible()
    window.group_box.setCurrentIndex(1)
    window.group_box.activated.emit(1)
    qtbot.waitUntil(lambda: window.header.name.text() == "Ashby Parish")
    window.close()
    again = make_window()
    qtbot.waitUntil(lambda: again.header.name.text() == "Ashby Parish")


def test_every_action_has_a_shortcut_or_mnemonic_and_every_control_a_name(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    groups.create_group(store=store, name="Ashby Parish")
    window = make_window()
    qtbot.waitUntil(lambda: window.header.name.text() == "Ashby Parish")
    for menu_action in window.menuBar().actions():
        assert "&" in menu_action.text()
        menu = menu_action.menu()
        assert isinstance(menu, QMenu)
        for action in menu.actions():
            if not action.isSeparator():
                assert "&" in action.text() or not action.shortcut().isEmpty(), action.text()
    keys = {a.shortcut().toString() for a in window.findChildren(QAction) if a.shortcut()}
    assert {"F5", "Ctrl+K", "Ctrl+N", "Ctrl+J", "Ctrl+E", "Ctrl+I", "Ctrl+Shift+G"} <= keys
    mine = [window.search, window.group_box, window.nav, window.status.cancel_button]
    mine += [window.status.sync_button, window.status.state, window.header.name]
    assert all(w.accessibleName() for w in mine)


def test_the_sample_profile_is_made_in_the_background(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    window.prepare_demo()
    assert window.body.currentWidget() is window.welcome
    assert window.welcome.stack.currentIndex() == 1  # the progress bar, not the choices
    qtbot.waitUntil(lambda: window.header.name.text() != "", timeout=60_000)
    assert window.body.currentWidget() is window.splitter
    assert window.windowTitle().endswith("(sample group)")
    assert len(groups.list_groups(store=store)) == 1


def test_moot_with_demo_or_a_data_dir_opens_the_window(tmp_path: Path) -> None:
    assert _window_args(["--demo"]) is not None
    assert _window_args(["--data-dir", str(tmp_path)]) is not None
    assert _window_args(["status"]) is None
    assert demo_data_dir(tmp_path) == tmp_path / "demo"


def test_f6_moves_between_the_panes(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    groups.create_group(store=store, name="Ashby Parish")
    window = make_window()
    qtbot.waitUntil(lambda: window.header.name.text() == "Ashby Parish")
    window.activateWindow()
    window.nav.setFocus()
    window.next_pane(-1)
    assert window.search.hasFocus()
    window.next_pane(1)
    assert window.nav.hasFocus()


def test_no_two_shortcuts_share_a_key(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    """Qt runs neither of two actions bound to one key: the key would seem dead."""
    groups.create_group(store=store, name="Ashby Parish")
    window = make_window()
    qtbot.waitUntil(lambda: window.header.name.text() == "Ashby Parish")
    owners: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            owners.setdefault(key.toString(), []).append(action.text())
    for shortcut in window.findChildren(QShortcut):
        owners.setdefault(shortcut.key().toString(), []).append("shortcut")
    shared = {key: who for key, who in owners.items() if key and len(set(who)) > 1}
    assert not shared
