"""Checks for the fields an op's payload carries, and the limits they hold to.

A payload that breaks these rules is malformed wherever it arrives, whatever else the
replica holds, so rejecting it keeps merging order-independent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from app.ops import MAX_INT, is_hex

MAX_TEXT = 100_000
MAX_TITLE = 300
MAX_OPTIONS = 20

Check = Callable[[Any], bool]


def text(limit: int = MAX_TEXT) -> Check:
    return lambda v: isinstance(v, str) and len(v) <= limit


def title(v: Any) -> bool:
    return isinstance(v, str) and len(v.strip()) > 0 and len(v) <= MAX_TITLE


def boolean(v: Any) -> bool:
    return isinstance(v, bool)


def integer(v: Any) -> bool:
    """A whole number SQLite can hold (signed 64-bit)."""
    return isinstance(v, int) and not isinstance(v, bool) and -MAX_INT < v < MAX_INT


def moment(v: Any) -> bool:
    """A time in ms since 1970 that a clock stamp can carry (``app.clock.pack``)."""
    return integer(v) and 0 <= v < 1 << 47


def opt_integer(v: Any) -> bool:
    return v is None or integer(v)


def titles(v: Any) -> bool:
    return isinstance(v, list) and len(v) <= 50 and all(title(x) for x in v)


def iso_date(v: Any) -> bool:
    """A calendar date, "2027-01-14"."""
    if not isinstance(v, str) or len(v) != 10:
        return False
    try:
        date.fromisoformat(v)
    except ValueError:
        return False
    return True


def hex_of(length: int) -> Check:
    return lambda v: is_hex(v, length)


def ident(v: Any) -> bool:
    return isinstance(v, str) and 0 < len(v) <= 64


def opt_ident(v: Any) -> bool:
    return v is None or ident(v)


def one_of(*values: str) -> Check:
    return lambda v: v in values
