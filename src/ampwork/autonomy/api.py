"""REST routes under /autonomy: a person's levels, history and next step; level changes
and decisions; a team's grid. A ledger is visible to its person, their managers and team
leads, and admins — anyone else gets a 404."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from ampwork.apitools import ERRORS, Id, InSchema, actor
from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotAllowed
from ampwork.core.permissions import can

from . import rules, selectors, services

router = Router(tags=["autonomy"])
T = Literal["task", "technique", "time", "team"]


def _responses(ok: int, schema: Any) -> dict[int, Any]:
    return {ok: schema, **ERRORS}


class StepOut(Schema):
    t: str | None
    level: int | None
    suggested: bool
    reasons: list[str]
    missing: list[str]


class EntryOut(Schema):
    t: str
    level: int
    why: str
    guardrails: str
    changed_by_id: int | None
    created_at: dt.datetime


class PersonAutonomyOut(Schema):
    person_id: int
    levels: dict[str, int]
    next_step: StepOut
    autonomy_index: float | None
    history: list[EntryOut]


class LevelIn(InSchema):
    t: T
    level: Annotated[int, Field(ge=0, le=3)]
    why: Annotated[str, Field(max_length=500)] = ""
    guardrails: Annotated[str, Field(max_length=300)] = ""


class DecisionIn(LevelIn):
    outcome: Literal["granted", "deferred", "declined"]
    note: Annotated[str, Field(max_length=500)] = ""


class GridRowOut(Schema):
    person_id: int
    name: str
    levels: dict[str, int]
    next_step: StepOut
    autonomy_index: float | None


class GridOut(Schema):
    team_id: int
    autonomy_index: float | None
    defaulting_to_control: list[str]
    rows: list[GridRowOut]


def _step(step: rules.NextStep) -> dict[str, Any]:
    return {
        "t": step.t,
        "level": step.level,
        "suggested": step.suggested,
        "reasons": step.reasons,
        "missing": step.missing,
    }


def _person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    who = actor(request)
    data = selectors.person_autonomy(who, selectors.get_person(who, person_id))
    return {
        "person_id": data.person.pk,
        "levels": data.levels,
        "next_step": _step(data.step),
        "autonomy_index": data.index,
        "history": data.history,
    }


@router.get("/autonomy/people/{person_id}", response=_responses(200, PersonAutonomyOut))
def person(request: HttpRequest, person_id: Id) -> dict[str, Any]:
    return _person(request, person_id)


@router.post("/autonomy/people/{person_id}/levels", response=_responses(201, PersonAutonomyOut))
def set_level(request: HttpRequest, person_id: Id, payload: LevelIn) -> Status[Any]:
    """Record a new level (the history is never rewritten). Managers and team leads."""
    who = actor(request)
    services.set_level(
        actor=who, person=selectors.get_person(who, person_id), **payload.model_dump()
    )
    return Status(201, _person(request, person_id))


@router.post("/autonomy/people/{person_id}/decisions", response=_responses(201, PersonAutonomyOut))
def decide(request: HttpRequest, person_id: Id, payload: DecisionIn) -> Status[Any]:
    """Grant, defer or decline a step, with a note."""
    who = actor(request)
    data = payload.model_dump()
    data.pop("why")
    services.decide(actor=who, person=selectors.get_person(who, person_id), **data)
    return Status(201, _person(request, person_id))


@router.get("/autonomy/teams/{team_id}/grid", response=_responses(200, GridOut))
def grid(request: HttpRequest, team_id: Id) -> dict[str, Any]:
    who = actor(request)
    team = core_selectors.get_team(who.organisation, team_id)
    if not can(who, "autonomy.manage", team):
        raise NotAllowed("The team grid is for the team's leads and admins.")
    data = selectors.team_grid(who, team)
    return {
        "team_id": team.pk,
        "autonomy_index": data.index,
        "defaulting_to_control": data.control,
        "rows": [
            {
                "person_id": r["person"].pk,
                "name": r["person"].name,
                "levels": dict(zip(rules.TS, r["levels"], strict=True)),
                "next_step": _step(r["step"]),
                "autonomy_index": r["index"],
            }
            for r in data.rows
        ],
    }
