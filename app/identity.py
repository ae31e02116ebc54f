"""This device's Ed25519 key pair: made on first run, kept in the OS keyring or a private file.

The private key never enters the profile database, so copying a profile does not copy
the right to write as its device.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

log = logging.getLogger(__name__)

KEYRING_SERVICE = "moot"
KEY_FILE = "device.key"


@dataclass(frozen=True)
class DeviceIdentity:
    key: Ed25519PrivateKey

    @property
    def device_id(self) -> str:
        """The public key in hex: every op names its author by it and verifies against it."""
        raw = self.key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return raw.hex()

    def private_hex(self) -> str:
        raw = self.key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
        return raw.hex()

    @classmethod
    def from_hex(cls, secret: str) -> DeviceIdentity:
        return cls(Ed25519PrivateKey.from_private_bytes(bytes.fromhex(secret)))

    @classmethod
    def generate(cls) -> DeviceIdentity:
        return cls(Ed25519PrivateKey.generate())


def load_or_create(data_dir: Path, *, use_keyring: bool) -> DeviceIdentity:
    """The profile's identity, creating and storing one the first time."""
    account = _keyring_account(data_dir)
    secret = _keyring_get(account) if use_keyring else None
    if secret is None:
        secret = _file_get(data_dir)
    if secret is not None:
        return DeviceIdentity.from_hex(secret)
    identity = DeviceIdentity.generate()
    if not (use_keyring and _keyring_set(account, identity.private_hex())):
        _file_set(data_dir, identity.private_hex())
    return identity


def _keyring_account(data_dir: Path) -> str:
    return "device-key-" + hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]


def _keyring_get(account: str) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, account)
        except KeyringError:
            return None
    except Exception as exc:  # a broken keyring backend must not stop the app opening
        log.info("OS keyring not usable (%s); using the key file", exc)
        return None


def _keyring_set(account: str, secret: str) -> bool:
    try:
        import keyring
        from keyring.backends.fail import Keyring as FailKeyring

        if isinstance(keyring.get_keyring(), FailKeyring):
            return False
        keyring.set_password(KEYRING_SERVICE, account, secret)
    except Exception as exc:  # no secret service running, locked keychain, ...
        log.info("OS keyring not usable (%s); using the key file", exc)
        return False
    return True


def _file_get(data_dir: Path) -> str | None:
    path = data_dir / KEY_FILE
    if not path.exists():
        return None
    return path.read_text().strip()


def _file_set(data_dir: Path, secret: str) -> None:
    path = data_dir / KEY_FILE
    # Created with owner-only permissions from the start, never widened then narrowed.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(secret + "\n")
