"""REST routes for one's own calendar feed: whether it is on (GET), a new private address
(POST: answered once; the old address stops working) and turning it off (DELETE)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from ampwork.apitools import actor, responses

from . import selectors, services
from .schemas import CalendarFeedCreatedOut, CalendarFeedOut

router = Router(tags=["calendar feed"])


@router.get("/calendar-feed", response=responses(200, CalendarFeedOut))
def feed(request: HttpRequest) -> CalendarFeedOut:
    found = selectors.feed_of(actor(request))
    return CalendarFeedOut(
        active=found is not None,
        created_at=found.created_at if found else None,
        last_used_at=found.last_used_at if found else None,
    )


@router.post("/calendar-feed", response=responses(201, CalendarFeedCreatedOut))
def reset(request: HttpRequest) -> Status[CalendarFeedCreatedOut]:
    """Turn your feed on with a new private address; an earlier address stops working.
    The address is answered this once only."""
    return Status(
        201, CalendarFeedCreatedOut(url=selectors.feed_url(services.reset(actor=actor(request))))
    )


@router.delete("/calendar-feed", response=responses(204, None))
def turn_off(request: HttpRequest) -> Status[None]:
    """Turn your feed off: its address answers 404 from now on."""
    services.turn_off(actor=actor(request))
    return Status(204, None)
