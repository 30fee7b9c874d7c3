"""Calendar files (iCalendar, RFC 5545) built with the ``icalendar`` library: the 1:1
invitation and each person's calendar feed. Pure: no Django.

Every event is all-day (a 1:1 has no time of day in ampwork) or spans two moments (a ShipIt
day); each has a UID stable for what it describes, so a calendar that subscribes updates the
event rather than adding a copy, and TRANSP:TRANSPARENT so it never blocks time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar

PRODID = "-//ampwork//ampwork//EN"
REFRESH = dt.timedelta(hours=6)  # how often a subscribing calendar is asked to fetch again


@dataclass(frozen=True)
class Event:
    uid: str  # stable for one thing (a meeting, a cycle's end…)
    summary: str
    day: dt.date | None = None  # an all-day event on this day …
    starts: dt.datetime | None = None  # … or one from ``starts`` to ``ends`` (aware)
    ends: dt.datetime | None = None
    description: str = ""
    url: str = ""
    weekly: bool = False  # repeats every week from ``day`` on


def calendar(
    events: Iterable[Event], *, stamp: dt.datetime, name: str = "", feed: bool = False
) -> bytes:
    """The .ics bytes of these events (lines ended by CRLF, folded at 75 octets, text
    escaped by the library). ``feed``: a subscription (asks to be refreshed every
    ``REFRESH``), not a one-off file."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    if feed:
        cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", REFRESH)
    stamp = stamp.astimezone(dt.UTC)
    for item in events:
        cal.add_component(_event(item, stamp))
    body: bytes = cal.to_ical()
    return body


def _event(item: Event, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", item.uid)
    event.add("dtstamp", stamp)
    if item.day is not None:
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
    elif item.starts is not None and item.ends is not None:
        event.add("dtstart", item.starts.astimezone(dt.UTC))
        event.add("dtend", item.ends.astimezone(dt.UTC))
    else:
        raise ValueError(f"event {item.uid}: a day, or a start and an end")
    if item.weekly:
        event.add("rrule", {"freq": "weekly"})
    event.add("summary", item.summary)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    event.add("transp", "TRANSPARENT")
    return event
