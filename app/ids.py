"""Ids: UUIDv7 (time-ordered, so new rows land at the end of indexes), and group ids
bound to their founder's key."""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_last_rand = 0


def uuid7() -> str:
    """A new UUIDv7 as text, monotonic within this process (RFC 9562, method 2)."""
    global _last_ms, _last_rand
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            # Same millisecond (or the wall clock stepped back): count up from the last
            # value so ids made in one process still sort in creation order.
            ms = _last_ms
            rand = _last_rand + 1
        else:
            rand = int.from_bytes(os.urandom(10), "big") >> 6  # 74 random bits
        _last_ms, _last_rand = ms, rand
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def founded_id(founder: str, seed: str) -> str:
    """A group's id, made from its founder's device key and a random seed (UUIDv8).

    Only the founder's key signs the group's founding op, and the op carries the seed,
    so nobody else can found a group under this id: say, to claim it first on a hub.
    """
    digest = hashlib.sha256(f"moot-group:{founder}:{seed}".encode()).digest()
    value = int.from_bytes(digest[:16], "big")
    value = (value & ~(0xF << 76)) | (0x8 << 76)  # version 8: custom
    value = (value & ~(0b11 << 62)) | (0b10 << 62)  # the RFC 9562 variant
    return str(uuid.UUID(int=value))


def new_group_id(founder: str) -> tuple[str, str]:
    """A new group's (id, seed) for ``founder``; the seed goes in the founding op."""
    seed = secrets.token_hex(16)
    return founded_id(founder, seed), seed
