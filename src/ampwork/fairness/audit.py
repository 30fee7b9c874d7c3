"""The pay audit: pure statistics over plain records (no ORM, no Django).

Formulas, thresholds and sources: docs/methods.md, section Fairness.

- compa-ratio = pay / range midpoint; range penetration = (pay − min) / (max − min)
- market ratio = pay / market P50, and the position against P25 / P50 / P75
- peers = same role, level and location; flagged when pay is more than 10% below the peer
  median, or more than 1.5 IQR below it
- raw gaps: (reference − comparison) / reference, of the means and of the medians
- adjusted gap: OLS of ln(pay) on the comparison-group indicator and the legitimate factors
- pay quartiles, gaps per category of workers (EU Directive 2023/970, ≥ 5% flagged)
- remediation: the cost of lifting everyone flagged to the highest threshold they miss
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats

COMPA_LOW = 0.80  # WorldatWork's usual band: 0.80–1.20
PEER_GAP = 0.10  # product rule: more than 10% below the peer median
PEER_IQR = 1.5  # product rule: more than 1.5 IQR below the peer median
CATEGORY_GAP = 5.0  # EU Directive 2023/970 art. 10: ≥ 5% calls for a joint pay assessment
MIN_PEERS = 3  # a peer median needs at least three people


@dataclass
class Record:
    employee_id: str
    base_pay: float  # annual, for the FTE worked
    variable_pay: float = 0.0
    fte: float = 1.0
    role: str = ""
    level: str = ""
    location: str = ""
    group: str = ""  # e.g. gender
    tenure_years: float | None = None
    performance: float | None = None
    band_min: float | None = None
    band_max: float | None = None
    market_p25: float | None = None
    market_p50: float | None = None
    market_p75: float | None = None
    factors: dict[str, Any] = field(default_factory=dict)
    team: str = ""
    currency: str = ""

    @property
    def annual(self) -> float:
        """Base pay annualised to full time (pay / FTE)."""
        return self.base_pay / self.fte

    @property
    def peer_key(self) -> tuple[str, str, str]:
        return (self.role, self.level, self.location)


@dataclass
class PersonResult:
    employee_id: str
    annual_pay: float
    compa_ratio: float | None
    range_penetration: float | None
    market_ratio: float | None
    market_position: str | None
    peer_median: float | None
    peer_deviation: float | None
    peers: int
    reasons: list[str]
    target: float | None  # the pay that clears every threshold missed
    lift: float


@dataclass
class Regression:
    log_points: float
    percent: float
    se: float
    ci95: tuple[float, float]
    n: int
    controls: list[str]
    r_squared: float


def median(values: Sequence[float]) -> float:
    return float(np.median(values))


def gap(reference: Sequence[float], comparison: Sequence[float]) -> dict[str, float | None]:
    """(reference − comparison) / reference × 100, of the means and of the medians."""
    if not reference or not comparison:
        return {"mean": None, "median": None}
    ref_mean, cmp_mean = float(np.mean(reference)), float(np.mean(comparison))
    ref_med, cmp_med = median(reference), median(comparison)
    return {
        "mean": (ref_mean - cmp_mean) / ref_mean * 100 if ref_mean else None,
        "median": (ref_med - cmp_med) / ref_med * 100 if ref_med else None,
    }


# ---------------------------------------------------------------- people


def people(records: Sequence[Record]) -> list[PersonResult]:
    peers: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for r in records:
        peers[r.peer_key].append(r.annual)
    # each peer group's median and IQR fence, once per group
    summary: dict[tuple[str, str, str], tuple[float, float, float]] = {}
    for key, pays in peers.items():
        if len(pays) >= MIN_PEERS and any(key):
            q1, mid, q3 = (float(v) for v in np.percentile(pays, [25, 50, 75]))
            summary[key] = (mid, mid - PEER_IQR * (q3 - q1), q3 - q1)
    out = []
    for r in records:
        pay = r.annual
        reasons: list[str] = []
        thresholds: list[float] = []
        compa = penetration = None
        if r.band_min is not None and r.band_max is not None and r.band_max > r.band_min:
            mid = (r.band_min + r.band_max) / 2
            compa = pay / mid
            penetration = (pay - r.band_min) / (r.band_max - r.band_min)
            if compa < COMPA_LOW:
                reasons.append(f"compa-ratio {compa:.2f} is below {COMPA_LOW:.2f}")
                thresholds.append(COMPA_LOW * mid)
        market_ratio = position = None
        if r.market_p50:
            market_ratio = pay / r.market_p50
            position = _position(pay, r.market_p25, r.market_p50, r.market_p75)
            if r.market_p25 is not None and pay < r.market_p25:
                reasons.append(f"below the market P25 ({r.market_p25:,.0f})")
                thresholds.append(r.market_p25)
        group = peers[r.peer_key]
        peer_median = deviation = None
        if r.peer_key in summary:
            peer_median, fence, iqr = summary[r.peer_key]
            deviation = (pay - peer_median) / peer_median if peer_median else None
            if deviation is not None and deviation < -PEER_GAP:
                reasons.append(f"{-deviation:.0%} below the peer median ({peer_median:,.0f})")
                thresholds.append((1 - PEER_GAP) * peer_median)
            if iqr > 0 and pay < fence:
                reasons.append(f"more than {PEER_IQR:g} IQR below the peer median")
                thresholds.append(fence)
        target = max(thresholds) if thresholds else None
        lift = max(0.0, target - pay) * r.fte if target is not None else 0.0
        out.append(
            PersonResult(
                r.employee_id,
                pay,
                compa,
                penetration,
                market_ratio,
                position,
                peer_median,
                deviation,
                len(group),
                reasons,
                target,
                lift,
            )
        )
    return out


def _position(pay: float, p25: float | None, p50: float, p75: float | None) -> str:
    if p25 is not None and pay < p25:
        return "below P25"
    if pay < p50:
        return "P25–P50"
    if p75 is None or pay <= p75:
        return "P50–P75"
    return "above P75"


# ---------------------------------------------------------------- the adjusted gap


def design(records: Sequence[Record], comparison: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The design matrix of the adjusted gap: intercept, the comparison indicator, then
    every legitimate factor that varies — role, level, location as categories (first level
    dropped), tenure and performance as numbers, extra factors by their type. Built column
    by column with numpy: one pass over the records per field."""
    n = len(records)
    y = np.log(np.fromiter((r.annual for r in records), dtype=float, count=n))
    columns: list[np.ndarray] = [
        np.ones((n, 1)),
        np.fromiter((r.group == comparison for r in records), dtype=float, count=n)[:, None],
    ]
    controls: list[str] = []

    def categorical(name: str, values: list[str]) -> None:
        levels, inverse = np.unique(np.array(values, dtype=object).astype(str), return_inverse=True)
        if len(levels) < 2:
            return
        controls.append(name)
        columns.append(np.eye(len(levels))[inverse][:, 1:])

    def numeric(name: str, values: list[Any]) -> None:
        array = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
        present = array[~np.isnan(array)]
        if len(np.unique(present)) < 2:
            return
        controls.append(name)
        array[np.isnan(array)] = present.mean()
        columns.append(array[:, None])

    categorical("role", [r.role for r in records])
    categorical("level", [r.level for r in records])
    categorical("location", [r.location for r in records])
    numeric("tenure", [r.tenure_years for r in records])
    numeric("performance", [r.performance for r in records])
    for factor in sorted({k for r in records for k in r.factors}):
        values = [r.factors.get(factor) for r in records]
        if all(v is None or isinstance(v, int | float) for v in values):
            numeric(factor, values)
        else:
            categorical(factor, ["" if v is None else str(v) for v in values])
    x = np.hstack(columns)
    # drop columns that add nothing (collinear with earlier ones), keeping the indicator
    keep = _independent(x)
    if len(keep) < x.shape[1]:
        x = x[:, keep]
    return x, y, controls


def _independent(x: np.ndarray) -> list[int]:
    if np.linalg.matrix_rank(x) == x.shape[1]:
        return list(range(x.shape[1]))
    keep: list[int] = []
    for i in range(x.shape[1]):
        trial = x[:, [*keep, i]]
        if np.linalg.matrix_rank(trial) == len(keep) + 1:
            keep.append(i)
    return keep


def ols(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, int, float]:
    """Ordinary least squares: coefficients, their classical standard errors, residual
    degrees of freedom and R²."""
    n, k = x.shape
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    df = n - k
    sigma2 = float(resid @ resid) / df if df > 0 else float("nan")
    xtx_inv = np.linalg.pinv(x.T @ x)
    se = np.sqrt(np.diag(xtx_inv) * sigma2)
    total = float(((y - y.mean()) ** 2).sum())
    r2 = 1 - float(resid @ resid) / total if total else 0.0
    return beta, se, df, r2


def adjusted_gap(records: Sequence[Record], comparison: str) -> Regression | None:
    """The comparison group's coefficient in ln(pay): negative means it is paid less."""
    if len({r.group == comparison for r in records}) < 2:
        return None
    x, y, controls = design(records, comparison)
    n, k = x.shape
    if n <= k:
        return None
    beta, se, df, r2 = ols(x, y)
    b, s = float(beta[1]), float(se[1])
    t = float(stats.t.ppf(0.975, df))
    return Regression(b, math.expm1(b) * 100, s, (b - t * s, b + t * s), n, controls, r2)


# ---------------------------------------------------------------- reports


def quartiles(records: Sequence[Record], reference: str, comparison: str) -> list[dict[str, Any]]:
    """Pay quartiles by annualised pay, lowest first, with each group's share."""
    ranked = sorted(records, key=lambda r: (r.annual, r.employee_id))
    out = []
    for i, part in enumerate(np.array_split(np.arange(len(ranked)), 4)):
        members = [ranked[j] for j in part]
        count = len(members)
        out.append(
            {
                "quartile": i + 1,
                "n": count,
                reference: sum(1 for m in members if m.group == reference) / count
                if count
                else None,
                comparison: sum(1 for m in members if m.group == comparison) / count
                if count
                else None,
            }
        )
    return out


def categories(records: Sequence[Record], reference: str, comparison: str) -> list[dict[str, Any]]:
    """Gaps per category of workers (same role and level): the EU Directive's ≥ 5% flag."""
    by: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for r in records:
        by[(r.role, r.level)].append(r)
    out = []
    for (role, level), members in sorted(by.items()):
        ref = [m.annual for m in members if m.group == reference]
        cmp_ = [m.annual for m in members if m.group == comparison]
        g = gap(ref, cmp_)
        out.append(
            {
                "role": role,
                "level": level,
                "n": len(members),
                "n_reference": len(ref),
                "n_comparison": len(cmp_),
                "mean_gap": g["mean"],
                "median_gap": g["median"],
                "flag": g["mean"] is not None and abs(g["mean"]) >= CATEGORY_GAP,
            }
        )
    return out


def uk_measures(records: Sequence[Record], reference: str, comparison: str) -> dict[str, Any]:
    """The UK's six measures (hourly pay stands in as annualised full-time pay here)."""
    ref = [r for r in records if r.group == reference]
    cmp_ = [r for r in records if r.group == comparison]
    pay = gap([r.annual for r in ref], [r.annual for r in cmp_])
    bonus = gap(
        [r.variable_pay for r in ref if r.variable_pay > 0],
        [r.variable_pay for r in cmp_ if r.variable_pay > 0],
    )
    return {
        "mean_pay_gap": pay["mean"],
        "median_pay_gap": pay["median"],
        "mean_bonus_gap": bonus["mean"],
        "median_bonus_gap": bonus["median"],
        "bonus_share": {
            reference: _share(ref),
            comparison: _share(cmp_),
        },
        "quartiles": quartiles(records, reference, comparison),
    }


def _share(group: Sequence[Record]) -> float | None:
    return sum(1 for r in group if r.variable_pay > 0) / len(group) if group else None


def audit(records: Sequence[Record], reference: str, comparison: str) -> dict[str, Any]:
    """The whole audit as one plain document (what `ampwork fairness audit` prints)."""
    results = people(records)
    ref = [r.annual for r in records if r.group == reference]
    cmp_ = [r.annual for r in records if r.group == comparison]
    regression = adjusted_gap(records, comparison)
    flagged = [p for p in results if p.reasons]
    by_currency: dict[str, float] = defaultdict(float)
    by_team: dict[str, float] = defaultdict(float)
    for record, result in zip(records, results, strict=True):
        if result.reasons:
            by_currency[record.currency] += result.lift
            by_team[record.team] += result.lift
    return {
        "n": len(records),
        "groups": {reference: len(ref), comparison: len(cmp_)},
        "raw_gap": gap(ref, cmp_),
        "adjusted_gap": None
        if regression is None
        else {
            "log_points": regression.log_points,
            "percent": regression.percent,
            "se": regression.se,
            "ci95": list(regression.ci95),
            "n": regression.n,
            "controls": regression.controls,
            "r_squared": regression.r_squared,
        },
        "flags": [{"employee_id": p.employee_id, "reasons": p.reasons} for p in flagged],
        "people": [p.__dict__ for p in results],
        "quartiles": quartiles(records, reference, comparison),
        "categories": categories(records, reference, comparison),
        "uk": uk_measures(records, reference, comparison),
        "remediation": {
            "total": sum(p.lift for p in flagged),
            "people": [
                {"employee_id": p.employee_id, "to": p.target, "cost": p.lift} for p in flagged
            ],
            "by_currency": dict(by_currency),
            "by_team": dict(by_team),
        },
    }


def groups_of(records: Iterable[Record]) -> list[str]:
    return sorted({r.group for r in records if r.group})
