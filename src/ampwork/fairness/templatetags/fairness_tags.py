"""Template filters of the pay pages: the data's own values in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django import template

from ampwork.core.l10n import written
from ampwork.fairness.words import control_label, group_label

register = template.Library()


@register.filter
def group(value: str | None) -> str:
    """A compared group's category ('female') as the reader writes it."""
    return group_label(value)


@register.filter
def controls(values: Iterable[str] | None) -> str:
    """The regression's controls, each named in the reader's language, comma-separated."""
    return ", ".join(control_label(v) for v in values or ())


def half_up(value: float | Decimal | str | None) -> str | None:
    """A gap rounded to one decimal, half up, as docs/methods.md promises for every pay
    figure and as the gate's reasons round it (Babel's own rounding is half to even: 5.25
    would read 5.2 in a table and 5.3 in the gate's reason)."""
    if value is None or value == "":
        return None
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
    if not exact.is_finite():
        return None
    return str(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@register.filter
def gap(value: float | Decimal | str | None) -> str:
    """A pay gap in percentage points, one decimal, half up, in the reader's writing."""
    shown = half_up(value)
    return "—" if shown is None else written(shown)


@register.filter
def gap_percent(value: float | Decimal | str | None) -> str:
    """A pay gap in percent, one decimal, half up, with the reader's percent sign."""
    shown = half_up(value)
    return "—" if shown is None else written(shown, percent=True)
