"""Weeks: mastery's reviews and ratings are kept per week (its Monday)."""

from __future__ import annotations

import datetime as dt

FLOW_WEEKS = 26  # the flow map reads the last half year of ratings


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week ``day`` falls in."""
    return day - dt.timedelta(days=day.weekday())


def weeks_back(today: dt.date, n: int) -> list[dt.date]:
    """The Mondays of the last ``n`` weeks, oldest first, this week last."""
    this = week_of(today)
    return [this - dt.timedelta(weeks=i) for i in range(n - 1, -1, -1)]
