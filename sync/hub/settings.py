"""The hub's settings, declared once with type and default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

PROTOCOL = 2  # 2: device proofs name the hub and carry a stamp
PROTOCOL_HEADER = "Moot-Protocol"
DEFAULT_PORT = 8470


def default_db_url() -> str:
    """``MOOT_HUB_DB`` if set, else a SQLite file in the user's data folder."""
    url = os.environ.get("MOOT_HUB_DB")
    if url:
        return url
    folder = Path(platformdirs.user_data_dir("Moot Hub", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'hub.db'}"


@dataclass(frozen=True)
class HubSettings:
    db_url: str
    name: str = "Council hub"
    max_body_bytes: int = 8 * 1024 * 1024  # per request, after decompression
    max_push_ops: int = 2_000  # per push request
    page_size: int = 5_000  # ops per pull page, at most
