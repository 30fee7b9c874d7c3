"""A school's retention policy, in calendar days (pure: no Django).

A student's reflections, pulse invitations and consent records are purged once ``months``
calendar months have passed since the day they left: on that day itself, not before. A
month later than the last day of a shorter month is that month's last day (31 August + 6
months = 28 or 29 February).
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (or earlier), clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def purge_day(left_on: dt.date, months: int) -> dt.date:
    """The first day a leaver's records are purged."""
    return add_months(left_on, months)


def due(left_on: dt.date | None, today: dt.date, months: int | None) -> bool:
    """Whether a leaver's records are due for purging today: never without a policy
    (``months`` None) or without a day they left."""
    if months is None or left_on is None:
        return False
    return purge_day(left_on, months) <= today
