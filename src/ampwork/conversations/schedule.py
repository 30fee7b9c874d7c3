"""When the next 1:1 falls, and when an action item is overdue. Pure: no Django."""

from __future__ import annotations

import calendar
import datetime as dt

CADENCES = ("weekly", "fortnightly", "monthly")


def add_cadence(day: dt.date, cadence: str) -> dt.date:
    """The day one cadence after ``day``: a week, two weeks, or the same day of the next
    month (the month's last day when it is shorter: 31 January → 28 or 29 February)."""
    if cadence == "weekly":
        return day + dt.timedelta(days=7)
    if cadence == "fortnightly":
        return day + dt.timedelta(days=14)
    if cadence == "monthly":
        year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, min(day.day, last))
    raise ValueError(f"unknown cadence {cadence!r}")


def next_meeting(planned: dt.date, held_on: dt.date, cadence: str) -> dt.date:
    """The date of the meeting after one planned for ``planned`` and held on ``held_on``:
    one cadence after the later of the two, so a meeting held late does not leave the
    next one in the past."""
    return add_cadence(max(planned, held_on), cadence)


def is_overdue(due: dt.date | None, done: bool, today: dt.date) -> bool:
    """An action item not done whose due day has passed: due yesterday is overdue, due
    today is not (yet)."""
    return due is not None and not done and due < today
