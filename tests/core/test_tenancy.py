"""Tenancy: for every API route with an object id, organisation A gets 404 for B's objects."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ampwork.advisor.models import Incentive
from ampwork.api import api
from ampwork.autonomy.models import Project, Proposal, ShipItEvent
from ampwork.conversations.models import (
    ActionItem,
    FeedbackRequest360,
    Meeting,
    OneOnOne,
    TalkingPoint,
)
from ampwork.core.models import Organisation, Person, Role
from ampwork.integrations.models import Delivery, Endpoint
from ampwork.mastery.models import Review, Skill

from ..factories import (
    CycleFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    PersonFactory,
    RoundFactory,
    TeamFactory,
)


def _routes() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    # routes that name an object by id (other path parameters, such as a report's name,
    # are not objects of an organisation)
    return sorted(
        (path, method.upper())
        for path, ops in schema["paths"].items()
        for method in ops
        if "_id}" in path
    )


@pytest.fixture
def b_objects(other_org: Organisation) -> dict[str, int]:
    team = TeamFactory(organisation=other_org)
    person = PersonFactory(organisation=other_org)
    membership = MembershipFactory(team=team, person=person)
    cycle = CycleFactory(organisation=other_org)
    objective = ObjectiveFactory(cycle=cycle, owner_person=person)
    key_result = KeyResultFactory(objective=objective)
    series = OneOnOne.objects.create(
        organisation=other_org, person=person, lead=PersonFactory(organisation=other_org)
    )
    meeting = Meeting.objects.create(
        organisation=other_org, one_on_one=series, date=timezone.localdate()
    )
    return {
        "request_id": FeedbackRequest360.objects.create(
            organisation=other_org,
            receiver=person,
            requested_by=person,
            due=timezone.localdate(),
        ).pk,
        "meeting_id": meeting.pk,
        "one_on_one_id": series.pk,
        "point_id": TalkingPoint.objects.create(
            organisation=other_org, meeting=meeting, text="B's point"
        ).pk,
        "item_id": ActionItem.objects.create(
            organisation=other_org, meeting=meeting, owner=person, text="B's action"
        ).pk,
        "person_id": person.pk,
        "team_id": team.pk,
        "membership_id": membership.pk,
        "cycle_id": cycle.pk,
        "objective_id": objective.pk,
        "key_result_id": key_result.pk,
        "parent_id": objective.pk,
        "survey_id": (old_round := RoundFactory(organisation=other_org)).pk,
        "round_id": old_round.pk,
        "project_id": Project.objects.create(
            organisation=other_org, person=person, title="B's own project"
        ).pk,
        "event_id": (
            event := ShipItEvent.objects.create(
                organisation=other_org,
                title="B's ShipIt",
                starts_at=timezone.now(),
                ends_at=timezone.now() + dt.timedelta(hours=24),
            )
        ).pk,
        "proposal_id": Proposal.objects.create(
            organisation=other_org, event=event, title="B's idea"
        ).pk,
        "review_id": Review.objects.create(
            organisation=other_org, person=person, week=dt.date(2026, 11, 16), wins="B's win"
        ).pk,
        "skill_id": Skill.objects.create(
            organisation=other_org, name="B's skill", levels=list("abcde")
        ).pk,
        "incentive_id": Incentive.objects.create(
            organisation=other_org, what="B's bonus", outcome="x", style="if_then"
        ).pk,
        "endpoint_id": (
            endpoint := Endpoint.objects.create(
                organisation=other_org, url="https://b.example.org/", events=["cycle.closed"]
            )
        ).pk,
        "delivery_id": Delivery.objects.create(
            organisation=other_org, endpoint=endpoint, message_id="m", event_type="x", payload={}
        ).pk,
    }


BODIES: dict[str, dict[str, Any]] = {
    "people": {"job_title": "x"},
    "teams": {"description": "x"},
    "memberships": {"role": "lead"},
    "cycles": {"name": "x"},
    "objectives": {"title": "x"},
    "key-results": {"title": "x"},
    "check-ins": {"value": 3},
    "parents": {"parent_id": 1},
    "responses": {"token": "not-a-token", "answers": {"mast1": 3}},
    "levels": {"t": "task", "level": 1},
    "decisions": {"t": "task", "level": 1, "outcome": "granted"},
    "time": {"day": "2026-01-05", "hours": 1.5},
    "self-directed-projects": {"learned": "x"},
    "proposals": {"title": "x"},
    "demo": {"title": "x", "summary": "y"},
    "follow-up": {"outcome": "shipped"},
    "replies": {"body": "x"},
    "ratings": {"level": 3},
    "growth-areas": {"target_level": 3},
    # by method where one resource's writes take different bodies
    "POST talking-points": {"text": "x"},
    "PATCH talking-points": {"discussed": True},
    "POST action-items": {"text": "x", "owner_id": 1},
    "PATCH action-items": {"done": True},
    "shared-notes": {"text": "x"},
    "private-note": {"text": "x"},
    "summary-sharing": {"share": True},
    "decision": {"accept": True},
    "webhooks": {"description": "x"},
}


def test_routes_are_known() -> None:
    """A new route with an id must be added to this test's object map."""
    for path, _ in _routes():
        for name in re.findall(r"{(\w+_id)}", path):
            assert name in {
                "survey_id",
                "round_id",
                "parent_id",
                "person_id",
                "team_id",
                "membership_id",
                "cycle_id",
                "objective_id",
                "key_result_id",
                "project_id",
                "event_id",
                "proposal_id",
                "review_id",
                "skill_id",
                "incentive_id",
                "meeting_id",
                "point_id",
                "item_id",
                "request_id",
                "one_on_one_id",
                "endpoint_id",
                "delivery_id",
            }, path


@pytest.mark.parametrize(("path", "method"), _routes())
def test_other_organisations_objects_are_not_found(
    path: str,
    method: str,
    org: Organisation,
    b_objects: dict[str, int],
    make_person: Callable[..., Person],
    bearer: Callable[[Person], dict[str, str]],
    client: Client,
) -> None:
    admin = make_person(org, Role.ADMIN)
    url = re.sub(r"{(\w+)}", lambda m: str(b_objects[m.group(1)]), path)
    parts = path.rstrip("/").split("/")
    # the body of the nearest resource named in BODIES (by method first), else of the app's
    resource = next(
        (p for p in reversed(parts) if p in BODIES or f"{method} {p}" in BODIES), parts[3]
    )
    body = json.dumps(BODIES.get(f"{method} {resource}", BODIES.get(resource, {})))
    response = client.generic(method, url, body, content_type="application/json", **bearer(admin))
    assert response.status_code == 404, (method, url, response.content)


def test_lists_never_show_other_organisations(
    org: Organisation,
    b_objects: dict[str, int],
    make_person: Callable[..., Person],
    bearer: Callable[[Person], dict[str, str]],
    client: Client,
) -> None:
    admin = make_person(org, Role.ADMIN)
    headers = bearer(admin)
    people = client.get("/api/v1/people?show=all", **headers).json()["items"]
    assert [p["id"] for p in people] == [admin.pk]
    assert client.get("/api/v1/teams", **headers).json()["items"] == []
    assert client.get("/api/v1/memberships", **headers).json()["items"] == []
    # and filtering by B's ids gives nothing either
    response = client.get(f"/api/v1/memberships?team_id={b_objects['team_id']}", **headers)
    assert response.json()["items"] == []


def test_web_pages_of_another_organisation_are_not_found(
    org: Organisation,
    b_objects: dict[str, int],
    make_person: Callable[..., Person],
    web: Callable[[Person], Client],
) -> None:
    client = web(make_person(org, Role.ADMIN))
    for url in [
        f"/people/{b_objects['person_id']}/",
        f"/people/{b_objects['person_id']}/edit/",
        f"/teams/{b_objects['team_id']}/",
        f"/teams/{b_objects['team_id']}/edit/",
        f"/org-chart/?team={b_objects['team_id']}",
        f"/mastery/reviews/{b_objects['review_id']}/",
        f"/mastery/people/{b_objects['person_id']}/",
        f"/mastery/teams/{b_objects['team_id']}/",
        f"/mastery/teams/{b_objects['team_id']}/skills/",
        f"/advisor/reward-style/?objective={b_objects['objective_id']}",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/mastery/skills/{b_objects['skill_id']}/rate/").status_code == 404
    assert client.post(f"/mastery/people/{b_objects['person_id']}/rate/").status_code == 404
    remove = f"/advisor/incentives/{b_objects['incentive_id']}/remove/"
    assert client.post(remove).status_code == 404
    tick = {"item": "own-time", "team_id": b_objects["team_id"]}
    assert client.post("/advisor/checklist/", tick).status_code == 404
    assert client.post(f"/memberships/{b_objects['membership_id']}/remove/").status_code == 404
    endpoint = f"/settings/webhooks/{b_objects['endpoint_id']}"
    assert client.get(f"{endpoint}/").status_code == 404
    assert client.get(f"{endpoint}/deliveries/").status_code == 404
    for action in ("test", "rotate-secret", "delete"):
        assert client.post(f"{endpoint}/{action}/").status_code == 404, action
    retry = f"/settings/webhooks/deliveries/{b_objects['delivery_id']}/retry/"
    assert client.post(retry).status_code == 404


def test_absurd_ids_are_404_not_500(
    org: Organisation, make_person: Callable[..., Person], web: Callable[[Person], Client]
) -> None:
    client = web(make_person(org, Role.ADMIN))
    huge = "9" * 30
    for url in [f"/people/{huge}/", f"/teams/{huge}/", f"/people/{'9' * 18}/"]:
        assert client.get(url).status_code == 404, url
    assert client.get(f"/org-chart/?team={huge}").status_code == 200  # falls back to the top
