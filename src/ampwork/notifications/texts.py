"""What a notification says, written when it is read.

A notification stores a message key (``Notification.message``) and its parameters
(``Notification.params``: plain JSON values — names as they were, dates as ISO strings,
numbers as numbers) beside the text written for its recipient when it was made
(``Notification.title``). The page, the API, the email and the chat message write it
with :func:`render` in the language active at that moment (the reader's: the page's
language, or ``languages.speaking_to`` the recipient), dates and numbers their way
(``core.l10n``). A row with no key (stored before keys, or a key this release does not
know) shows its stored text.

Each text only ever reads its own parameters, never the database: a list of notifications
is written in as many queries as it is read in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.core import l10n

Params = Mapping[str, Any]


def _name(params: Params) -> str:
    name = params.get("name")
    return str(name)[:120] if name else _("Someone")


def _day(params: Params) -> str:
    try:
        day = dt.date.fromisoformat(str(params.get("date", ""))[:10])
    except ValueError:
        return str(params.get("date", ""))
    return l10n.format_day(day, "day_month_long")


def _int(params: Params, key: str) -> int:
    value = params.get(key, 0)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _review_replied(p: Params) -> str:
    return _("%(name)s replied to your weekly review") % {"name": _name(p)}


def _feedback_given(p: Params) -> str:
    return _("%(name)s gave you feedback") % {"name": _name(p)}


def _feedback_requested(p: Params) -> str:
    return _("%(name)s asks for your feedback") % {"name": _name(p)}


def _recognised(p: Params) -> str:
    return _("%(name)s recognised you") % {"name": _name(p)}


def _autonomy_granted(p: Params) -> str:
    return _("Your autonomy step (%(t)s, level %(level)s) was granted") % {
        "t": str(p.get("t", ""))[:20],
        "level": l10n.format_number(_int(p, "level")),
    }


def _autonomy_deferred(p: Params) -> str:
    return _("Your autonomy step (%(t)s, level %(level)s) was deferred") % {
        "t": str(p.get("t", ""))[:20],
        "level": l10n.format_number(_int(p, "level")),
    }


def _pulse_open(p: Params) -> str:
    name = str(p["name"])[:120] if p.get("name") else _("A pulse")
    return _("The pulse “%(name)s” is open until %(date)s: your link is in your email") % {
        "name": name,
        "date": _day(p),
    }


def _review_due(p: Params) -> str:
    return _("Your weekly review and check-in for the week of %(date)s are due") % {"date": _day(p)}


def _reflection_due(p: Params) -> str:
    return _("Your weekly reflection and check-in for the week of %(date)s are due") % {
        "date": _day(p)
    }


def _findings(p: Params) -> str:
    n = _int(p, "count")
    return ngettext(
        "The advisor has %(count)d open finding for you",
        "The advisor has %(count)d open findings for you",
        n,
    ) % {"count": n}


def _findings_open(p: Params) -> str:
    return _("The advisor has open findings for you")


def _shipit_name(p: Params) -> str:
    return str(p["name"])[:120] if p.get("name") else _("ShipIt day")


def _shipit_tomorrow(p: Params) -> str:
    return _("%(name)s starts tomorrow") % {"name": _shipit_name(p)}


def _shipit_started(p: Params) -> str:
    return _("%(name)s has started") % {"name": _shipit_name(p)}


# key → writer; a key is stored in rows: never rename or reuse one (add a new one)
TEXTS: dict[str, Callable[[Params], str]] = {
    "review_replied": _review_replied,
    "feedback_given": _feedback_given,
    "feedback_requested": _feedback_requested,
    "recognised": _recognised,
    "autonomy_granted": _autonomy_granted,
    "autonomy_deferred": _autonomy_deferred,
    "pulse_open": _pulse_open,
    "review_due": _review_due,
    "reflection_due": _reflection_due,
    "findings": _findings,
    "findings_open": _findings_open,
    "shipit_tomorrow": _shipit_tomorrow,
    "shipit_started": _shipit_started,
}


def render(message: str, params: Params | None, fallback: str = "") -> str:
    """The text of ``message`` with ``params`` in the active language; ``fallback`` (the
    stored text) for a row without a key or with one this release does not know."""
    write = TEXTS.get(message)
    if write is None:
        return fallback
    try:
        return write(params if isinstance(params, Mapping) else {})[:200]
    except (KeyError, TypeError, ValueError):  # a malformed row: what was stored
        return fallback
