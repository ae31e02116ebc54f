"""Carrying a group between profiles with bundle files, through the File menu."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.services import discussions, groups
from app.store import Store
from ui.bundle_dialogs import ExportBundleDialog, suggested_name
from ui.context import AppContext
from ui.window import MainWindow


@pytest.fixture
def other_window(
    qtbot: QtBot, make_store: Callable[[str], Store]
) -> Iterator[Callable[[str], MainWindow]]:
    """A window over another profile (another laptop)."""
    made: list[AppContext] = []

    def make(name: str) -> MainWindow:
        ctx = AppContext(make_store(name))
        made.append(ctx)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        window.show()
        return window

    yield make
    for ctx in made:
        ctx.tasks.wait()


def test_export_a_bundle_and_import_it_into_another_profile(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    make_window: Callable[[], MainWindow],
    other_window: Callable[[str], MainWindow],
    tmp_path: Path,
) -> None:
    groups.set_my_name(store=store, name="Ann")
    group_id = groups.create_group(store=store, name="Ashby Parish")
    discussions.start_discussion(store=store, group_id=group_id, title="Verges", body="Who?")
    window = make_window()
    qtbot.waitUntil(lambda: window.header.name.text() == "Ashby Parish")

    offered: list[str] = []

    def save_as(_parent: object, _title: str, start: str, _filter: str) -> tuple[str, str]:
        offered.append(start)
        return str(tmp_path / "ashby"), ""  # typed without the suffix

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    window.commands.export_bundle.trigger()  # File ▸ Export bundle…
    dialog = window.dialog
    assert isinstance(dialog, ExportBundleDialog)
    dialog.invite.setChecked(True)
    dialog.role.setCurrentIndex(dialog.role.findData("member"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Wrote" in window.status.note.text())
    assert "with a one-use invitation to join as a member" in window.status.note.text()
    assert offered[0].endswith(suggested_name("Ashby Parish"))
    path = tmp_path / "ashby.moot"
    assert path.exists()

    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    bob = other_window("bob")
    qtbot.waitUntil(lambda: bob.body.currentWidget() is bob.welcome)
    bob.commands.import_bundle.trigger()  # File ▸ Import bundle…
    qtbot.waitUntil(lambda: bob.header.name.text() == "Ashby Parish")
    assert "member" in bob.header.role.text()
    bobs = discussions.list_discussions(store=bob.ctx.store, group_id=group_id)
    assert [d.title for d in bobs] == ["Verges"]

    # The group may show (its change noticed) a moment before the import's own message.
    def notices() -> list[QMessageBox]:
        return [b for b in bob.findChildren(QMessageBox) if b.isVisible()]

    qtbot.waitUntil(lambda: any("joined the group as a member" in b.text() for b in notices()))
    for box in notices():
        box.close()


def test_a_damaged_bundle_is_refused_in_plain_words(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    make_window: Callable[[], MainWindow],
    tmp_path: Path,
) -> None:
    path = tmp_path / "broken.moot"
    path.write_bytes(b"this is not a bundle")
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    window = make_window()
    window.commands.import_bundle.trigger()
    qtbot.waitUntil(lambda: any(b.isVisible() for b in window.findChildren(QMessageBox)))
    (box,) = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert box.text().startswith("That file cannot be used:")
    box.close()
    assert groups.list_groups(store=store) == []


def test_export_is_cancelled_when_no_file_is_chosen(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    store: Store,
    make_window: Callable[[], MainWindow],
) -> None:
    groups.create_group(store=store, name="Ashby Parish")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    window = make_window()
    qtbot.waitUntil(lambda: window.commands.export_bundle.isEnabled())
    window.commands.export_bundle.trigger()
    dialog = window.dialog
    assert isinstance(dialog, ExportBundleDialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.handle is None
    dialog.reject()
