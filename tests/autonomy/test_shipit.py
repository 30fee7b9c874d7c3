"""ShipIt days: teams people form themselves, demos, kudos, the month-later follow-up."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ampwork.autonomy import rules, selectors, services
from ampwork.autonomy.models import Kudos, Proposal, ShipItEvent
from ampwork.core.errors import NotAllowed, ValidationFailed
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor


def test_phases_and_follow_up() -> None:
    start = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)
    end = start + dt.timedelta(hours=24)
    assert rules.shipit_phase(start, end, start - dt.timedelta(seconds=1)) == "upcoming"
    assert rules.shipit_phase(start, end, start) == "running"
    assert rules.shipit_phase(start, end, end) == "ended"
    assert not rules.follow_up_due(end, end + dt.timedelta(days=29))
    assert rules.follow_up_due(end, end + dt.timedelta(days=30))


@pytest.fixture
def day(org: Organisation, make_person: Callable[..., Person], actor_of: Any) -> dict[str, Any]:
    manager = make_person(org, Role.MANAGER)
    people = [make_person(org) for _ in range(4)]
    event = services.create_event(
        actor=actor_of(manager),
        title="ShipIt 1",
        starts_at=timezone.now() - dt.timedelta(hours=2),
    )
    return {"manager": manager, "people": people, "event": event}


def _end(event: ShipItEvent, days_ago: int = 0) -> None:
    event.starts_at = timezone.now() - dt.timedelta(days=days_ago, hours=30)
    event.ends_at = timezone.now() - dt.timedelta(days=days_ago, hours=6)
    event.save()


def test_only_organisers_create_events_and_the_window_defaults_to_24_hours(
    day: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    assert day["event"].ends_at - day["event"].starts_at == dt.timedelta(hours=24)
    with pytest.raises(NotAllowed):
        services.create_event(actor=actor_of(day["people"][0]), title="x", starts_at=timezone.now())
    with pytest.raises(ValidationFailed):
        services.create_event(
            actor=actor_of(day["manager"]), title="x", starts_at=timezone.now(), hours=0
        )


def test_people_form_teams_one_per_event(
    day: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    a, b, c, _ = (actor_of(p) for p in day["people"])
    first = services.propose(actor=a, event=day["event"], title="Flood alerts")
    second = services.propose(actor=b, event=day["event"], title="Battery forecast")
    services.join(actor=c, proposal=first)
    services.join(actor=c, proposal=second)  # moving teams leaves the first
    assert list(first.members.order_by("pk")) == [day["people"][0]]
    assert set(second.members.all()) == {day["people"][1], day["people"][2]}
    services.leave(actor=c, proposal=second)
    assert set(second.members.all()) == {day["people"][1]}


def test_demos_kudos_and_follow_up(
    day: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    a, b, _, d = (actor_of(p) for p in day["people"])
    idea = services.propose(actor=a, event=day["event"], title="Flood alerts")
    with pytest.raises(NotAllowed):
        services.demo(actor=b, proposal=idea, title="x", summary="y")  # not their team
    with pytest.raises(ValidationFailed):
        services.kudos(actor=b, proposal=idea)  # no demo yet
    with pytest.raises(ValidationFailed) as caught:
        services.demo(actor=a, proposal=idea, title="SMS", summary="works", link="javascript:x")
    assert caught.value.errors[0].field == "link"
    services.demo(actor=a, proposal=idea, title="SMS", summary="works", shipped="webhook")
    services.kudos(actor=b, proposal=idea)
    services.kudos(actor=b, proposal=idea)  # once each
    services.kudos(actor=d, proposal=idea)
    with pytest.raises(ValidationFailed):
        services.kudos(actor=a, proposal=idea)  # not your own team
    assert Kudos.objects.filter(proposal=idea).count() == 2
    with pytest.raises(ValidationFailed):  # not before the day is over
        services.follow_up(actor=a, proposal=idea, outcome="shipped")
    _end(day["event"], days_ago=31)
    idea.refresh_from_db()
    with pytest.raises(ValidationFailed):
        services.propose(actor=b, event=day["event"], title="too late")
    with pytest.raises(NotAllowed):
        services.follow_up(actor=b, proposal=idea, outcome="shipped")
    services.follow_up(actor=actor_of(day["manager"]), proposal=idea, outcome="objective")
    view = selectors.event_view(b, day["event"])
    assert view.phase == "ended"
    assert view.follow_up_due
    assert ("objective", 1) in view.outcomes
    assert view.proposals[0].n_kudos == 2  # type: ignore[attr-defined]


@pytest.mark.parametrize("teams", [3, 30])
def test_event_page_queries_do_not_grow(
    teams: int,
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    django_assert_max_num_queries: Any,
    web: Callable[[Person], Client],
) -> None:
    manager = make_person(org, Role.MANAGER)
    event = services.create_event(
        actor=actor_of(manager), title="Big", starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    people = [make_person(org) for _ in range(teams * 2)]
    for i in range(teams):
        idea = services.propose(actor=actor_of(people[2 * i]), event=event, title=f"Idea {i}")
        services.join(actor=actor_of(people[2 * i + 1]), proposal=idea)
        services.demo(actor=actor_of(people[2 * i]), proposal=idea, title="d", summary="s")
        services.kudos(actor=actor_of(manager), proposal=idea)
    client = web(manager)
    with django_assert_max_num_queries(14):
        page = client.get(f"/autonomy/shipit/{event.pk}/")
    assert page.status_code == 200
    assert f"Idea {teams - 1}" in page.content.decode()
    with django_assert_max_num_queries(10):
        assert client.get("/autonomy/shipit/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/v1/shipit-events/{event.pk}").status_code == 200


def _send(client: Client, method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.generic(method, url, json.dumps(body), content_type="application/json", **headers)


def test_api_flow(
    org: Organisation,
    make_person: Callable[..., Person],
    client: Client,
    bearer: Callable[[Person], dict[str, str]],
) -> None:
    manager, ann, bob = make_person(org, Role.MANAGER), make_person(org), make_person(org)
    start = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    r = _send(
        client, "POST", "/api/v1/shipit-events", {"title": "S", "starts_at": start}, bearer(ann)
    )
    assert r.status_code == 403
    r = _send(
        client,
        "POST",
        "/api/v1/shipit-events",
        {"title": "S", "starts_at": "2026-05-01T09:00"},
        bearer(manager),
    )
    assert r.status_code == 422
    assert "starts_at" in json.dumps(r.json()["detail"])
    r = _send(
        client, "POST", "/api/v1/shipit-events", {"title": "S", "starts_at": start}, bearer(manager)
    )
    assert r.status_code == 201, r.content
    event_id = r.json()["id"]
    r = _send(
        client,
        "POST",
        f"/api/v1/shipit-events/{event_id}/proposals",
        {"title": "Alerts", "pitch": "why"},
        bearer(ann),
    )
    assert r.status_code == 201
    pid = r.json()["projects"][0]["id"]
    r = _send(client, "POST", f"/api/v1/shipit-proposals/{pid}/members", {}, bearer(bob))
    assert [m["name"] for m in r.json()["projects"][0]["members"]] == sorted([ann.name, bob.name])
    r = _send(
        client,
        "PUT",
        f"/api/v1/shipit-proposals/{pid}/demo",
        {"title": "Demo", "summary": "it works", "link": "https://example.org/demo"},
        bearer(bob),
    )
    assert r.status_code == 200
    assert r.json()["projects"][0]["demo_title"] == "Demo"
    r = _send(client, "POST", f"/api/v1/shipit-proposals/{pid}/kudos", {}, bearer(manager))
    assert r.json()["projects"][0]["kudos"] == 1
    r = _send(
        client,
        "PUT",
        f"/api/v1/shipit-proposals/{pid}/follow-up",
        {"outcome": "shipped"},
        bearer(ann),
    )
    assert r.status_code == 422  # not before the day is over
    listed = client.get("/api/v1/shipit-events", **bearer(bob)).json()["items"]
    assert listed[0]["projects"] == 1
    assert listed[0]["demos"] == 1
    assert Proposal.objects.get().follow_up == ""


def test_demo_has_a_past_shipit_day(db: Any) -> None:
    from ampwork.demo.services import ensure_demo

    ensure_demo()
    event = ShipItEvent.objects.get(title="ShipIt 12")
    assert event.ends_at < timezone.now()
    outcomes = set(Proposal.objects.filter(event=event).values_list("follow_up", flat=True))
    assert outcomes == {"objective", "shipped", "dropped"}
    assert Kudos.objects.filter(proposal__event=event).count() == 15


def test_web_create_event_is_for_organisers_and_names_a_bad_start(
    org: Organisation, make_person: Callable[..., Person], web: Callable[[Person], Client]
) -> None:
    body = {"title": "S", "starts_at": "2030-03-05T09:00", "hours": "24"}
    assert web(make_person(org)).post("/autonomy/shipit/", body).status_code == 403
    client = web(make_person(org, Role.MANAGER))
    r = client.post("/autonomy/shipit/", {**body, "starts_at": "soon"}, follow=True)
    assert b"must be a date and time" in r.content
    assert not ShipItEvent.objects.exists()
    r = client.post("/autonomy/shipit/", body)
    event = ShipItEvent.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"/autonomy/shipit/{event.pk}/"
    assert event.ends_at - event.starts_at == dt.timedelta(hours=24)
