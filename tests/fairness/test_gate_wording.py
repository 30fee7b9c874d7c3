"""The gate's reasons speak in percentages (issue 18, item 10): the adjusted gap and its
interval converted from log points by 100·(exp(d) − 1), each figure rounded without ever
crossing the threshold it is judged against."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ampwork.fairness import gate


def judged(**kwargs: object) -> tuple[str, list[str]]:
    base: dict[str, object] = {"adjusted_gap": None, "categories": [], "flags": [], "n": 100}
    return gate.judge({**base, **kwargs})


# ---------------------------------------------------------------- log points → percent


@pytest.mark.parametrize("d", [-0.5, -0.125, -0.0513, -1e-12, 0.0, 1e-9, 0.0488, 0.3, 1.0])
def test_log_points_percent_agrees_with_expm1(d: float) -> None:
    """An independent check: math.expm1 computes exp(d) − 1 without cancellation."""
    assert float(gate.log_points_percent(d)) == pytest.approx(100 * math.expm1(d), rel=1e-12)


def test_log_points_percent_of_known_ratios() -> None:
    # ln(1.05) log points is exactly a 5% difference; ln(0.95) is −5%; 0 is 0
    assert gate.log_points_percent(Decimal("1.05").ln()) == pytest.approx(Decimal(5))
    assert gate.log_points_percent(Decimal("0.95").ln()) == pytest.approx(Decimal(-5))
    assert gate.log_points_percent(0.0) == 0
    # the asymmetry people miss: −0.05 log points is −4.88%, +0.05 is +5.13%
    assert round(gate.log_points_percent(-0.05), 2) == Decimal("-4.88")
    assert round(gate.log_points_percent(0.05), 2) == Decimal("5.13")


# ---------------------------------------------------------------- rounding near a threshold


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("5", "+5.0%"),  # on the threshold
        ("4.96", "+4.96%"),  # just below: 5.0 would read as red
        ("4.95", "+4.95%"),  # half up would give 5.0
        ("4.999999", "+4.9999%"),  # still 5.0000 at four places: rounded down
        ("5.04", "+5.0%"),  # just above: stays 5.0, on the red side
        ("5.000001", "+5.0%"),
        ("-5", "-5.0%"),
        ("-4.96", "-4.96%"),
        ("-5.04", "-5.0%"),
        ("6.04", "+6.0%"),
        ("2.55", "+2.6%"),  # half up, in decimal
    ],
)
def test_percent_text_never_crosses_the_threshold(value: str, text: str) -> None:
    assert gate.percent_text(Decimal(value), threshold=gate.GAP_RED) == text


def test_percent_text_around_zero() -> None:
    assert gate.percent_text(Decimal("-1e-10")) == "-0.0001%"  # not zero, never 0.0
    assert gate.percent_text(Decimal("0.04")) == "+0.04%"
    assert gate.percent_text(Decimal("0.05")) == "+0.1%"
    assert gate.percent_text(Decimal(0)) == "+0.0%"


def test_percent_text_follows_the_rule_it_is_given() -> None:
    """`reached` is the rule's own verdict: the text agrees with it."""
    assert gate.percent_text(Decimal("9.6"), threshold=Decimal(10), reached=False, places=0) == (
        "+9.6%"
    )
    assert gate.percent_text(Decimal("9.4"), threshold=Decimal(10), reached=False, places=0) == (
        "+9%"
    )
    assert gate.percent_text(Decimal(10), threshold=Decimal(10), reached=True, places=0) == "+10%"
    assert gate.percent_text(Decimal("7.25"), signed=False) == "7.3%"


@given(st.decimals(min_value=-50, max_value=50, places=8, allow_nan=False))
def test_percent_text_side_matches_the_value(value: Decimal) -> None:
    shown = Decimal(gate.percent_text(value, threshold=gate.GAP_RED).rstrip("%"))
    assert (abs(shown) >= gate.GAP_RED) == (abs(value) >= gate.GAP_RED)
    assert abs(shown - value) <= Decimal("0.05")  # at most half of the last shown decimal


# ---------------------------------------------------------------- the reasons


def adjusted(percent: float, ci: tuple[float, float] = (-0.2, -0.01)) -> dict[str, object]:
    return {"percent": percent, "ci95": list(ci)}


@pytest.mark.parametrize(
    ("percent", "status", "shown", "rule"),
    [
        (-5.0, "red", "-5.0%", "5% or more either way"),
        (-4.999999, "amber", "-4.9999%", "under 5% either way"),
        (-4.96, "amber", "-4.96%", "under 5% either way"),
        (-5.04, "red", "-5.0%", "5% or more either way"),
        (5.0, "red", "+5.0%", "5% or more either way"),
        (4.95, "amber", "+4.95%", "under 5% either way"),
        (5.06, "red", "+5.1%", "5% or more either way"),
    ],
)
def test_adjusted_gap_reason_at_and_around_five_percent(
    percent: float, status: str, shown: str, rule: str
) -> None:
    got_status, reasons = judged(adjusted_gap=adjusted(percent))
    assert got_status == status
    assert reasons == [
        f"adjusted gap of {shown} ({rule}; 95% interval -18.1% to -1.0%, which excludes zero)"
    ]


def test_adjusted_gap_interval_is_in_percent() -> None:
    low, high = -0.1251, -0.0302
    reason = judged(adjusted_gap=adjusted(-7.5, (low, high)))[1][0]
    # computed independently of gate.py: 100·(exp(d) − 1), rounded to one decimal
    expected = [f"{100 * math.expm1(d):+.1f}%" for d in (low, high)]
    assert expected == ["-11.8%", "-3.0%"]
    assert f"95% interval {expected[0]} to {expected[1]}, which excludes zero" in reason
    assert "log point" not in reason


def test_an_interval_touching_zero_reads_as_not_zero() -> None:
    reason = judged(adjusted_gap=adjusted(-8.0, (-0.2, -1e-12)))[1][0]
    assert reason.endswith("95% interval -18.1% to -0.0001%, which excludes zero)")


@pytest.mark.parametrize(
    ("flags", "n", "status", "text"),
    [
        (1, 10, "red", "1 of 10 people (10%; 10% or more)"),  # on the threshold
        (1, 11, "amber", "1 of 11 people (9%; under 10%)"),  # just below
        (2, 21, "amber", "2 of 21 people (9.5%; under 10%)"),  # 10% if rounded to a whole
        (10, 99, "red", "10 of 99 people (10%; 10% or more)"),  # just above
        (11, 100, "red", "11 of 100 people (11%; 10% or more)"),
    ],
)
def test_share_flagged_reason_at_and_around_ten_percent(
    flags: int, n: int, status: str, text: str
) -> None:
    assert judged(flags=[{}] * flags, n=n) == (
        status,
        [f"{text} paid below their band, the market or their peers"],
    )


def category(basic: float, total: float, **extra: object) -> dict[str, object]:
    flag_basic, flag_total = abs(basic) >= 5, abs(total) >= 5
    return {
        "role": "Engineer",
        "level": "L3",
        "basic_mean_gap": basic,
        "total_mean_gap": total,
        "flag_basic": flag_basic,
        "flag_total": flag_total,
        "flag": flag_basic or flag_total,
        **extra,
    }


@pytest.mark.parametrize(
    ("basic", "total", "shown"),
    [(5.0, 1.0, "5.0%"), (1.0, -5.04, "5.0%"), (-7.25, 6.0, "7.3%"), (5.06, 4.99, "5.1%")],
)
def test_category_reason_names_the_largest_gap(basic: float, total: float, shown: str) -> None:
    status, reasons = judged(categories=[category(basic, total), category(4.99, -4.99)])
    assert status == "red"
    assert reasons == [
        "1 category of workers with a mean gap of 5% or more in basic or total pay, "
        f"the largest {shown} (Engineer, L3)"
    ]


def test_category_just_below_five_percent_is_no_reason() -> None:
    assert judged(categories=[category(4.99, -4.999)]) == (
        "green",
        ["no significant adjusted gap, no category gap of 5% or more, nobody flagged"],
    )
