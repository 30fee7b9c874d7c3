"""A person's private calendar feed: turned on, its address shown once, parsed with the
``icalendar`` library; it holds the person's own dates and nothing secret; reset and off end
the old address at once; nobody who left can read it; bad addresses get 404, never a 500."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ampwork.conversations import services as conversation_services
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.feeds import services
from ampwork.feeds.models import CalendarFeed
from ampwork.okrs.models import Objective
from ampwork.pulse.models import Invitation, Round

from ..factories import CycleFactory, KeyResultFactory, ObjectiveFactory, RoundFactory

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Find a new job quietly"
AGENDA = "My on-call load is too high"


@pytest.fixture
def dated(
    org: Organisation,
    other_org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
) -> dict[str, Any]:
    """A member with a cycle, a private objective, a 1:1 with a talking point, a pulse they
    are invited to and one they are not, and another organisation's cycle."""
    today = timezone.localdate()
    lead = make_person(org, Role.MANAGER, name="Marta Manager")
    me = make_person(org, name="Remy Report", manager=lead)
    cycle = CycleFactory(
        organisation=org,
        name="Q4 2026",
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=40),
    )
    KeyResultFactory(
        objective=ObjectiveFactory(
            cycle=cycle,
            owner_person=me,
            title=SECRET_TITLE,
            visibility=Objective.Visibility.PRIVATE,
        ),
        owner=me,
        title="Three interviews",
    )
    CycleFactory(
        organisation=other_org,
        name="Globex H2",
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=20),
    )
    series = conversation_services.start(
        actor=actor_of(me),
        with_id=lead.pk,
        relationship="manager",
        first_meeting=today + dt.timedelta(days=3),
    )
    conversation_services.add_point(
        actor=actor_of(me),
        meeting=conversation_services.open_meeting_of(series),
        text=AGENDA,
    )
    invited = RoundFactory(
        organisation=org,
        name="Autumn pulse",
        status=Round.Status.OPEN,
        opens=today - dt.timedelta(days=2),
        closes=today + dt.timedelta(days=5),
    )
    Invitation.objects.create(round=invited, person=me, digest="d" * 64)
    RoundFactory(
        organisation=org,
        name="Leads only",
        status=Round.Status.OPEN,
        opens=today - dt.timedelta(days=2),
        closes=today + dt.timedelta(days=6),
    )
    return {"me": me, "lead": lead, "cycle": cycle, "series": series, "today": today}


def _turn_on(client: Client, person: Person) -> str:
    """Turn the feed on from the web page; the address shown once, as the path."""
    assert person.user is not None
    client.force_login(person.user)
    response = client.post(reverse("feeds:reset"), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="feed-url"')
    value = html[html.index('value="', start) + 7 :]
    url = value[: value.index('"')]
    assert url.startswith("http://")
    again = client.get(reverse("feeds:page")).content.decode()
    assert 'id="feed-url"' not in again  # shown once
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_the_feed_holds_the_persons_own_dates_and_nothing_secret(
    dated: dict[str, Any], client: Client
) -> None:
    path = _turn_on(client, dated["me"])
    client.logout()  # a calendar application has no session
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    body = response.content.decode()
    cal = icalendar.Calendar.from_ical(body)
    assert str(cal["x-wr-calname"]) == "ampwork — Acme"
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert "1:1 with Marta Manager" in events
    assert events["1:1 with Marta Manager"].decoded("dtstart") == dated["today"] + dt.timedelta(
        days=3
    )
    assert events["OKR cycle “Q4 2026” ends"].decoded("dtstart") == dated["cycle"].end
    assert "Pulse “Autumn pulse” closes" in events
    assert "Pulse “Leads only” closes" not in events  # not invited, does not run it
    review = events["Weekly review and key-result check-in"]
    assert review.decoded("dtstart").weekday() == 4  # Friday
    assert review["rrule"].to_ical() == b"FREQ=WEEKLY"
    # the parsed text (a long line is folded in the file: a plain search could miss it)
    text = " ".join(
        str(e.get(field, "")) for e in cal.walk("VEVENT") for field in ("summary", "description")
    )
    assert "Globex H2" not in text  # another organisation's cycle
    for secret in (SECRET_TITLE, "Three interviews", AGENDA):
        assert secret not in text
        assert secret not in body
    assert len({str(e["uid"]) for e in cal.walk("VEVENT")}) == len(events)


def test_reset_and_off_end_the_old_address_at_once(dated: dict[str, Any], client: Client) -> None:
    first = _turn_on(client, dated["me"])
    second = _turn_on(client, dated["me"])
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert CalendarFeed.objects.count() == 1
    client.post(reverse("feeds:turn_off"))
    assert client.get(second).status_code == 404
    assert CalendarFeed.objects.count() == 0


def test_people_who_left_and_bad_addresses_get_404(dated: dict[str, Any], client: Client) -> None:
    path = _turn_on(client, dated["me"])
    Person.objects.filter(pk=dated["me"].pk).update(active=False)
    assert client.get(path).status_code == 404
    Person.objects.filter(pk=dated["me"].pk).update(active=True)
    assert client.get(path).status_code == 200
    user = dated["me"].user
    user.is_active = False
    user.save()
    assert client.get(path).status_code == 404
    for bad in ("cal_", "x" * 300, "cal_" + "a" * 200, "not-a-feed", "cal_%00"):
        assert client.get(f"/calendar/{bad}.ics").status_code == 404, bad


def test_the_stored_digest_is_not_the_address(dated: dict[str, Any], client: Client) -> None:
    path = _turn_on(client, dated["me"])
    secret = path.rsplit("/", 1)[1].removesuffix(".ics")
    stored = CalendarFeed.objects.get()
    assert secret not in stored.digest
    assert stored.digest == services.digest(secret)


@pytest.mark.parametrize(("seconds", "written"), [(3599, False), (3600, True), (3601, True)])
def test_last_used_is_written_at_most_hourly(
    dated: dict[str, Any], client: Client, seconds: int, written: bool
) -> None:
    path = _turn_on(client, dated["me"])
    earlier = timezone.now() - dt.timedelta(seconds=seconds)
    CalendarFeed.objects.update(last_used_at=earlier)
    assert client.get(path).status_code == 200
    after = CalendarFeed.objects.get().last_used_at
    assert (after != earlier) is written


def test_the_page_lists_what_the_feed_holds(dated: dict[str, Any], client: Client) -> None:
    assert dated["me"].user is not None
    client.force_login(dated["me"].user)
    html = client.get(reverse("feeds:page")).content.decode()
    assert "Your feed is off" in html
    assert "1:1 with Marta Manager" in html
    assert "Weekly review and key-result check-in" in html
    assert SECRET_TITLE not in html


def test_a_school_feed_says_reflection(
    school: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    student = make_person(school, name="Stu Dent")
    path = _turn_on(client, student)
    body = client.get(path).content.decode()
    assert "Weekly reflection and key-result check-in" in body


def test_the_api(
    dated: dict[str, Any], client: Client, bearer: Callable[[Person], dict[str, str]]
) -> None:
    auth = bearer(dated["me"])
    assert client.get("/api/v1/calendar-feed", **auth).json()["active"] is False
    made = client.post("/api/v1/calendar-feed", **auth)
    assert made.status_code == 201
    url = made.json()["url"]
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 200
    state = client.get("/api/v1/calendar-feed", **auth).json()
    assert state["active"] is True
    assert state["last_used_at"] is not None
    assert client.delete("/api/v1/calendar-feed", **auth).status_code == 204
    assert client.get(path).status_code == 404
    # no body is taken; one sent is ignored by the route, never stored
    extra = client.post(
        "/api/v1/calendar-feed", json.dumps({"x": 1}), content_type="application/json", **auth
    )
    assert extra.status_code == 201
