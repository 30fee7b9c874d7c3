"""The autonomy ledger: append-only history, team defaults, permissions, query counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ampwork.autonomy import selectors, services
from ampwork.autonomy.models import LedgerEntry
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.demo.services import generate

from ..factories import MembershipFactory, TeamFactory


@pytest.fixture
def team_with(org: Organisation, make_person: Callable[..., Person]) -> dict[str, Any]:
    team = TeamFactory(organisation=org, name="Core")
    lead = make_person(org, Role.MANAGER)
    MembershipFactory(team=team, person=lead, role="lead")
    members = [make_person(org, manager=lead) for _ in range(3)]
    for m in members:
        MembershipFactory(team=team, person=m)
    return {"team": team, "lead": lead, "members": members}


def test_history_is_append_only(
    team_with: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    lead, person = actor_of(team_with["lead"]), team_with["members"][0]
    first = services.set_level(actor=lead, person=person, t="technique", level=1, why="start")
    services.set_level(actor=lead, person=person, t="technique", level=2, why="grew")
    first.level = 3
    with pytest.raises(ValueError, match="append-only"):
        first.save()
    history = LedgerEntry.objects.filter(person=person).order_by("created_at", "id")
    assert [(e.level, e.why) for e in history] == [(1, "start"), (2, "grew")]
    assert selectors.levels_for(person.organisation, [person.pk])[person.pk]["technique"] == 2


def test_team_defaults_are_inherited(team_with: dict[str, Any], admin_actor: Actor) -> None:
    services.set_level(actor=admin_actor, team=team_with["team"], t="time", level=2)
    person = team_with["members"][1]
    assert selectors.levels_for(person.organisation, [person.pk])[person.pk]["time"] == 2
    services.set_level(actor=admin_actor, person=person, t="time", level=1)
    assert selectors.levels_for(person.organisation, [person.pk])[person.pk]["time"] == 1


def test_who_sees_and_changes_a_ledger(
    team_with: dict[str, Any],
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
) -> None:
    member = team_with["members"][0]
    other = team_with["members"][1]
    outsider = make_person(org, Role.MANAGER)
    assert selectors.get_person(actor_of(member), member.pk) == member  # own
    assert selectors.get_person(actor_of(team_with["lead"]), member.pk)  # their manager
    for viewer in (other, outsider):  # a colleague, another manager: nothing
        with pytest.raises(NotFound):
            selectors.get_person(actor_of(viewer), member.pk)
    with pytest.raises(NotAllowed):
        services.set_level(actor=actor_of(member), person=member, t="task", level=3)
    with pytest.raises(NotAllowed):  # nobody widens their own autonomy
        services.set_level(
            actor=actor_of(team_with["lead"]), person=team_with["lead"], t="task", level=3
        )
    with pytest.raises(ValidationFailed):
        services.set_level(actor=actor_of(team_with["lead"]), person=member, t="task", level=4)


def test_decisions_and_web_pages(
    team_with: dict[str, Any], client: Client, actor_of: Callable[[Person], Actor]
) -> None:
    lead, member = team_with["lead"], team_with["members"][0]
    services.decide(
        actor=actor_of(lead),
        person=member,
        t="technique",
        level=1,
        outcome="deferred",
        note="after the launch",
    )
    data = selectors.person_autonomy(actor_of(lead), member)
    assert data.step.t == "technique"
    assert not data.step.suggested
    assert "after the launch" in data.step.reasons[-1]
    client.force_login(lead.user)
    assert client.get(f"/autonomy/teams/{team_with['team'].pk}/").status_code == 200
    response = client.post(
        f"/autonomy/people/{member.pk}/decide/",
        {"t": "technique", "level": "1", "outcome": "granted"},
    )
    assert response.status_code == 302
    assert selectors.levels_for(member.organisation, [member.pk])[member.pk]["technique"] == 1
    client.force_login(member.user)
    assert client.get(f"/autonomy/teams/{team_with['team'].pk}/").status_code == 403
    assert b"Technique" in client.get("/autonomy/").content


@pytest.mark.parametrize("size", [50, 400])
def test_team_grid_queries_do_not_grow(
    size: int, db: Any, django_assert_max_num_queries: Any
) -> None:
    result = generate(people=size, slug=f"grid-{size}")
    admin = Person.objects.get(organisation=result.organisation, email=result.admin_email)
    actor = Actor(organisation=result.organisation, role=Role.ADMIN, user=admin.user, person=admin)
    team = result.organisation.teams.filter(parent__parent__isnull=False).first()
    with django_assert_max_num_queries(10):  # 8 for the grid, 2 for self-directed time
        grid = selectors.team_grid(actor, team)
    assert grid.rows


def test_the_grid_offers_no_grant_to_its_viewer(
    team_with: dict[str, Any], web: Callable[[Person], Client]
) -> None:
    lead = team_with["lead"]
    page = web(lead).get(f"/autonomy/teams/{team_with['team'].pk}/").content.decode()
    assert f"to {lead.name}</span>" not in page
    assert f"to {team_with['members'][0].name}</span>" in page
