from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from ampwork.core import permissions, useragents
from ampwork.core.models import Organisation, role_label

register = template.Library()


@register.filter
def browser_name(user_agent: str) -> str:
    """ "Firefox on Windows": a session's User-Agent in people's words."""
    return useragents.describe(user_agent or "")


@register.filter
def ago(moment: dt.datetime) -> str:
    """ "just now" within a minute, else "3 hours ago"."""
    if timezone.now() - moment < dt.timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"


@register.filter(name="can")
def can_filter(actor: permissions.Actor | None, action: str) -> bool:
    """``{% if actor|can:"okrs.dashboard" %}``: the permission table, asked without an
    object. Signed-out visitors (no actor) may nothing."""
    return actor is not None and permissions.can(actor, action)


@register.simple_tag
def allowed(actor: permissions.Actor | None, action: str, obj: object = None) -> bool:
    """``{% allowed actor "shipit.follow_up" proposal as may %}``: the table, asked about
    one object."""
    return actor is not None and permissions.can(actor, action, obj)


@register.filter
def role_name(role: str, organisation: Organisation) -> str:
    """The access role in the organisation's words (head teacher, teacher, student)."""
    return role_label(role, organisation.kind)


@register.filter
def pct(value: float | None) -> str:
    """0.734 → '73%'."""
    if value is None:
        return "—"
    return f"{round(value * 100):d}%"


@register.filter
def slug(value: str) -> str:
    """'on track' → 'on-track', for CSS classes."""
    return str(value).replace(" ", "-")


@register.filter
def get(mapping: dict[object, object] | None, key: object) -> object:
    return mapping.get(key) if mapping else None


@register.filter
def lt(value: int, other: int) -> bool:
    return bool(value < other)


@register.filter
def num(value: float | None) -> str:
    """A number as people type it: 19.58, 30, -4.5 (at most four decimals, no padding)."""
    if value is None:
        return ""
    return f"{value:.4f}".rstrip("0").rstrip(".")


@register.filter
def heat(share: float | None) -> str:
    """A background colour from red (0%) through amber to green (100%), for heatmaps."""
    if share is None:
        return "transparent"
    hue = round(max(0.0, min(1.0, share)) * 130)
    return f"hsl({hue}, 60%, 84%)"


@register.filter
def item_text(state: Any, school: bool) -> str:
    """A checklist item's text, in a school's words where it has them."""
    return str(state.text(bool(school)))
