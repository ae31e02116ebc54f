"""The status bar and syncing from the window, against a real hub on loopback."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.dump import dump
from app.progress import Progress
from app.services import discussions, groups
from app.store import Store
from sync import hubs
from sync.engine import RECEIVING, SyncResult, sync_group
from sync.errors import Cancelled
from tests.hubs import create_group, hub_cli, make_invite, sqlite_hub
from ui.group_dialogs import ConnectHubDialog
from ui.window import MainWindow


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with sqlite_hub(tmp_path_factory.mktemp("hub")) as hub:
        yield hub


def standing(window: MainWindow) -> str:
    return window.status.state.text()


def settled(window: MainWindow) -> bool:
    """No sync running, the standing read, and Sync now ready to press."""
    ready = window.sync.loaded and window.commands.sync_now.isEnabled()
    return ready and not window.sync.is_running


def test_a_sync_brings_what_another_laptop_wrote_and_sends_what_waits(
    qtbot: QtBot,
    hub: tuple[str, str],
    make_store: Callable[[str], Store],
    store: Store,
    make_window: Callable[[], MainWindow],
) -> None:
    url, db = hub
    group_id = create_group(db, "Ashby Parish")
    ann = make_store("ann")
    hubs.join_hub(store=ann, hub_url=url, code=make_invite(db, group_id, role="organiser"))
    hubs.join_hub(store=store, hub_url=url, code=make_invite(db, group_id))
    window = make_window()
    qtbot.waitUntil(lambda: "Connected to 127.0.0.1" in standing(window))
    assert "all changes sent" in standing(window)

    # Another laptop writes; this one writes too, and its changes wait for the hub.
    discussions.start_discussion(store=ann, group_id=group_id, title="Verges", body="Who cuts?")
    sync_group(ann, group_id)
    discussions.start_discussion(store=store, group_id=group_id, title="Bins", body="Tuesday?")
    qtbot.waitUntil(lambda: "changes waiting" in standing(window))

    qtbot.waitUntil(lambda: settled(window))  # the sync shortly after opening, if it ran
    window.commands.sync_now.trigger()  # Group ▸ Sync now (F5)
    qtbot.waitUntil(lambda: "synced just now" in standing(window) and settled(window))
    assert "all changes sent" in standing(window)
    titles = {d.title for d in discussions.list_discussions(store=store, group_id=group_id)}
    assert titles == {"Verges", "Bins"}
    sync_group(ann, group_id)
    assert dump(store=ann, group_id=group_id) == dump(store=store, group_id=group_id)


def test_the_hub_down_is_said_plainly_and_changes_nothing(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow], tmp_path: Path
) -> None:
    with sqlite_hub(tmp_path) as (url, db):
        group_id = create_group(db, "Riverside Residents")
        hubs.join_hub(store=store, hub_url=url, code=make_invite(db, group_id))
    # The hub is gone now; this laptop goes on working.
    discussions.start_discussion(store=store, group_id=group_id, title="Flood", body="Again")
    before = dump(store=store, group_id=group_id)
    (waiting_before,) = [s.pending for s in hubs.status(store=store)]

    window = make_window()
    qtbot.waitUntil(lambda: "changes waiting" in standing(window))
    qtbot.waitUntil(lambda: settled(window))
    window.commands.sync_now.trigger()
    qtbot.waitUntil(lambda: "Can't reach" in standing(window) and settled(window), timeout=30_000)
    host = url.split("//")[1]
    assert standing(window).startswith(f"Can't reach {host}: this laptop may be offline")
    assert "kept here" in standing(window)
    assert window.status.state.property("state") == "problem"
    assert dump(store=store, group_id=group_id) == before
    assert [s.pending for s in hubs.status(store=store)] == [waiting_before]


def test_a_long_sync_shows_progress_and_cancel_stops_it(
    qtbot: QtBot,
    hub: tuple[str, str],
    store: Store,
    make_window: Callable[[], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, db = hub
    group_id = create_group(db, "Big Village")
    hubs.join_hub(store=store, hub_url=url, code=make_invite(db, group_id))
    reached = threading.Event()

    def slow_sync(_store: Store, group: str, *, progress: Progress) -> SyncResult:
        progress.report(2_000, 100_000, RECEIVING)
        reached.set()
        for _ in range(2_000):
            progress.check()
            time.sleep(0.01)
        raise AssertionError("the sync was not stopped")

    monkeypatch.setattr("sync.hubs.sync_group", slow_sync)
    window = make_window()
    qtbot.waitUntil(lambda: window.sync.loaded and window.commands.sync_now.isEnabled())
    window.commands.sync_now.trigger()
    qtbot.waitUntil(lambda: window.status.cancel_button.isVisible())
    assert window.status.bar.isVisible()
    assert reached.wait(5)
    qtbot.waitUntil(lambda: window.status.bar.value() == 2_000)
    assert standing(window) == "Receiving changes for Big Village…"
    assert window.search.isEnabled()  # the window keeps answering meanwhile
    qtbot.mouseClick(window.status.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: settled(window))
    assert standing(window).startswith("Sync stopped.")
    assert not window.status.bar.isVisible()


def test_closing_the_window_cancels_a_running_sync_and_waits(
    qtbot: QtBot,
    hub: tuple[str, str],
    store: Store,
    make_window: Callable[[], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, db = hub
    group_id = create_group(db, "Closing Time")
    hubs.join_hub(store=store, hub_url=url, code=make_invite(db, group_id))
    entered, stopped = threading.Event(), threading.Event()

    def endless_sync(_store: Store, group: str, *, progress: Progress) -> SyncResult:
        entered.set()
        for _ in range(2_000):
            if progress.cancelled:
                stopped.set()
                raise Cancelled("Sync stopped.")
            time.sleep(0.01)
        raise AssertionError("the sync was not stopped")

    monkeypatch.setattr("sync.hubs.sync_group", endless_sync)
    window = make_window()
    qtbot.waitUntil(lambda: window.sync.loaded and window.commands.sync_now.isEnabled())
    window.commands.sync_now.trigger()
    assert window.sync.is_running
    assert entered.wait(5)
    window.close()
    assert stopped.is_set()  # close returned only once the worker had stopped
    assert not window.ctx.tasks.busy()


def test_connect_a_group_started_here_to_a_hub_through_the_file_menu(
    qtbot: QtBot,
    hub: tuple[str, str],
    store: Store,
    make_window: Callable[[], MainWindow],
) -> None:
    url, db = hub
    groups.set_my_name(store=store, name="Ann")
    group_id = groups.create_group(store=store, name="Riverside Residents")
    discussions.start_discussion(store=store, group_id=group_id, title="Flood", body="Again")
    window = make_window()
    qtbot.waitUntil(lambda: "Not connected to a hub" in standing(window))
    window.commands.connect_hub.trigger()  # File ▸ Connect this group to a hub…
    dialog = window.dialog
    assert isinstance(dialog, ConnectHubDialog)
    qtbot.keyClicks(dialog.address, url)
    qtbot.keyClicks(dialog.code, str(hub_cli(db, "registration-code")["code"]))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Connected to 127.0.0.1" in standing(window), timeout=20_000)
    assert "all changes sent" in standing(window)
    assert "went up to the hub" in window.status.note.text()


def test_after_a_sync_the_other_laptops_reply_appears_in_the_open_thread(
    qtbot: QtBot,
    hub: tuple[str, str],
    make_store: Callable[[str], Store],
    store: Store,
    make_window: Callable[[], MainWindow],
) -> None:
    url, db = hub
    group_id = create_group(db, "Orchard Lane")
    ann = make_store("ann")
    hubs.join_hub(store=ann, hub_url=url, code=make_invite(db, group_id))
    hubs.join_hub(store=store, hub_url=url, code=make_invite(db, group_id))
    disc, _ = discussions.start_discussion(
        store=store, group_id=group_id, title="Street party", body="June or July?"
    )
    window = make_window()
    qtbot.waitUntil(lambda: settled(window))
    window.commands.sync_now.trigger()
    qtbot.waitUntil(lambda: "all changes sent" in standing(window) and settled(window))
    window.open_item("discussion", disc, disc)
    page = window.pages["discussions"]
    thread = page.thread_view
    qtbot.waitUntil(lambda: thread.title.text() == "Street party")
    qtbot.keyClicks(thread.composer.editor, "I can bring tables")

    sync_group(ann, group_id)
    discussions.reply(store=ann, discussion_id=disc, body="July, after the fete.")
    sync_group(ann, group_id)
    window.commands.sync_now.trigger()  # F5: what the timer does every few minutes
    qtbot.waitUntil(
        lambda: any(c.post.body == "July, after the fete." for c in thread.cards.values()),
        timeout=15_000,
    )
    assert thread.title.text() == "Street party"
    assert thread.composer.editor.toPlainText() == "I can bring tables"
