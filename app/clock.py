"""Hybrid logical clock (HLC): wall-clock milliseconds plus a counter, packed in one int.

Packing as ``ms << 16 | counter`` makes stamps plain integers that sort and compare
in SQL and Python alike; (stamp, device id) is the total order the merge rules use.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from app.errors import ClockError

COUNTER_BITS = 16
COUNTER_MASK = (1 << COUNTER_BITS) - 1
# Ops stamped further ahead of the receiver's wall clock than this are refused: one
# laptop with a wrong date must not win every conflict for months.
DAY_MS = 24 * 60 * 60 * 1000
MAX_FUTURE_MS = DAY_MS


def pack(ms: int, counter: int = 0) -> int:
    return (ms << COUNTER_BITS) | counter


def physical_ms(stamp: int) -> int:
    return stamp >> COUNTER_BITS


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridClock:
    """Issues strictly increasing stamps that also move past every stamp observed."""

    def __init__(self, last: int = 0, now_ms: Callable[[], int] = wall_ms) -> None:
        self._last = last
        self._now_ms = now_ms
        self._lock = threading.Lock()

    @property
    def last(self) -> int:
        return self._last

    def wall_ms(self) -> int:
        """The wall clock this clock reads: what "now" is on this computer."""
        return self._now_ms()

    def now(self) -> int:
        with self._lock:
            self._last = max(pack(self._now_ms()), self._last + 1)
            return self._last

    def observe(self, stamp: int) -> None:
        """Move past a stamp received from elsewhere, refusing one from the far future."""
        check_not_future(stamp, self._now_ms())
        with self._lock:
            self._last = max(self._last, stamp)


def check_not_future(stamp: int, now_ms: int, *, slack_ms: int = MAX_FUTURE_MS) -> None:
    ahead = physical_ms(stamp) - now_ms
    if ahead > slack_ms:
        raise ClockError(describe_skew(ahead))


def describe_skew(ahead_ms: int) -> str:
    hours = ahead_ms / 3_600_000
    amount = f"{hours / 24:.0f} days" if hours >= 48 else f"{hours:.0f} hours"
    return (
        f"changes are stamped {amount} ahead of this computer's clock; "
        "check the date and time on both computers"
    )
