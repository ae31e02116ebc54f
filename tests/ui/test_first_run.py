"""A new profile: the welcome page, and each of its three ways in, done as a person would."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from app.progress import Progress
from app.services import discussions, groups
from app.store import Store
from sync import hubs
from sync.bundle import export_bundle
from sync.engine import RECEIVING, sync_group
from sync.hubs import Joined
from tests.hubs import create_group, make_invite, sqlite_hub
from ui.group_dialogs import JoinHubDialog, NewGroupDialog, hub_url_from
from ui.window import MainWindow


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, database URL) of a real hub on loopback."""
    with sqlite_hub(tmp_path_factory.mktemp("hub")) as hub:
        yield hub


def nav_labels(window: MainWindow) -> list[str]:
    top = window.nav.topLevelItem(0)
    return [top.child(i).text(0) for i in range(top.childCount())]


def welcome_shown(window: MainWindow) -> bool:
    return window.body.currentWidget() is window.welcome and window.welcome.isVisible()


def test_a_new_profile_opens_on_the_welcome_page(
    qtbot: QtBot, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: welcome_shown(window))
    assert not window.toolbar.isVisible()
    names = {b.accessibleName() for b in window.welcome.findChildren(QWidget) if b.accessibleName()}
    assert {"Start a group", "Join a group on a council hub", "Open a bundle file"} <= names
    assert not window.commands.new_discussion.isEnabled()  # nothing to write in yet
    assert window.status.state.text() == "No group open"


def test_start_a_group_from_the_welcome_page(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: welcome_shown(window))
    qtbot.mouseClick(window.welcome.start_button, Qt.MouseButton.LeftButton)
    dialog = window.dialog
    assert isinstance(dialog, NewGroupDialog)
    assert not dialog.ok_button.isEnabled()  # nothing filled in yet
    qtbot.keyClicks(dialog.name, "Ashby Parish Council")
    qtbot.keyClicks(dialog.description, "Parish business between meetings")
    qtbot.mouseClick(dialog.colour.buttons["#2d5f8b"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.emblem.buttons["⛪"], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.my_name, "Ann Clarke")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.body.currentWidget() is window.splitter)
    qtbot.waitUntil(lambda: nav_labels(window) == ["General", "Off-topic"])
    assert window.header.name.text() == "Ashby Parish Council"
    assert "organiser" in window.header.role.text()
    assert window.toolbar.isVisible()
    assert window.commands.new_discussion.isEnabled()
    (group,) = groups.list_groups(store=store)
    assert (group.colour, group.emblem, group.description) == (
        "#2d5f8b",
        "⛪",
        "Parish business between meetings",
    )
    assert groups.my_name(store=store) == "Ann Clarke"
    qtbot.waitUntil(lambda: "Not connected to a hub" in window.status.state.text())


def test_join_a_group_on_a_real_hub_from_the_welcome_page(
    qtbot: QtBot,
    hub: tuple[str, str],
    make_store: Callable[[str], Store],
    store: Store,
    make_window: Callable[[], MainWindow],
) -> None:
    url, db = hub
    group_id = create_group(db, "Westshire Allotments")
    ann = make_store("ann")
    hubs.join_hub(store=ann, hub_url=url, code=make_invite(db, group_id, role="organiser"))
    discussions.start_discussion(store=ann, group_id=group_id, title="Water butts", body="Who?")
    sync_group(ann, group_id)

    window = make_window()
    qtbot.waitUntil(lambda: welcome_shown(window))
    qtbot.mouseClick(window.welcome.join_button, Qt.MouseButton.LeftButton)
    dialog = window.dialog
    assert isinstance(dialog, JoinHubDialog)
    qtbot.keyClicks(dialog.address, url)
    qtbot.keyClicks(dialog.code, make_invite(db, group_id))
    qtbot.keyClicks(dialog.my_name, "Bob")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.header.name.text() == "Westshire Allotments", timeout=20_000)
    qtbot.waitUntil(lambda: nav_labels(window) == ["General", "Off-topic"])
    titles = [d.title for d in discussions.list_discussions(store=store, group_id=group_id)]
    assert titles == ["Water butts"]  # the whole history came down
    qtbot.waitUntil(lambda: "Connected to 127.0.0.1" in window.status.state.text())
    assert "all changes sent" in window.status.state.text()


def test_a_wrong_invitation_code_is_said_plainly_and_the_form_stays(
    qtbot: QtBot, hub: tuple[str, str], store: Store, make_window: Callable[[], MainWindow]
) -> None:
    url, _db = hub
    window = make_window()
    qtbot.waitUntil(lambda: welcome_shown(window))
    window.commands.join_hub.trigger()  # the File menu's way in: the same dialog
    dialog = window.dialog
    assert isinstance(dialog, JoinHubDialog)
    qtbot.keyClicks(dialog.address, url)
    qtbot.keyClicks(dialog.code, "not-a-real-code")
    qtbot.keyClicks(dialog.my_name, "Bob")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.isVisible())
    assert "invitation code is not known" in dialog.error.text()
    assert dialog.isVisible()
    assert dialog.code.text() == "not-a-real-code"
    assert dialog.ok_button.isEnabled()
    assert groups.list_groups(store=store) == []
    dialog.reject()


def test_joining_shows_progress_and_cancel_stops_it(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    make_window: Callable[[], MainWindow],
) -> None:
    started = threading.Event()

    def slow_join(*, store: Store, hub_url: str, code: str, progress: Progress) -> Joined:
        for page in range(1, 1_000):
            progress.check()  # raises once Cancel is pressed
            progress.report(page * 100, 100_000, RECEIVING)
            started.set()
            time.sleep(0.01)
        raise AssertionError("the join was not stopped")

    monkeypatch.setattr("ui.group_dialogs.hubs.join_hub", slow_join)
    window = make_window()
    qtbot.waitUntil(lambda: welcome_shown(window))
    window.welcome.join_button.click()
    dialog = window.dialog
    assert isinstance(dialog, JoinHubDialog)
    qtbot.keyClicks(dialog.address, "hub.westshire.gov.uk")
    qtbot.keyClicks(dialog.code, "abc")
    qtbot.keyClicks(dialog.my_name, "Bob")
    dialog.ok_button.click()
    assert started.wait(5)
    qtbot.waitUntil(lambda: "Copying the group's history" in dialog.progress.format())
    assert dialog.progress.isVisible()
    assert not dialog.address.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.dialog is None)  # closed (and deleted)
    assert "Joining stopped" in window.status.note.text()


def test_open_a_bundle_file_from_the_welcome_page(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    make_store: Callable[[str], Store],
    store: Store,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
) -> None:
    ann = make_store("ann")
    group_id = groups.create_group(store=ann, name="Riverside Residents")
    path = tmp_path / "riverside.moot"
    export_bundle(store=ann, group_id=group_id, path=path, invite_role="member")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    window = make_window()
    qtbot.waitUntil(lambda: welcome_shown(window))
    qtbot.mouseClick(window.welcome.bundle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.header.name.text() == "Riverside Residents")
    assert "member" in window.header.role.text()


def test_hub_addresses_as_people_type_them() -> None:
    assert hub_url_from(" hub.westshire.gov.uk/ ") == "https://hub.westshire.gov.uk"
    assert hub_url_from("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert hub_url_from("") == ""
    assert hub_url_from("not a hub") == ""
    assert hub_url_from("ftp://x") == ""
