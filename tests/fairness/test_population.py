"""Who the gaps compare, and who is left out (issue 13, items 2 and 7).

The adjusted gap, the raw gap, the gate and the EU/UK reports cover the two compared groups
only; people with a blank or another value are left out and counted. People missing a
numeric control are left out of the regression (complete cases) and counted. Standard
errors come classical and heteroskedasticity-robust (HC1, HC3), checked against statsmodels.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from ampwork.fairness import audit, gate, regression
from ampwork.fairness.audit import Record

from .test_audit import CSV, population


def firm_with_blank_staff(seed: int) -> list[Record]:
    """A firm with no gap between men and women, plus 40 low-paid people whose gender is
    blank: the issue's example."""
    rng = np.random.default_rng(seed)
    records = population(300, gap=0.0, seed=seed)
    for i in range(40):
        records.append(
            Record(
                employee_id=f"blank{i}",
                base_pay=float(np.exp(10.8 + 0.25 - 0.35 + rng.normal(0, 0.08))),
                role="Engineer",
                level="L2",
                location="Lisbon",
                group="",
                tenure_years=float(rng.uniform(0, 15)),
                factors={"shift": float(rng.normal())},
            )
        )
    return records


@pytest.mark.parametrize("seed", [0, 2, 3, 4])
def test_blank_gender_staff_do_not_make_a_gap(seed: int) -> None:
    """Before: the 40 were pooled with men, and women came out paid significantly more."""
    firm = regression.adjusted_gap(population(300, gap=0.0, seed=seed), "female")
    assert firm is not None
    assert firm.ci95[0] <= 0 <= firm.ci95[1]
    records = firm_with_blank_staff(seed)
    result = audit.audit(records, "male", "female")
    adjusted = result["adjusted_gap"]
    assert adjusted["ci95"][0] <= 0 <= adjusted["ci95"][1]
    assert adjusted["n"] == 300
    _, reasons = gate.judge(result)
    assert not any("adjusted gap" in r for r in reasons)
    assert result["left_out"] == {"n": 40, "blank": 40, "other": {}}
    assert result["n"] == 340
    assert result["compared"] == 300


def test_raw_adjusted_and_reports_share_one_population() -> None:
    records = firm_with_blank_staff(5)
    records += [
        Record("nb1", 30_000, role="Engineer", level="L1", location="Berlin", group="nonbinary"),
        Record("u1", 31_000, role="Engineer", level="L1", location="Berlin", group="unknown"),
    ]
    result = audit.audit(records, "male", "female")
    compared = [r for r in records if r.group in ("male", "female")]
    alone = audit.audit(compared, "male", "female")
    assert result["left_out"] == {"n": 42, "blank": 40, "other": {"nonbinary": 1, "unknown": 1}}
    for key in ("raw_gap", "adjusted_gap", "quartiles", "categories", "eu", "uk", "groups"):
        assert result[key] == alone[key], key
    # but everyone is still checked against their band, the market and their peers
    assert len(result["people"]) == len(records)
    assert sum(q["n"] for q in result["quartiles"]) == len(compared)
    assert all(c["n"] == c["n_reference"] + c["n_comparison"] for c in result["categories"])
    assert audit.left_out_text(result["left_out"]) == (
        "42 left out of the comparison: 40 with no gender recorded, 1 nonbinary, 1 unknown"
    )


def test_cli_counts_who_is_left_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [
        f"{r.employee_id},{r.base_pay:.2f},0,1,{r.role},{r.level},{r.location},"
        f"{r.group},2019-01-01,,,,,,{r.factors['shift']}"
        for r in firm_with_blank_staff(7)
    ]
    path = tmp_path / "pay.csv"
    path.write_text(CSV + "\n".join(rows) + "\n", encoding="utf-8")
    call_command("fairness", "audit", str(path), "--format", "json")
    result = json.loads(capsys.readouterr().out)
    assert result["left_out"]["blank"] == 40
    assert result["adjusted_gap"]["n"] == 300
    assert result["adjusted_gap"]["ci95"][0] <= 0 <= result["adjusted_gap"]["ci95"][1]
    call_command("fairness", "audit", str(path))
    assert "40 left out of the comparison: 40 with no gender recorded" in capsys.readouterr().out


# ---------------------------------------------------------------- missing controls


def test_missing_controls_are_complete_cases_and_counted() -> None:
    """Before: a missing tenure was replaced by the mean and the person counted in n."""
    records = population(200, gap=-0.05, seed=9)
    for r in records[:7]:
        r.tenure_years = None
    for r in records[7:10]:
        r.factors["shift"] = None
    result = audit.audit(records, "male", "female")["adjusted_gap"]
    assert result["n"] == 190
    assert result["left_out"] == {"missing tenure": 7, "missing shift": 3}
    # the same fit as statsmodels on the 190 complete rows
    kept = records[10:]
    found = regression.design(kept, "female")
    theirs = sm.OLS(found.y, found.x).fit()
    assert result["log_points"] == pytest.approx(theirs.params[1], abs=1e-10)
    assert result["se"] == pytest.approx(theirs.bse[1], abs=1e-10)


def test_a_control_nobody_has_twice_is_not_used_and_leaves_nobody_out() -> None:
    records = population(60, gap=0.0, seed=2)
    for i, r in enumerate(records):
        r.performance = 3.0 if i == 0 else None
    found = regression.design(records, "female")
    assert "performance" not in found.controls
    assert found.left_out == {}
    assert len(found.used) == 60


# ---------------------------------------------------------------- robust standard errors


def heteroskedastic(n: int, seed: int) -> list[Record]:
    """Pay that varies far more among women than among men, and more with level:
    classical and robust standard errors differ."""
    records = population(n, gap=-0.04, seed=seed)
    rng = np.random.default_rng(seed + 1)
    for r in records:
        spread = (0.25 if r.group == "female" else 0.02) + 0.03 * int(r.level[1])
        r.base_pay *= float(np.exp(rng.normal(0, spread)))
    return records


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=40, max_value=300))
def test_robust_errors_agree_with_statsmodels(seed: int, n: int) -> None:
    records = heteroskedastic(n, seed)
    found = regression.design(records, "female")
    ours = regression.adjusted_gap(records, "female")
    assert ours is not None
    for kind in ("HC1", "HC3"):
        theirs = sm.OLS(found.y, found.x).fit(cov_type=kind, use_t=True)
        robust = ours.robust[kind]
        assert robust is not None
        assert robust["se"] == pytest.approx(theirs.bse[1], rel=1e-9)
        low, high = theirs.conf_int(0.05)[1]
        assert robust["ci95"] == pytest.approx([low, high], rel=1e-9)


def test_robust_errors_differ_from_classical_under_heteroskedasticity() -> None:
    ours = regression.adjusted_gap(heteroskedastic(400, 3), "female")
    assert ours is not None
    assert ours.robust["HC3"] is not None
    assert abs(ours.robust["HC3"]["se"] - ours.se) > 0.05 * ours.se


def test_hc3_is_undefined_when_someone_is_alone_in_a_category() -> None:
    """A person alone in a role has leverage 1: HC3 divides by zero. It is reported as
    undefined (statsmodels returns nan or inf there), HC1 still stands."""
    records = population(80, gap=0.0, seed=4)
    records[0].role = "Only one"
    ours = regression.adjusted_gap(records, "female")
    assert ours is not None
    assert ours.robust["HC3"] is None
    assert ours.robust["HC1"] is not None
    found = regression.design(records, "female")
    theirs = sm.OLS(found.y, found.x).fit(cov_type="HC1", use_t=True)
    assert ours.robust["HC1"]["se"] == pytest.approx(theirs.bse[1], rel=1e-9)
