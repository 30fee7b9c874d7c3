"""Reads for calendar feeds: whose feed an address is, and what a person's feed holds.

What a feed holds (docs/user-guide.md, *Calendar feed*), all from the person's own view and
never more than a title and a day, since a calendar application keeps a copy elsewhere:

- the weekly review with its key-result check-in, every Friday (the day the reminders go);
- the end of each open OKR cycle of the organisation;
- each ShipIt day of the organisation (from its start to its end);
- the closing day of each open pulse round the person is invited to or runs;
- each planned meeting of the person's 1:1s, with whom.

No objective or key-result title, no agenda, no note, no answer, no pay."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.autonomy import selectors as autonomy_selectors
from ampwork.conversations import selectors as conversation_selectors
from ampwork.core import ical
from ampwork.core.models import Person
from ampwork.core.permissions import Actor
from ampwork.okrs import selectors as okr_selectors
from ampwork.pulse import selectors as pulse_selectors

from . import services
from .models import CalendarFeed

REVIEW_DAY = 4  # Friday (Monday is 0): the weekly reminders go out on Fridays
BACK = dt.timedelta(days=35)  # how far back a feed keeps dated events


def feed_url(secret: str) -> str:
    """The feed's private address (``AMPWORK_BASE_URL`` and the secret)."""
    return settings.BASE_URL + reverse("feeds:ics", args=[secret])


def feed_of(actor: Actor) -> CalendarFeed | None:
    if actor.person is None:
        return None
    return CalendarFeed.objects.filter(person=actor.person).first()


def by_secret(secret: str) -> tuple[CalendarFeed, Actor] | None:
    """The feed whose address this is, with its person as an actor — only while the feed
    is on and the person active and able to sign in; None otherwise."""
    if not secret.startswith(services.PREFIX) or len(secret) > 100:
        return None
    feed = (
        CalendarFeed.objects.filter(digest=services.digest(secret))
        .select_related("person__user", "organisation")
        .first()
    )
    if feed is None:
        return None
    person: Person = feed.person
    if not person.active or person.user is None or not person.user.is_active:
        return None
    actor = Actor(organisation=feed.organisation, role=person.role, user=person.user, person=person)
    return feed, actor


def events_for(actor: Actor, base_url: str, today: dt.date | None = None) -> list[ical.Event]:
    """What the actor's feed holds, soonest first within each kind."""
    today = today or timezone.localdate()
    me = actor.person
    if me is None:
        return []
    org = actor.organisation
    host = base_url.split("://", 1)[-1].split("/", 1)[0] or "ampwork"
    since = today - BACK
    friday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=REVIEW_DAY)
    found = [
        ical.Event(
            uid=f"weekly-review-{me.pk}@{host}",
            summary=(
                _("Weekly reflection and key-result check-in")
                if org.is_school
                else _("Weekly review and key-result check-in")
            ),
            day=friday,
            weekly=True,
            description=_(
                "Five minutes: a small win, what got in the way, your next steps, "
                "and a check-in on your key results."
            ),
            url=base_url + reverse("mastery:review_form"),
        )
    ]
    for cycle in okr_selectors.cycles(org).filter(status="open", end__gte=since):
        found.append(
            ical.Event(
                uid=f"cycle-end-{cycle.pk}@{host}",
                summary=_("OKR cycle “%(name)s” ends") % {"name": cycle.name},
                day=cycle.end,
                url=base_url + reverse("okrs:dashboard", args=[cycle.pk]),
            )
        )
    moment = timezone.make_aware(dt.datetime.combine(since, dt.time()))
    for event in autonomy_selectors.events(org):
        if event.ends_at >= moment:
            found.append(
                ical.Event(
                    uid=f"shipit-{event.pk}@{host}",
                    summary=_("ShipIt: %(title)s") % {"title": event.title},
                    starts=event.starts_at,
                    ends=event.ends_at,
                    description=event.theme,
                    url=base_url + reverse("autonomy:shipit_event", args=[event.pk]),
                )
            )
    for round in pulse_selectors.closing_for(actor, since):
        found.append(
            ical.Event(
                uid=f"pulse-closes-{round.pk}@{host}",
                summary=_("Pulse “%(name)s” closes") % {"name": round.name},
                day=round.closes,
                url=base_url + reverse("pulse:round", args=[round.pk]),
            )
        )
    for meeting in conversation_selectors.upcoming_meetings(me, since):
        found.append(
            ical.Event(
                uid=f"one-on-one-{meeting.meeting_id}@{host}",
                summary=_("1:1 with %(name)s") % {"name": meeting.other},
                day=meeting.date,
                url=base_url + reverse("conversations:meeting", args=[meeting.meeting_id]),
            )
        )
    return found


SHOWN = 12  # dated events the page lists


def _day(event: ical.Event) -> dt.date:
    if event.day is not None:
        return event.day
    assert event.starts is not None
    return timezone.localtime(event.starts).date()


def page_events(
    actor: Actor, base_url: str, today: dt.date | None = None
) -> tuple[list[ical.Event], list[tuple[ical.Event, dt.date]]]:
    """What the feed page lists: the weekly events, and the next ``SHOWN`` dated ones
    from today on, each with its day."""
    today = today or timezone.localdate()
    events = events_for(actor, base_url, today)
    dated = sorted((e for e in events if not e.weekly and _day(e) >= today), key=_day)
    return [e for e in events if e.weekly], [(e, _day(e)) for e in dated[:SHOWN]]
