"""Pulse texts for people that the pure modules (anonymity, scoring) write in English for
the API and exports: the reader's language on the pages."""

from __future__ import annotations

import re

from django import template
from django.utils.translation import gettext

from ampwork.core import l10n

register = template.Library()

_FEWER = re.compile(r"^fewer than (\d+) responses$")
_SUBTRACTION = re.compile(
    r"^hidden so that it cannot be worked out by subtraction: the rest of its parent group "
    r"would be fewer than (\d+) people$"
)
_UNDER = re.compile(r"^change of ([+-]?[\d.]+) points is under ([\d.]+)$")
_NOT_SIGNIFICANT = re.compile(r"^not significant \(p = ([\d.]+)\)$")
_FLAGGED = re.compile(r"^([+-]?[\d.]+) points, p (=|<) ([\d.]+)$")


def _number(text: str, decimals: int) -> str:
    value = float(text)
    sign = "+" if text.startswith("+") else ""
    return sign + l10n.format_number(value, decimals)


@register.filter
def pulse_reason(reason: str) -> str:
    """Why a group is suppressed (``anonymity.decide``), in the reader's language."""
    if found := _FEWER.match(reason or ""):
        return gettext("fewer than %(minimum)s responses") % {"minimum": found.group(1)}
    if found := _SUBTRACTION.match(reason or ""):
        return gettext(
            "hidden so that it cannot be worked out by subtraction: the rest of its parent "
            "group would be fewer than %(minimum)s people"
        ) % {"minimum": found.group(1)}
    return reason


@register.filter
def change_reason(reason: str) -> str:
    """Why a change between rounds is or is not flagged (``scoring.change_rule``)."""
    reason = reason or ""
    if reason == "a round is below the minimum group size":
        return gettext("a round is below the minimum group size")
    if reason == "not significant":
        return gettext("not significant")
    if reason == "no variation":
        return gettext("no variation")
    if found := _UNDER.match(reason):
        return gettext("change of %(delta)s points is under %(points)s") % {
            "delta": _number(found.group(1), 1),
            "points": found.group(2),
        }
    if found := _NOT_SIGNIFICANT.match(reason):
        return gettext("not significant (p = %(p)s)") % {"p": _number(found.group(1), 2)}
    if found := _FLAGGED.match(reason):
        delta = _number(found.group(1), 1)
        if found.group(2) == "<":
            return gettext("%(delta)s points, p < 0.001") % {"delta": delta}
        return gettext("%(delta)s points, p = %(p)s") % {
            "delta": delta,
            "p": _number(found.group(3), 3),
        }
    return reason
