"""Tests that the mutation run (scripts/mutation.py, benchmarks/README.md "Mutation testing")
showed were missing: every rule of the audit, the gate and money.py at its boundary (on
it, just below, just above), and every reported figure against an independent computation
— numpy, statsmodels or a worked example by hand — never against the code itself.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st

from ampwork.fairness import audit, gate, money, regression
from ampwork.fairness.audit import Record

from .test_audit import population


def gap_of(reference: Sequence[float], comparison: Sequence[float], how: str = "mean") -> float:
    """(reference − comparison) / reference × 100, in numpy."""
    average = np.mean if how == "mean" else np.median
    ref, cmp_ = float(average(reference)), float(average(comparison))
    return (ref - cmp_) / ref * 100


# ---------------------------------------------------------------- the amounts of a record


def test_amounts_follow_a_record_that_changes() -> None:
    """The Decimal amounts are cached per set of inputs: changing the pay changes them."""
    record = Record("x", 50_000)
    assert (record.basic, record.extra, record.total) == (Decimal("50000.00"), 0, 50_000)
    record.base_pay = 60_000
    assert record.basic == Decimal("60000.00")
    record.variable_pay = 1_000
    assert record.extra == Decimal("1000.00")
    assert record.total == Decimal("61000.00")
    record.fte = 0.5
    assert record.total == Decimal("122000.00")
    record.complementary_pay = 500
    assert record.extra == Decimal("3000.00")  # (500 + 1,000) / 0.5


# ---------------------------------------------------------------- per person


def peers_with(pay: float, others: list[float]) -> audit.PersonResult:
    records = [Record("x", pay, role="Eng", level="L3", location="Berlin")]
    records += [
        Record(f"p{i}", other, role="Eng", level="L3", location="Berlin")
        for i, other in enumerate(others)
    ]
    return audit.people(records)[0]


def numpy_fence(values: list[float]) -> tuple[float, float]:
    q1, q3 = np.percentile(values, [25, 75])
    return float(q3 - q1), float(np.median(values) - 1.5 * (q3 - q1))


@pytest.mark.parametrize(
    ("others", "iqr", "flagged"),
    [
        ([100_000, 100_000, 100_000, 100_000], 0.0, False),  # IQR exactly 0: no fence
        ([100_000, 100_000, 100_000.01, 100_000.01], 0.01, True),  # a cent above 0
        ([100_000, 100_000.25, 100_000.50, 100_000.50], 0.5, True),  # below 1
    ],
)
def test_iqr_fence_needs_a_spread_above_zero(
    others: list[float], iqr: float, flagged: bool
) -> None:
    # x = 95,000 is below the median but less than 10% below it
    found_iqr, fence = numpy_fence([95_000, *others])
    assert found_iqr == pytest.approx(iqr)
    assert fence > 95_000
    result = peers_with(95_000, others)
    assert (result.reasons == ["more than 1.5 IQR below the peer median"]) is flagged
    assert result.reasons or not flagged
    if flagged:
        assert result.target == pytest.approx(fence)
        # the lift to the fence, to the cent, half up
        assert result.lift == float(money.money(Decimal(str(fence)) - 95_000))


def test_peer_figures_and_the_reason_text() -> None:
    # x = 80,000 with three peers on 100,000: numpy's median 100,000, quartiles 95,000 and
    # 100,000; 20% below the median and below the fence 92,500
    result = peers_with(80_000, [100_000, 100_000, 100_000])
    assert result.annual_pay == 80_000
    assert result.peers == 4
    assert result.peer_median == float(np.median([80_000, 100_000, 100_000, 100_000]))
    assert result.peer_deviation == pytest.approx((80_000 - 100_000) / 100_000)
    assert result.reasons == [
        "20% below the peer median (100,000)",
        "more than 1.5 IQR below the peer median",
    ]
    assert result.target == 92_500
    assert result.lift == 12_500
    above = peers_with(110_000, [100_000, 100_000, 100_000])
    assert above.peer_deviation == pytest.approx((110_000 - 100_000) / 100_000)
    # a peer group paid nothing has no deviation (and nobody is below it)
    unpaid = peers_with(0, [0, 0])
    assert unpaid.peer_median == 0
    assert unpaid.peer_deviation is None
    assert unpaid.reasons == []


def test_nobody_flagged_has_no_target_nor_cost() -> None:
    (result,) = audit.people([Record("x", 50_000)])
    assert result.market_ratio is None
    assert result.market_position is None
    assert result.compa_ratio is None
    assert result.range_penetration is None
    assert result.peer_median is None
    assert result.peer_deviation is None
    assert result.target is None
    assert result.lift == 0
    assert result.peers == 1


# ---------------------------------------------------------------- who is compared


def test_left_out_counts_every_other_value_and_blank_spaces() -> None:
    records = [
        Record("m", 1, group="male"),
        Record("f", 1, group="female"),
        Record("a", 1, group="nonbinary"),
        Record("b", 1, group="nonbinary"),
        Record("c", 1, group="unknown"),
        Record("d", 1, group=" "),
        Record("e", 1, group=""),
    ]
    compared, left_out = audit.population(records, "male", "female")
    assert [r.employee_id for r in compared] == ["m", "f"]
    assert left_out == {"n": 5, "blank": 2, "other": {"nonbinary": 2, "unknown": 1}}


def test_left_out_text() -> None:
    assert audit.left_out_text({"n": 0, "blank": 0, "other": {}}) == ""
    assert audit.left_out_text({}) == ""
    assert audit.left_out_text({"n": 3, "blank": 3}) == (
        "3 left out of the comparison: 3 with no gender recorded"
    )
    assert audit.left_out_text({"n": 2, "other": {"x": 2}}, column="sex") == (
        "2 left out of the comparison: 2 x"
    )
    assert audit.left_out_text({"n": 1, "blank": 1, "other": {}}, column="sex") == (
        "1 left out of the comparison: 1 with no sex recorded"
    )


# ---------------------------------------------------------------- quartiles, reg 13(2)


def reg_13_2(people: Sequence[tuple[float, bool]]) -> list[float | None]:
    """An independent reading of reg 13(2): rank, fill each place of a block of equal
    rates with the block's share of women, cut the places into four (numpy's array_split:
    the first sections take the remainder) and average each section."""
    ordered = sorted(pay for pay, _ in people)
    share = {
        pay: Fraction(sum(1 for p, woman in people if p == pay and woman), ordered.count(pay))
        for pay in set(ordered)
    }
    places = [share[pay] for pay in ordered]
    return [
        float(sum((places[i] for i in part), Fraction(0)) / len(part)) if len(part) else None
        for part in np.array_split(np.arange(len(places)), 4)
    ]


def test_two_blocks_sharing_a_quartile() -> None:
    """Eight places: 10 (two men, a woman) spans Q1 and Q2, 20 (a man, a woman) spans Q2 and
    Q3. Q2 gets ⅓ of the first block and ½ of the second: women ⅓ + ½ of 2 places = 5/12."""
    people = [(10, False), (10, False), (10, True), (20, False), (20, True)]
    people += [(30, False), (40, True), (50, False)]
    records = [
        Record(f"e{i}", pay, group="female" if w else "male") for i, (pay, w) in enumerate(people)
    ]
    table = audit.quartiles(records, "male", "female")
    assert [q["quartile"] for q in table] == [1, 2, 3, 4]
    assert [q["female"] for q in table] == pytest.approx([1 / 3, 5 / 12, 1 / 4, 1 / 2])
    assert [q["male"] for q in table] == pytest.approx([2 / 3, 7 / 12, 3 / 4, 1 / 2])
    assert [q["female"] for q in table] == pytest.approx(reg_13_2(people))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([100, 100, 200, 300, 300, 400, 500]), st.booleans()),
        min_size=1,
        max_size=30,
    )
)
def test_quartiles_agree_with_an_independent_reading(people: list[tuple[float, bool]]) -> None:
    records = [
        Record(f"e{i}", pay, group="female" if w else "male") for i, (pay, w) in enumerate(people)
    ]
    table = audit.quartiles(records, "male", "female")
    assert [q["n"] for q in table] == [len(p) for p in np.array_split(np.arange(len(people)), 4)]
    expected = reg_13_2(people)
    for row, women in zip(table, expected, strict=True):
        if women is None:
            assert row["female"] is None
            assert row["male"] is None
        else:
            assert row["female"] == pytest.approx(women)
            assert row["male"] == pytest.approx(1 - women)


# ---------------------------------------------------------------- EU art. 9 and categories


def test_category_medians_and_a_category_with_one_group() -> None:
    records = [
        Record("m1", 40_000, variable_pay=1_000, role="R", level="1", group="male"),
        Record("m2", 50_000, variable_pay=3_000, role="R", level="1", group="male"),
        Record("m3", 90_000, variable_pay=8_000, role="R", level="1", group="male"),
        Record("f1", 45_000, variable_pay=2_000, role="R", level="1", group="female"),
        Record("f2", 47_000, variable_pay=500, role="R", level="1", group="female"),
        Record("m4", 70_000, role="R", level="2", group="male"),
    ]
    one, two = audit.categories(records, "male", "female")
    basic_m, basic_f = [40_000, 50_000, 90_000], [45_000, 47_000]
    extra_m, extra_f = [1_000, 3_000, 8_000], [2_000, 500]
    total_m = [b + e for b, e in zip(basic_m, extra_m, strict=True)]
    total_f = [b + e for b, e in zip(basic_f, extra_f, strict=True)]
    assert (one["n"], one["n_reference"], one["n_comparison"]) == (5, 3, 2)
    for key, ref, cmp_ in [
        ("basic", basic_m, basic_f),
        ("variable", extra_m, extra_f),
        ("total", total_m, total_f),
    ]:
        assert one[f"{key}_mean_gap"] == pytest.approx(gap_of(ref, cmp_)), key
        assert one[f"{key}_median_gap"] == pytest.approx(gap_of(ref, cmp_, "median")), key
    # level 2 has only a man: no gap, no flag
    assert two["n"] == 1
    assert two["n_comparison"] == 0
    assert two["basic_mean_gap"] is None
    assert two["total_median_gap"] is None
    assert two["flag"] is False
    assert two["flag_basic"] is False
    assert two["flag_total"] is False


def receivers() -> list[Record]:
    """Men: nothing, 0.50 of bonus, 3.00 of allowance; women: 0.50 of bonus, nothing,
    1.00 of allowance. Receiving any, however small, counts; receiving nothing does not."""
    return [
        Record("m0", 100, group="male"),
        Record("m1", 100, variable_pay=0.50, group="male"),
        Record("m2", 100, complementary_pay=3.00, group="male"),
        Record("f0", 100, variable_pay=0.50, group="female"),
        Record("f1", 100, group="female"),
        Record("f2", 100, complementary_pay=1.00, group="female"),
    ]


def test_eu_variable_pay_counts_whoever_receives_any() -> None:
    eu = audit.eu_measures(receivers(), "male", "female")
    assert eu["b_mean_variable_gap"] == pytest.approx(gap_of([0.50, 3.00], [0.50, 1.00]))
    assert eu["d_median_variable_gap"] == pytest.approx(
        gap_of([0.50, 3.00], [0.50, 1.00], "median")
    )
    assert eu["e_receiving_variable"] == {
        "male": pytest.approx(2 / 3),
        "female": pytest.approx(2 / 3),
    }


def test_uk_bonus_counts_whoever_is_paid_any() -> None:
    records = [*receivers(), Record("f3", 100, variable_pay=2.00, group="female")]
    uk = audit.uk_measures(records, "male", "female")
    # bonus (variable) pay only: men 0.50; women 0.50 and 2.00
    assert uk["mean_bonus_gap"] == pytest.approx(gap_of([0.50], [0.50, 2.00]))
    assert uk["median_bonus_gap"] == pytest.approx(gap_of([0.50], [0.50, 2.00], "median"))
    assert uk["bonus_share"] == {"male": pytest.approx(1 / 3), "female": pytest.approx(2 / 4)}
    # without a table given, the quartiles are the reg 13(2) ones of these people
    people = [(float(r.total), r.group == "female") for r in records]
    assert [q["female"] for q in uk["quartiles"]] == pytest.approx(reg_13_2(people))


def test_reports_with_one_group_only() -> None:
    men = [Record(f"m{i}", 50_000 + 1_000 * i, variable_pay=100, group="male") for i in range(5)]
    eu = audit.eu_measures(men, "male", "female")
    assert eu["a_mean_gap"] is None
    assert eu["b_mean_variable_gap"] is None
    assert eu["e_receiving_variable"] == {"male": 1.0, "female": None}
    uk = audit.uk_measures(men, "male", "female")
    assert uk["mean_pay_gap"] is None
    assert uk["median_bonus_gap"] is None
    assert uk["bonus_share"] == {"male": 1.0, "female": None}
    result = audit.audit(men, "male", "female")
    assert result["adjusted_gap"] is None
    assert result["raw_gap"] == {"mean": None, "median": None}
    assert result["groups"] == {"male": 5, "female": 0}
    assert audit.audit([], "male", "female")["adjusted_gap"] is None


# ---------------------------------------------------------------- the whole audit


def test_audit_gaps_against_numpy_and_statsmodels() -> None:
    records = population(150, gap=-0.06, seed=12)
    records.append(Record("x", 10_000, variable_pay=5_000, group="nonbinary"))
    result = audit.audit(records, "male", "female")
    men = [r for r in records if r.group == "male"]
    women = [r for r in records if r.group == "female"]
    assert len(men) != len(women)
    assert result["groups"] == {"male": len(men), "female": len(women)}
    # raw gap on basic pay to the cent; the UK and EU pay gaps on total pay
    basic_m = [round(r.base_pay, 2) for r in men]
    basic_f = [round(r.base_pay, 2) for r in women]
    assert result["raw_gap"]["mean"] == pytest.approx(gap_of(basic_m, basic_f), rel=1e-9)
    assert result["raw_gap"]["median"] == pytest.approx(
        gap_of(basic_m, basic_f, "median"), rel=1e-9
    )
    assert result["uk"]["mean_pay_gap"] == pytest.approx(gap_of(basic_m, basic_f), rel=1e-9)
    assert result["uk"]["median_pay_gap"] == pytest.approx(
        gap_of(basic_m, basic_f, "median"), rel=1e-9
    )
    assert result["uk"]["bonus_share"] == {"male": 0.0, "female": 0.0}
    assert result["uk"]["quartiles"] == result["quartiles"]
    # the adjusted gap's R² as statsmodels computes it, on the two groups only
    found = regression.design(men + women, "female")
    theirs = sm.OLS(found.y, found.x).fit()
    assert result["adjusted_gap"]["r_squared"] == pytest.approx(theirs.rsquared, rel=1e-9)
    assert result["adjusted_gap"]["log_points"] == pytest.approx(theirs.params[1], rel=1e-9)


def test_remediation_adds_up_by_currency_and_team() -> None:
    # band 60,000–100,000: the compa-ratio floor is 0.80 × 80,000 = 64,000
    def banded(name: str, pay: float, currency: str, team: str, fte: float = 1.0) -> Record:
        return Record(
            name, pay, fte=fte, currency=currency, team=team, band_min=60_000, band_max=100_000
        )

    records = [
        banded("a", 60_000, "EUR", "A"),  # 4,000 short
        banded("b", 31_500, "EUR", "A", fte=0.5),  # (64,000 − 63,000) × 0.5
        banded("c", 50_000, "GBP", "B"),  # 14,000 short
        banded("d", 70_000, "EUR", "A"),  # not flagged
        banded("e", 63_999.99, "GBP", "A"),  # a cent short
    ]
    result = audit.audit(records, "male", "female")
    remediation = result["remediation"]
    assert remediation["total"] == pytest.approx(4_000 + 500 + 14_000 + 0.01)
    assert remediation["by_currency"] == {
        "EUR": pytest.approx(4_500),
        "GBP": pytest.approx(14_000.01),
    }
    assert remediation["by_team"] == {"A": pytest.approx(4_500.01), "B": pytest.approx(14_000)}
    assert [p["employee_id"] for p in remediation["people"]] == ["a", "b", "c", "e"]
    assert [p["to"] for p in remediation["people"]] == [64_000] * 4
    nobody = audit.audit(records[3:4], "male", "female")["remediation"]
    assert nobody["total"] == 0
    assert nobody["by_currency"] == {}
    assert nobody["people"] == []


# ---------------------------------------------------------------- the gate's reasons


def gate_result(**kwargs: object) -> dict[str, object]:
    base: dict[str, object] = {"adjusted_gap": None, "categories": [], "flags": [], "n": 100}
    return {**base, **kwargs}


def test_gate_reasons_read_as_written() -> None:
    significant = {"percent": -6.04, "ci95": [-0.09, -0.0312]}
    assert gate.judge(gate_result(adjusted_gap=significant)) == (
        "red",
        [
            "adjusted gap of -6.0% (5% or more either way; 95% interval -8.6% to -3.1%, "
            "which excludes zero)"
        ],
    )
    small = {"percent": 2.5, "ci95": [0.01, 0.04]}
    assert gate.judge(gate_result(adjusted_gap=small)) == (
        "amber",
        [
            "adjusted gap of +2.5% (under 5% either way; 95% interval +1.0% to +4.1%, "
            "which excludes zero)"
        ],
    )
    one = [{"flag": True}, {"flag": False}]
    assert gate.judge(gate_result(categories=one))[1] == [
        "1 category of workers with a mean gap of 5% or more in basic or total pay"
    ]
    two = [{"flag": True}, {"flag": True}]
    assert gate.judge(gate_result(categories=two))[1] == [
        "2 categories of workers with a mean gap of 5% or more in basic or total pay"
    ]
    assert gate.judge(gate_result(flags=[{}] * 3, n=20)) == (
        "red",
        ["3 of 20 people (15%; 10% or more) paid below their band, the market or their peers"],
    )
    assert gate.judge(gate_result(flags=[{}], n=20)) == (
        "amber",
        ["1 of 20 people (5%; under 10%) paid below their band, the market or their peers"],
    )
    assert gate.judge(gate_result(flags=[{}] * 2, n=21)) == (  # 9.5%: below the 10%
        "amber",
        ["2 of 21 people (9.5%; under 10%) paid below their band, the market or their peers"],
    )
    assert gate.judge(gate_result(flags=[{}] * 2, n=20))[1] == [  # exactly 10%
        "2 of 20 people (10%; 10% or more) paid below their band, the market or their peers"
    ]
    assert gate.judge({}) == (
        "green",
        ["no significant adjusted gap, no category gap of 5% or more, nobody flagged"],
    )


def test_gate_without_a_head_count() -> None:
    """No n (or n = 0) counts as one person: a single flag is then 100%, red."""
    assert gate.judge({"flags": [{}]})[0] == "red"
    assert gate.judge({"flags": [{}], "n": 0})[1] == [
        "1 of 1 person (100%; 10% or more) paid below their band, the market or their peers"
    ]


def test_gate_red_lists_amber_reasons_too() -> None:
    status, reasons = gate.judge(
        gate_result(
            adjusted_gap={"percent": -3.0, "ci95": [-0.05, -0.01]},
            categories=[{"flag": True}],
        )
    )
    assert status == "red"
    assert len(reasons) == 2
    assert reasons[1].startswith("adjusted gap of -3.0%")


def test_gate_summary_keeps_figures_not_pay() -> None:
    records = [
        Record("m", 50_000, role="R", level="1", group="male", band_min=60_000, band_max=100_000),
        Record("f", 40_000, role="R", level="1", group="female"),
        Record("u", 45_000, role="S", level="1"),
    ]
    result = audit.audit(records, "male", "female")
    data = SimpleNamespace(currency="EUR", reference="male", comparison="female")
    kept = gate.summary(result, data)
    assert set(kept) == {
        "n", "groups", "compared", "left_out", "currency", "reference", "comparison",
        "raw_gap", "adjusted_gap", "flags", "categories", "quartiles", "eu", "uk", "remediation",
    }  # fmt: skip
    assert (kept["n"], kept["compared"], kept["currency"]) == (3, 2, "EUR")
    assert (kept["reference"], kept["comparison"]) == ("male", "female")
    assert kept["groups"] == {"male": 1, "female": 1}
    assert kept["left_out"] == {"n": 1, "blank": 1, "other": {}}
    assert kept["raw_gap"]["mean"] == pytest.approx(gap_of([50_000], [40_000]))
    assert kept["adjusted_gap"] is None
    assert kept["flags"] == [{"employee_id": "m", "reasons": ["compa-ratio 0.62 is below 0.80"]}]
    assert kept["categories"][0]["basic_mean_gap"] == pytest.approx(20)
    assert [q["n"] for q in kept["quartiles"]] == [1, 1, 0, 0]
    assert "f_quartiles" not in kept["eu"]
    assert "g_categories" not in kept["eu"]
    assert kept["eu"]["a_mean_gap"] == pytest.approx(20)
    assert kept["uk"]["mean_pay_gap"] == pytest.approx(20)
    assert kept["remediation"]["total"] == pytest.approx(14_000)
    assert "people" not in kept  # nobody's pay is kept
    assert gate.summary({**result, "eu": {}}, data)["eu"] == {}
    bare = {k: v for k, v in result.items() if k not in ("compared", "left_out", "eu")}
    assert gate.summary(bare, data)["compared"] is None
    assert gate.summary(bare, data)["eu"] == {}


# ---------------------------------------------------------------- money


def test_amount_problems_read_as_written() -> None:
    assert money.amount_problem(float("nan"), positive=False) == "is not a finite number"
    assert money.amount_problem(-0.01, positive=False) == "must not be negative"
    assert money.amount_problem(0.0, positive=True) == "must be more than zero"
    assert money.amount_problem(2e12, positive=False) == (
        "is not a plausible amount (at most 1,000,000,000,000)"
    )
    with pytest.raises(ValueError, match="nan is not an amount"):
        money.exact(float("nan"))


def test_money_statistics_against_the_standard_library() -> None:
    values = [money.money(v) for v in (10.01, 20.02, 20.02, 35.5, 99.99)]
    floats = [10.01, 20.02, 20.02, 35.5, 99.99]
    assert money.mean(values) == Decimal("185.54") / 5
    assert float(money.median(values)) == statistics.median(floats)
    assert [float(q) for q in money.quartiles(values)] == pytest.approx(
        list(np.percentile(floats, [25, 50, 75]))
    )


# ---------------------------------------------------------------- the adjusted gap's design


def test_controls_that_vary_even_in_two_values_are_used_in_order() -> None:
    records = population(80, gap=-0.05, seed=6)
    for i, r in enumerate(records):
        r.performance = 3.0 if i % 2 else 4.0  # two values: it varies
        r.role = "Engineer" if i % 3 else "Designer"
        r.factors["age"] = 20.0 + i  # an extra factor: after the five named ones
    found = regression.design(records, "female")
    assert found.controls == [
        "role", "level", "location", "tenure", "performance", "age", "shift"
    ]  # fmt: skip
    # intercept, group, role (1), level (3), location (2), tenure, performance, age, shift
    assert found.x.shape == (80, 12)
    ours = regression.adjusted_gap(records, "female")
    theirs = sm.OLS(found.y, found.x).fit()
    assert ours is not None
    assert ours.r_squared == pytest.approx(theirs.rsquared, rel=1e-9)
    assert ours.log_points == pytest.approx(theirs.params[1], rel=1e-9)


@pytest.mark.filterwarnings("ignore:The design matrix is rank-deficient")
def test_a_control_that_repeats_another_is_dropped_as_statsmodels_would() -> None:
    """A factor that is the level under another name adds nothing: the comparison group's
    coefficient and its standard error are those statsmodels estimates on the full,
    rank-deficient matrix (by pseudo-inverse)."""
    records = population(90, gap=-0.05, seed=7)
    for r in records:
        r.factors["grade"] = {"L1": "a", "L2": "b", "L3": "c", "L4": "d"}[r.level]
    found = regression.design(records, "female")
    full = np.hstack([found.x, np.eye(4)[[int(r.level[1]) - 1 for r in records]][:, 1:]])
    theirs = sm.OLS(found.y, full).fit()
    assert found.x.shape[1] == full.shape[1] - 3 == np.linalg.matrix_rank(full)
    ours = regression.adjusted_gap(records, "female")
    assert ours is not None
    assert ours.log_points == pytest.approx(theirs.params[1], rel=1e-8)
    assert ours.se == pytest.approx(theirs.bse[1], rel=1e-8)
    assert ours.n == 90
    assert theirs.df_resid == 90 - found.x.shape[1]


def test_the_smallest_fit_has_one_degree_of_freedom() -> None:
    """Intercept and group: two parameters. Two people are too few (n = k: no residual),
    three are enough (one degree of freedom), as in statsmodels."""
    two = [Record("m", 50_000, group="male"), Record("f", 40_000, group="female")]
    assert regression.adjusted_gap(two, "female") is None
    three = [*two, Record("m2", 55_000, group="male")]
    ours = regression.adjusted_gap(three, "female")
    found = regression.design(three, "female")
    theirs = sm.OLS(found.y, found.x).fit()
    hc1 = sm.OLS(found.y, found.x).fit(cov_type="HC1")
    assert ours is not None
    assert found.x.shape == (3, 2)
    assert theirs.df_resid == 1
    assert ours.log_points == pytest.approx(theirs.params[1], rel=1e-9)
    assert ours.se == pytest.approx(theirs.bse[1], rel=1e-9)
    assert ours.robust["HC1"] is not None
    assert ours.robust["HC1"]["se"] == pytest.approx(hc1.bse[1], rel=1e-9)
    assert ours.r_squared == pytest.approx(theirs.rsquared, rel=1e-9)


def test_everyone_paid_the_same_has_no_spread_to_explain() -> None:
    same = [Record(f"e{i}", 50_000, group="female" if i % 2 else "male") for i in range(6)]
    ours = regression.adjusted_gap(same, "female")
    assert ours is not None
    assert ours.log_points == pytest.approx(0, abs=1e-12)
    assert ours.r_squared == 0.0
