"""What a laptop signs to prove to a hub that it holds its device key."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def join_message(code: str) -> str:
    """Signed when joining with an invitation code or registering with a registration code."""
    return f"moot-join:{code}"


def enrol_message(group_id: str, stamp_ms: int) -> str:
    """Signed by a laptop admitted offline, asking the hub for a token."""
    return f"moot-enrol:{group_id}:{stamp_ms}"


def sign(key: Ed25519PrivateKey, message: str) -> str:
    return key.sign(message.encode()).hex()
