"""REST routes: /me, /people, /teams, /memberships. Thin: parse, call, return."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from ampwork.apitools import Id, Pages, actor, responses

from . import selectors, services
from .models import Person, Team, TeamMembership, role_label
from .permissions import require
from .schemas import (
    MembershipFilter,
    MembershipIn,
    MembershipOut,
    MembershipPatch,
    MeOut,
    OrganisationOut,
    PeopleFilter,
    PersonIn,
    PersonOut,
    PersonPatch,
    TeamFilter,
    TeamIn,
    TeamOut,
    TeamPatch,
    UserOut,
)

router = Router()


@router.get("/me", response=responses(200, MeOut), tags=["me"])
def me(request: HttpRequest) -> MeOut:
    who = actor(request)
    orgs = selectors.organisations_for(who.user) if who.user else [who.organisation]
    return MeOut(
        user=UserOut.model_validate(who.user) if who.user else None,
        organisation=OrganisationOut.model_validate(who.organisation),
        role=who.role,
        role_label=role_label(who.role, who.organisation.kind),
        person_id=who.person.pk if who.person else None,
        organisations=[OrganisationOut.model_validate(o) for o in orgs],
    )


# ---------------------------------------------------------------- people


@router.get("/people", response=responses(200, list[PersonOut]), tags=["people"])
@paginate(Pages)
def list_people(request: HttpRequest, filters: Query[PeopleFilter]) -> Any:
    who = actor(request)
    require(who, "people.view")
    require(who, "people.view_email")  # the API's people carry their addresses
    return selectors.directory(who, query=filters.q, team_id=filters.team_id, active=filters.active)


def _person(request: HttpRequest, person_id: int) -> Person:
    who = actor(request)
    selectors.get_person(who.organisation, person_id)  # 404 outside the organisation
    return selectors.people(who.organisation, active=None).get(pk=person_id)


@router.post("/people", response=responses(201, PersonOut), tags=["people"])
def create_person(request: HttpRequest, payload: PersonIn) -> Status[Person]:
    person = services.create_person(actor=actor(request), **payload.model_dump())
    return Status(201, _person(request, person.pk))


@router.get("/people/{person_id}", response=responses(200, PersonOut), tags=["people"])
def get_person(request: HttpRequest, person_id: Id) -> Person:
    require(actor(request), "people.view")
    require(actor(request), "people.view_email")  # the API's people carry their addresses
    return _person(request, person_id)


@router.patch("/people/{person_id}", response=responses(200, PersonOut), tags=["people"])
def update_person(request: HttpRequest, person_id: Id, payload: PersonPatch) -> Person:
    who = actor(request)
    person = selectors.get_person(who.organisation, person_id)
    services.update_person(actor=who, person=person, **payload.model_dump(exclude_unset=True))
    return _person(request, person_id)


# ---------------------------------------------------------------- teams


@router.get("/teams", response=responses(200, list[TeamOut]), tags=["teams"])
@paginate(Pages)
def list_teams(request: HttpRequest, filters: Query[TeamFilter]) -> Any:
    who = actor(request)
    require(who, "teams.view")
    qs = selectors.teams(who.organisation)
    return qs.filter(parent_id=filters.parent_id) if filters.parent_id is not None else qs


@router.post("/teams", response=responses(201, TeamOut), tags=["teams"])
def create_team(request: HttpRequest, payload: TeamIn) -> Status[Team]:
    return Status(201, services.create_team(actor=actor(request), **payload.model_dump()))


@router.get("/teams/{team_id}", response=responses(200, TeamOut), tags=["teams"])
def get_team(request: HttpRequest, team_id: Id) -> Team:
    who = actor(request)
    require(who, "teams.view")
    return selectors.get_team(who.organisation, team_id)


@router.patch("/teams/{team_id}", response=responses(200, TeamOut), tags=["teams"])
def update_team(request: HttpRequest, team_id: Id, payload: TeamPatch) -> Team:
    who = actor(request)
    team = selectors.get_team(who.organisation, team_id)
    return services.update_team(actor=who, team=team, **payload.model_dump(exclude_unset=True))


# ---------------------------------------------------------------- memberships


@router.get("/memberships", response=responses(200, list[MembershipOut]), tags=["memberships"])
@paginate(Pages)
def list_memberships(request: HttpRequest, filters: Query[MembershipFilter]) -> Any:
    who = actor(request)
    require(who, "memberships.view")
    return selectors.memberships(
        who.organisation, team_id=filters.team_id, person_id=filters.person_id
    )


@router.post("/memberships", response=responses(201, MembershipOut), tags=["memberships"])
def create_membership(request: HttpRequest, payload: MembershipIn) -> Status[TeamMembership]:
    return Status(201, services.add_membership(actor=actor(request), **payload.model_dump()))


@router.get(
    "/memberships/{membership_id}", response=responses(200, MembershipOut), tags=["memberships"]
)
def get_membership(request: HttpRequest, membership_id: Id) -> TeamMembership:
    who = actor(request)
    require(who, "memberships.view")
    return selectors.get_membership(who.organisation, membership_id)


@router.patch(
    "/memberships/{membership_id}", response=responses(200, MembershipOut), tags=["memberships"]
)
def update_membership(
    request: HttpRequest, membership_id: Id, payload: MembershipPatch
) -> TeamMembership:
    who = actor(request)
    membership = selectors.get_membership(who.organisation, membership_id)
    return services.update_membership(actor=who, membership=membership, role=payload.role)


@router.delete("/memberships/{membership_id}", response=responses(204, None), tags=["memberships"])
def delete_membership(request: HttpRequest, membership_id: Id) -> Status[None]:
    who = actor(request)
    membership = selectors.get_membership(who.organisation, membership_id)
    services.remove_membership(actor=who, membership=membership)
    return Status(204, None)
