"""Quiet hours and defaults (pure): on the boundaries, and across midnight."""

from __future__ import annotations

import datetime as dt

import pytest

from ampwork.notifications import kinds

DAY = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def at(hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return DAY.replace(hour=hour, minute=minute, second=second)


@pytest.mark.parametrize(
    ("now", "until"),
    [
        (at(12, 59, 59), None),  # just before the start
        (at(13), at(14)),  # exactly at the start: quiet
        (at(13, 30), at(14)),
        (at(13, 59, 59), at(14)),  # just before the end
        (at(14), None),  # exactly at the end: no longer quiet
        (at(14, 0, 1), None),  # just after
    ],
)
def test_quiet_hours_within_a_day(now: dt.datetime, until: dt.datetime | None) -> None:
    assert kinds.quiet_until(now, dt.time(13), dt.time(14)) == until


@pytest.mark.parametrize(
    ("now", "until"),
    [
        (at(21, 59, 59), None),
        (at(22), at(7) + dt.timedelta(days=1)),  # at the start: until tomorrow morning
        (at(23, 59), at(7) + dt.timedelta(days=1)),
        (at(0), at(7)),  # after midnight: until this morning
        (at(6, 59, 59), at(7)),
        (at(7), None),
        (at(7, 0, 1), None),
        (at(12), None),
    ],
)
def test_quiet_hours_across_midnight(now: dt.datetime, until: dt.datetime | None) -> None:
    assert kinds.quiet_until(now, dt.time(22), dt.time(7)) == until


def test_no_quiet_hours_or_an_empty_span_is_never_quiet() -> None:
    assert kinds.quiet_until(at(3), None, None) is None
    assert kinds.quiet_until(at(3), dt.time(3), dt.time(3)) is None


def test_quiet_hours_end_on_the_next_month_and_year() -> None:
    eve = dt.datetime(2026, 12, 31, 23, 0, tzinfo=dt.UTC)
    assert kinds.quiet_until(eve, dt.time(22), dt.time(7)) == dt.datetime(
        2027, 1, 1, 7, 0, tzinfo=dt.UTC
    )


def test_defaults_in_app_for_all_email_for_a_few() -> None:
    assert all(kinds.default(k.code, kinds.IN_APP) for k in kinds.KINDS)
    by_email = {k.code for k in kinds.KINDS if kinds.default(k.code, kinds.EMAIL)}
    assert by_email == {"feedback_received", "review_answered", "autonomy_decided"}
    # Slack and Teams reach only those who linked them: on for every kind once linked
    assert all(kinds.default(k.code, c) for k in kinds.KINDS for c in kinds.CHATS)
    assert not kinds.default("recognition", "pigeon")  # a channel added later starts off
