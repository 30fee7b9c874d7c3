"""A person's calendar feed: the page to turn it on, reset or turn it off, and the feed
itself, which a calendar application fetches without a session (its secret address is
the key)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ampwork.core import ical
from ampwork.core.languages import speaking_to
from ampwork.core.permissions import Actor
from ampwork.core.views import member_view

from . import selectors, services

NEW_FEED_KEY = "ampwork_new_feed"


@member_view
def page(request: HttpRequest, actor: Actor) -> HttpResponse:
    secret = request.session.pop(NEW_FEED_KEY, None)
    weekly, upcoming = selectors.page_events(actor, settings.BASE_URL)
    return render(
        request,
        "feeds/calendar.html",
        {
            "feed": selectors.feed_of(actor),
            "created": selectors.feed_url(secret) if secret else None,
            "weekly": weekly,
            "upcoming": upcoming,
            "is_person": actor.person is not None,
        },
    )


@require_POST
@member_view
def reset(request: HttpRequest, actor: Actor) -> HttpResponse:
    had = selectors.feed_of(actor) is not None
    # post/redirect/get: the address is shown once, and a reload makes no second one
    request.session[NEW_FEED_KEY] = services.reset(actor=actor)
    if had:
        messages.success(request, _("A new address: the old one no longer works."))
    return redirect("feeds:page")


@require_POST
@member_view
def turn_off(request: HttpRequest, actor: Actor) -> HttpResponse:
    if services.turn_off(actor=actor):
        messages.success(request, _("Your calendar feed is off: its address no longer works."))
    return redirect("feeds:page")


@require_GET
def ics(request: HttpRequest, secret: str) -> HttpResponse:
    """The feed: 404 for an address that is not (or no longer) a feed's."""
    found = selectors.by_secret(secret)
    if found is None:
        raise Http404(_("no such calendar feed"))
    feed, actor = found
    services.used(feed)
    with speaking_to(actor.person):  # a calendar application asks: the person's language
        body = ical.calendar(
            selectors.events_for(actor, settings.BASE_URL),
            stamp=timezone.now(),
            name=f"ampwork — {actor.organisation.name}",
            feed=True,
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
