"""Calendar files (core/ical.py): all-day and timed events, weekly repeats, a feed's
refresh hints — read back with the icalendar library."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest

from ampwork.core import ical

STAMP = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def test_all_day_timed_and_weekly_events_read_back() -> None:
    cet = dt.timezone(dt.timedelta(hours=1))
    body = ical.calendar(
        [
            ical.Event(uid="a@x", summary="All day", day=dt.date(2026, 12, 8)),
            ical.Event(
                uid="b@x",
                summary="ShipIt",
                starts=dt.datetime(2026, 12, 10, 9, 0, tzinfo=cet),
                ends=dt.datetime(2026, 12, 11, 9, 0, tzinfo=cet),
                description="Ship anything",
                url="https://ampwork.example/autonomy/shipit/1/",
            ),
            ical.Event(uid="c@x", summary="Review", day=dt.date(2026, 12, 4), weekly=True),
        ],
        stamp=STAMP,
        name="ampwork — Acme",
        feed=True,
    )
    cal = icalendar.Calendar.from_ical(body)
    assert str(cal["x-wr-calname"]) == "ampwork — Acme"
    assert cal["refresh-interval"].dt == dt.timedelta(hours=6)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert events["a@x"].decoded("dtend") == dt.date(2026, 12, 9)
    shipit = events["b@x"]
    assert shipit.decoded("dtstart") == dt.datetime(2026, 12, 10, 8, 0, tzinfo=dt.UTC)
    assert shipit.decoded("dtend") == dt.datetime(2026, 12, 11, 8, 0, tzinfo=dt.UTC)
    assert str(shipit["url"]) == "https://ampwork.example/autonomy/shipit/1/"
    assert str(shipit["description"]) == "Ship anything"
    assert events["c@x"]["rrule"].to_ical() == b"FREQ=WEEKLY"
    assert "rrule" not in events["a@x"]
    for event in events.values():
        assert str(event["transp"]) == "TRANSPARENT"


def test_a_one_off_file_has_no_refresh_hint_and_an_event_needs_a_time() -> None:
    body = ical.calendar([ical.Event(uid="a@x", summary="x", day=dt.date(2026, 1, 1))], stamp=STAMP)
    cal = icalendar.Calendar.from_ical(body)
    assert "refresh-interval" not in cal
    assert "x-wr-calname" not in cal
    with pytest.raises(ValueError, match="a day, or a start and an end"):
        ical.calendar([ical.Event(uid="z@x", summary="no time")], stamp=STAMP)
    with pytest.raises(ValueError):
        ical.calendar([ical.Event(uid="z@x", summary="no end", starts=STAMP)], stamp=STAMP)
