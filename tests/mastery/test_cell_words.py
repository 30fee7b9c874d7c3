"""The team review page's words when no quadrant or flag is named (issue 18, item 11): the
flow column counts rated weeks as the rule does (at least 4); the challenge-flag column
says that it reads key results, not the weekly ratings."""

from __future__ import annotations

import datetime as dt

import pytest

from ampwork.mastery import flow
from ampwork.mastery.goldilocks import HARD_WEEKS, KRFacts, calibrate

MONDAY = dt.date(2026, 9, 7)


def weeks(n: int, *, vary: bool = True) -> list[tuple[dt.date, int | None, int | None]]:
    return [
        (MONDAY + dt.timedelta(weeks=i), 2 + (i % 3 if vary else 0), 5 - (i % 2 if vary else 0))
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("n", "enough", "short"),
    [
        (0, False, "0/4 weeks rated"),
        (flow.MIN_WEEKS - 1, False, "3/4 weeks rated"),  # one below the minimum
        (flow.MIN_WEEKS, True, "mixed"),  # exactly the minimum
        (flow.MIN_WEEKS + 1, True, "mixed"),  # one above
        (7, True, "mixed"),
    ],
)
def test_flow_cell_counts_weeks_as_the_rule_does(n: int, enough: bool, short: str) -> None:
    fm = flow.flow_map(weeks(n))
    assert fm.weeks_rated == n
    assert fm.enough is enough
    assert fm.short == short


def test_flow_cell_names_a_rating_that_never_varied() -> None:
    """Seven weeks rated, always the same: not "7/4 weeks", which reads as too few."""
    assert flow.flow_map(weeks(7, vary=False)).short == "7 weeks rated, always the same"
    assert flow.flow_map(weeks(4, vary=False)).short == "4 weeks rated, always the same"


def test_a_half_rated_week_is_not_counted() -> None:
    rows = [*weeks(3), (MONDAY + dt.timedelta(weeks=5), 4, None)]
    assert flow.flow_map(rows).short == "3/4 weeks rated"


def open_kr(check_ins: int) -> KRFacts:
    start = dt.date(2026, 10, 1)
    return KRFacts(
        id=1,
        title="KR",
        kind="committed",
        cycle_id=4,
        cycle_name="Q4",
        cycle_start=start,
        closed=False,
        score=None,
        progress=0.4,
        confidences=tuple((start + dt.timedelta(days=10 + 7 * i), 6) for i in range(check_ins)),
    )


def test_flag_cell_without_key_results() -> None:
    assert calibrate([]).short == "no key results yet"


@pytest.mark.parametrize(
    ("check_ins", "short"),
    [
        (HARD_WEEKS - 1, "key results too new to judge"),  # one below three check-ins
        (HARD_WEEKS, "none"),  # exactly three: the rule can judge
        (HARD_WEEKS + 1, "none"),
    ],
)
def test_flag_cell_at_the_three_check_ins(check_ins: int, short: str) -> None:
    calibration = calibrate([open_kr(check_ins)])
    assert calibration.key_results == 1
    assert calibration.short == short
