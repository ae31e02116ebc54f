"""Long work from the window: Cancel leaves the profile as it was; failures are shown.

To stop work at a known point, each test holds the profile's write lock (as a long
commit elsewhere would) while it starts the work and presses Cancel: the work cannot
commit anything before the press, so whatever it did must be undone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app import hub_links
from app.errors import InvalidInput
from app.services import discussions, groups
from app.store import Store
from sync import hubs
from sync.bundle import export_bundle
from sync.engine import sync_group
from tests.hubs import create_group, make_invite, sqlite_hub
from tests.support import snapshot
from ui.bundle_dialogs import ExportBundleDialog
from ui.window import MainWindow


@contextmanager
def write_lock_held(store: Store) -> Iterator[None]:
    with store.write():
        yield


def settled(window: MainWindow) -> bool:
    ready = window.sync.loaded and window.commands.sync_now.isEnabled()
    return ready and not window.sync.is_running


def test_cancelling_an_import_leaves_the_profile_as_it_was(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    make_store: Callable[[str], Store],
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
) -> None:
    ann = make_store("ann")
    group_id = groups.create_group(store=ann, name="Elm Street")
    discussions.start_discussion(store=ann, group_id=group_id, title="Bins", body="Tuesday")
    path = tmp_path / "elm.moot"
    export_bundle(store=ann, group_id=group_id, path=path, invite_role="member")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a: (str(path), "")))
    window = make_window()
    qtbot.waitUntil(lambda: window.body.currentWidget() is window.welcome)
    before = snapshot(store)

    with write_lock_held(store):
        window.commands.import_bundle.trigger()  # File ▸ Import bundle…
        qtbot.waitUntil(
            lambda: (
                window.importer.progress_dialog is not None
                and window.importer.progress_dialog.isVisible()
            )
        )
        dialog = window.importer.progress_dialog
        assert dialog is not None
        (cancel,) = dialog.findChildren(QPushButton)
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "Import stopped" in window.status.note.text())
    assert window.importer.progress_dialog is None
    assert snapshot(store) == before
    assert window.body.currentWidget() is window.welcome


def test_cancelling_an_export_writes_no_file(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
) -> None:
    group_id = groups.create_group(store=store, name="Ashby Parish")
    discussions.start_discussion(store=store, group_id=group_id, title="Verges", body="Who?")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(tmp_path / "a.moot"), ""))
    )
    window = make_window()
    qtbot.waitUntil(lambda: window.header.name.text() == "Ashby Parish")
    window.commands.export_bundle.trigger()  # File ▸ Export bundle…
    dialog = window.dialog
    assert isinstance(dialog, ExportBundleDialog)
    dialog.invite.setChecked(True)
    before = snapshot(store)

    with write_lock_held(store):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.progress.isVisible()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.dialog is None)
    assert "Export stopped" in window.status.note.text()
    assert list(tmp_path.glob("*.moot")) == []
    assert list(tmp_path.glob(".moot-bundle-*")) == []
    assert snapshot(store) == before  # and no invitation was made


def test_cancelling_the_sample_group_leaves_the_welcome_page(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.body.currentWidget() is window.welcome)
    before = snapshot(store)

    with write_lock_held(store):
        window.prepare_demo()
        assert window.welcome.busy_cancel.isVisible()
        qtbot.mouseClick(window.welcome.busy_cancel, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "not made" in window.status.note.text(), timeout=20_000)
    assert snapshot(store) == before
    assert window.welcome.stack.currentIndex() == 0  # the three ways in again
    assert window.body.currentWidget() is window.welcome


def test_cancelling_a_sync_leaves_the_profile_as_it_was(
    qtbot: QtBot,
    store: Store,
    make_store: Callable[[str], Store],
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
) -> None:
    with sqlite_hub(tmp_path) as (url, db):
        group_id = create_group(db, "Ashby Parish")
        ann = make_store("ann")
        hubs.join_hub(store=ann, hub_url=url, code=make_invite(db, group_id, role="organiser"))
        hubs.join_hub(store=store, hub_url=url, code=make_invite(db, group_id))
        window = make_window()
        qtbot.waitUntil(lambda: "synced just now" in window.status.state.text(), timeout=20_000)
        qtbot.waitUntil(lambda: settled(window), timeout=20_000)
        discussions.start_discussion(store=ann, group_id=group_id, title="Verges", body="Who?")
        sync_group(ann, group_id)  # something for this laptop to receive
        before = snapshot(store)
        with store.read() as conn:
            link = hub_links.get_link(conn, store.sealer, group_id)
        assert link is not None

        with write_lock_held(store):
            window.commands.sync_now.trigger()  # Group ▸ Sync now (F5)
            qtbot.waitUntil(lambda: window.status.cancel_button.isVisible())
            qtbot.mouseClick(window.status.cancel_button, Qt.MouseButton.LeftButton)

        qtbot.waitUntil(lambda: settled(window), timeout=20_000)
        assert window.status.state.text().startswith("Sync stopped.")
        assert snapshot(store) == before  # Ann's discussion was not half received
        with store.read() as conn:
            after = hub_links.get_link(conn, store.sealer, group_id)
        assert after is not None
        assert after.cursor == link.cursor
        window.commands.sync_now.trigger()  # not cancelled, the same sync brings it
        qtbot.waitUntil(lambda: settled(window) and snapshot(store) != before, timeout=20_000)
        titles = [d.title for d in discussions.list_discussions(store=store, group_id=group_id)]
        assert titles == ["Verges"]


def test_the_window_names_each_group_that_failed_to_sync(
    qtbot: QtBot,
    store: Store,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
) -> None:
    with sqlite_hub(tmp_path) as (url, db):
        first, second = create_group(db, "Allotments"), create_group(db, "Bowls Club")
        for group_id in (first, second):
            hubs.join_hub(store=store, hub_url=url, code=make_invite(db, group_id))
        with store.write() as conn:  # the hub no longer knows this laptop in Bowls Club
            hub_links.save_link(conn, store.sealer, group_id=second, hub_url=url, token="gone")
        window = make_window()
        qtbot.waitUntil(lambda: window.header.name.text() == "Allotments")
        qtbot.waitUntil(lambda: settled(window), timeout=20_000)
        window.commands.sync_now.trigger()
        qtbot.waitUntil(lambda: "did not sync" in window.status.note.text(), timeout=20_000)
        assert window.status.note.text().startswith("“Bowls Club” did not sync: The hub no")
        assert "synced just now" in window.status.state.text()  # the open group synced


def test_a_failing_background_task_is_shown_and_logged(
    qtbot: QtBot, make_window: Callable[[], MainWindow], caplog: pytest.LogCaptureFixture
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.body.currentWidget() is window.welcome)

    def broken() -> None:
        raise KeyError("no such row")

    def refused() -> None:
        raise InvalidInput("The name cannot be empty.")

    with caplog.at_level(logging.INFO, logger="ui.tasks"):
        window.ctx.tasks.run(broken)  # no handler given: the window's own
        window.ctx.tasks.run(refused)
        qtbot.waitUntil(lambda: window.failures.box is not None and window.failures.box.isVisible())
        qtbot.waitUntil(lambda: len(window.failures.messages) == 2)

    box = window.failures.box
    assert isinstance(box, QMessageBox)
    assert "Something went wrong: 'no such row'" in box.text()
    assert "The name cannot be empty." in box.text()
    failures = [r for r in caplog.records if r.name == "ui.tasks"]
    assert {r.levelno for r in failures} == {logging.ERROR, logging.WARNING}
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in failures)
    box.close()


def test_a_failure_its_caller_handles_is_not_shown_twice(
    qtbot: QtBot, make_window: Callable[[], MainWindow], caplog: pytest.LogCaptureFixture
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.body.currentWidget() is window.welcome)
    told: list[str] = []

    def refused() -> None:
        raise InvalidInput("The name cannot be empty.")

    with caplog.at_level(logging.INFO, logger="ui.tasks"):
        window.ctx.tasks.run(refused, failed=told.append)
        qtbot.waitUntil(lambda: told == ["The name cannot be empty."])
    assert window.failures.box is None
    assert any("The name cannot be empty." in r.getMessage() for r in caplog.records)
