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

from ampwork.core.l10n import format_percent
from ampwork.core.words import gettext as _
from ampwork.core.words import label, ngettext, pgettext_lazy

GAP_RED = Decimal(5)
SHARE_RED = Fraction(1, 10)
SHARE_RED_PERCENT = Decimal(10)  # the same 10%, for the reason's text
MAX_AGE = dt.timedelta(days=365)
EU_REPEATED = ("f_quartiles", "g_categories")  # kept once, as quartiles and categories
MAX_PLACES = 4  # decimals a figure may take to stay on its side of a threshold

STATUS_LABELS = {
    "green": pgettext_lazy("fairness gate", "green"),
    "amber": pgettext_lazy("fairness gate", "amber"),
    "red": pgettext_lazy("fairness gate", "red"),
}


def status_label(status: str | None) -> str:
    """The gate's status ('red') in the reader's language, for sentences about it."""
    return label(STATUS_LABELS, status)


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
    for digits in range(places, MAX_PLACES + 1):
        shown = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        if reaches(shown) == side:
            return _written(shown, signed)
    # still on the wrong side at the last decimal: round towards the rule's side
    rounding = ROUND_UP if side else ROUND_DOWN
    shown = value.quantize(Decimal(1).scaleb(-MAX_PLACES), rounding=rounding)
    return _written(shown, signed)


def _written(shown: Decimal, signed: bool) -> str:
    """A rounded percentage as the reader writes it, its digits untouched: "+4.96%" in
    English, "+4,96 %" in German; the sign as Python's format gives it ("-0.0" stays)."""
    places = max(0, -int(shown.as_tuple().exponent))
    sign = "-" if shown.is_signed() else ("+" if signed else "")
    return sign + format_percent(abs(shown) / 100, places)


def judge(result: dict[str, Any]) -> tuple[str, list[str]]:
    red: list[str] = []
    amber: list[str] = []
    adjusted = result.get("adjusted_gap")
    if adjusted:
        low, high = adjusted["ci95"]
        if low > 0 or high < 0:
            percent = Decimal(repr(float(adjusted["percent"])))
            large = abs(percent) >= GAP_RED
            values: dict[str, object] = {
                "gap": percent_text(percent, threshold=GAP_RED, reached=large),
                "threshold": _written(GAP_RED, signed=False),
                "low": percent_text(log_points_percent(low)),
                "high": percent_text(log_points_percent(high)),
            }
            text = (
                _(
                    "adjusted gap of %(gap)s (%(threshold)s or more either way; 95%% interval "
                    "%(low)s to %(high)s, which excludes zero)"
                )
                if large
                else _(
                    "adjusted gap of %(gap)s (under %(threshold)s either way; 95%% interval "
                    "%(low)s to %(high)s, which excludes zero)"
                )
            ) % values
            (red if large else amber).append(text)
    flagged_categories = [c for c in result.get("categories", []) if c["flag"]]
    if flagged_categories:
        largest = _largest(flagged_categories)
        values = {
            "n": len(flagged_categories),
            "threshold": _written(GAP_RED, signed=False),
            **largest,
        }
        red.append(
            (
                ngettext(
                    "%(n)d category of workers with a mean gap of %(threshold)s or more in "
                    "basic or total pay, the largest %(gap)s (%(role)s, %(level)s)",
                    "%(n)d categories of workers with a mean gap of %(threshold)s or more in "
                    "basic or total pay, the largest %(gap)s (%(role)s, %(level)s)",
                    len(flagged_categories),
                )
                if largest
                else ngettext(
                    "%(n)d category of workers with a mean gap of %(threshold)s or more in "
                    "basic or total pay",
                    "%(n)d categories of workers with a mean gap of %(threshold)s or more in "
                    "basic or total pay",
                    len(flagged_categories),
                )
            )
            % values
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
        values = {
            "flags": flags,
            "n": n,
            "share": share,
            "threshold": _written(SHARE_RED_PERCENT, signed=False),
        }
        (red if many else amber).append(
            (
                ngettext(
                    "%(flags)d of %(n)d person (%(share)s; %(threshold)s or more) paid below "
                    "their band, the market or their peers",
                    "%(flags)d of %(n)d people (%(share)s; %(threshold)s or more) paid below "
                    "their band, the market or their peers",
                    n,
                )
                if many
                else ngettext(
                    "%(flags)d of %(n)d person (%(share)s; under %(threshold)s) paid below "
                    "their band, the market or their peers",
                    "%(flags)d of %(n)d people (%(share)s; under %(threshold)s) paid below "
                    "their band, the market or their peers",
                    n,
                )
            )
            % values
        )
    if red:
        return "red", red + amber
    if amber:
        return "amber", amber
    return "green", [
        _("no significant adjusted gap, no category gap of 5%% or more, nobody flagged") % {}
    ]


def _largest(categories: list[dict[str, Any]]) -> dict[str, str]:
    """The flagged mean gap furthest from zero and its category: 7.2%, Engineer, L3."""
    gaps = [
        (abs(Decimal(repr(float(c[key])))), c)
        for c in categories
        for key, flag in (("basic_mean_gap", "flag_basic"), ("total_mean_gap", "flag_total"))
        if c.get(flag) and c.get(key) is not None
    ]
    if not gaps:
        return {}
    gap, category = max(gaps, key=lambda g: g[0])
    shown = percent_text(gap, threshold=GAP_RED, reached=True, signed=False)
    return {
        "gap": shown,
        "role": str(category.get("role") or "—"),
        "level": str(category.get("level") or "—"),
    }


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
