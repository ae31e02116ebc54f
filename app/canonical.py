"""Canonical JSON: one byte string per value, so hashes and dumps agree everywhere."""

from __future__ import annotations

import json
from typing import Any

_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def canonical_json(value: Any) -> str:
    return _encode(value)


def canonical_bytes(value: Any) -> bytes:
    return canonical_json(value).encode()
