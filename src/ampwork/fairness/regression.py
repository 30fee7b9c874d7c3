"""The adjusted pay gap: OLS of ln(pay) on the comparison-group indicator and the
legitimate factors, with classical and heteroskedasticity-robust (HC1, HC3) standard errors.

Only the two compared groups enter (the caller leaves everyone else out and counts them);
people missing a numeric control are left out too (complete cases), counted by the control
they miss. Pure: numpy and scipy, no ORM. Checked against statsmodels in the tests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import stats

if TYPE_CHECKING:
    from .audit import Record

# a leverage this close to 1 means someone is alone in a category: HC3 divides by 1 − h
LEVERAGE_ONE = 1e-8


@dataclass
class Design:
    x: np.ndarray
    y: np.ndarray
    controls: list[str]
    used: list[int]  # positions of the records in the fit
    left_out: dict[str, int] = field(default_factory=dict)  # "missing tenure": 3


@dataclass
class Regression:
    log_points: float
    percent: float
    se: float
    ci95: tuple[float, float]
    n: int
    controls: list[str]
    r_squared: float
    left_out: dict[str, int]
    robust: dict[str, dict[str, Any] | None]  # HC1, HC3: se and ci95 (None if undefined)


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def design(records: Sequence[Record], comparison: str) -> Design:
    """The design matrix: intercept, the comparison indicator, then every legitimate factor
    that varies — role, level, location as categories (first level dropped), tenure and
    performance as numbers, extra factors by their type. A person missing a numeric control
    that varies is left out (complete cases) and counted under the first control missed."""
    numeric_fields: list[tuple[str, list[float]]] = [
        ("tenure", [_number(r.tenure_years) for r in records]),
        ("performance", [_number(r.performance) for r in records]),
    ]
    categorical_fields: list[tuple[str, list[str]]] = [
        ("role", [r.role for r in records]),
        ("level", [r.level for r in records]),
        ("location", [r.location for r in records]),
    ]
    for factor in sorted({k for r in records for k in r.factors}):
        cells = [r.factors.get(factor) for r in records]
        if all(v is None or isinstance(v, int | float) for v in cells):
            numeric_fields.append((factor, [_number(v) for v in cells]))
        else:
            categorical_fields.append((factor, ["" if v is None else str(v) for v in cells]))
    # complete cases over the numeric controls that vary among those who have them
    keep = np.ones(len(records), dtype=bool)
    left_out: dict[str, int] = {}
    varying: list[tuple[str, list[float]]] = []
    for name, values in numeric_fields:
        array = np.array(values, dtype=float)
        present = ~np.isnan(array)
        if len(np.unique(array[present])) < 2:
            continue
        varying.append((name, values))
        missing = keep & ~present
        if missing.any():
            left_out[f"missing {name}"] = int(missing.sum())
            keep &= present
    used = [i for i in range(len(records)) if keep[i]]
    n = len(used)
    y = np.log(np.array([records[i].annual for i in used], dtype=float))
    columns: list[np.ndarray] = [
        np.ones((n, 1)),
        np.array([records[i].group == comparison for i in used], dtype=float)[:, None],
    ]
    controls: list[str] = []
    order = ["role", "level", "location", "tenure", "performance"]
    built: dict[str, np.ndarray] = {}
    for name, texts in categorical_fields:
        levels, inverse = np.unique(
            np.array([texts[i] for i in used], dtype=str), return_inverse=True
        )
        if len(levels) >= 2:
            built[name] = np.eye(len(levels))[inverse][:, 1:]
    for name, numbers in varying:
        array = np.array([numbers[i] for i in used], dtype=float)
        if len(np.unique(array)) >= 2:
            built[name] = array[:, None]
    for name in [*order, *sorted(set(built) - set(order))]:
        if name in built:
            controls.append(name)
            columns.append(built[name])
    x = np.hstack(columns)
    independent = _independent(x)  # drop columns that repeat earlier ones
    if len(independent) < x.shape[1]:
        x = x[:, independent]
    return Design(x, y, controls, used, left_out)


def _independent(x: np.ndarray) -> list[int]:
    if np.linalg.matrix_rank(x) == x.shape[1]:
        return list(range(x.shape[1]))
    keep: list[int] = []
    for i in range(x.shape[1]):
        if np.linalg.matrix_rank(x[:, [*keep, i]]) == len(keep) + 1:
            keep.append(i)
    return keep


@dataclass
class Fit:
    beta: np.ndarray
    se: np.ndarray
    df: int
    r2: float
    hc1: np.ndarray
    hc3: np.ndarray | None


def ols(x: np.ndarray, y: np.ndarray) -> Fit:
    """Ordinary least squares: coefficients, classical standard errors, residual degrees of
    freedom, R², and the White sandwich standard errors HC1 (× n ÷ (n − k)) and HC3
    (each squared residual ÷ (1 − leverage)²; None when a leverage is 1)."""
    n, k = x.shape
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    df = n - k
    sigma2 = float(resid @ resid) / df if df > 0 else float("nan")
    bread = np.linalg.pinv(x.T @ x)
    se = np.sqrt(np.diag(bread) * sigma2)
    total = float(((y - y.mean()) ** 2).sum())
    r2 = 1 - float(resid @ resid) / total if total else 0.0

    # the sandwich's diagonal, (X'X)⁻¹ X' diag(w) X (X'X)⁻¹, is Σᵢ wᵢ (xᵢ (X'X)⁻¹)ⱼ²: one
    # n × k product instead of a k × k meat per weighting
    spread = x @ bread
    squares = spread**2

    def sandwich(weights: np.ndarray) -> np.ndarray:
        errors: np.ndarray = np.sqrt(squares.T @ weights)
        return errors

    squared = resid**2
    hc1 = sandwich(squared) * math.sqrt(n / df) if df > 0 else np.full(k, np.nan)
    leverage = np.einsum("ij,ij->i", spread, x)
    hc3 = None if (leverage > 1 - LEVERAGE_ONE).any() else sandwich(squared / (1 - leverage) ** 2)
    return Fit(beta, se, df, r2, hc1, hc3)


def adjusted_gap(records: Sequence[Record], comparison: str) -> Regression | None:
    """The comparison group's coefficient in ln(pay): negative means it is paid less.
    ``records`` are the two compared groups only."""
    found = design(records, comparison)
    x, y = found.x, found.y
    n, k = x.shape
    if n <= k or len(np.unique(x[:, 1])) < 2:
        return None
    fit = ols(x, y)
    b = float(fit.beta[1])
    t = float(stats.t.ppf(0.975, fit.df))

    def interval(se: float) -> tuple[float, float]:
        return (b - t * se, b + t * se)

    robust: dict[str, dict[str, Any] | None] = {
        "HC1": {"se": float(fit.hc1[1]), "ci95": list(interval(float(fit.hc1[1])))},
        "HC3": None
        if fit.hc3 is None
        else {"se": float(fit.hc3[1]), "ci95": list(interval(float(fit.hc3[1])))},
    }
    s = float(fit.se[1])
    return Regression(
        b,
        math.expm1(b) * 100,
        s,
        interval(s),
        n,
        found.controls,
        fit.r2,
        found.left_out,
        robust,
    )
