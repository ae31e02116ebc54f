"""Settings: the name, the sync interval, the theme and the text size, as a person sets them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.services import groups, members
from app.store import Store
from ui.preferences import FILE_NAME, Preferences
from ui.settings_dialog import SettingsDialog
from ui.theme import DARK, LIGHT
from ui.window import MainWindow


def open_settings(qtbot: QtBot, window: MainWindow) -> SettingsDialog:
    window.commands.settings.trigger()  # File ▸ Settings…
    dialog = window.dialog
    assert isinstance(dialog, SettingsDialog)
    qtbot.waitUntil(lambda: dialog.name.text() != "" or dialog._loaded_name == "")
    return dialog


def window_lightness() -> int:
    return QApplication.palette().color(QPalette.ColorRole.Window).lightness()


def test_text_size_and_theme_change_and_are_kept_in_the_profile(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    groups.create_group(store=store, name="Ashby Parish")
    window = make_window()
    qtbot.waitUntil(lambda: window.header.name.text() == "Ashby Parish")
    normal = QApplication.font().pointSizeF()
    assert window_lightness() > 200  # light by default here

    dialog = open_settings(qtbot, window)
    dialog.text_size.setCurrentIndex(dialog.text_size.findText("Larger"))
    dialog.themes["dark"].click()
    dialog.ok_button.click()

    assert QApplication.font().pointSizeF() > normal * 1.2
    assert window_lightness() < 60
    assert "#1e2024" in QApplication.instance().styleSheet()  # type: ignore[union-attr]
    page = window.pages["discussions"]  # its cards follow the dark scheme too
    qtbot.waitUntil(lambda: DARK.surface in page.styleSheet())
    assert LIGHT.surface not in page.styleSheet()
    kept = Preferences(store.settings.data_dir)
    assert (kept.theme, kept.text_size) == ("dark", 130)
    assert (store.settings.data_dir / FILE_NAME).exists()

    dialog = open_settings(qtbot, window)
    assert dialog.theme() == "dark"
    dialog.themes["light"].click()
    dialog.text_size.setCurrentIndex(dialog.text_size.findText("Normal"))
    dialog.ok_button.click()
    assert window_lightness() > 200
    qtbot.waitUntil(lambda: LIGHT.surface in page.styleSheet())
    assert abs(QApplication.font().pointSizeF() - normal) < 0.2


def test_the_sync_interval_is_applied_to_the_timer(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    assert window.sync.timer.isActive()
    assert window.sync.timer.interval() == 5 * 60_000  # five minutes unless chosen
    dialog = open_settings(qtbot, window)
    dialog.interval.setCurrentIndex(dialog.interval.findData(15))
    dialog.ok_button.click()
    assert window.sync.timer.interval() == 15 * 60_000
    dialog = open_settings(qtbot, window)
    dialog.interval.setCurrentIndex(dialog.interval.findData(0))
    dialog.ok_button.click()
    assert not window.sync.timer.isActive()  # only when asked
    assert Preferences(store.settings.data_dir).sync_minutes == 0


def test_a_new_name_shows_in_the_groups(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    groups.set_my_name(store=store, name="Ann")
    group_id = groups.create_group(store=store, name="Ashby Parish")
    window = make_window()
    dialog = open_settings(qtbot, window)
    qtbot.waitUntil(lambda: dialog.name.text() == "Ann")
    dialog.name.setText("Ann Clarke")
    dialog.ok_button.click()

    def my_display_name() -> str:
        me = [
            m
            for m in members.list_members(store=store, group_id=group_id)
            if m.device == store.device_id
        ]
        return me[0].display_name

    qtbot.waitUntil(lambda: my_display_name() == "Ann Clarke")
    assert groups.my_name(store=store) == "Ann Clarke"


def test_cancel_changes_nothing(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    dialog = open_settings(qtbot, window)
    dialog.themes["dark"].click()
    dialog.reject()
    assert Preferences(store.settings.data_dir).theme == "system"
    assert window_lightness() > 200


def test_quiet_hours_are_chosen_and_kept(
    qtbot: QtBot, store: Store, make_window: Callable[[], MainWindow]
) -> None:
    window = make_window()
    dialog = open_settings(qtbot, window)
    assert dialog.quiet.isChecked()  # 22:00 until 07:00 unless chosen
    assert (dialog.quiet_from.currentData(), dialog.quiet_until.currentData()) == (22, 7)
    dialog.quiet_from.setCurrentIndex(dialog.quiet_from.findData(21))
    dialog.quiet_until.setCurrentIndex(dialog.quiet_until.findData(8))
    dialog.ok_button.click()
    assert Preferences(store.settings.data_dir).quiet_hours == (21, 8)
    dialog = open_settings(qtbot, window)
    dialog.quiet.setChecked(False)
    assert not dialog.quiet_from.isEnabled()
    dialog.ok_button.click()
    assert window.prefs.quiet_hours == (-1, -1)  # notifications at any hour
