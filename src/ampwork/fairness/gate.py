"""The fairness gate: green, amber or red from an audit's result (ampwork's product rules).

- red: the adjusted gap is significant (its 95% interval excludes 0) and 5% or more either
  way; or a category of workers has a mean gap of 5% or more in basic or in total pay; or
  10% or more of people are flagged against their band, the market or their peers
- amber: the adjusted gap is significant but smaller; or anyone is flagged
- green: none of these
An organisation with no audit in the last 12 months is red: baseline fairness unknown.
The gaps come from the audit's compared population (the two groups; see audit.py). The 5%
is compared in Decimal on the estimate's exact value, the 10% share in whole numbers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

GAP_RED = Decimal(5)
SHARE_RED = Fraction(1, 10)
MAX_AGE = dt.timedelta(days=365)
EU_REPEATED = ("f_quartiles", "g_categories")  # kept once, as quartiles and categories


def judge(result: dict[str, Any]) -> tuple[str, list[str]]:
    red: list[str] = []
    amber: list[str] = []
    adjusted = result.get("adjusted_gap")
    if adjusted:
        low, high = adjusted["ci95"]
        if low > 0 or high < 0:
            text = (
                f"adjusted gap of {adjusted['percent']:+.1f}% (95% interval "
                f"{low:+.3f} to {high:+.3f} log points excludes zero)"
            )
            large = abs(Decimal(repr(float(adjusted["percent"])))) >= GAP_RED
            (red if large else amber).append(text)
    flagged_categories = [c for c in result.get("categories", []) if c["flag"]]
    if flagged_categories:
        red.append(
            f"{len(flagged_categories)} categor"
            f"{'y' if len(flagged_categories) == 1 else 'ies'} of workers with a mean "
            f"gap of {GAP_RED}% or more in basic or total pay"
        )
    flags = len(result.get("flags", []))
    n = result.get("n", 0) or 1
    if flags and Fraction(flags, n) >= SHARE_RED:
        red.append(
            f"{flags} of {n} people ({flags / n:.0%}) paid below their band, the market "
            "or their peers"
        )
    elif flags:
        amber.append(
            f"{flags} {'person' if flags == 1 else 'people'} paid below their band, "
            "the market or their peers"
        )
    if red:
        return "red", red + amber
    if amber:
        return "amber", amber
    return "green", ["no significant adjusted gap, no category gap of 5% or more, nobody flagged"]


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
