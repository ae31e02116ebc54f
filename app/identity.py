"""This device's Ed25519 key pair: made on first run, kept by the key store.

The private key never enters the profile database, so copying a profile does not copy
the right to write as its device.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app import keystore

DEVICE_KEY_NAME = "device"  # the key store's name for this device's signing key


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


def load_or_create(
    data_dir: Path, *, use_keyring: bool, profile_exists: bool = False
) -> DeviceIdentity:
    """The profile's identity, creating and storing one the first time."""
    secret = keystore.load_or_create(
        data_dir, DEVICE_KEY_NAME, lambda: DeviceIdentity.generate().private_hex(),
        use_keyring=use_keyring, profile_exists=profile_exists,
    )  # fmt: skip
    return DeviceIdentity.from_hex(secret)
