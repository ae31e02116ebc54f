"""The last day a council meeting's summons and agenda may go out.

The Local Government Act 1972 (Sch. 12, paras 10 and 26) wants three clear days between
issuing the summons and the meeting, not counting either of those two days. Section
243(4) disregards Sundays, Christmas Eve, Christmas Day, Good Friday, bank holidays and
days of public thanksgiving or mourning: they are not among the three. A clerk who
counts on their fingers gets a Monday meeting wrong at Easter; this does the counting.

Bank holidays are England and Wales's (the two share them), substitute days included,
from the ``holidays`` package, which knows the years 1872 to 2100. Days of thanksgiving
or mourning are appointed at short notice, so the council enters them as
``extra_closed`` (one-off bank holidays such as a state funeral are in the package).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache

import holidays

CLEAR_DAYS = 3
ONE_DAY = timedelta(days=1)
SUNDAY = 6  # date.weekday()


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    """One year's bank holidays, built once: the package's own table grows as it is read."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def disregarded(day: date) -> bool:
    """Whether s.243(4) leaves this day out when counting clear days."""
    if day.weekday() == SUNDAY:
        return True
    # Christmas Eve is no bank holiday, so the package does not list it; Christmas Day
    # is there, but the Act names both, so neither rests on the package.
    if day.month == 12 and day.day in (24, 25):
        return True
    # Good Friday, Easter Monday, the May, spring and summer bank holidays, New Year's
    # and Boxing Days, the weekday substitutes for those on a weekend, and one-offs.
    return day in _bank_holidays(day.year)


def summons_by(meeting_day: date, *, extra_closed: Iterable[date] = ()) -> date:
    """The latest day the summons may be issued for a meeting on ``meeting_day``.

    The day returned may itself be a Sunday or a holiday: the day of issue is never
    one of the clear days, so nothing stops a summons going out then, though a clerk
    who does not work that day will send it sooner.
    """
    closed = frozenset(extra_closed)
    day = meeting_day
    counted = 0
    while counted < CLEAR_DAYS:
        day -= ONE_DAY
        if day not in closed and not disregarded(day):
            counted += 1
    return day - ONE_DAY


def too_close(meeting_day: date, today: date, *, extra_closed: Iterable[date] = ()) -> bool:
    """Whether a summons issued today would come too late for the meeting."""
    return today > summons_by(meeting_day, extra_closed=extra_closed)
