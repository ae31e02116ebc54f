"""The hybrid clock orders events and refuses stamps from a clock far in the future."""

from __future__ import annotations

import pytest

from app.clock import MAX_FUTURE_MS, HybridClock, pack, physical_ms
from app.errors import ClockError


def test_stamps_increase_even_when_the_wall_clock_stands_still() -> None:
    clock = HybridClock(now_ms=lambda: 1_000)
    stamps = [clock.now() for _ in range(5)]
    assert stamps == sorted(set(stamps))
    assert all(physical_ms(s) == 1_000 for s in stamps)


def test_a_stamp_from_elsewhere_moves_the_clock_past_it() -> None:
    clock = HybridClock(now_ms=lambda: 1_000)
    clock.observe(pack(5_000, 3))
    assert clock.now() > pack(5_000, 3)


def test_a_wall_clock_that_steps_back_does_not_reverse_stamps() -> None:
    times = iter([10_000, 9_000])
    clock = HybridClock(now_ms=lambda: next(times))
    first = clock.now()
    assert clock.now() > first


def test_a_far_future_stamp_is_refused_with_a_readable_reason() -> None:
    clock = HybridClock(now_ms=lambda: 1_000_000)
    with pytest.raises(ClockError, match="3 days ahead"):
        clock.observe(pack(1_000_000 + 3 * 86_400_000))
    clock.observe(pack(1_000_000 + MAX_FUTURE_MS // 2))  # within the slack: fine
