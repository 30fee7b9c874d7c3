"""Every threshold and rule of okrs/progress.py at its boundary: exactly on it, just below
and just above, so that flipping a comparison or shifting a threshold fails a test.

The cycle below runs 100 days, so day d is exactly d/100 of it. Numbers are written as a
person types them; the expected answers come from exact decimal arithmetic (``Decimal``
on the typed strings), never from the code under test.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ampwork.okrs import progress as p

START = dt.date(2026, 10, 1)
END = START + dt.timedelta(days=100)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def reference_grade(start: str, target: str, current: str) -> Decimal:
    """Half-up grade of (current − start) / (target − start), clamped, on the decimals."""
    with localcontext() as ctx:
        ctx.prec = 60
        ratio = (Decimal(current) - Decimal(start)) / (Decimal(target) - Decimal(start))
    ratio = min(max(ratio, Decimal(0)), Decimal(1))
    return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------- grades (issue 13, item 5)


def test_start_1_target_2_current_145_grades_05_not_04() -> None:
    # the float subtraction gives 0.44999999999999996, which rounds half up to 0.4
    kr = p.numeric_progress(1, 2, 1.45)
    assert kr.exact() == Fraction(9, 20)
    assert p.round_score(kr) == 0.5
    assert p.grade(kr) == Decimal("0.5")


def test_a_grade_on_a_band_edge_takes_the_exact_band() -> None:
    # 1.65 − 1 = 0.6499999999999999 as a float: yellow; exactly 0.65 grades 0.7, green
    assert p.score_band(p.numeric_progress(1, 2, 1.65)) == "green"
    assert p.score_band(p.numeric_progress(1, 2, 1.35)) == "yellow"  # 0.35 → 0.4
    assert p.score_band(p.numeric_progress(1, 2, 1.34)) == "red"


@pytest.mark.parametrize(
    ("start", "target", "current"),
    [
        ("1", "2", "1.45"),
        ("1", "2", "1.65"),
        ("0.1", "0.3", "0.17"),
        ("8", "5", "6.65"),  # a falling metric: (6.65 − 8) / (5 − 8) = 0.45
        ("100.01", "200.01", "135.01"),
        ("0", "3", "1.05"),  # 0.35
        ("1000000", "1000000.2", "1000000.01"),  # 0.05: start and target close for floats
    ],
)
def test_grades_match_exact_decimal_arithmetic(start: str, target: str, current: str) -> None:
    kr = p.numeric_progress(float(start), float(target), float(current))
    assert p.grade(kr) == reference_grade(start, target, current)


two_decimals = st.integers(min_value=-100_000, max_value=100_000).map(lambda n: f"{n / 100:.2f}")


@given(two_decimals, two_decimals, two_decimals)
def test_random_two_decimal_key_results_grade_exactly(
    start: str, target: str, current: str
) -> None:
    if Decimal(start) == Decimal(target):
        return
    kr = p.numeric_progress(float(start), float(target), float(current))
    expected = reference_grade(start, target, current)
    assert p.grade(kr) == expected
    assert p.score_band(kr) == (
        "red" if expected <= Decimal("0.3") else "yellow" if expected <= Decimal("0.6") else "green"
    )


@pytest.mark.parametrize(
    ("score", "graded"),
    [
        (0.04, 0.0),
        (0.05, 0.1),  # half up, exactly on the half
        (0.25, 0.3),
        (0.34, 0.3),
        (0.35, 0.4),
        (0.44, 0.4),
        (0.45, 0.5),
        (0.94, 0.9),
        (0.95, 1.0),
        (-0.2, 0.0),  # clamped at 0
        (0.0, 0.0),
        (1.0, 1.0),
        (1.3, 1.0),  # clamped at 1
        (math.nan, 0.0),
    ],
)
def test_round_score_half_up_and_clamped(score: float, graded: float) -> None:
    assert p.round_score(score) == graded


@pytest.mark.parametrize(
    ("value", "graded"),
    [
        (Fraction(1, 20), "0.1"),
        (Fraction(1, 20) - Fraction(1, 10**12), "0.0"),
        (Fraction(7, 20), "0.4"),
        (Fraction(7, 20) - Fraction(1, 10**15), "0.3"),
        (Decimal("0.65"), "0.7"),
        (Decimal("0.6499999999"), "0.6"),
        (Fraction(-1, 10), "0.0"),
        (Fraction(11, 10), "1.0"),
        (1, "1.0"),
        (0, "0.0"),
    ],
)
def test_grade_of_exact_values(value: Fraction | Decimal | int, graded: str) -> None:
    assert p.grade(value) == Decimal(graded)


def test_a_half_that_floats_push_below_is_graded_from_the_exact_progress() -> None:
    # an Explained whose float is just under the half but whose exact value is on it
    on_the_half = p.Explained(0.44999999999999996, "", Fraction(9, 20))
    assert p.round_score(on_the_half) == 0.5
    below = p.Explained(0.44999999999999996, "", Fraction(9, 20) - Fraction(1, 10**17))
    assert p.round_score(below) == 0.4
    # far from a half the float decides, and agrees
    assert p.round_score(p.Explained(0.42, "", Fraction(42, 100))) == 0.4
    assert p.round_score(p.Explained(0.48, "", Fraction(48, 100))) == 0.5


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0.3, "red"),
        (0.34, "red"),  # grades 0.3
        (0.35, "yellow"),  # grades 0.4
        (0.4, "yellow"),
        (0.6, "yellow"),
        (0.64, "yellow"),
        (0.65, "green"),
        (0.7, "green"),
        (0.0, "red"),
        (1.0, "green"),
    ],
)
def test_score_band_edges(score: float, band: str) -> None:
    assert p.score_band(score) == band


def test_objective_band_is_that_of_the_exact_mean() -> None:
    # (0.7 + 0.6) / 2 is 0.6499999999999999 in floats: yellow; exactly 0.65: green
    objectives = [p.ObjectiveInput(1, START, END), p.ObjectiveInput(2, START, END)]
    krs = [
        p.KRInput(1, 1, "numeric", 0, 1, 1, False, None, None, 1.0, score=0.7),
        p.KRInput(2, 1, "numeric", 0, 1, 1, False, None, None, 1.0, score=0.6),
        p.KRInput(3, 2, "numeric", 0, 1, 1, False, None, None, 1.0, score=0.3),
        p.KRInput(4, 2, "numeric", 0, 1, 1, False, None, None, 3.0, score=0.4),
    ]
    results, kr_results = p.evaluate(objectives, krs, [(2, 1)], END)
    assert results[2].score == pytest.approx(0.375)
    assert results[2].band == "yellow"
    # objective 1: key results 0.7 and 0.6, and child objective 2 (0.375) at weight 1
    assert results[1].score == pytest.approx((0.7 + 0.6 + 0.375) / 3)
    assert kr_results[2].band == "yellow"
    assert kr_results[1].band == "green"
    alone, _ = p.evaluate(objectives[:1], krs[:2], [], END)
    assert alone[1].band == "green"
    # shown to one decimal half up (as the pages do), the score agrees with its band
    assert alone[1].score == 0.65
    assert Decimal(repr(alone[1].score)).quantize(Decimal("0.1"), ROUND_HALF_UP) == Decimal("0.7")


def test_objective_without_scores_or_weights_has_no_score() -> None:
    objectives = [p.ObjectiveInput(1, START, END)]
    krs = [p.KRInput(1, 1, "numeric", 0, 1, 1, False, None, None, 0.0, score=0.5)]
    results, _ = p.evaluate(objectives, krs, [], END)
    assert results[1].score is None
    assert results[1].band is None
    results, _ = p.evaluate(objectives, [], [], END)
    assert results[1].score is None
    assert results[1].progress.value == 0.0


# ---------------------------------------------------------------- progress and its clamps


@pytest.mark.parametrize(
    ("current", "value"),
    [
        (19.99, 0.0),  # worse than the start: clamped at 0
        (20, 0.0),
        (20.01, 0.0005),
        (39.99, 0.9995),
        (40, 1.0),
        (40.01, 1.0),  # past the target: clamped at 1
    ],
)
def test_numeric_progress_clamps(current: float, value: float) -> None:
    found = p.numeric_progress(20, 40, current)
    assert found.value == pytest.approx(value, abs=1e-12)
    assert found.exact() == min(max((Fraction(str(current)) - 20) / 20, Fraction(0)), Fraction(1))
    assert ("clamped" in found.how) == (current in (19.99, 40.01))


def test_numeric_progress_when_target_equals_start() -> None:
    assert p.numeric_progress(5, 5, 5).value == 1.0
    assert p.numeric_progress(5, 5, 5.01).value == 0.0
    assert p.numeric_progress(5, 5, 4.99).value == 0.0
    assert "not reached" in p.numeric_progress(5, 5, 4.99).how


@pytest.mark.parametrize(
    ("start", "target", "current", "exact"),
    [
        (1, 1.0000001, 1.00000003, Fraction(3, 10)),  # floats alone: 0.3000000002220446
        (1_000_000, 1_000_000.3, 1_000_000.1, Fraction(1, 3)),  # floats: 0.33333333320398295
        (0.1, 0.1000001, 0.10000005, Fraction(1, 2)),  # floats: 0.49999999993061106
    ],
)
def test_start_and_target_too_close_for_floats_are_computed_exactly(
    start: float, target: float, current: float, exact: Fraction
) -> None:
    found = p.numeric_progress(start, target, current)
    assert found.value == float(exact)
    assert found.exact() == exact


def test_milestones_and_their_empty_cases() -> None:
    assert p.milestone_progress([]).value == 0.0
    assert p.milestone_progress([(0, True), (0, False)]).how == "no milestones yet"
    found = p.milestone_progress([(0.1, True), (0.2, True), (0.3, False)])
    assert found.exact() == Fraction(1, 2)
    assert p.round_score(found) == 0.5
    assert p.milestone_progress([(1, False)]).value == 0.0
    assert p.milestone_progress([(1, True)]).value == 1.0


@pytest.mark.parametrize(
    ("current", "inside"), [(1.99, False), (2, True), (3, True), (5, True), (5.01, False)]
)
def test_range_edges_are_inside(current: float, inside: bool) -> None:
    assert p.range_progress(2, 5, current).value == (1.0 if inside else 0.0)
    assert p.range_share([current], 2, 5) == (1.0 if inside else 0.0)


def test_range_without_values() -> None:
    assert p.range_progress(2, 5, None).value == 0.0
    assert p.range_share([], 2, 5) is None


def test_weighted_mean_skips_zero_weights() -> None:
    assert p.weighted_mean([(1.0, 0.0), (0.5, 1.0)]) == 0.5
    assert p.weighted_mean([(1.0, 0.0)]) is None
    assert p.weighted_mean([]) is None
    mean = p.exact_weighted_mean([(p.numeric_progress(1, 2, 1.45), 1.0), (0.45, 0.0)])
    assert mean is not None
    assert mean.exact() == Fraction(9, 20)


def test_kr_progress_kinds() -> None:
    def kr(kind: str, **fields: object) -> p.KRInput:
        base: dict[str, object] = {
            "id": 1,
            "objective_id": 1,
            "kind": kind,
            "start": 0.0,
            "target": 10.0,
            "current": None,
            "done": False,
            "low": None,
            "high": None,
            "weight": 1.0,
        }
        base.update(fields)
        return p.KRInput(**base)  # type: ignore[arg-type]

    assert p.kr_progress(kr("numeric")).how == "no check-in yet"
    assert p.kr_progress(kr("numeric", current=4.5)).value == 0.45
    assert p.kr_progress(kr("boolean", done=True)).value == 1.0
    assert p.kr_progress(kr("milestones", milestones=((1, True), (1, False)))).value == 0.5
    assert p.kr_progress(kr("range", low=1.0, high=2.0, current=2.0)).value == 1.0
    assert p.kr_progress(kr("range", current=0.0)).value == 1.0  # no bounds: [0, 0]


# ---------------------------------------------------------------- time and pacing


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (day(-1), 0.0),
        (day(0), 0.0),
        (day(1), 0.01),
        (day(99), 0.99),
        (day(100), 1.0),
        (day(101), 1.0),
    ],
)
def test_expected_progress_clamps(today: dt.date, expected: float) -> None:
    assert p.expected_progress(START, END, today) == expected


def test_expected_progress_of_an_empty_cycle() -> None:
    assert p.expected_progress(START, START, START) == 1.0
    assert p.pacing(0.95, START, START, START)[0] == p.ON_TRACK
    assert p.pacing(0.85, START, START, START)[0] == p.AT_RISK


@pytest.mark.parametrize(
    ("progress", "status"),
    [
        # day 55: expected 0.55, at risk below 0.45, off track below 0.30
        (0.46, p.ON_TRACK),
        (0.45, p.ON_TRACK),  # exactly on expected − 0.10 (floats: 0.55 − 0.1 = 0.45000000000000007)
        (0.4499, p.AT_RISK),
        (0.3001, p.AT_RISK),
        (0.30, p.AT_RISK),  # exactly on expected − 0.25
        (0.2999, p.OFF_TRACK),
    ],
)
def test_pacing_boundaries(progress: float, status: str) -> None:
    assert p.pacing(progress, START, END, day(55))[0] == status


@pytest.mark.parametrize("d", [14, 28, 34, 39, 40, 51, 52, 53, 54])
def test_progress_exactly_on_the_at_risk_line_is_on_track(d: int) -> None:
    # each of these days, in floats, puts d/100 − 0.1 a hair above (d − 10)/100
    on_line = (d - 10) / 100
    assert p.pacing(on_line, START, END, day(d))[0] == p.ON_TRACK
    assert p.pacing(on_line - 0.0001, START, END, day(d))[0] == p.AT_RISK


def test_pacing_of_a_key_result_on_the_line() -> None:
    # start 1, target 2, current 1.45 on day 55: progress 0.45 = expected − 0.10
    kr = p.numeric_progress(1, 2, 1.45)
    status, expected = p.pacing(kr, START, END, day(55))
    assert status == p.ON_TRACK
    assert expected.value == 0.55
    assert expected.exact() == Fraction(55, 100)
    assert "on track" in expected.how
    assert "day 55 of 100" in expected.how
    assert p.pacing(p.numeric_progress(1, 2, 1.3), START, END, day(55))[0] == p.AT_RISK


def test_pacing_on_the_first_day_and_before() -> None:
    assert p.pacing(0.0, START, END, day(0))[0] == p.ON_TRACK
    assert p.pacing(0.0, START, END, day(-1))[0] == p.NOT_STARTED
    assert p.pacing(1.0, START, END, day(-1))[0] == p.NOT_STARTED
    # after the end, expected stays 1
    assert p.pacing(0.9, START, END, day(130))[0] == p.ON_TRACK
    assert p.pacing(0.89, START, END, day(130))[0] == p.AT_RISK
    assert p.pacing(0.75, START, END, day(130))[0] == p.AT_RISK
    assert p.pacing(0.74, START, END, day(130))[0] == p.OFF_TRACK


def test_objective_pacing_uses_the_exact_weighted_mean() -> None:
    # key results 0.4 and 0.5 (weights 1 and 1) average exactly 0.45, on the day-55 line
    objectives = [p.ObjectiveInput(1, START, END)]
    krs = [
        p.KRInput(1, 1, "numeric", 1, 2, 1.4, False, None, None, 1.0),
        p.KRInput(2, 1, "numeric", 1, 2, 1.5, False, None, None, 1.0),
    ]
    results, kr_results = p.evaluate(objectives, krs, [], day(55))
    assert results[1].pacing == p.ON_TRACK
    assert kr_results[1].pacing == p.AT_RISK  # 0.4 < 0.45
    assert kr_results[2].pacing == p.ON_TRACK
    assert kr_results[1].expected.value == 0.55


# ---------------------------------------------------------------- suggested confidence


@pytest.mark.parametrize(
    ("progress", "d", "value"),
    [
        # projected = progress / (d / 100)
        (0.35, 50, 8),  # exactly 70%
        (0.3499, 50, 5),
        (0.25, 50, 5),  # exactly 50%
        (0.2499, 50, 2),
        (0.21, 30, 8),  # exactly 70% (floats: 0.21 / 0.3 = 0.7000000000000001)
        (0.15, 30, 5),  # exactly 50% (floats: 0.15 / 0.3 = 0.5)
        (0.1499, 30, 2),
        (0.07, 10, 8),  # exactly a tenth in: suggests
        (0.0, 100, 2),
        (1.0, 100, 8),
    ],
)
def test_suggested_confidence_boundaries(progress: float, d: int, value: int) -> None:
    found = p.suggested_confidence(progress, START, END, day(d))
    assert found is not None
    assert found.value == value


def test_suggested_confidence_of_exact_progress_on_the_line() -> None:
    # 1 → 2, now 1.35, half way: 0.35 / 0.5 is exactly 70% (floats: 0.35000000000000009)
    kr = p.numeric_progress(1, 2, 1.35)
    found = p.suggested_confidence(kr, START, END, day(50))
    assert found is not None
    assert found.value == 8
    assert "70%" in found.how
    kr = p.numeric_progress(1, 2, 1.15)  # floats: 0.1499999999999999; exactly 0.15 → 50% at day 30
    found = p.suggested_confidence(kr, START, END, day(30))
    assert found is not None
    assert found.value == 5


def test_no_suggestion_before_a_tenth_of_the_cycle() -> None:
    assert p.suggested_confidence(1.0, START, END, day(9)) is None
    assert p.suggested_confidence(1.0, START, END, day(10)) is not None
    assert p.suggested_confidence(1.0, START, END, day(-5)) is None
    # a 30-day cycle: day 3 is exactly a tenth
    end = START + dt.timedelta(days=30)
    assert p.suggested_confidence(0.5, START, end, day(2)) is None
    assert p.suggested_confidence(0.5, START, end, day(3)) is not None


def test_suggested_confidence_explains_itself() -> None:
    found = p.suggested_confidence(2.0, START, END, day(10))
    assert found is not None
    assert found.value == 8
    assert "999%" in found.how
    found = p.suggested_confidence(0.1, START, END, day(50))
    assert found is not None
    assert "20% of the target" in found.how
    assert "low" in found.how


# ---------------------------------------------------------------- staleness


@pytest.mark.parametrize(("days", "stale"), [(13, False), (14, True), (15, True), (0, False)])
def test_stale_at_14_days(days: int, stale: bool) -> None:
    today = day(60)
    assert p.is_stale(today - dt.timedelta(days=days), START, today) is stale
    # never checked in: counted from creation
    assert p.is_stale(None, today - dt.timedelta(days=days), today) is stale


def test_stale_only_while_the_cycle_runs() -> None:
    objectives = [p.ObjectiveInput(1, START, END)]
    krs = [p.KRInput(1, 1, "numeric", 0, 1, 0.5, False, None, None, 1.0, last_check_in=day(50))]
    for today, stale in ((END, True), (END + dt.timedelta(days=1), False), (day(63), False)):
        _, kr_results = p.evaluate(objectives, krs, [], today)
        assert kr_results[1].stale is stale, today
    krs = [p.KRInput(1, 1, "numeric", 0, 1, None, False, None, None, 1.0, created=day(20))]
    _, kr_results = p.evaluate(objectives, krs, [], day(34))
    assert kr_results[1].stale  # 14 days after creation
    _, kr_results = p.evaluate(objectives, krs, [], day(33))
    assert not kr_results[1].stale


# ---------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("objectives", "krs", "warned"),
    [
        (5, [5, 5, 5, 5, 5], []),
        (6, [1] * 6, ["more than 5"]),
        (3, [1, 1, 6], ["at most 5"]),
        (3, [1, 1, 5], []),
        (2, [1, 1], ["2 objectives"]),
        (1, [1], ["1 objective:"]),
        (3, [1, 1, 1], []),
        (0, [], []),
        (3, [0, 1, 1], ["no key results"]),
    ],
)
def test_count_warnings_at_their_edges(objectives: int, krs: list[int], warned: list[str]) -> None:
    found = p.count_warnings(objectives, krs)
    assert len(found) == len(warned)
    for text, warning in zip(warned, found, strict=True):
        assert text in warning


def test_one_warning_for_several_long_objectives() -> None:
    assert len(p.count_warnings(3, [6, 7, 1])) == 1


# ---------------------------------------------------------------- what the pages show


def test_every_explanation_text() -> None:
    assert p.numeric_progress(5, 5, 5).how == "target equals start (5): reached"
    assert p.numeric_progress(5, 5, 6).how == "target equals start (5): not reached"
    assert p.numeric_progress(20, 40, 30).how == (
        "(current − start) / (target − start) = (30 − 20) / (40 − 20) = 0.50"
    )
    assert p.numeric_progress(20, 40, 50).how == (
        "(current − start) / (target − start) = (50 − 20) / (40 − 20) = 1.50, clamped to 1"
    )
    assert p.boolean_progress(True).how == "done"
    assert p.boolean_progress(False).how == "not done yet"
    assert p.boolean_progress(False).value == 0.0
    found = p.milestone_progress([(1, True), (2, False), (1, True)])
    assert found.how == "2 of 3 milestones done, weighted 2 / 4 = 0.50"
    assert p.milestone_progress([(1, True), (2, False)]).how.endswith("1 / 3 = 0.33")
    assert p.range_progress(2, 5, 3).how == "3 is inside [2, 5]"
    assert p.range_progress(2, 5, 6).how == "6 is outside [2, 5]"
    assert p.range_progress(2, 5, None).how == "no value yet"
    assert p.objective_progress([]).how == "no key results yet"
    assert p.objective_progress([(0.5, 1)]).how == "weighted mean of 1 key result = 0.50"
    assert p.objective_progress([(0.5, 1), (0.7, 1)], [(0.2, 1)]).how == (
        "weighted mean of 2 key results and 1 contributing objective = 0.47"
    )
    assert p.objective_progress([(0.5, 1)], [(0.2, 1), (0.3, 1)]).how == (
        "weighted mean of 1 key result and 2 contributing objectives = 0.33"
    )
    assert p.pacing(0.5, START, END, day(-1))[1].how == "the cycle has not started"
    assert p.pacing(0.5, START, END, day(-1))[1].value == 0.0
    assert p.pacing(0.2, START, END, day(50))[1].how == (
        "day 50 of 100: expected 0.50, progress 0.20 → off track "
        "(at risk below expected − 0.1, off track below expected − 0.25)"
    )
    mean = p.exact_weighted_mean([(0.5, 1.0)])
    assert mean is not None
    assert mean.how == "weighted mean"


@pytest.mark.parametrize(("progress", "band"), [(0.4, "high"), (0.3, "medium"), (0.2, "low")])
def test_suggested_confidence_text(progress: float, band: str) -> None:
    found = p.suggested_confidence(progress, START, END, day(50))
    assert found is not None
    share = round(progress * 200)
    assert found.how == f"at this pace {share}% of the target by the end of the cycle → {band}"


def test_every_count_warning_text() -> None:
    assert p.count_warnings(6, [1] * 6) == [
        "6 objectives this cycle: more than 5 spreads attention thin — keep the 3–5 that "
        "matter most"
    ]
    assert p.count_warnings(2, [0, 6]) == [
        "an objective has 6 key results: at most 5 keeps it measurable",
        "2 objectives: 3–5 is the usual range; fewer is fine if they are the right ones",
        "an objective has no key results yet: add how you will measure it",
    ]


# ---------------------------------------------------------------- means and weights


def test_weighted_means_divide_by_the_positive_weights() -> None:
    items = [(0.2, 3.0), (0.8, 1.0), (1.0, 0.0), (1.0, -2.0)]
    assert p.weighted_mean(items) == pytest.approx(0.35)
    mean = p.exact_weighted_mean(items)
    assert mean is not None
    assert mean.value == pytest.approx(0.35)
    assert mean.exact() == Fraction(7, 20)
    assert p.exact_weighted_mean([(1.0, 0.0), (1.0, -1.0)]) is None
    exact = p.exact_weighted_mean([(Fraction(1, 3), 2.0), (Fraction(2, 3), 4.0)])
    assert exact is not None
    assert exact.exact() == Fraction(5, 9)
    assert p.objective_progress([(0.2, 3.0), (0.8, 1.0)]).exact() == Fraction(7, 20)


def test_milestones_exactly() -> None:
    found = p.milestone_progress([(0.1, True), (0.2, False), (0.3, True)])
    assert found.exact() == Fraction(2, 3)
    assert p.milestone_progress([(1, False), (2, False)]).exact() == 0


# ---------------------------------------------------------------- compare and exact values


@pytest.mark.parametrize(
    ("x", "threshold", "sign"),
    [
        (0.5, 0.4, 1),
        (0.4, 0.5, -1),
        (0.45, Decimal("0.45"), 0),
        (p.numeric_progress(1, 2, 1.45), Decimal("0.45"), 0),  # float 0.44999999999999996
        (p.Explained(0.7, "", Fraction(7, 10) - Fraction(1, 10**12)), Decimal("0.7"), -1),
        (p.Explained(0.7, "", Fraction(7, 10) + Fraction(1, 10**12)), Decimal("0.7"), 1),
        (Fraction(1, 3), 0.3333333333333333, 1),  # the float is the decimal it prints as
        (2, 3, -1),
    ],
)
def test_compare_is_exact(x: p.Exactish, threshold: p.Exactish, sign: int) -> None:
    assert p.compare(x, threshold) == sign
    assert p.compare(threshold, x) == -sign


def test_as_exact_reads_floats_as_they_print() -> None:
    assert p.as_exact(1.45) == Fraction(29, 20)
    assert p.as_exact(Decimal("0.10")) == Fraction(1, 10)
    assert p.as_exact(3) == 3
    assert p.Explained(0.1, "").exact() == Fraction(1, 10)
    computed = p.Explained(0.2, "", lambda: Fraction(1, 5))
    assert computed.exact() == Fraction(1, 5)
    assert computed.exact() == Fraction(1, 5)


def test_expected_carries_its_exact_value() -> None:
    _, expected = p.pacing(0.5, START, START + dt.timedelta(days=3), day(1))
    assert expected.exact() == Fraction(1, 3)
    _, expected = p.pacing(0.5, START, END, day(150))
    assert expected.exact() == 1


def test_one_day_and_empty_cycles_on_the_line() -> None:
    one_day = START + dt.timedelta(days=1)
    assert p.pacing(0.0, START, one_day, START)[0] == p.ON_TRACK  # expected 0
    assert p.suggested_confidence(0.5, START, one_day, START) is None  # 0 of 1 day elapsed
    found = p.suggested_confidence(0.5, START, one_day, one_day)
    assert found is not None
    assert found.value == 5
    assert p.pacing(0.9, START, one_day, one_day)[0] == p.ON_TRACK  # expected 1: on the line
    assert p.pacing(0.75, START, one_day, one_day)[0] == p.AT_RISK
    # an empty cycle (end = start) expects everything: 0.9 is exactly on its line
    assert p.pacing(0.9, START, START, START)[0] == p.ON_TRACK
    assert p.pacing(0.75, START, START, START)[0] == p.AT_RISK
    assert p.pacing(0.7499, START, START, START)[0] == p.OFF_TRACK
    found = p.suggested_confidence(0.7, START, START, START)
    assert found is not None
    assert found.value == 8


# ---------------------------------------------------------------- whole cycles


def kr_input(pk: int, objective: int, current: float | None, **fields: object) -> p.KRInput:
    base: dict[str, object] = {
        "id": pk,
        "objective_id": objective,
        "kind": "numeric",
        "start": 0.0,
        "target": 1.0,
        "current": current,
        "done": False,
        "low": None,
        "high": None,
        "weight": 1.0,
    }
    base.update(fields)
    return p.KRInput(**base)  # type: ignore[arg-type]


def test_key_results_of_unknown_objectives_are_skipped_not_the_rest() -> None:
    objectives = [p.ObjectiveInput(1, START, END)]
    krs = [kr_input(9, 99, 0.5), kr_input(1, 1, 0.4)]
    results, kr_results = p.evaluate(objectives, krs, [(99, 1), (1, 98)], END)
    assert set(kr_results) == {1}
    assert results[1].progress.value == 0.4  # the unknown child is ignored


def test_a_child_counts_in_every_parent() -> None:
    # 3 contributes to both 1 and 2 (a diamond): each parent counts it once
    objectives = [p.ObjectiveInput(i, START, END) for i in (1, 2, 3)]
    krs = [kr_input(1, 1, 1.0), kr_input(2, 2, 1.0), kr_input(3, 3, 0.0)]
    results, _ = p.evaluate(objectives, krs, [(3, 1), (3, 2)], day(50))
    assert results[1].progress.value == 0.5
    assert results[2].progress.value == 0.5
    assert results[1].expected.value == 0.5
    assert results[3].pacing == p.OFF_TRACK
    assert results[1].pacing == p.ON_TRACK


def test_key_result_results_read_lazily() -> None:
    objectives = [p.ObjectiveInput(1, START, END)]
    krs = [
        kr_input(1, 1, 0.35),
        kr_input(2, 1, None),
        kr_input(3, 1, 0.5, kind="range"),
    ]
    _, kr_results = p.evaluate(objectives, krs, [], day(50))
    suggestion = kr_results[1].suggested_confidence
    assert suggestion is not None
    assert suggestion.value == 8
    assert kr_results[1].suggested_confidence is suggestion
    assert kr_results[1].pacing == p.AT_RISK
    assert kr_results[1].expected.value == 0.5
    assert kr_results[2].progress.value == 0.0
    assert kr_results[2].progress.how == "no check-in yet"
    assert kr_results[3].progress.value == 0.0  # no bounds: [0, 0], and 0.5 is outside
