"""Minute numbers such as ``24/117``: the 117th minute of the council year begun in 2024.

Minutes are numbered afresh each council year, which runs from the annual meeting in
May rather than from January, so a minute taken in February carries last year's number.
The year is written with two digits, read back as 20yy, and the count without padding
(``24/7``, not ``24/007``), as most councils print them.
"""

from __future__ import annotations

import re
from datetime import date

DEFAULT_STARTS_MONTH = 5  # May: the annual meeting of a parish or town council

_MINUTE_NUMBER = re.compile(r"([0-9]{2})/([0-9]+)")


def council_year(day: date, *, starts_month: int = DEFAULT_STARTS_MONTH) -> int:
    """The calendar year in which the council year holding ``day`` began.

    A council year begins on the 1st of ``starts_month``; councils whose year turns
    at another month than May say which.
    """
    if not 1 <= starts_month <= 12:
        raise ValueError(f"starts_month must be a month from 1 to 12, not {starts_month}")
    return day.year if day.month >= starts_month else day.year - 1


def format_minute_number(year: int, n: int) -> str:
    """The number as printed in the minutes; only years 2000–2099 read back unchanged."""
    if not 2000 <= year <= 2099:
        raise ValueError(
            f"a minute number carries a two-digit year, read as 2000-2099; {year} is outside it"
        )
    if n < 1:
        raise ValueError(f"minutes are counted from 1, so {n} cannot be a minute's number")
    return f"{year % 100:02d}/{n}"


def parse_minute_number(text: str) -> tuple[int, int]:
    """The council year and count in a minute number a person typed or an old record holds.

    Spaces around it are forgiven, and so are zeros padding the count (``24/007`` is
    minute 7), since older minute books were printed that way.
    """
    match = _MINUTE_NUMBER.fullmatch(text.strip())
    if match is None:
        raise ValueError(
            f"{text!r} is not a minute number: expected a two-digit year, a slash and "
            "the minute's count, such as 24/117"
        )
    yy, count = match.groups()
    n = int(count)
    if n < 1:
        raise ValueError(f"{text!r} is not a minute number: minutes are counted from 1")
    return 2000 + int(yy), n
