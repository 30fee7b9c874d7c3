"""API input and output schemas for organisations, people, teams and memberships."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from ampwork.apitools import Day, Id, InSchema

Name = Annotated[str, Field(min_length=1, max_length=200)]
Email = Annotated[str, Field(min_length=3, max_length=254)]
Short = Annotated[str, Field(max_length=200)]
RoleName = Literal["admin", "people_ops", "manager", "member"]
TeamKind = Literal["department", "team", "school", "class"]
MembershipRole = Literal["member", "lead"]


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    anonymity_min_group: int
    autonomy_policy: str
    okr_cadence: str


class UserOut(Schema):
    id: int
    email: str
    name: str


class MeOut(Schema):
    user: UserOut | None
    organisation: OrganisationOut
    role: str
    role_label: str
    person_id: int | None
    organisations: list[OrganisationOut]


class PersonOut(Schema):
    id: int
    name: str
    email: str
    job_title: str
    job_role: str
    job_family: str
    level: str
    location: str
    hire_date: dt.date | None
    role: str
    manager_id: int | None
    active: bool
    has_login: bool
    team_ids: list[int]

    @staticmethod
    def resolve_has_login(obj: object) -> bool:
        return getattr(obj, "user_id", None) is not None

    @staticmethod
    def resolve_team_ids(obj: object) -> list[int]:
        return [m.team_id for m in obj.memberships.all()]  # type: ignore[attr-defined]


class PersonIn(InSchema):
    name: Name
    email: Email
    job_title: Short = ""
    job_role: Annotated[str, Field(max_length=120)] = ""
    job_family: Annotated[str, Field(max_length=120)] = ""
    level: Annotated[str, Field(max_length=40)] = ""
    location: Annotated[str, Field(max_length=120)] = ""
    hire_date: Day | None = None
    role: RoleName = "member"
    manager_id: Id | None = None
    active: bool = True
    team_ids: Annotated[list[Id], Field(max_length=50)] = []
    invite: bool = Field(
        False,
        description="Email the new person a one-time link (valid 7 days) to choose their "
        "password. An email that already has an account is asked to accept instead.",
    )


class PersonPatch(InSchema):
    """Only the fields sent are changed. ``manager_id: null`` removes the manager."""

    name: Name = "-"
    email: Email = "-"
    job_title: Short = ""
    job_role: Annotated[str, Field(max_length=120)] = ""
    job_family: Annotated[str, Field(max_length=120)] = ""
    level: Annotated[str, Field(max_length=40)] = ""
    location: Annotated[str, Field(max_length=120)] = ""
    hire_date: Day | None = None
    role: RoleName = "member"
    manager_id: Id | None = None
    active: bool = True


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None
    description: str


class TeamIn(InSchema):
    name: Name
    kind: TeamKind = "team"
    parent_id: Id | None = None
    description: Annotated[str, Field(max_length=5000)] = ""


class TeamPatch(InSchema):
    name: Name = "-"
    kind: TeamKind = "team"
    parent_id: Id | None = None
    description: Annotated[str, Field(max_length=5000)] = ""


class MembershipOut(Schema):
    id: int
    team_id: int
    person_id: int
    role: str


class MembershipIn(InSchema):
    team_id: Id
    person_id: Id
    role: MembershipRole = "member"


class MembershipPatch(InSchema):
    role: MembershipRole


class PeopleFilter(Schema):
    q: Annotated[str, Field(max_length=100, description="Words in name, email or job title")] = ""
    team_id: Id | None = None
    show: Literal["active", "deactivated", "all"] = "active"

    @property
    def active(self) -> bool | None:
        return {"active": True, "deactivated": False}.get(self.show)


class TeamFilter(Schema):
    parent_id: Id | None = None


class MembershipFilter(Schema):
    team_id: Id | None = None
    person_id: Id | None = None
