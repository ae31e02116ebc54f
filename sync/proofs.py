"""What a laptop signs to prove to a hub that it holds its device key.

Each message names the hub it is meant for (the hub's device key, as ``GET /v1/hub``
gives it) and the laptop's clock: a proof is good at that hub for a few minutes, so
one kept from a log, or sent on to a hub other than the one named, opens nothing. A
hub that claims another hub's key can still pass a fresh proof on to that hub within
those minutes; the laptop cannot tell without knowing which key to expect.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

PROOF_WINDOW_MS = 10 * 60_000  # how far a proof's stamp may be from the hub's clock


def join_message(hub: str, code: str, stamp_ms: int) -> str:
    """Signed when joining a group with an invitation code."""
    return f"moot-join:{hub}:{code}:{stamp_ms}"


def register_message(hub: str, group_id: str, code: str, stamp_ms: int) -> str:
    """Signed when connecting a group started offline with a registration code."""
    return f"moot-register:{hub}:{group_id}:{code}:{stamp_ms}"


def enrol_message(hub: str, group_id: str, stamp_ms: int) -> str:
    """Signed by a laptop admitted offline, asking the hub for a token."""
    return f"moot-enrol:{hub}:{group_id}:{stamp_ms}"


def sign(key: Ed25519PrivateKey, message: str) -> str:
    return key.sign(message.encode()).hex()
