from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from ampwork.core import audit_labels, l10n, permissions, useragents
from ampwork.core.models import Organisation, role_label

register = template.Library()


@register.filter
def browser_name(user_agent: str) -> str:
    """ "Firefox on Windows": a session's User-Agent in people's words."""
    browser, system = useragents.parts(user_agent or "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    if browser:
        return browser
    if system:
        return _("A browser on %(system)s") % {"system": system}
    return _("Unknown browser")


@register.filter
def ago(moment: dt.datetime) -> str:
    """ "just now" within a minute, else "3 hours ago"."""
    if timezone.now() - moment < dt.timedelta(minutes=1):
        return _("just now")
    return _("%(duration)s ago") % {"duration": timesince(moment)}


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
def pct(value: float | None, decimals: int = 0) -> str:
    """0.734 → '73%' (en), '73 %' (de, fr, es); ``|pct:1`` → '73.4%'."""
    return l10n.format_percent(value, int(decimals))


# Dates in the reader's language (core/l10n.py): ``{{ when|day }}`` → 30 Nov 2026,
# 30. Nov. 2026, 30 nov. 2026, 30 nov 2026. A datetime is shown in the current time zone.
def _local(value: dt.date | dt.datetime | None) -> dt.date | dt.datetime | None:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _date_filter(shape: str, with_time: bool = False) -> Any:
    def render(value: dt.date | dt.datetime | None) -> str:
        value = _local(value)
        if value is None or value == "":
            return ""
        if with_time and isinstance(value, dt.datetime):
            return l10n.format_moment(value, shape)
        return l10n.format_day(value, shape)

    return render


for _name, _shape in (
    ("day", "day"),
    ("day_long", "day_long"),
    ("weekday_long", "weekday_long"),
    ("day_month", "day_month"),
    ("day_month_long", "day_month_long"),
    ("weekday_day", "weekday_day"),
    ("month_year", "month_year"),
):
    register.filter(_name, _date_filter(_shape))
    register.filter(f"{_name}_time", _date_filter(_shape, with_time=True))


@register.filter
def unit(written_value: str, name: str | None) -> str:
    """A number already written for people, with the unit its owner chose:
    ``{{ kr.target|number:"-2"|unit:kr.unit }}`` → '6%', '6\xa0%' (de), '4\xa0h'."""
    return l10n.with_unit(str(written_value), name or "")


@register.filter
def number(value: float | Decimal | None, decimals: int | str | None = None) -> str:
    """1234.5 → '1,234.5' (en), '1.234,5' (de, es), '1 234,5' (fr); ``|number:1`` fixes
    one decimal place; ``|number:"-1"`` as Django's ``floatformat:"-1"``: one place, none
    for a whole number (12 → '12', 12.25 → '12.2'). For people; inputs and data attributes
    use ``num`` or raw values."""
    if decimals in (None, ""):
        return l10n.format_number(value, None)
    places = int(str(decimals))
    if places < 0:
        whole = value is not None and Decimal(str(value)) == Decimal(str(value)).to_integral()
        places = 0 if whole else -places
    return l10n.format_number(value, places)


@register.filter
def percent(value: float | Decimal | None, decimals: int | str = 0) -> str:
    """A number of percent as the reader writes it: ``{{ 12.5|percent:1 }}`` → '12.5%'
    (en), '12,5 %' (de, fr, es); ``|pct`` is for shares (0.125). None → '—'."""
    if value is None or value == "":
        return "—"
    return l10n.format_percent(Decimal(str(value)) / 100, int(str(decimals)))


@register.simple_tag
def date_range(
    start: dt.date | dt.datetime | None, end: dt.date | dt.datetime | None, skeleton: str = "yMMMd"
) -> str:
    """``{% date_range cycle.start cycle.end %}``: the span written once, as the reader's
    language writes one ('28 Oct – 7 Nov 2026', '28. Okt. – 7. Nov. 2026'), both ends in
    the same shape (core/l10n.format_interval)."""
    return l10n.format_interval(_local(start), _local(end), skeleton)


@register.filter
def money(value: float | Decimal | None, currency: str) -> str:
    """``{{ amount|money:"EUR" }}`` → '€52,000' (en), '52.000 €' (de): whole amounts,
    each language's symbol and order."""
    return l10n.format_money(value, currency or "EUR", 0)


@register.filter
def money_cents(value: float | Decimal | None, currency: str) -> str:
    """``{{ amount|money_cents:"EUR" }}`` → '€1,234.50': with the currency's minor unit."""
    return l10n.format_money(value, currency or "EUR")


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


@register.filter
def item_short(state: Any, school: bool) -> str:
    """A checklist item's few words, for tables, in a school's words where it has them."""
    return str(state.short_text(bool(school)))


# ---- punctuation around translated words (core/l10n.py) ---------------------------------


def _escaped(pattern: str, **values: object) -> SafeString:
    """``pattern`` (a translated pattern) filled with ``values``, both escaped unless safe."""
    return mark_safe(
        conditional_escape(pattern)
        % {name: conditional_escape(str(value)) for name, value in values.items()}
    )


@register.simple_tag
def labelled(label: object, value: object) -> SafeString:
    """``{% labelled label value %}`` → 'Finding: x' ('Constat\\u00a0: x' in French)."""
    return _escaped(l10n.labelled("%(label)s", "%(value)s"), label=label, value=value)


@register.filter(is_safe=True)
def colon(label: object) -> SafeString:
    """``{{ name|colon }}`` → 'Maya:' ('Maya\\u00a0:' in French)."""
    return _escaped(l10n.with_colon("%(label)s"), label=label)


@register.filter(is_safe=True)
def quoted(text: object) -> SafeString:
    """``{{ words|quoted }}`` → “words” („words“, «\\u00a0words\\u00a0», «words»)."""
    return _escaped(l10n.quoted("%(text)s"), text=text)


@register.filter(is_safe=True)
def joined(items: Iterable[object]) -> SafeString:
    """``{{ reasons|joined }}``: the items, each escaped, between the reader's list
    separator ('; '; '\u202f; ' in French) — ``join:'; '`` with the language's spacing."""
    return mark_safe(
        conditional_escape(l10n.list_separator()).join(conditional_escape(str(i)) for i in items)
    )


@register.simple_tag
def list_sep() -> str:
    """The separator between the items of a list that commas cannot separate ('; ')."""
    return l10n.list_separator()


@register.filter(is_safe=True)
def full_stop(sentence: str) -> str:
    """``{% blocktranslate … asvar s %}…{{ day }}.{% endblocktranslate %}{{ s|full_stop }}``:
    one period where a short month's own one ('30 nov.') met the sentence's."""
    return l10n.full_stop(sentence)


@register.filter
def punctuated(text: str) -> str:
    """Text from outside the catalogues with the reader's spacing before ':' (French)."""
    return l10n.punctuated(str(text))


@register.simple_tag
def colon_sign() -> str:
    """A colon after a word set apart in markup (``<a>…</a>{% colon_sign %} …``): ':' as
    each language spaces it ('\\u00a0:' in French)."""
    return l10n.with_colon("")


@register.filter(is_safe=True)
def quoted_list(words: list[object]) -> SafeString:
    """Each word quoted, the quotes separated by commas: “a”, “b” (« a », « b » in French)."""
    return mark_safe(", ".join(quoted(word) for word in words))


@register.filter
def school_part(who: Any) -> str:
    """``{% if person|school_part == "student" %}``: what someone is in a school, for the
    page's words (core/permissions.py: never to allow or refuse)."""
    return permissions.school_part(who)


@register.filter
def audit_action(action: str) -> str:
    """An audit event's action ('pulse.opened') in the reader's words (core/audit_labels.py)."""
    return audit_labels.action_label(action)


@register.filter
def audit_value(value: object, key: str) -> object:
    """A detail's value ('red') in the reader's words when it is one of a fixed list."""
    return audit_labels.value_label(key, value)


@register.filter
def audit_model(name: str) -> str:
    """An audit event's object type ('Round') in the reader's words (core/audit_labels.py)."""
    return audit_labels.model_label(name)


@register.filter
def audit_source(label: str) -> str:
    """Who acted: an email as it is; 'command line' and other sources translated."""
    return audit_labels.source_label(label)


@register.filter
def audit_detail(key: str) -> str:
    """An audit event's detail key ('team_id') in the reader's words."""
    return audit_labels.detail_label(key)
