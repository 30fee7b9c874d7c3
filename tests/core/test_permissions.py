"""The permission matrix: each role × each resource × read/write, via the API and the web."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import RULES, SCHOOL_RULES, Actor, can

from ..factories import MembershipFactory, PersonFactory, TeamFactory

ROLES = [Role.ADMIN, Role.PEOPLE_OPS, Role.MANAGER, Role.MEMBER]
WRITERS = {Role.ADMIN, Role.PEOPLE_OPS}

# (resource, list path, detail path template, create body, patch body)
RESOURCES = ["people", "teams", "memberships"]


@pytest.fixture
def world(org: Organisation) -> dict[str, Any]:
    team = TeamFactory(organisation=org, name="Core")
    other_team = TeamFactory(organisation=org, name="Edge")
    someone = PersonFactory(organisation=org, email="someone@acme.example")
    membership = MembershipFactory(team=team, person=someone)
    return {"team": team, "other_team": other_team, "someone": someone, "membership": membership}


def _bodies(resource: str, world: dict[str, Any], n: int) -> tuple[dict[str, Any], dict[str, Any]]:
    if resource == "people":
        return ({"name": f"New {n}", "email": f"new{n}@acme.example"}, {"job_title": "Lead"})
    if resource == "teams":
        return ({"name": f"New team {n}"}, {"description": "changed"})
    newcomer = PersonFactory(organisation=world["team"].organisation, email=f"m{n}@acme.example")
    return ({"team_id": world["other_team"].pk, "person_id": newcomer.pk}, {"role": "lead"})


def _detail(resource: str, world: dict[str, Any]) -> str:
    obj = {"people": world["someone"], "teams": world["team"], "memberships": world["membership"]}[
        resource
    ]
    return f"/api/v1/{resource}/{obj.pk}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", RESOURCES)
def test_api_matrix(
    role: str,
    resource: str,
    org: Organisation,
    world: dict[str, Any],
    make_person: Callable[..., Person],
    bearer: Callable[[Person], dict[str, str]],
    client: Client,
) -> None:
    me = make_person(org, role)
    headers = bearer(me)
    # read: everyone in the organisation
    assert client.get(f"/api/v1/{resource}", **headers).status_code == 200
    assert client.get(_detail(resource, world), **headers).status_code == 200
    # write: admin and people ops only
    create, patch = _bodies(resource, world, ROLES.index(role))
    expected = 201 if role in WRITERS else 403
    response = client.post(
        f"/api/v1/{resource}", json.dumps(create), content_type="application/json", **headers
    )
    assert response.status_code == expected, response.content
    expected = 200 if role in WRITERS else 403
    response = client.patch(
        _detail(resource, world), json.dumps(patch), content_type="application/json", **headers
    )
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role", ROLES)
def test_web_matrix(
    role: str,
    org: Organisation,
    world: dict[str, Any],
    make_person: Callable[..., Person],
    web: Callable[[Person], Client],
) -> None:
    me = make_person(org, role)
    client = web(me)
    someone, team = world["someone"], world["team"]
    for url in [
        "/people/",
        f"/people/{someone.pk}/",
        "/teams/",
        f"/teams/{team.pk}/",
        "/org-chart/",
        f"/org-chart/?team={team.pk}",
    ]:
        assert client.get(url).status_code == 200, url
    writer = role in WRITERS
    for url in [
        "/people/new/",
        f"/people/{someone.pk}/edit/",
        "/teams/new/",
        f"/teams/{team.pk}/edit/",
        "/import/",
    ]:
        assert client.get(url).status_code == (200 if writer else 403), url
    response = client.post(
        "/people/new/", {"name": "Web New", "email": "webnew@acme.example", "role": "member"}
    )
    assert response.status_code == (302 if writer else 403)
    assert Person.objects.filter(email="webnew@acme.example").exists() == writer
    response = client.post(
        f"/teams/{team.pk}/members/", {"email": "webnew@acme.example", "role": "member"}
    )
    if writer:
        assert TeamMembership.objects.filter(
            team=team, person__email="webnew@acme.example"
        ).exists()
    else:
        assert response.status_code == 403
    admin_only = role == Role.ADMIN
    for url in ["/settings/", "/audit-log/"]:
        assert client.get(url).status_code == (200 if admin_only else 403), url


def test_role_changes_are_admin_only(
    org: Organisation,
    world: dict[str, Any],
    make_person: Callable[..., Person],
    bearer: Callable[[Person], dict[str, str]],
    client: Client,
) -> None:
    ops = make_person(org, Role.PEOPLE_OPS)
    url = _detail("people", world)
    body = json.dumps({"role": "manager"})
    response = client.patch(url, body, content_type="application/json", **bearer(ops))
    assert response.status_code == 403
    admin = make_person(org, Role.ADMIN)
    response = client.patch(url, body, content_type="application/json", **bearer(admin))
    assert response.status_code == 200
    assert response.json()["role"] == "manager"


def test_every_rule_is_exercised_by_role() -> None:
    """Each action in the rule table has at least one role that may and one that may not,
    except reads, which every role may do — and the high-privacy defaults, which everyone
    has in a company and a school's students do not (there, a role may not)."""
    org = Organisation(pk=1, name="x", slug="x")
    school = Organisation(pk=2, name="s", slug="s", kind=Organisation.Kind.SCHOOL)
    for action, roles in RULES.items():
        allowed = {r for r in ROLES if can(Actor(organisation=org, role=r), action)}
        assert allowed == set(roles)
        # reads; an export (a pulse round's results as CSV) is a read too, listed as an
        # action of its own so that the two-factor policy can hold it back
        if action.endswith((".view", ".export")):
            continue
        # one's own language is everyone's to choose (students and guardians too)
        if action == "language.choose":
            continue
        if allowed == set(ROLES) and action in SCHOOL_RULES:
            in_school = {r for r in ROLES if can(Actor(organisation=school, role=r), action)}
            assert in_school != set(ROLES), action
        else:
            assert allowed != set(ROLES), action


def test_objects_of_another_organisation_are_never_allowed(
    org: Organisation, other_org: Organisation
) -> None:
    actor = Actor(organisation=org, role=Role.ADMIN)
    assert not can(actor, "teams.edit", Team(organisation=other_org))
    assert can(actor, "teams.edit", Team(organisation=org))


def test_methods_page_explains_the_home_numbers(
    org: Organisation, admin: Person, web: Callable[[Person], Client]
) -> None:
    client = web(admin)
    home = client.get("/").content.decode()
    assert "/methods/#headcount" in home
    page = client.get("/methods/").content.decode()
    assert 'id="headcount"' in page
    assert "Active people" in page
