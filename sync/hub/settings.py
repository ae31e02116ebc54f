"""The hub's settings, declared once with type and default."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

from sync.hub.limits import Limits
from sync.proofs import hub_address

DEFAULT_PORT = 8470
LOG_FORMATS = ("text", "json")  # the first is the default
LOCAL_PROXIES = ("127.0.0.1", "::1")  # a proxy on the hub's own machine


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


def log_format(given: str | None) -> str:
    """How ``serve`` writes its log: ``given``, else ``$MOOT_HUB_LOG_FORMAT``, else text.

    Raises ValueError for a format it does not write.
    """
    chosen = (given or os.environ.get("MOOT_HUB_LOG_FORMAT") or LOG_FORMATS[0]).strip().lower()
    if chosen not in LOG_FORMATS:
        raise ValueError(f"{chosen!r} is not a log format (text or json)")
    return chosen


def trusted_proxies(given: list[str] | None) -> tuple[str, ...]:
    """The proxies whose X-Forwarded-For and X-Forwarded-Proto the hub believes:
    ``given``, else ``$MOOT_HUB_TRUSTED_PROXIES`` (separated by spaces or commas), each
    an address or a network; else a proxy on this machine alone.

    Raises ValueError for one that is neither, or for ``*``: whoever could reach the hub
    could then choose the address its rate limits and sign-in lockouts count.
    """
    named = given or os.environ.get("MOOT_HUB_TRUSTED_PROXIES", "").replace(",", " ").split()
    for proxy in named:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ValueError(
                f"{proxy!r} is not a proxy's address or network (such as 172.20.0.10 or "
                "10.0.0.0/24)"
            ) from None
    return tuple(dict.fromkeys(named)) or LOCAL_PROXIES


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
