"""The fairness gate: green, amber or red from an audit's result (ampwork's product rules).

- red: the adjusted gap is significant (its 95% interval excludes 0) and 5% or more either
  way; or a category of workers has a mean gap of 5% or more in basic or in total pay; or
  10% or more of people are flagged against their band, the market or their peers
- amber: the adjusted gap is significant but smaller; or anyone is flagged
- green: none of these
An organisation with no audit in the last 12 months is red: baseline fairness unknown.
The gaps come from the audit's compared population (the two groups; see audit.py). The 5%
is compared in Decimal on the estimate's exact value, the 10% share in whole numbers.

The reasons speak in percentages: a gap of d log points (the regression's unit) is
100·(exp(d) − 1) percent. A figure is rounded to one decimal (a share to a whole percent)
unless rounding would carry it across the threshold it is judged against — 4.96% is shown
as 4.96%, never as 5.0% beside an amber gate.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction
from typing import Any

GAP_RED = Decimal(5)
SHARE_RED = Fraction(1, 10)
SHARE_RED_PERCENT = Decimal(10)  # the same 10%, for the reason's text
MAX_AGE = dt.timedelta(days=365)
EU_REPEATED = ("f_quartiles", "g_categories")  # kept once, as quartiles and categories
MAX_PLACES = 4  # decimals a figure may take to stay on its side of a threshold


def log_points_percent(d: float | Decimal) -> Decimal:
    """A difference of ``d`` log points as a percentage: 100·(exp(d) − 1), in Decimal."""
    exact = d if isinstance(d, Decimal) else Decimal(repr(float(d)))
    return (exact.exp() - 1) * 100


def percent_text(
    value: Decimal,
    *,
    threshold: Decimal = Decimal(0),
    reached: bool | None = None,
    places: int = 1,
    signed: bool = True,
) -> str:
    """``value`` (a percentage) signed, rounded half up to ``places`` decimals — or to more
    (up to :data:`MAX_PLACES`), so that the text stays on the side of ``threshold`` the
    rule put it: shown at or beyond ±threshold exactly when ``reached`` (by default, when
    the value itself is). With the default threshold 0, a value that is not zero never
    reads as 0.0."""

    def reaches(x: Decimal) -> bool:
        return abs(x) >= threshold if threshold else x != 0

    side = reaches(value) if reached is None else reached
    sign = "+" if signed else ""
    for digits in range(places, MAX_PLACES + 1):
        shown = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        if reaches(shown) == side:
            return f"{shown:{sign}f}%"
    # still on the wrong side at the last decimal: round towards the rule's side
    rounding = ROUND_UP if side else ROUND_DOWN
    shown = value.quantize(Decimal(1).scaleb(-MAX_PLACES), rounding=rounding)
    return f"{shown:{sign}f}%"


def judge(result: dict[str, Any]) -> tuple[str, list[str]]:
    red: list[str] = []
    amber: list[str] = []
    adjusted = result.get("adjusted_gap")
    if adjusted:
        low, high = adjusted["ci95"]
        if low > 0 or high < 0:
            percent = Decimal(repr(float(adjusted["percent"])))
            large = abs(percent) >= GAP_RED
            text = (
                f"adjusted gap of {percent_text(percent, threshold=GAP_RED, reached=large)}"
                f" ({'' if large else 'under '}{GAP_RED}%{' or more' if large else ''} either "
                "way; 95% interval "
                f"{percent_text(log_points_percent(low))} to "
                f"{percent_text(log_points_percent(high))}, which excludes zero)"
            )
            (red if large else amber).append(text)
    flagged_categories = [c for c in result.get("categories", []) if c["flag"]]
    if flagged_categories:
        red.append(
            f"{len(flagged_categories)} categor"
            f"{'y' if len(flagged_categories) == 1 else 'ies'} of workers with a mean "
            f"gap of {GAP_RED}% or more in basic or total pay{_largest(flagged_categories)}"
        )
    flags = len(result.get("flags", []))
    n = result.get("n", 0) or 1
    if flags:
        many = Fraction(flags, n) >= SHARE_RED
        share = percent_text(
            Decimal(100 * flags) / n,
            threshold=SHARE_RED_PERCENT,
            reached=many,
            places=0,
            signed=False,
        )
        rule = f"{SHARE_RED_PERCENT}% or more" if many else f"under {SHARE_RED_PERCENT}%"
        (red if many else amber).append(
            f"{flags} of {n} {'person' if n == 1 else 'people'} ({share}; {rule}) paid below "
            "their band, the market or their peers"
        )
    if red:
        return "red", red + amber
    if amber:
        return "amber", amber
    return "green", ["no significant adjusted gap, no category gap of 5% or more, nobody flagged"]


def _largest(categories: list[dict[str, Any]]) -> str:
    """', the largest 7.2% (Engineer, L3)': the flagged mean gap furthest from zero."""
    gaps = [
        (abs(Decimal(repr(float(c[key])))), c)
        for c in categories
        for key, flag in (("basic_mean_gap", "flag_basic"), ("total_mean_gap", "flag_total"))
        if c.get(flag) and c.get(key) is not None
    ]
    if not gaps:
        return ""
    gap, category = max(gaps, key=lambda g: g[0])
    shown = percent_text(gap, threshold=GAP_RED, reached=True, signed=False)
    return f", the largest {shown} ({category.get('role') or '—'}, {category.get('level') or '—'})"


def summary(result: dict[str, Any], data: Any) -> dict[str, Any]:
    """What an audit run keeps: group figures and flags, not everyone's pay."""
    return {
        "n": result["n"],
        "groups": result["groups"],
        "compared": result.get("compared"),
        "left_out": result.get("left_out"),
        "currency": data.currency,
        "reference": data.reference,
        "comparison": data.comparison,
        "raw_gap": result["raw_gap"],
        "adjusted_gap": result["adjusted_gap"],
        "flags": result["flags"],
        "categories": result["categories"],
        "quartiles": result["quartiles"],
        "eu": {k: v for k, v in result.get("eu", {}).items() if k not in EU_REPEATED},
        "uk": result["uk"],
        "remediation": result["remediation"],
    }


def is_current(run_at: dt.datetime | None, now: dt.datetime) -> bool:
    return run_at is not None and now - run_at <= MAX_AGE
