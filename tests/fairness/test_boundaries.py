"""Every threshold of the pay audit and the gate at its boundary: exactly on it, a cent (or
the smallest step) below and above — so flipping ``<`` to ``<=`` or moving a threshold
fails a test. Money is compared in Decimal: exact cases that floats get wrong are here too
(issue 13, item 5, and "Tests that would have caught these")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ampwork.fairness import audit, gate, money
from ampwork.fairness.audit import Record


def alone(pay: float, **kwargs: object) -> audit.PersonResult:
    (result,) = audit.people([Record("x", pay, **kwargs)])  # type: ignore[arg-type]
    return result


# ---------------------------------------------------------------- compa-ratio below 0.80


@pytest.mark.parametrize(
    ("pay", "flagged"), [(63_999.99, True), (64_000.00, False), (64_000.01, False)]
)
def test_compa_ratio_boundary(pay: float, flagged: bool) -> None:
    # range 60,000–100,000: midpoint 80,000; 0.80 × 80,000 = 64,000
    result = alone(pay, band_min=60_000, band_max=100_000)
    assert any("compa-ratio" in r for r in result.reasons) is flagged
    if flagged:
        assert result.target == 64_000
        assert result.lift == pytest.approx(0.01)


def test_compa_ratio_exactly_080_in_decimal() -> None:
    """53,245.20 ÷ 66,556.50 is exactly 0.80, but 0.7999999999999999 in floats."""
    assert 53_245.20 / ((55_408.90 + 77_704.10) / 2) < 0.8
    assert alone(53_245.20, band_min=55_408.90, band_max=77_704.10).reasons == []
    assert alone(53_245.19, band_min=55_408.90, band_max=77_704.10).reasons


def test_no_band_or_an_empty_band_gives_no_compa_ratio() -> None:
    assert alone(50_000, band_min=60_000, band_max=60_000).compa_ratio is None
    assert alone(50_000, band_min=60_000).compa_ratio is None


# ---------------------------------------------------------------- market P25


@pytest.mark.parametrize(
    ("pay", "flagged", "position"),
    [
        (69_999.99, True, "below P25"),
        (70_000.00, False, "P25–P50"),
        (70_000.01, False, "P25–P50"),
        (79_999.99, False, "P25–P50"),
        (80_000.00, False, "P50–P75"),
        (90_000.00, False, "P50–P75"),
        (90_000.01, False, "above P75"),
    ],
)
def test_market_boundaries(pay: float, flagged: bool, position: str) -> None:
    result = alone(pay, market_p25=70_000, market_p50=80_000, market_p75=90_000)
    assert any("P25" in r for r in result.reasons) is flagged
    assert result.market_position == position
    if flagged:
        assert result.target == 70_000


def test_market_without_p25_or_p75() -> None:
    assert alone(10, market_p50=80_000).reasons == []
    assert alone(10, market_p50=80_000).market_position == "P25–P50"
    assert alone(1_000_000, market_p50=80_000).market_position == "P50–P75"


# ---------------------------------------------------------------- peers: 10% below the median


def peers_with(pay: float, others: list[float]) -> audit.PersonResult:
    records = [Record("x", pay, role="Eng", level="L3", location="Berlin")]
    records += [
        Record(f"p{i}", other, role="Eng", level="L3", location="Berlin")
        for i, other in enumerate(others)
    ]
    return audit.people(records)[0]


@pytest.mark.parametrize(
    ("pay", "flagged"), [(89_999.99, True), (90_000.00, False), (90_000.01, False)]
)
def test_peer_ten_percent_boundary(pay: float, flagged: bool) -> None:
    # peers 70,000, 100,000, 100,000, 130,000 and x: median 100,000, IQR fence far below
    result = peers_with(pay, [70_000, 100_000, 100_000, 130_000])
    assert result.peer_median == 100_000
    assert any("below the peer median (" in r for r in result.reasons) is flagged
    assert not any("IQR" in r for r in result.reasons)
    if flagged:
        assert result.target == 90_000


def test_peer_ten_percent_exactly_in_decimal() -> None:
    """107,410.95 is exactly 10% below 119,345.50, but −0.10000000000000002 in floats."""
    assert (107_410.95 - 119_345.50) / 119_345.50 < -0.10
    result = peers_with(107_410.95, [100_000, 119_345.50, 119_345.50, 140_000])
    assert result.peer_median == 119_345.50
    assert result.reasons == []


@pytest.mark.parametrize(
    ("pay", "flagged"), [(92_499.99, True), (92_500.00, False), (92_500.01, False)]
)
def test_peer_iqr_fence_boundary(pay: float, flagged: bool) -> None:
    # x lowest of 95,000, 100,000 × 3: Q1 95,000, median and Q3 100,000; fence
    # 100,000 − 1.5 × 5,000 = 92,500, above 0.9 × 100,000 = 90,000
    result = peers_with(pay, [95_000, 100_000, 100_000, 100_000])
    assert result.reasons == (["more than 1.5 IQR below the peer median"] if flagged else [])
    if flagged:
        assert result.target == 92_500


def test_peer_quartiles_match_numpy() -> None:
    import numpy as np

    values = [61_234.56, 70_000.10, 70_000.10, 88_123.45, 91_000.00, 99_999.99, 120_000]
    ours = money.quartiles([money.money(v) for v in values])
    assert [float(q) for q in ours] == pytest.approx(list(np.percentile(values, [25, 50, 75])))


def test_peers_need_three_and_a_job() -> None:
    assert peers_with(50_000, [100_000, 100_000]).peer_median == 100_000  # three people
    assert peers_with(50_000, [100_000]).peer_median is None  # two
    nobody = audit.people([Record(f"n{i}", 1_000 * (i + 1)) for i in range(5)])
    assert all(p.peer_median is None for p in nobody)  # no role, level or location


def test_lift_is_at_the_fte_worked_and_to_the_highest_threshold() -> None:
    # half time: annualised 60,000 against a P25 of 70,000 and a compa floor of 64,000
    result = alone(
        30_000, fte=0.5, band_min=60_000, band_max=100_000, market_p25=70_000, market_p50=80_000
    )
    assert result.target == 70_000
    assert result.lift == pytest.approx(5_000)


# ---------------------------------------------------------------- EU: 5% per category


def category(reference: float, comparison: float, **kwargs: float) -> dict[str, object]:
    records = [
        Record("m", reference, role="R", level="1", group="male"),
        Record("f", comparison, role="R", level="1", group="female", **kwargs),  # type: ignore[arg-type]
    ]
    return audit.categories(records, "male", "female")[0]


@pytest.mark.parametrize(
    ("comparison", "flagged"),
    [(39_172.86, True), (39_172.87, True), (39_172.88, False)],
)
def test_eu_five_percent_exactly_in_decimal(comparison: float, flagged: bool) -> None:
    """41,234.60 against 39,172.87 is exactly 5% (4.99999999999999% in floats): flagged."""
    assert (41_234.60 - 39_172.87) / 41_234.60 * 100 < 5
    found = category(41_234.60, comparison)
    assert found["flag_basic"] is flagged
    assert found["flag_total"] is flagged


@pytest.mark.parametrize(
    ("comparison", "flagged"), [(104.99, False), (105.00, True), (105.01, True)]
)
def test_eu_five_percent_either_way(comparison: float, flagged: bool) -> None:
    assert category(100, comparison)["flag"] is flagged


@pytest.mark.parametrize(("bonus", "flagged"), [(4.99, False), (5.00, True), (5.01, True)])
def test_eu_five_percent_on_total_pay(bonus: float, flagged: bool) -> None:
    # equal base 100; the woman's bonus b makes the total gap (100 − (100 + b)) ÷ 100 = −b%
    records = [
        Record("m", 100, role="R", level="1", group="male"),
        Record("f", 100, variable_pay=bonus, role="R", level="1", group="female"),
    ]
    found = audit.categories(records, "male", "female")[0]
    assert found["flag_basic"] is False
    assert found["flag_total"] is flagged


# ---------------------------------------------------------------- the gate


def result_with(
    percent: float | None = None,
    ci: tuple[float, float] = (-0.2, -0.1),
    flags: int = 0,
    n: int = 100,
    category_flag: bool = False,
) -> dict[str, object]:
    return {
        "adjusted_gap": None if percent is None else {"percent": percent, "ci95": list(ci)},
        "categories": [{"flag": category_flag}],
        "flags": [{"employee_id": str(i), "reasons": ["x"]} for i in range(flags)],
        "n": n,
    }


@pytest.mark.parametrize(
    ("percent", "status"),
    [(-5.0, "red"), (-4.999999, "amber"), (5.0, "red"), (4.999999, "amber"), (-5.000001, "red")],
)
def test_gate_adjusted_gap_boundary(percent: float, status: str) -> None:
    assert gate.judge(result_with(percent))[0] == status


@pytest.mark.parametrize(
    ("ci", "status"),
    [((-0.2, 0.0), "green"), ((-0.2, -1e-12), "red"), ((0.0, 0.2), "green"), ((1e-12, 0.2), "red")],
)
def test_gate_interval_must_exclude_zero(ci: tuple[float, float], status: str) -> None:
    assert gate.judge(result_with(-8.0, ci))[0] == status


@pytest.mark.parametrize(
    ("flags", "n", "status"),
    [(0, 10, "green"), (1, 11, "amber"), (1, 10, "red"), (10, 100, "red"), (9, 91, "amber")],
)
def test_gate_share_flagged_boundary(flags: int, n: int, status: str) -> None:
    assert gate.judge(result_with(flags=flags, n=n))[0] == status


def test_gate_category_is_red() -> None:
    assert gate.judge(result_with(category_flag=True))[0] == "red"
    assert gate.judge(result_with())[0] == "green"


def test_gate_twelve_months_boundary() -> None:
    now = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    assert gate.is_current(now - dt.timedelta(days=365), now)
    assert not gate.is_current(now - dt.timedelta(days=365, microseconds=1), now)
    assert not gate.is_current(None, now)


# ---------------------------------------------------------------- money


def test_money_reads_what_was_typed() -> None:
    assert money.money(0.1 + 0.2) == money.money(0.3)
    assert money.money(41_234.60) == Decimal("41234.60")
    assert money.gap_percent(money.money(41_234.60), money.money(39_172.87)) == 5
    # half a cent rounds up, not to even
    assert money.money(0.125) == Decimal("0.13")
    assert money.money(0.135) == Decimal("0.14")
    assert Record("x", 1_000.01, fte=0.8).basic == Decimal("1250.01")  # 1,250.0125
    with pytest.raises(ValueError):
        money.exact(float("inf"))


@pytest.mark.parametrize(
    ("value", "positive", "problem"),
    [
        (1e12, False, None),
        (1.0000000001e12, False, "plausible"),
        (1e308, False, "plausible"),
        (float("inf"), False, "finite"),
        (float("nan"), False, "finite"),
        (-0.01, False, "negative"),
        (0.0, False, None),
        (0.0, True, "more than zero"),
        (0.01, True, None),
    ],
)
def test_amount_bounds(value: float, positive: bool, problem: str | None) -> None:
    found = money.amount_problem(value, positive=positive)
    assert (found is None) if problem is None else (problem in (found or ""))
