"""What a laptop signs to prove to a hub that it holds its device key.

Each message names the hub it is meant for (the hub's own device key, from
``GET /v1/hub``) and the laptop's clock, so a proof is good at one hub for a few minutes:
a hub, or anyone who sees a request, cannot pass it on to another hub to get a token
for this laptop there, nor keep it to use later.
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
