"""Template filters of the pay pages: the data's own values in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

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
