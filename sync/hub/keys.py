"""The hub's signing key: in a private file on the hub's machine, never in its database.

Whoever holds the key writes as the hub, and the hub is an organiser of its groups, so
a copy of the database (a backup, a dump sent with a bug report) must not carry it. The
database keeps the public half only: a hub process started with another hub's key file
stops with a message, rather than writing under a second identity. Several processes
serving one PostgreSQL database are each given a copy of the same file.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, delete, insert, select, text

from app import keystore
from app.errors import MootError
from app.identity import DeviceIdentity
from sync.hub import tables as t

PUBLIC = "public"  # hub_keys row: the hub's public key, which every key file must match
_LEGACY = "device"  # hub_keys row: the private key, where hubs before 0003 kept it


class HubKeyError(MootError):
    """The key file is missing, unreadable or another hub's."""


def load_hub_identity(conn: Connection, key_file: Path) -> DeviceIdentity:
    """The hub's identity from ``key_file``, made on first start; checked against the database."""
    with _key_file_errors(key_file):
        return _load(conn, key_file)


def move_key_out(conn: Connection, key_file: Path) -> bool:
    """Move a private key kept in the database by an older hub to ``key_file``; any?"""
    with _key_file_errors(key_file):
        return _move_legacy(conn, key_file) is not None


def key_file_fit(conn: Connection, key_file: Path) -> str:
    """How ``key_file`` stands to the hub whose database this is, changing nothing:
    "matches", "missing", "unreadable", "another hub's", "not a key", or "none yet" (no hub has
    started on this database, so any key, or a new one, will do).
    """
    public = conn.execute(select(t.hub_keys.c.value).where(t.hub_keys.c.name == PUBLIC)).scalar()
    if public is None:
        return "none yet"
    try:
        secret = key_file.read_text().strip()
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "unreadable"
    try:
        identity = DeviceIdentity.from_hex(secret)
    except ValueError:
        return "not a key"
    return "matches" if identity.device_id == public else "another hub's"


@contextmanager
def _key_file_errors(key_file: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        raise HubKeyError(
            f"The hub's key file {key_file} could not be used: {exc.strerror}."
        ) from None


def _load(conn: Connection, key_file: Path) -> DeviceIdentity:
    moved = _move_legacy(conn, key_file)
    if moved is not None:
        return moved
    public = conn.execute(select(t.hub_keys.c.value).where(t.hub_keys.c.name == PUBLIC)).scalar()
    if public is None:
        secret = keystore.load_or_create_file(
            key_file, lambda: DeviceIdentity.generate().private_hex()
        )
        identity = _read(key_file, secret)
        conn.execute(insert(t.hub_keys).values(name=PUBLIC, value=identity.device_id))
        return identity
    if not key_file.exists():
        raise HubKeyError(
            f"The hub's key file {key_file} is missing. This database belongs to the hub "
            f"whose key begins {public[:12]}: copy that hub's key file here, or name it with --key."
        )
    identity = _read(key_file, key_file.read_text().strip())
    if identity.device_id != public:
        raise HubKeyError(_another_hub(key_file, public))
    return identity


def _move_legacy(conn: Connection, key_file: Path) -> DeviceIdentity | None:
    if conn.dialect.name == "postgresql":
        # Hub processes starting together: one makes or moves the key, the others find it.
        conn.execute(text("SELECT pg_advisory_xact_lock(8471)"))
    legacy = conn.execute(select(t.hub_keys.c.value).where(t.hub_keys.c.name == _LEGACY)).scalar()
    if legacy is None:
        return None
    identity = _read(key_file, keystore.load_or_create_file(key_file, lambda: legacy))
    if identity.private_hex() != legacy:
        raise HubKeyError(_another_hub(key_file, DeviceIdentity.from_hex(legacy).device_id))
    if conn.dialect.name == "sqlite":
        conn.execute(text("PRAGMA secure_delete = ON"))  # the freed page is zeroed, not left
    conn.execute(delete(t.hub_keys).where(t.hub_keys.c.name == _LEGACY))
    conn.execute(insert(t.hub_keys).values(name=PUBLIC, value=identity.device_id))
    return identity


def _read(key_file: Path, secret: str) -> DeviceIdentity:
    try:
        return DeviceIdentity.from_hex(secret)
    except ValueError:
        raise HubKeyError(f"The file {key_file} is not a Moot hub key.") from None


def _another_hub(key_file: Path, public: str) -> str:
    return (
        f"The key file {key_file} belongs to another hub; this database belongs to the hub "
        f"whose key begins {public[:12]}. Name that hub's key file with --key."
    )
