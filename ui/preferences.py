"""The window's own preferences, declared once with type and default.

They live in an INI file in the profile's folder rather than the OS-wide QSettings
store: each profile (the sample one from ``moot --demo``, a test's) keeps its own, and
nothing a test does reaches the real user's settings. Window geometry is kept apart,
under ``[window]``, from what a person chooses in Settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

THEMES = ("system", "light", "dark")
TEXT_SIZES = (90, 100, 115, 130)  # per cent of the system's normal text
SYNC_INTERVALS = (0, 1, 5, 15, 30, 60)  # minutes; 0: only when asked
QUIET_HOURS = (-1, *range(24))  # the hour quiet hours start or end; -1: none
FILE_NAME = "window.ini"
HELLO = (
    "Welcome to the group, @{name}! It's good to have you. What brought you here, and"
    " is there something you would like us to talk about?"
)


class Preferences:
    def __init__(self, data_dir: Path) -> None:
        self._qs = QSettings(str(data_dir / FILE_NAME), QSettings.Format.IniFormat)

    # --- what a person chooses in Settings ----------------------------------------

    @property
    def theme(self) -> str:
        value = str(self._qs.value("look/theme", "system"))
        return value if value in THEMES else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self._qs.setValue("look/theme", value if value in THEMES else "system")

    @property
    def text_size(self) -> int:
        return self._int("look/text_size", 100, TEXT_SIZES)

    @text_size.setter
    def text_size(self, value: int) -> None:
        self._qs.setValue("look/text_size", value if value in TEXT_SIZES else 100)

    @property
    def sync_minutes(self) -> int:
        return self._int("sync/interval_minutes", 5, SYNC_INTERVALS)

    @sync_minutes.setter
    def sync_minutes(self, value: int) -> None:
        self._qs.setValue("sync/interval_minutes", value if value in SYNC_INTERVALS else 5)

    @property
    def quiet_hours(self) -> tuple[int, int]:
        """(from, until) hours in which no desktop notification pops up; (-1, -1): none."""
        start = self._int("notifications/quiet_from", 22, QUIET_HOURS)
        end = self._int("notifications/quiet_until", 7, QUIET_HOURS)
        return (start, end) if start >= 0 and end >= 0 else (-1, -1)

    @quiet_hours.setter
    def quiet_hours(self, value: tuple[int, int]) -> None:
        start, end = value
        self._qs.setValue("notifications/quiet_from", start if start in QUIET_HOURS else -1)
        self._qs.setValue("notifications/quiet_until", end if end in QUIET_HOURS else -1)

    @property
    def hello_template(self) -> str:
        """The words an organiser starts from to greet a newcomer; {name} is theirs."""
        return str(self._qs.value("organiser/hello", HELLO))

    @hello_template.setter
    def hello_template(self, value: str) -> None:
        self._qs.setValue("organiser/hello", value.strip() or HELLO)

    # --- what the window remembers by itself ----------------------------------------

    @property
    def last_group(self) -> str:
        return str(self._qs.value("window/last_group", ""))

    @last_group.setter
    def last_group(self, group_id: str) -> None:
        self._qs.setValue("window/last_group", group_id)

    def geometry(self) -> QByteArray | None:
        value = self._qs.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, value: QByteArray) -> None:
        self._qs.setValue("window/geometry", value)

    def sync(self) -> None:
        """Write to disk now (Qt otherwise writes when it sees fit)."""
        self._qs.sync()

    def _int(self, key: str, default: int, allowed: tuple[int, ...]) -> int:
        try:
            value = int(str(self._qs.value(key, default)))
        except ValueError:
            return default
        return value if value in allowed else default
