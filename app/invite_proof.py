"""Invitations proven without revealing them.

An invitation's secret token seeds an Ed25519 key pair. The group's log holds only the
public half; a newcomer redeems by signing their own device id with the private half.
Anyone reading the log sees the proof, but it names one device: copying it lets
nobody else in, and the token itself never enters the log.
"""

from __future__ import annotations

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)


def _private(token: str) -> Ed25519PrivateKey:
    seed = hashlib.sha256(b"moot-invitation:" + token.encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def invite_key(token: str) -> str:
    """The public key that stands for the token in the log, as hex."""
    raw = (
        _private(token)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return raw.hex()


def _message(invite_id: str, device: str) -> bytes:
    return f"moot-redeem:{invite_id}:{device}".encode()


def prove(token: str, invite_id: str, device: str) -> str:
    return _private(token).sign(_message(invite_id, device)).hex()


def proof_holds(key_hex: str, proof_hex: str, invite_id: str, device: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_hex)).verify(
            bytes.fromhex(proof_hex), _message(invite_id, device)
        )
    except (InvalidSignature, ValueError):
        return False
    return True
