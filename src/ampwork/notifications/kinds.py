"""The kinds of notification, the channels they go out on, their defaults, and quiet
hours (pure: no Django). ``docs/user-guide.md`` (*Notifications*) lists them.

A channel is one entry of ``CHANNELS``; Slack and Teams (``ampwork.chat``) register a
sender each in ``services.SENDERS`` and are offered only to people reachable there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ampwork.core.words import gettext_lazy as _
from ampwork.core.words import pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Kind:
    code: str
    label: StrOrPromise  # lazy: in the reader's language
    help: StrOrPromise
    email: bool  # on by email unless the person turns it off
    # a school's words where they differ (issue 21): reflections, not reviews; no colleagues
    school_label: StrOrPromise = ""
    school_help: StrOrPromise = ""

    def label_for(self, school: bool) -> StrOrPromise:
        """What the kind is called where it is shown: a school's word when it has one."""
        return self.school_label if school and self.school_label else self.label

    def help_for(self, school: bool) -> StrOrPromise:
        return self.school_help if school and self.school_help else self.help


KINDS: tuple[Kind, ...] = (
    Kind(
        "checkin_due",
        _("Check-in due"),
        pgettext_lazy("company", "your weekly review and check-in are due"),
        False,
        school_help=pgettext_lazy("school", "your weekly reflection and check-in are due"),
    ),
    Kind(
        "review_answered",
        pgettext_lazy("company", "Review answered"),
        pgettext_lazy("company", "someone replied to your weekly review"),
        True,
        school_label=pgettext_lazy("school", "Reflection answered"),
        school_help=pgettext_lazy("school", "someone replied to your weekly reflection"),
    ),
    Kind(
        "feedback_received",
        _("Feedback received"),
        pgettext_lazy("company", "a colleague gave you feedback"),
        True,
        school_help=pgettext_lazy("school", "someone at school gave you feedback"),
    ),
    Kind(
        "feedback_requested",
        _("Feedback requested"),
        pgettext_lazy("company", "a colleague asks for your feedback"),
        False,
        school_help=pgettext_lazy("school", "someone at school asks for your feedback"),
    ),
    Kind("recognition", _("Recognition"), _("someone recognised you"), False),
    Kind(
        "autonomy_decided", _("Autonomy step"), _("a step of yours was granted or deferred"), True
    ),
    Kind("pulse_open", _("Pulse open"), _("a pulse you are invited to opened"), False),
    Kind("manager_finding", _("Advisor findings"), _("the advisor has findings for you"), False),
    Kind("shipit_phase", _("ShipIt day"), _("a ShipIt day starts tomorrow or now"), False),
)
BY_CODE = {k.code: k for k in KINDS}

IN_APP = "in_app"
EMAIL = "email"
SLACK = "slack"
TEAMS = "teams"
# (code, label): the order of the preferences grid's columns
CHANNELS: tuple[tuple[str, StrOrPromise], ...] = (
    (IN_APP, _("In the app")),
    (EMAIL, pgettext_lazy("channel", "Email")),
    (SLACK, "Slack"),
    (TEAMS, "Teams"),
)
CHATS = (SLACK, TEAMS)  # reach only people who linked them: on for every kind once linked
CHANNEL_CODES = tuple(code for code, _label in CHANNELS)


def default(kind: str, channel: str) -> bool:
    """Whether ``kind`` goes out on ``channel`` for someone who has not chosen."""
    if channel == IN_APP:
        return True
    if channel == EMAIL:
        return BY_CODE[kind].email
    # someone who linked Slack or their Teams chat wants news there; a channel added later
    # starts off
    return channel in CHATS


def quiet_until(now: dt.datetime, start: dt.time | None, end: dt.time | None) -> dt.datetime | None:
    """When quiet hours that hold ``now`` (a local time) end, or None when ``now`` is
    outside them. Quiet from ``start`` (included) to ``end`` (excluded); a span across
    midnight (22:00–07:00) is quiet on both sides of it; equal times: never quiet."""
    if start is None or end is None or start == end:
        return None
    t = now.timetz().replace(tzinfo=None)
    day = now.date()
    if start < end:
        if start <= t < end:
            return now.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
        return None
    if t >= start:  # after start, before midnight: ends tomorrow
        tomorrow = day + dt.timedelta(days=1)
        return now.replace(
            year=tomorrow.year,
            month=tomorrow.month,
            day=tomorrow.day,
            hour=end.hour,
            minute=end.minute,
            second=0,
            microsecond=0,
        )
    if t < end:  # after midnight, before end
        return now.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return None
