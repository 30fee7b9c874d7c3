"""The OKR maths: properties (hypothesis) and the worked examples of docs/methods.md."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ampwork.okrs import progress as p

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(finite, finite, finite)
def test_progress_is_between_0_and_1(start: float, target: float, current: float) -> None:
    assert 0.0 <= p.numeric_progress(start, target, current).value <= 1.0


@given(finite, finite, finite, finite)
def test_progress_is_monotone_towards_the_target(
    start: float, target: float, a: float, b: float
) -> None:
    assume(start != target)
    low, high = sorted([a, b])
    # moving towards the target never lowers progress
    nearer, further = (high, low) if target > start else (low, high)
    assert (
        p.numeric_progress(start, target, nearer).value
        >= p.numeric_progress(start, target, further).value
    )


@given(finite, finite, finite)
def test_increasing_and_decreasing_are_symmetric(
    start: float, target: float, current: float
) -> None:
    assume(start != target)
    up = p.numeric_progress(start, target, current).value
    down = p.numeric_progress(-start, -target, -current).value
    assert up == pytest.approx(down, abs=1e-9)


@given(finite, finite, finite, st.floats(min_value=1e-3, max_value=1e3))
def test_invariant_to_units(start: float, target: float, current: float, scale: float) -> None:
    assume(abs(target - start) > 1e-6)
    plain = p.numeric_progress(start, target, current).value
    scaled = p.numeric_progress(start * scale, target * scale, current * scale).value
    assert plain == pytest.approx(scaled, abs=1e-9)


@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0.01, 10)), min_size=1, max_size=12))
def test_rollup_is_the_weighted_mean(items: list[tuple[float, float]]) -> None:
    expected = sum(v * w for v, w in items) / sum(w for _, w in items)
    assert p.objective_progress(items).value == pytest.approx(expected)
    assert min(v for v, _ in items) - 1e-12 <= p.objective_progress(items).value
    assert p.objective_progress(items).value <= max(v for v, _ in items) + 1e-12


# ---------------------------------------------------------------- worked examples


def test_worked_examples() -> None:
    # NPS from 20 to 40, now 30: half way
    assert p.numeric_progress(20, 40, 30).value == 0.5
    # a decreasing metric that starts above zero: churn from 8% to 5%, now 6%: two thirds.
    # current / target would say 6/5 = 120%; the right answer is (6 − 8) / (5 − 8).
    assert p.numeric_progress(8, 5, 6).value == pytest.approx(2 / 3)
    # past the target is clamped to 1; worse than the start to 0
    assert p.numeric_progress(0, 100, 130).value == 1.0
    assert "clamped" in p.numeric_progress(0, 100, 130).how
    assert p.numeric_progress(8, 5, 9).value == 0.0
    assert p.boolean_progress(True).value == 1.0
    assert p.milestone_progress([(1, True), (1, False), (2, True)]).value == 0.75
    assert p.range_progress(0, 5, 3).value == 1.0
    assert p.range_progress(0, 5, 6).value == 0.0
    assert p.range_share([1, 2, 7, 3], 0, 5) == 0.75


def test_objective_rollup_and_lowest() -> None:
    result = p.objective_progress([(1.0, 1), (0.2, 1), (0.6, 2)])
    assert result.value == pytest.approx(0.6)
    assert p.lowest([1.0, 0.2, 0.6]) == 0.2
    assert p.objective_progress([]).value == 0.0


START, END = dt.date(2026, 10, 1), dt.date(2026, 12, 30)  # 90 days


@pytest.mark.parametrize(
    ("progress", "day", "status"),
    [
        (0.50, 45, p.ON_TRACK),  # expected 0.50
        (0.41, 45, p.ON_TRACK),  # within 0.10
        (0.39, 45, p.AT_RISK),
        (0.26, 45, p.AT_RISK),  # within 0.25
        (0.24, 45, p.OFF_TRACK),
        (0.00, 0, p.ON_TRACK),
    ],
)
def test_pacing(progress: float, day: int, status: str) -> None:
    found, expected = p.pacing(progress, START, END, START + dt.timedelta(days=day))
    assert found == status
    assert expected.value == pytest.approx(day / 90)


def test_pacing_before_the_cycle() -> None:
    assert p.pacing(0, START, END, START - dt.timedelta(days=1))[0] == p.NOT_STARTED


@pytest.mark.parametrize(("progress", "value"), [(0.4, 8), (0.3, 5), (0.2, 2)])
def test_suggested_confidence(progress: float, value: int) -> None:
    # half way through: projected = progress / 0.5
    suggestion = p.suggested_confidence(progress, START, END, START + dt.timedelta(days=45))
    assert suggestion is not None
    assert suggestion.value == value


def test_no_suggestion_in_the_first_tenth() -> None:
    assert p.suggested_confidence(0.0, START, END, START + dt.timedelta(days=5)) is None


def test_stale_after_14_days() -> None:
    today = dt.date(2026, 11, 20)
    assert not p.is_stale(today - dt.timedelta(days=13), START, today)
    assert p.is_stale(today - dt.timedelta(days=14), START, today)
    assert p.is_stale(None, today - dt.timedelta(days=20), today)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0.0, "red"),
        (0.3, "red"),
        (0.34, "red"),
        (0.35, "yellow"),
        (0.6, "yellow"),
        (0.64, "yellow"),
        (0.65, "green"),
        (0.7, "green"),
        (1.0, "green"),
    ],
)
def test_score_bands(score: float, band: str) -> None:
    assert p.score_band(score) == band


def test_count_warnings() -> None:
    assert p.count_warnings(4, [3, 2, 5, 1]) == []
    assert any("more than 5" in w for w in p.count_warnings(6, [1] * 6))
    assert any("at most 5" in w for w in p.count_warnings(3, [6, 1, 1]))
    assert any("no key results" in w for w in p.count_warnings(3, [0, 1, 1]))


def test_evaluate_counts_contributing_children_only() -> None:
    objectives = [p.ObjectiveInput(i, START, END) for i in (1, 2, 3)]
    krs = [
        p.KRInput(10, 1, "numeric", 0, 10, 10, False, None, None, 1.0),  # parent: 1.0
        p.KRInput(20, 2, "numeric", 0, 10, 0, False, None, None, 1.0),  # child: 0.0
        p.KRInput(30, 3, "boolean", 0, 1, None, True, None, None, 1.0),  # child: 1.0
    ]
    results, kr_results = p.evaluate(objectives, krs, [(2, 1), (3, 1)], END)
    assert results[1].progress.value == pytest.approx(2 / 3)
    assert results[1].lowest == 1.0  # the lowest of its own key results
    assert kr_results[20].progress.value == 0.0
    # a loop is ignored, not followed forever
    results, _ = p.evaluate(objectives, krs, [(1, 2), (2, 1)], END)
    assert 0 <= results[1].progress.value <= 1


# ---------------------------------------------------------------- many values, one cycle


@given(
    days=st.integers(1, 400),
    day=st.integers(-5, 420),
    value=st.one_of(
        st.floats(-0.5, 1.5, allow_nan=False),
        st.sampled_from([None, 0.0, 1.0]),
        st.integers(0, 1000).map(lambda n: n / 1000),
    ),
    margin=st.sampled_from([None, p.AT_RISK_MARGIN, p.OFF_TRACK_MARGIN]),
    exact_line=st.booleans(),
)
def test_pace_decides_as_pacing_does(
    days: int, day: int, value: float | None, margin: Decimal | None, exact_line: bool
) -> None:
    """Pace (the whole-cycle pages' pacing of stored values) gives judged_pacing's status
    for every value, including one exactly on a line (given as its exact fraction)."""
    start = dt.date(2026, 1, 1)
    end, today = start + dt.timedelta(days=days), start + dt.timedelta(days=day)
    judged: p.Explained | None = None
    if margin is not None and exact_line:  # exactly on expected − margin
        line = p._elapsed(start, end, today) - Fraction(margin)
        judged = p.Explained(float(line), "on the line", line)
    elif value is not None:
        judged = p.Explained(value, "a value")
    want, _ = p.judged_pacing(judged, start, end, today, "why")
    assert p.Pace(start, end, today).status(judged) == want


def test_a_team_roll_up_is_the_plain_mean_to_the_bit() -> None:
    results = [
        p.ObjectiveResult(
            p.Explained(v, "v"), None, p.ON_TRACK, p.Explained(0.5, ""), None, None, j
        )
        for v, j in ((0.1, p.Explained(0.2, "j")), (0.7, None), (0.3, p.Explained(0.3, "j")))
    ]
    shown, status = p.team_rollup(
        results, dt.date(2026, 1, 1), dt.date(2026, 3, 31), dt.date(2026, 2, 14)
    )
    mean = p.exact_weighted_mean([(r.progress, 1.0) for r in results])
    assert mean is not None
    assert shown is not None
    assert (shown.value, shown.exact()) == (mean.value, mean.exact())
    assert (
        status
        == p.judged_pacing(
            p.judge([(r.judged, 1.0) for r in results]),
            dt.date(2026, 1, 1),
            dt.date(2026, 3, 31),
            dt.date(2026, 2, 14),
            "",
        )[0]
    )
