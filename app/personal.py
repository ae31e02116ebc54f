"""Members' personal data (contact details): sealed at rest, shown by consent, erasable.

Contact details travel in their own ops, so that erasing them blanks just those
payloads; the signed envelopes (which hold only the payload's hash) still verify. On
this laptop the payloads and the member rows hold them sealed with the profile's data
key, which lives in the key store beside the device key, not in the database.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

from app import keystore
from app.registry import REGISTRY

SEALED = "sealed:"


class ProfileConnection(sqlite3.Connection):
    """A profile's SQLite connection, which notes when its transaction erased personal data.

    Erasing blanks rows in place, but SQLite's write-ahead log keeps the pages as they
    were, sealed under a key that may sit beside it (where there is no keyring); the
    store clears those copies once such a transaction commits (``app.store``).
    """

    erased = False


def note_erasure(db: sqlite3.Connection) -> None:
    """Have the store clear the log file's old copies once this transaction commits."""
    if isinstance(db, ProfileConnection):
        db.erased = True


class Sealer:
    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    @classmethod
    def for_profile(
        cls, data_dir: Path, *, use_keyring: bool, profile_exists: bool = False
    ) -> Sealer:
        key = keystore.load_or_create(
            data_dir,
            "data",
            lambda: Fernet.generate_key().decode(),
            use_keyring=use_keyring,
            profile_exists=profile_exists,
        )
        return cls(key.encode())

    @classmethod
    def generate(cls) -> Sealer:
        return cls(Fernet.generate_key())

    def seal(self, text: str) -> str:
        return SEALED + self._fernet.encrypt(text.encode()).decode()

    def unseal(self, stored: str) -> str:
        """The plain text of a sealed value; text stored unsealed passes through."""
        if not stored.startswith(SEALED):
            return stored
        try:
            return self._fernet.decrypt(stored[len(SEALED) :].encode()).decode()
        except InvalidToken:
            return ""  # sealed under another profile's key: unreadable here

    def payload_to_db(self, kind: str, action: str, payload_json: str | None) -> str | None:
        if payload_json is None or (kind, action) not in REGISTRY.personal:
            return payload_json
        return self.seal(payload_json)

    def payload_from_db(self, stored: str | None) -> dict[str, Any] | None:
        if stored is None:
            return None
        value: dict[str, Any] = json.loads(self.unseal(stored))
        return value
