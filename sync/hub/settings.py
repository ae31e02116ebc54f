"""The hub's settings, declared once with type and default."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

from sync.hub.limits import Limits
from sync.proofs import hub_address

DEFAULT_PORT = 8470


def _data_folder() -> Path:
    folder = Path(platformdirs.user_data_dir("Moot Hub", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_db_url() -> str:
    """``MOOT_HUB_DB`` if set, else a SQLite file in the user's data folder."""
    return os.environ.get("MOOT_HUB_DB") or f"sqlite:///{_data_folder() / 'hub.db'}"


def default_key_file(db_url: str) -> Path:
    """``MOOT_HUB_KEY`` if set; else beside a SQLite database file; else in the data folder."""
    named = os.environ.get("MOOT_HUB_KEY")
    if named:
        return Path(named)
    database = make_url(db_url).database if db_url.startswith("sqlite") else None
    if database and database != ":memory:":
        return Path(database).with_suffix(".key")
    return _data_folder() / "hub.key"


def public_urls(given: list[str] | None) -> tuple[str, ...]:
    """The addresses laptops reach this hub at: ``given``, else ``$MOOT_HUB_PUBLIC_URL``
    (several separated by spaces or commas), each in the spelling proofs sign.

    Raises ValueError for one that is not an http(s) address.
    """
    named = given or os.environ.get("MOOT_HUB_PUBLIC_URL", "").replace(",", " ").split()
    return tuple(dict.fromkeys(hub_address(url) for url in named))


@dataclass(frozen=True)
class HubSettings:
    db_url: str
    key_file: Path
    name: str = "Council hub"
    # Where laptops reach the hub; a device proof made for another address is refused.
    # Empty: any address (a hub that does not know its own name cannot check).
    public_urls: tuple[str, ...] = ()
    max_body_bytes: int = 8 * 1024 * 1024  # per request, after decompression
    max_push_ops: int = 2_000  # per push request
    page_size: int = 5_000  # ops per pull page, at most
    # None: no rate limits (for a load test on a private network).
    limits: Limits | None = field(default_factory=Limits)
