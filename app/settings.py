"""Every setting the core reads, declared once with its type and default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "Moot"
DB_FILE = "moot.db"


def default_data_dir() -> Path:
    """``MOOT_DATA_DIR`` if set, else the platform's per-user data folder."""
    override = os.environ.get("MOOT_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def keyring_wanted() -> bool:
    """``MOOT_KEYRING=0`` keeps the device key in the profile folder instead of the OS keyring."""
    return os.environ.get("MOOT_KEYRING", "1") != "0"


@dataclass(frozen=True)
class ProfileSettings:
    data_dir: Path
    use_keyring: bool = True

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILE
