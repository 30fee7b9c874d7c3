"""Money in exact decimal arithmetic: every boundary that decides a pay flag is compared here.

Amounts arrive as floats (CSV cells, database columns). :func:`money` turns one into the
decimal a person typed — the shortest decimal that reads back as the same float, which is
the typed value whenever it had at most 15 significant digits — rounded half up to the
cent. Sums, means, medians, quartiles and gaps are then computed in ``Decimal``, so
41,234.60 against 39,172.87 is a gap of exactly 5%, not 4.99999999999999%.
Pure: no ORM (its messages go through Django's gettext).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from ampwork.core.l10n import format_number
from ampwork.core.words import gettext as _

CENT = Decimal("0.01")  # pragma: no mutate (quantize reads only the exponent: 0.02 is the same)
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
# the largest amount an import accepts, in any currency and period: a trillion. Anything
# above is a typing or export error (1e308 overflows to infinity once annualised).
MAX_AMOUNT = 1e12


def exact(value: float | int | Decimal) -> Decimal:
    """The decimal a float was written as (its shortest round-tripping repr)."""
    if type(value) is float:
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not an amount")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return exact(float(value))


def money(value: float | int | Decimal) -> Decimal:
    """An amount to the cent, rounded half up."""
    return exact(value).quantize(CENT, rounding=ROUND_HALF_UP)


def mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


def median(values: Sequence[Decimal]) -> Decimal:
    return Decimal(statistics.median(values))


def quartiles(values: Sequence[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """P25, P50, P75 by linear interpolation between order statistics — numpy's default
    ``percentile`` method, which Python's ``statistics.quantiles(method="inclusive")``
    computes in the values' own (here decimal) arithmetic."""
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return Decimal(q1), Decimal(q2), Decimal(q3)


def gap_percent(reference: Decimal, comparison: Decimal) -> Decimal | None:
    """(reference − comparison) ÷ reference × 100, exactly; None without a reference."""
    if not reference:
        return None
    return (reference - comparison) / reference * HUNDRED


def amount_problem(value: float, *, positive: bool) -> str | None:
    """Why a number read from an import cannot be an amount of money, or None."""
    if not math.isfinite(value):
        return _("is not a finite number")
    if value < 0:
        return _("must not be negative")
    if positive and value == 0:
        return _("must be more than zero")
    if value > MAX_AMOUNT:
        return _("is not a plausible amount (at most %(max)s)") % {
            "max": format_number(MAX_AMOUNT, 0)
        }
    return None
