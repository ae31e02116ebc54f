"""The summons goes out three clear days before the meeting, Sundays and holidays aside."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.summons import disregarded, summons_by, too_close

ONE_DAY = timedelta(days=1)


# Each case is counted back by hand from the day before the meeting; "-" is a day that
# does not count, and the summons may go out on the day before the third that does.
@pytest.mark.parametrize(
    ("meeting", "latest"),
    [
        pytest.param(
            # Mon 15 Jun 2026: Sun 14 -, Sat 13 (1), Fri 12 (2), Thu 11 (3).
            date(2026, 6, 15),
            date(2026, 6, 10),
            id="monday-meeting-summons-by-wednesday",
        ),
        pytest.param(
            # Thu 11 Jun 2026: Wed 10 (1), Tue 9 (2), Mon 8 (3); the day before is a Sunday.
            date(2026, 6, 11),
            date(2026, 6, 7),
            id="thursday-meeting-summons-by-sunday",
        ),
        pytest.param(
            # Tue 29 Dec 2026: Mon 28 - (Boxing Day's substitute), Sun 27 -, Sat 26 -
            # (Boxing Day), Fri 25 - (Christmas Day), Thu 24 - (Christmas Eve),
            # Wed 23 (1), Tue 22 (2), Mon 21 (3).
            date(2026, 12, 29),
            date(2026, 12, 20),
            id="between-christmas-and-new-year-2026",
        ),
        pytest.param(
            # Wed 29 Dec 2027: Tue 28 - (Boxing Day's substitute), Mon 27 - (Christmas
            # Day's substitute), Sun 26 -, Sat 25 -, Fri 24 - (Christmas Eve),
            # Thu 23 (1), Wed 22 (2), Tue 21 (3).
            date(2027, 12, 29),
            date(2027, 12, 20),
            id="christmas-on-a-saturday-2027",
        ),
        pytest.param(
            # Tue 30 Mar 2027: Mon 29 - (Easter Monday), Sun 28 -, Sat 27 (1),
            # Fri 26 - (Good Friday), Thu 25 (2), Wed 24 (3).
            date(2027, 3, 30),
            date(2027, 3, 23),
            id="after-easter-2027",
        ),
        pytest.param(
            # Tue 26 May 2026: Mon 25 - (spring bank holiday), Sun 24 -, Sat 23 (1),
            # Fri 22 (2), Thu 21 (3).
            date(2026, 5, 26),
            date(2026, 5, 20),
            id="day-after-spring-bank-holiday",
        ),
        pytest.param(
            # Tue 1 Sep 2026: Mon 31 Aug - (summer bank holiday), Sun 30 -, Sat 29 (1),
            # Fri 28 (2), Thu 27 (3).
            date(2026, 9, 1),
            date(2026, 8, 26),
            id="day-after-summer-bank-holiday",
        ),
        pytest.param(
            # Wed 21 Sep 2022: Tue 20 (1), Mon 19 - (the Queen's state funeral, a
            # one-off bank holiday), Sun 18 -, Sat 17 (2), Fri 16 (3).
            date(2022, 9, 21),
            date(2022, 9, 15),
            id="one-off-bank-holiday",
        ),
    ],
)
def test_the_latest_day_a_clerk_may_send_the_summons(meeting: date, latest: date) -> None:
    assert summons_by(meeting) == latest


def test_a_day_of_mourning_the_council_enters_is_not_counted() -> None:
    # Mon 15 Jun 2026 with Fri 12 closed: Sun 14 -, Sat 13 (1), Fri 12 -, Thu 11 (2),
    # Wed 10 (3).
    assert summons_by(date(2026, 6, 15), extra_closed=[date(2026, 6, 12)]) == date(2026, 6, 9)
    # A closed day that was not going to count anyway changes nothing.
    assert summons_by(date(2026, 6, 15), extra_closed={date(2026, 6, 14)}) == date(2026, 6, 10)


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2026, 6, 14), id="a-sunday"),
        pytest.param(date(2026, 12, 24), id="christmas-eve-on-a-thursday"),
        pytest.param(date(2027, 12, 24), id="christmas-eve-on-a-friday"),
        pytest.param(date(2027, 12, 25), id="christmas-day-on-a-saturday"),
        pytest.param(date(2027, 3, 26), id="good-friday"),
        pytest.param(date(2027, 3, 29), id="easter-monday"),
        pytest.param(date(2026, 12, 28), id="boxing-day-substitute-monday"),
        pytest.param(date(2027, 12, 27), id="christmas-day-substitute-monday"),
        pytest.param(date(2022, 1, 3), id="new-years-day-substitute-monday"),
        pytest.param(date(2023, 5, 8), id="coronation-bank-holiday"),
        pytest.param(date(2026, 5, 4), id="early-may-bank-holiday"),
    ],
)
def test_days_the_act_disregards(day: date) -> None:
    assert disregarded(day)


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2026, 6, 13), id="an-ordinary-saturday"),
        pytest.param(date(2027, 12, 23), id="the-day-before-christmas-eve"),
        pytest.param(date(2026, 12, 31), id="new-years-eve"),
        pytest.param(date(2026, 1, 2), id="scottish-bank-holiday"),
        pytest.param(date(2026, 11, 30), id="st-andrews-day"),
        pytest.param(date(2026, 3, 17), id="st-patricks-day"),
    ],
)
def test_days_that_still_count(day: date) -> None:
    assert not disregarded(day)


def test_too_close_once_the_last_day_has_passed() -> None:
    meeting = date(2026, 6, 15)
    assert not too_close(meeting, date(2026, 6, 1))
    assert not too_close(meeting, date(2026, 6, 10))
    assert too_close(meeting, date(2026, 6, 11))
    assert too_close(meeting, meeting)
    assert too_close(meeting, date(2026, 6, 20))
    assert too_close(meeting, date(2026, 6, 10), extra_closed=[date(2026, 6, 12)])


# The package's table of bank holidays covers 1872 to 2100; keep inside it, with room
# for counting back over a long Christmas.
meeting_days = st.dates(min_value=date(1975, 1, 1), max_value=date(2099, 12, 31))
# Days of mourning near the meeting, as offsets back from it.
closed_offsets = st.frozensets(st.integers(min_value=1, max_value=30), max_size=8)


def _counting_days(after: date, before: date, closed: frozenset[date]) -> int:
    """How many days strictly between the two are among the clear days."""
    days = (after + ONE_DAY * i for i in range(1, (before - after).days))
    return sum(1 for d in days if d not in closed and not disregarded(d))


@given(meeting_days, closed_offsets)
def test_exactly_three_clear_days_and_no_later_day_has_them(
    meeting: date, offsets: frozenset[int]
) -> None:
    closed = frozenset(meeting - ONE_DAY * k for k in offsets)
    latest = summons_by(meeting, extra_closed=closed)
    assert latest <= meeting - ONE_DAY * 4
    assert _counting_days(latest, meeting, closed) == 3
    assert _counting_days(latest + ONE_DAY, meeting, closed) == 2
    assert not too_close(meeting, latest, extra_closed=closed)
    assert too_close(meeting, latest + ONE_DAY, extra_closed=closed)


@given(meeting_days)
def test_a_later_meeting_never_needs_an_earlier_summons(meeting: date) -> None:
    assert summons_by(meeting) <= summons_by(meeting + ONE_DAY)


@given(meeting_days)
def test_extra_closed_days_only_bring_the_summons_forward(meeting: date) -> None:
    closed = [meeting - ONE_DAY * 2]
    assert summons_by(meeting, extra_closed=closed) <= summons_by(meeting)
