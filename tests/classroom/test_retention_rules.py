"""The retention policy's days (classroom/retention.py, pure): on the day, a day before, a
day after; short months; no policy, no leaving day."""

from __future__ import annotations

import datetime as dt

import pytest

from ampwork.classroom import retention

LEFT = dt.date(2025, 7, 15)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 7, 14), False),  # a day before the twelve months are up
        (dt.date(2026, 7, 15), True),  # exactly twelve months: purged that day
        (dt.date(2026, 7, 16), True),  # a day after
    ],
)
def test_twelve_months_after_leaving(today: dt.date, expected: bool) -> None:
    assert retention.due(LEFT, today, 12) is expected


def test_no_policy_or_no_leaving_day_purges_nothing() -> None:
    assert not retention.due(LEFT, dt.date(2040, 1, 1), None)
    assert not retention.due(None, dt.date(2040, 1, 1), 12)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 8, 31), 6, dt.date(2026, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2025, 12, 1), 1, dt.date(2026, 1, 1)),
        (dt.date(2025, 1, 31), -2, dt.date(2024, 11, 30)),
        (dt.date(2025, 5, 10), 120, dt.date(2035, 5, 10)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_month_s_end(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert retention.add_months(day, months) == expected
    assert retention.purge_day(day, months) == expected
