"""Writes for calendar feeds: turn a person's feed on (or give it a new address), turn it
off. A person manages their own feed only; the address is shown once, when it is made."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core.errors import NotAllowed
from ampwork.core.models import Person
from ampwork.core.permissions import Actor
from ampwork.core.services import record

from .models import CalendarFeed

PREFIX = "cal_"
USED_EVERY = 3600  # seconds: ``last_used_at`` is written at most this often


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _me(actor: Actor) -> Person:
    if actor.person is None:
        raise NotAllowed(_("Only a person of the organisation has a calendar feed."))
    return actor.person


@transaction.atomic
def reset(*, actor: Actor) -> str:
    """Turn the actor's feed on with a new secret address (the old one, if any, stops
    working at once). Returns the secret, which is not stored."""
    me = _me(actor)
    secret = PREFIX + secrets.token_urlsafe(32)
    _, created = CalendarFeed.objects.update_or_create(
        person=me,
        defaults={
            "organisation": actor.organisation,
            "digest": digest(secret),
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    record(actor, actor.organisation, "calendar_feed.created" if created else "calendar_feed.reset")
    return secret


@transaction.atomic
def turn_off(*, actor: Actor) -> bool:
    """Turn the actor's feed off: its address answers 404 from now on."""
    deleted, _ = CalendarFeed.objects.filter(person=_me(actor)).delete()
    if deleted:
        record(actor, actor.organisation, "calendar_feed.deleted")
    return bool(deleted)


def used(feed: CalendarFeed) -> None:
    """Note that a calendar fetched the feed (at most once an hour: calendars poll)."""
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() >= USED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
