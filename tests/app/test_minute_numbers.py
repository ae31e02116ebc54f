"""Minute numbers count afresh from each annual meeting and read back as written."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.minute_numbers import council_year, format_minute_number, parse_minute_number


@pytest.mark.parametrize(
    ("day", "year"),
    [
        pytest.param(date(2025, 1, 14), 2024, id="january-belongs-to-last-year"),
        pytest.param(date(2025, 4, 30), 2024, id="last-day-before-may"),
        pytest.param(date(2025, 5, 1), 2025, id="first-of-may-starts-the-year"),
        pytest.param(date(2025, 12, 31), 2025, id="december"),
    ],
)
def test_the_council_year_turns_in_may(day: date, year: int) -> None:
    assert council_year(day) == year


def test_a_council_whose_year_turns_in_another_month() -> None:
    assert council_year(date(2025, 3, 31), starts_month=4) == 2024
    assert council_year(date(2025, 4, 1), starts_month=4) == 2025
    assert council_year(date(2025, 1, 1), starts_month=1) == 2025
    assert council_year(date(2025, 11, 30), starts_month=12) == 2024


@pytest.mark.parametrize("month", [0, 13, -5])
def test_a_month_that_is_no_month_is_refused(month: int) -> None:
    with pytest.raises(ValueError, match="month from 1 to 12"):
        council_year(date(2025, 1, 1), starts_month=month)


def test_numbers_print_with_a_two_digit_year_and_an_unpadded_count() -> None:
    assert format_minute_number(2024, 117) == "24/117"
    assert format_minute_number(2024, 7) == "24/7"
    assert format_minute_number(2005, 1) == "05/1"
    assert format_minute_number(2000, 1000) == "00/1000"


@pytest.mark.parametrize(
    ("year", "n", "message"),
    [
        pytest.param(1999, 1, "two-digit year", id="year-before-2000"),
        pytest.param(2100, 1, "two-digit year", id="year-after-2099"),
        pytest.param(2024, 0, "counted from 1", id="minute-zero"),
        pytest.param(2024, -3, "counted from 1", id="negative-minute"),
    ],
)
def test_a_number_that_would_not_read_back_is_refused(year: int, n: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        format_minute_number(year, n)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        pytest.param("24/117", (2024, 117), id="plain"),
        pytest.param("05/1", (2005, 1), id="leading-zero-year"),
        pytest.param(" 24/117\n", (2024, 117), id="surrounding-space"),
        pytest.param("24/007", (2024, 7), id="padded-count-from-an-old-book"),
    ],
)
def test_reading_a_minute_number(text: str, parsed: tuple[int, int]) -> None:
    assert parse_minute_number(text) == parsed


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("24", id="no-count"),
        pytest.param("24/", id="empty-count"),
        pytest.param("/117", id="no-year"),
        pytest.param("2024/117", id="four-digit-year"),
        pytest.param("4/117", id="one-digit-year"),
        pytest.param("24-117", id="wrong-separator"),
        pytest.param("24 / 117", id="spaces-inside"),
        pytest.param("24/117a", id="trailing-letter"),
        pytest.param("24/-1", id="negative-count"),
        pytest.param("٢٤/١١٧", id="non-ascii-digits"),
    ],
)
def test_text_that_is_no_minute_number_is_refused_clearly(text: str) -> None:
    with pytest.raises(ValueError, match=r"is not a minute number: expected .* such as 24/117"):
        parse_minute_number(text)


def test_minute_zero_is_refused_when_read() -> None:
    with pytest.raises(ValueError, match="counted from 1"):
        parse_minute_number("24/0")


years = st.integers(min_value=2000, max_value=2099)
counts = st.integers(min_value=1, max_value=100_000)


@given(years, counts)
def test_a_printed_number_reads_back_as_itself(year: int, n: int) -> None:
    text = format_minute_number(year, n)
    assert parse_minute_number(text) == (year, n)
    assert format_minute_number(*parse_minute_number(text)) == text


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.integers(1, 12))
def test_the_council_year_began_within_the_last_twelve_months(day: date, month: int) -> None:
    year = council_year(day, starts_month=month)
    start = date(year, month, 1)
    assert start <= day
    assert day < date(year + 1, month, 1)
