"""Ids: time-ordered (so new rows land at the end of indexes) and bound to their maker.

An op's id, and so the id of what a create op makes, is bound to its author's device
key: nobody else can sign an op under it, so no member of this or another group can
claim the id of an op that is still on its author's laptop. A group's id is bound to
its founder's key the same way.
"""

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
    return _as_uuid_text(value)


_AUTHORED_TAG_BITS = 54
_authored_last = (0, 0)  # (ms, counter) of the last authored id made in this process


def _as_uuid_text(value: int) -> str:
    return str(uuid.UUID(int=value))


def _authored_tag(device: str, head: int) -> int:
    digest = hashlib.sha256(f"moot-op:{device}:{head:018x}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> (64 - _AUTHORED_TAG_BITS)


def _authored(device: str, ms: int, counter: int, spare: int) -> str:
    head = (ms & ((1 << 48) - 1)) << 20 | (counter & 0xFFF) << 8 | (spare & 0xFF)
    value = (head >> 20) << 80 | 0x8 << 76 | ((head >> 8) & 0xFFF) << 64
    value |= 0b10 << 62 | (head & 0xFF) << _AUTHORED_TAG_BITS | _authored_tag(device, head)
    return _as_uuid_text(value)


def authored_id(device: str) -> str:
    """A new id for an op by ``device`` (a UUIDv8 that only that device can make).

    The first 48 bits are the time in ms and the next 12 count up within it, so ids made
    in one process still sort in creation order; 8 random bits follow, then 54 bits of
    a hash of all that with the device key, which the id's readers check against the
    op's author (``is_authored_by``). Finding another key that gives the same 54 bits
    is far beyond anyone's reach in the days an op waits on its laptop.
    """
    global _authored_last
    with _lock:
        now = time.time_ns() // 1_000_000
        last_ms, last_counter = _authored_last
        if now <= last_ms:  # the same ms, or the wall clock stepped back
            now, counter = last_ms, last_counter + 1
            if counter > 0xFFF:  # 4,096 in one ms: borrow the next ms
                now, counter = last_ms + 1, 0
        else:
            counter = secrets.randbelow(0x800)  # room to count up within the ms
        _authored_last = (now, counter)
    return _authored(device, now, counter, secrets.randbits(8))


def is_authored_by(op_id: str, device: str) -> bool:
    """Whether ``op_id`` is an authored id made by ``device``; False for any other id."""
    try:
        parsed = uuid.UUID(op_id)
    except ValueError:
        return False
    if str(parsed) != op_id:  # one spelling only, so no other can stand for it
        return False
    value = parsed.int
    if (value >> 76) & 0xF != 0x8 or (value >> 62) & 0b11 != 0b10:
        return False
    head = (value >> 80) << 20 | ((value >> 64) & 0xFFF) << 8
    head |= (value >> _AUTHORED_TAG_BITS) & 0xFF
    return value & ((1 << _AUTHORED_TAG_BITS) - 1) == _authored_tag(device, head)


def claims_author(op_id: str) -> bool:
    """Whether ``op_id`` reads as a UUIDv8 in any spelling, so must prove its author.

    Ids of other shapes (the UUIDv7s written before ids were bound) are taken as they are.
    """
    try:
        return uuid.UUID(op_id).version == 8
    except ValueError:
        return False


def founded_id(founder: str, seed: str) -> str:
    """A group's id, made from its founder's device key and a random seed (UUIDv8).

    Only the founder's key signs the group's founding op, and the op carries the seed,
    so nobody else can found a group under this id: say, to claim it first on a hub.
    """
    digest = hashlib.sha256(f"moot-group:{founder}:{seed}".encode()).digest()
    value = int.from_bytes(digest[:16], "big")
    value = (value & ~(0xF << 76)) | (0x8 << 76)  # version 8: custom
    value = (value & ~(0b11 << 62)) | (0b10 << 62)  # the RFC 9562 variant
    return _as_uuid_text(value)


def new_group_id(founder: str) -> tuple[str, str]:
    """A new group's (id, seed) for ``founder``; the seed goes in the founding op."""
    seed = secrets.token_hex(16)
    return founded_id(founder, seed), seed


def typed_secret(nbytes: int) -> str:
    """A random URL-safe secret that people type or paste after a command (an
    invitation or registration code): never starting with "-", which a command line
    would take for an option.
    """
    while True:
        token = secrets.token_urlsafe(nbytes)
        if not token.startswith("-"):
            return token
