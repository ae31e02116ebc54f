"""Settings: your name, the hubs and how often to sync, light or dark, the text size.

The name is the profile's own (the core keeps it, and every group shows it); the rest
are this window's preferences. Nothing changes until OK.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.clock import wall_ms
from app.services import groups
from sync.hubs import GroupStatus
from ui.context import AppContext
from ui.i18n import tr
from ui.preferences import SYNC_INTERVALS, TEXT_SIZES, Preferences
from ui.sync_words import hub_host, since, waiting

TEXT_SIZE_WORDS = {90: "Small", 100: "Normal", 115: "Large", 130: "Larger"}
THEME_WORDS = (("system", "&Follow the system"), ("light", "&Light"), ("dark", "&Dark"))


def interval_words(minutes: int) -> str:
    if minutes == 0:
        return tr("Only when I ask (F5)")
    if minutes == 1:
        return tr("Every minute")
    if minutes == 60:
        return tr("Every hour")
    return tr("Every {n} minutes").format(n=minutes)


@dataclass(frozen=True)
class Chosen:
    name: str
    sync_minutes: int
    theme: str
    text_size: int
    quiet_hours: tuple[int, int] = (-1, -1)


class SettingsDialog(QDialog):
    """Emits ``chosen(Chosen)`` on OK; the window applies it."""

    chosen = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        prefs: Preferences,
        statuses: list[GroupStatus],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Settings"))
        self.setMinimumWidth(520)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 18, 20, 18)
        outer.setSpacing(14)

        you = QGroupBox(tr("You"))
        you_form = QFormLayout(you)
        self.name = QLineEdit()
        self.name.setAccessibleName(tr("Your name"))
        self.name.setPlaceholderText(tr("How the others see you"))
        self.name.setMaxLength(80)
        name_label = QLabel(tr("Your &name"))
        name_label.setBuddy(self.name)
        you_form.addRow(name_label, self.name)
        outer.addWidget(you)

        sync_box = QGroupBox(tr("Sync"))
        sync_layout = QVBoxLayout(sync_box)
        interval_row = QHBoxLayout()
        self.interval = QComboBox()
        self.interval.setAccessibleName(tr("How often to sync"))
        for minutes in SYNC_INTERVALS:
            self.interval.addItem(interval_words(minutes), minutes)
        self.interval.setCurrentIndex(SYNC_INTERVALS.index(prefs.sync_minutes))
        interval_label = QLabel(tr("&Sync with the hub"))
        interval_label.setBuddy(self.interval)
        interval_row.addWidget(interval_label)
        interval_row.addWidget(self.interval, 1)
        sync_layout.addLayout(interval_row)
        self.hubs = QTreeWidget()
        self.hubs.setAccessibleName(tr("Groups and their hubs"))
        self.hubs.setHeaderLabels([tr("Group"), tr("Hub"), tr("Standing")])
        self.hubs.setRootIsDecorated(False)
        self.hubs.setMinimumHeight(90)
        now = wall_ms()
        for status in statuses:
            standing = waiting(status.pending)
            if status.last_sync_ms is not None:
                standing += " · " + since(status.last_sync_ms, now)
            self.hubs.addTopLevelItem(
                QTreeWidgetItem([status.group_name, hub_host(status.hub), standing])
            )
        self.hubs.resizeColumnToContents(0)
        if not statuses:
            hint = QLabel(
                tr(
                    "No group here is connected to a hub yet. "
                    "Use File ▸ Connect this group to a hub…"
                )
            )
            hint.setObjectName("formHint")
            hint.setWordWrap(True)
            sync_layout.addWidget(hint)
        else:
            sync_layout.addWidget(self.hubs)
        outer.addWidget(sync_box)

        told = QGroupBox(tr("Notifications"))
        told_row = QHBoxLayout(told)
        self.quiet = QCheckBox(tr("&Quiet hours, from"))
        self.quiet.setAccessibleName(tr("Quiet hours: no desktop notifications"))
        self.quiet_from, self.quiet_until = QComboBox(), QComboBox()
        for box, name in ((self.quiet_from, tr("from")), (self.quiet_until, tr("until"))):
            box.setAccessibleName(tr("Quiet hours {end}").format(end=name))
            for hour in range(24):
                box.addItem(f"{hour:02d}:00", hour)
        start, end = prefs.quiet_hours
        self.quiet.setChecked(start >= 0)
        self.quiet_from.setCurrentIndex(start if start >= 0 else 22)
        self.quiet_until.setCurrentIndex(end if end >= 0 else 7)
        for box in (self.quiet_from, self.quiet_until):
            box.setEnabled(self.quiet.isChecked())
            self.quiet.toggled.connect(box.setEnabled)
        told_row.addWidget(self.quiet)
        told_row.addWidget(self.quiet_from)
        told_row.addWidget(QLabel(tr("until")))
        told_row.addWidget(self.quiet_until)
        told_row.addStretch(1)
        told.setToolTip(
            tr("In quiet hours nothing pops up; the Notifications place still lists it all.")
        )
        outer.addWidget(told)

        look = QGroupBox(tr("Look"))
        look_form = QFormLayout(look)
        theme_row = QHBoxLayout()
        self.theme_group = QButtonGroup(self)
        self.themes: dict[str, QRadioButton] = {}
        for value, words in THEME_WORDS:
            button = QRadioButton(tr(words))
            button.setAccessibleName(tr(words).replace("&", ""))
            self.theme_group.addButton(button)
            self.themes[value] = button
            theme_row.addWidget(button)
        theme_row.addStretch(1)
        self.themes[prefs.theme].setChecked(True)
        look_form.addRow(tr("Theme"), theme_row)
        self.text_size = QComboBox()
        self.text_size.setAccessibleName(tr("Text size"))
        for size in TEXT_SIZES:
            self.text_size.addItem(tr(TEXT_SIZE_WORDS[size]), size)
        self.text_size.setCurrentIndex(TEXT_SIZES.index(prefs.text_size))
        size_label = QLabel(tr("&Text size"))
        size_label.setBuddy(self.text_size)
        look_form.addRow(size_label, self.text_size)
        outer.addWidget(look)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        outer.addWidget(buttons)
        self._loaded_name = ""
        ctx.tasks.run(lambda: groups.my_name(store=ctx.store), done=self._got_name)
        self.name.setFocus()

    def _got_name(self, name: str) -> None:
        self._loaded_name = name
        if not self.name.text():
            self.name.setText(name)

    def theme(self) -> str:
        return next((v for v, b in self.themes.items() if b.isChecked()), "system")

    def set_theme(self, value: str) -> None:
        self.themes[value].setChecked(True)

    def _accept(self) -> None:
        self.chosen.emit(
            Chosen(
                name=self.name.text().strip(),
                sync_minutes=int(self.interval.currentData()),
                theme=self.theme(),
                text_size=int(self.text_size.currentData()),
                quiet_hours=(
                    (int(self.quiet_from.currentData()), int(self.quiet_until.currentData()))
                    if self.quiet.isChecked()
                    else (-1, -1)
                ),
            )
        )
        self.accept()
