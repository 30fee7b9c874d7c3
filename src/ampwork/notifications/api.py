"""REST routes of the notification centre: a person's own notifications and choices.
Thin: parse, call, return."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from ampwork.apitools import Pages, actor, responses
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.models import Person
from ampwork.core.permissions import Actor, require

from . import kinds, selectors, services
from .models import Notification
from .schemas import (
    NotificationOut,
    NotificationPreferenceOut,
    NotificationPreferencesIn,
    NotificationPreferencesOut,
    NotificationsReadIn,
    NotificationsReadOut,
)

router = Router(tags=["notifications"])


def _me(who: Actor) -> Person:
    me = who.person
    if me is None:
        raise NotFound(_("Your token belongs to no person of this organisation."))
    require(who, "notifications.own", me)
    return me


@router.get("/notifications", response=responses(200, list[NotificationOut]))
@paginate(Pages)
def list_notifications(request: HttpRequest) -> QuerySet[Notification]:
    """Your own notifications, newest first."""
    return selectors.mine(_me(actor(request)))


@router.post("/notifications/read", response=responses(200, NotificationsReadOut))
def mark_read(request: HttpRequest, payload: NotificationsReadIn) -> NotificationsReadOut:
    """Mark some of your notifications read (``ids``), or all of them (``all``)."""
    who = actor(request)
    _me(who)
    if not payload.all and not payload.ids:
        raise ValidationFailed.single("ids", _("name some ids, or send all: true"))
    ids = None if payload.all else payload.ids
    return NotificationsReadOut(marked=services.mark_read(actor=who, ids=ids))


def _out(person: Person) -> NotificationPreferencesOut:
    found = selectors.choices(person)
    quiet = found.quiet
    return NotificationPreferencesOut(
        preferences=[
            NotificationPreferenceOut(
                kind=row.kind.code,
                label=str(row.label),
                channel=code,
                enabled=on,
            )
            for row in found.rows
            for code, _label, on in row.cells
        ],
        channels=list(kinds.CHANNEL_CODES),
        quiet_start=quiet.start.strftime("%H:%M") if quiet else None,
        quiet_end=quiet.end.strftime("%H:%M") if quiet else None,
    )


@router.get("/notification-preferences", response=responses(200, NotificationPreferencesOut))
def get_preferences(request: HttpRequest) -> NotificationPreferencesOut:
    """Each kind × channel, on or off (your choice, else the default), and quiet hours."""
    return _out(_me(actor(request)))


@router.put("/notification-preferences", response=responses(200, NotificationPreferencesOut))
def put_preferences(
    request: HttpRequest, payload: NotificationPreferencesIn
) -> NotificationPreferencesOut:
    """Change the pairs named (the others stay as they are) and set quiet hours (both
    ``HH:MM``, or both null for none)."""
    who = actor(request)
    me = _me(who)
    grid = {(k, c): True for k, c in selectors.choices(me).enabled()}
    for item in payload.preferences:
        grid[(item.kind, item.channel)] = item.enabled
    services.set_preferences(
        actor=who,
        enabled=[pair for pair, on in grid.items() if on],
        quiet_start=dt.time.fromisoformat(payload.quiet_start) if payload.quiet_start else None,
        quiet_end=dt.time.fromisoformat(payload.quiet_end) if payload.quiet_end else None,
    )
    return _out(me)
