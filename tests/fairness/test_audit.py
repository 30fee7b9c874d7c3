"""The pay audit's statistics: against statsmodels, on planted gaps, on worked examples."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from ampwork.core.errors import ValidationFailed
from ampwork.fairness import audit, csvinput, gate, regression
from ampwork.fairness.audit import Record


def population(n: int, gap: float, seed: int) -> list[Record]:
    """People whose ln(pay) depends on level, location, tenure and a factor — and on
    being in the comparison group by ``gap`` log points."""
    rng = np.random.default_rng(seed)
    levels, places = ["L1", "L2", "L3", "L4"], ["Berlin", "Lisbon", "Remote"]
    out = []
    for i in range(n):
        level = rng.integers(0, 4)
        place = rng.integers(0, 3)
        tenure = float(rng.uniform(0, 15))
        woman = bool(rng.random() < 0.45)
        shift = float(rng.normal())
        log_pay = (
            10.8
            + 0.25 * level
            + (0.1, 0.0, -0.15)[place]
            + 0.01 * tenure
            + 0.02 * shift
            + (gap if woman else 0.0)
            + rng.normal(0, 0.08)
        )
        out.append(
            Record(
                employee_id=f"e{i}",
                base_pay=float(np.exp(log_pay)),
                role="Engineer",
                level=levels[level],
                location=places[place],
                group="female" if woman else "male",
                tenure_years=tenure,
                factors={"shift": shift},
            )
        )
    return out


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=30, max_value=300))
def test_regression_agrees_with_statsmodels(seed: int, n: int) -> None:
    records = population(n, gap=-0.05, seed=seed)
    found = regression.design(records, "female")
    ours = regression.adjusted_gap(records, "female")
    theirs = sm.OLS(found.y, found.x).fit()
    assert ours is not None
    assert ours.log_points == pytest.approx(theirs.params[1], abs=1e-8)
    assert ours.se == pytest.approx(theirs.bse[1], abs=1e-8)
    low, high = theirs.conf_int(0.05)[1]
    assert ours.ci95[0] == pytest.approx(low, abs=1e-8)
    assert ours.ci95[1] == pytest.approx(high, abs=1e-8)


def test_design_has_categories_numbers_and_factors() -> None:
    records = population(200, gap=0.0, seed=1)
    for i, r in enumerate(records):
        r.factors["site"] = "north" if i % 2 else "south"
    assert regression.design(records, "female").controls == [
        "level",
        "location",
        "tenure",
        "shift",
        "site",
    ]


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_a_planted_gap_is_recovered(seed: int) -> None:
    result = regression.adjusted_gap(population(2000, gap=-0.06, seed=seed), "female")
    assert result is not None
    low, high = result.ci95
    assert low <= -0.06 <= high
    assert result.percent == pytest.approx((np.exp(result.log_points) - 1) * 100)


@pytest.mark.parametrize("seed", [5, 17, 41])
def test_no_planted_gap_covers_zero(seed: int) -> None:
    result = regression.adjusted_gap(population(2000, gap=0.0, seed=seed), "female")
    assert result is not None
    assert result.ci95[0] <= 0.0 <= result.ci95[1]


def test_raw_gap_can_differ_from_adjusted() -> None:
    """Women concentrated in lower levels: a raw gap with no adjusted gap. Both are shown."""
    records = population(3000, gap=0.0, seed=8)
    for r in records:
        if r.group == "female" and r.level == "L4":
            r.level, r.base_pay = "L1", r.base_pay * np.exp(-0.75)
    raw = audit.gap(
        [r.annual for r in records if r.group == "male"],
        [r.annual for r in records if r.group == "female"],
    )
    adjusted = regression.adjusted_gap(records, "female")
    assert raw["mean"] is not None
    assert raw["mean"] > 5
    assert adjusted is not None
    assert adjusted.ci95[0] <= 0 <= adjusted.ci95[1]


def test_worked_examples_of_ratios_and_peers() -> None:
    peers = [
        Record(
            f"p{i}",
            pay,
            role="Eng",
            level="L3",
            location="Berlin",
            band_min=60_000,
            band_max=100_000,
            market_p25=70_000,
            market_p50=80_000,
            market_p75=90_000,
        )
        for i, pay in enumerate([80_000, 82_000, 84_000, 86_000, 62_000])
    ]
    by_id = {p.employee_id: p for p in audit.people(peers)}
    low = by_id["p4"]
    # compa-ratio = 62,000 / 80,000 midpoint; penetration = (62,000 − 60,000) / 40,000
    assert low.compa_ratio == pytest.approx(0.775)
    assert low.range_penetration == pytest.approx(0.05)
    assert low.market_ratio == pytest.approx(0.775)
    assert low.market_position == "below P25"
    assert low.peer_median == 82_000
    assert any("below 0.80" in r for r in low.reasons)
    assert any("below the peer median" in r for r in low.reasons)
    assert any("P25" in r for r in low.reasons)
    assert any("1.5 IQR" in r for r in low.reasons)
    # lifted to the highest threshold missed: the IQR fence 82,000 − 1.5 × (84,000 − 80,000)
    # = 76,000, above 0.9 × 82,000 = 73,800, the P25 of 70,000 and 0.8 × 80,000 = 64,000
    assert low.target == 76_000
    assert low.lift == pytest.approx(14_000)
    assert by_id["p0"].reasons == []


def test_part_time_pay_is_annualised() -> None:
    half = Record("h", 40_000, fte=0.5)
    assert half.annual == 80_000


def test_quartiles_and_uk_measures() -> None:
    records = [
        Record(f"m{i}", pay, group="male", variable_pay=bonus)
        for i, (pay, bonus) in enumerate([(40, 0), (50, 10), (60, 10), (70, 20)])
    ]
    records += [
        Record(f"f{i}", pay, group="female", variable_pay=bonus)
        for i, (pay, bonus) in enumerate([(35, 0), (45, 0), (55, 5), (65, 10)])
    ]
    quartiles = audit.quartiles(records, "male", "female", pay=lambda r: r.basic)
    assert [q["n"] for q in quartiles] == [2, 2, 2, 2]
    # on basic pay: ranked 35 f, 40 m | 45 f, 50 m | 55 f, 60 m | 65 f, 70 m
    assert [q["female"] for q in quartiles] == [0.5, 0.5, 0.5, 0.5]
    # on total pay (the default): 35 f, 40 m | 45 f, 60 m+f | 70 m, 75 f, 90 m — the man
    # and the woman on 60 straddle Q2/Q3 and each quartile gets half of each (reg 13(2))
    quartiles = audit.quartiles(records, "male", "female")
    assert [q["female"] for q in quartiles] == [0.5, 0.75, 0.25, 0.5]
    assert [q["male"] for q in quartiles] == [0.5, 0.25, 0.75, 0.5]
    uk = audit.uk_measures(records, "male", "female")
    # hourly pay counts the bonus of the period (reg 6): men 40, 60, 70, 90 (mean 65,
    # median 65); women 35, 45, 60, 75 (mean 53.75, median 52.5)
    assert uk["mean_pay_gap"] == pytest.approx((65 - 53.75) / 65 * 100)
    assert uk["median_pay_gap"] == pytest.approx((65 - 52.5) / 65 * 100)
    # bonuses among those who receive one: men 10, 10, 20 (mean 13.33); women 5, 10 (7.5)
    assert uk["mean_bonus_gap"] == pytest.approx((40 / 3 - 7.5) / (40 / 3) * 100)
    assert uk["bonus_share"] == {"male": 0.75, "female": 0.5}


def test_category_flag_at_five_percent() -> None:
    records = [
        Record("a", 100, role="R", level="1", group="male"),
        Record("b", 95, role="R", level="1", group="female"),
        Record("c", 100, role="R", level="2", group="male"),
        Record("d", 96, role="R", level="2", group="female"),
    ]
    flags = {c["level"]: c["flag"] for c in audit.categories(records, "male", "female")}
    assert flags == {"1": True, "2": False}


CSV = (
    "employee_id,base_pay,variable_pay,fte,role,level,location,gender,hire_date,"
    "band_min,band_max,market_p25,market_p50,market_p75,factor:shift\n"
)


def test_csv_errors_name_line_and_column() -> None:
    text = (
        CSV + "1,-5,,,Eng,L1,Berlin,female,2020-01-01,,,,,,\n"
        "2,,,,Eng,L1,Berlin,male,2020-01-01,,,,,,\n"
        "3,1000,,2,Eng,L1,Berlin,male,31/01/2020,,,,,,\n"
    )
    with pytest.raises(ValidationFailed) as caught:
        csvinput.read(text, "pay.csv")
    found = {(e.line, e.field) for e in caught.value.errors}
    assert {(2, "base_pay"), (3, "base_pay"), (4, "fte"), (4, "hire_date")} <= found
    assert caught.value.lines()[0].startswith("pay.csv: line 2: base_pay:")


def test_cli_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = []
    for r in population(120, gap=-0.08, seed=4):
        rows.append(
            f"{r.employee_id},{r.base_pay:.2f},0,1,{r.role},{r.level},{r.location},"
            f"{r.group},2019-01-01,50000,90000,55000,65000,80000,{r.factors['shift']}"
        )
    path = tmp_path / "pay.csv"
    path.write_text(CSV + "\n".join(rows) + "\n", encoding="utf-8")
    call_command("fairness", "audit", str(path), "--format", "json")
    result = json.loads(capsys.readouterr().out)
    assert set(result) >= {
        "raw_gap",
        "adjusted_gap",
        "flags",
        "quartiles",
        "categories",
        "remediation",
    }
    assert set(result["adjusted_gap"]) >= {"log_points", "percent", "se", "ci95", "n", "controls"}
    assert result["adjusted_gap"]["log_points"] < 0  # the comparison group is paid less
    assert set(result["remediation"]) >= {"total", "people"}
    call_command("fairness", "audit", str(path))
    # the adjusted gap printed as the gate words it (never rounded across its threshold)
    worded = gate.percent_text(
        Decimal(repr(float(result["adjusted_gap"]["percent"]))), threshold=gate.GAP_RED
    )
    assert f"Adjusted gap for female: {worded} " in capsys.readouterr().out
    with pytest.raises(CommandError, match="--comparison"):
        call_command("fairness", "audit", str(path), "--comparison", "nonbinary")
