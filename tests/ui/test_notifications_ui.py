"""After a sync brings a reply to you, a notification says so (from the tray, or in the
status bar where there is none, as offscreen), the Notifications place lists it with
the count beside its name, and one click opens the post. Quiet hours keep it quiet."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.clock import wall_ms
from app.services import discussions, follows, groups, members
from app.store import Store
from sync import hubs
from sync.engine import sync_group
from tests.hubs import create_group, make_invite, sqlite_hub
from tests.support import deliver, ops_of
from ui.notifier import in_quiet_hours
from ui.pages.discussions import DiscussionsPage
from ui.window import MainWindow

MakeStore = Callable[[str], Store]


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with sqlite_hub(tmp_path_factory.mktemp("hub")) as hub:
        yield hub


def _two_laptops(hub: tuple[str, str], store: Store, make_store: MakeStore) -> tuple[Store, str]:
    url, db = hub
    group = create_group(db, "Verge Watch")
    groups.set_my_name(store=store, name="Ann")
    hubs.join_hub(store=store, hub_url=url, code=make_invite(db, group, role="organiser"))
    bob = make_store("bob")
    groups.set_my_name(store=bob, name="Bob")
    hubs.join_hub(store=bob, hub_url=url, code=make_invite(db, group))
    return bob, group


def _synced(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.sync.loaded and not window.sync.is_running)
    window.commands.sync_now.trigger()
    qtbot.waitUntil(lambda: window.sync.is_running or window.sync.last_round is not None)
    qtbot.waitUntil(lambda: not window.sync.is_running)


def test_a_reply_brought_by_a_sync_is_notified_and_opens_in_one_click(
    qtbot: QtBot,
    hub: tuple[str, str],
    store: Store,
    make_store: MakeStore,
    make_window: Callable[[], MainWindow],
) -> None:
    bob, group = _two_laptops(hub, store, make_store)
    verges, _ = discussions.start_discussion(
        store=store, group_id=group, title="Verges", body="Who cuts them?"
    )
    sync_group(store, group)
    window = make_window()
    window.prefs.quiet_hours = (-1, -1)
    qtbot.waitUntil(lambda: window.ctx.group_id == group)
    _synced(qtbot, window)  # the first look at the group: nothing to tell yet
    assert window.notifier.shown == []

    sync_group(bob, group)
    discussions.reply(store=bob, discussion_id=verges, body="The council, in May")
    sync_group(bob, group)
    _synced(qtbot, window)
    qtbot.waitUntil(lambda: len(window.notifier.shown) == 1)
    assert window.notifier.shown[0] == ("Bob replied in “Verges”", "The council, in May")
    assert window.notifier.tray is None  # offscreen: said in the status bar instead
    qtbot.waitUntil(lambda: "Bob replied in “Verges”" in window.status.note.text())
    qtbot.waitUntil(lambda: _nav_text(window, "notifications") == "Notifications (1)")

    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)  # Go ▸ Notif…
    page = window.notifications
    qtbot.waitUntil(lambda: page.items.count() == 1)
    item = page.items.item(0)
    assert item.text().startswith("● Bob replied in “Verges”")  # unread
    rect = page.items.visualItemRect(item)
    qtbot.mouseClick(page.items.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    thread = window.pages["discussions"]
    assert isinstance(thread, DiscussionsPage)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is thread)
    qtbot.waitUntil(lambda: thread.thread_view.discussion_id == verges)

    window.notifications.mark_all_read()
    qtbot.waitUntil(lambda: _nav_text(window, "notifications") == "Notifications")

    # Clicked while another group is in front, it brings its own group back first.
    other = groups.create_group(store=store, name="Allotments")
    qtbot.waitUntil(lambda: window.group_box.findData(other) >= 0)
    window.group_box.setCurrentIndex(window.group_box.findData(other))
    window.group_box.activated.emit(window.group_box.currentIndex())  # as a person picks it
    qtbot.waitUntil(lambda: window.ctx.group_id == other)
    window.notifier._clicked()  # as the tray's message is clicked
    qtbot.waitUntil(lambda: window.ctx.group_id == group)
    qtbot.waitUntil(lambda: thread.thread_view.discussion_id == verges)


def test_quiet_hours_keep_notifications_to_the_list(
    qtbot: QtBot,
    hub: tuple[str, str],
    store: Store,
    make_store: MakeStore,
    make_window: Callable[[], MainWindow],
) -> None:
    bob, group = _two_laptops(hub, store, make_store)
    verges, _ = discussions.start_discussion(store=store, group_id=group, title="Verges", body="?")
    sync_group(store, group)
    window = make_window()
    hour = datetime.now().hour
    window.prefs.quiet_hours = (hour, (hour + 1) % 24)  # quiet now
    qtbot.waitUntil(lambda: window.ctx.group_id == group)
    _synced(qtbot, window)
    sync_group(bob, group)
    discussions.reply(store=bob, discussion_id=verges, body="@Ann the council does")
    sync_group(bob, group)
    _synced(qtbot, window)
    qtbot.waitUntil(lambda: _nav_text(window, "notifications") == "Notifications (1)")
    assert window.notifier.shown == []


def test_quiet_hours_may_run_past_midnight() -> None:
    assert in_quiet_hours(23, (22, 7))
    assert in_quiet_hours(3, (22, 7))
    assert not in_quiet_hours(7, (22, 7))
    assert not in_quiet_hours(12, (22, 7))
    assert in_quiet_hours(13, (12, 14))
    assert not in_quiet_hours(14, (12, 14))
    assert not in_quiet_hours(3, (-1, -1))


def _nav_text(window: MainWindow, place: str) -> str:
    item = window.nav._items[(place, None)]
    return item.text(0)


def test_a_discussion_written_ahead_shows_and_is_told_at_its_time_with_the_window_open(
    qtbot: QtBot, store: Store, make_store: MakeStore, make_window: Callable[[], MainWindow]
) -> None:
    ann = make_store("ann")
    groups.set_my_name(store=ann, name="Ann")
    group = groups.create_group(store=ann, name="Verge Watch")
    members.admit(store=ann, group_id=group, device=store.device_id, display_name="Bob")
    deliver(ops_of(ann), store)
    general = next(c.id for c in groups.list_categories(store=store, group_id=group))
    follows.follow(store=store, target_id=general)
    window = make_window()
    window.prefs.quiet_hours = (-1, -1)
    page = window.pages["discussions"]
    assert isinstance(page, DiscussionsPage)
    qtbot.waitUntil(lambda: window.ctx.group_id == group)
    window.ctx.tasks.wait()

    discussions.start_discussion(
        store=ann, group_id=group, title="Litter pick", body="Sunday at ten?",
        publish_ms=wall_ms() + 1_500,
    )  # fmt: skip
    deliver(ops_of(ann), store)  # it arrives, as by a sync, but its time has not come
    store.notify({group})
    qtbot.wait(300)
    assert window.notifier.shown == []
    # Nothing else arrives; at its time it is on the list and told.
    qtbot.waitUntil(lambda: len(window.notifier.shown) == 1, timeout=8_000)
    assert window.notifier.shown[0][0] == "Ann posted in “Litter pick”"
    qtbot.waitUntil(
        lambda: any(
            page.model.summary(i).title == "Litter pick" for i in range(page.model.rowCount())
        )
    )
