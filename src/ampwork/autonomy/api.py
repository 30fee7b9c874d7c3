"""REST routes under /autonomy: a person's levels, history, next step and self-directed
time; level changes and decisions; a team's grid; the time policy. /self-directed-projects:
people's own projects and the hours logged on them. A ledger (and a person's projects) is
visible to its person, their managers and team leads, and admins — anyone else gets a 404."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from ampwork.apitools import ERRORS, Day, Id, InSchema, Moment, Pages, actor
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


class TimeOut(Schema):
    share_percent: int
    weekly_hours: float
    since: dt.date
    budget_hours: float
    used_hours: float
    share_used: float | None


class PersonAutonomyOut(Schema):
    person_id: int
    levels: dict[str, int]
    next_step: StepOut
    autonomy_index: float | None
    history: list[EntryOut]
    self_directed_time: TimeOut


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


def _time(b: selectors.TimeBudget) -> dict[str, Any]:
    return {
        "share_percent": b.share_percent,
        "weekly_hours": b.weekly_hours,
        "since": b.start,
        "budget_hours": round(b.budget, 1),
        "used_hours": b.used,
        "share_used": b.share_used,
    }


def _person(request: HttpRequest, person_id: int) -> dict[str, Any]:
    who = actor(request)
    data = selectors.person_autonomy(who, selectors.get_person(who, person_id))
    budget = selectors.time_budgets(who.organisation, [data.person.pk])[data.person.pk]
    return {
        "person_id": data.person.pk,
        "levels": data.levels,
        "next_step": _step(data.step),
        "autonomy_index": data.index,
        "history": data.history,
        "self_directed_time": _time(budget),
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


class PolicyIn(InSchema):
    share_percent: Annotated[int, Field(ge=0, le=50)]
    weekly_hours: Annotated[float, Field(ge=1, le=80, allow_inf_nan=False)]


class PolicyOut(Schema):
    share_percent: int
    weekly_hours: float


@router.get("/autonomy/time-policy", response=_responses(200, PolicyOut))
def time_policy(request: HttpRequest) -> dict[str, Any]:
    share, weekly = selectors.policy(actor(request).organisation)
    return {"share_percent": share, "weekly_hours": weekly}


@router.put("/autonomy/time-policy", response=_responses(200, PolicyOut))
def set_time_policy(request: HttpRequest, payload: PolicyIn) -> dict[str, Any]:
    """The share of working time that is self-directed (admins)."""
    found = services.set_policy(actor=actor(request), **payload.model_dump())
    return {"share_percent": found.share_percent, "weekly_hours": float(found.weekly_hours)}


class ProjectIn(InSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    why: Annotated[str, Field(max_length=1000)] = ""
    objective_id: Id | None = None
    serves_purpose: bool = False


class ProjectPatch(InSchema):
    outcome: Literal["active", "shipped", "objective", "learning", "dropped"] | None = None
    learned: Annotated[str, Field(max_length=1000)] | None = None


class TimeIn(InSchema):
    day: Day
    hours: Annotated[float, Field(gt=0, le=24, allow_inf_nan=False)]


class ProjectOut(Schema):
    id: int
    person_id: int
    title: str
    why: str
    learned: str
    outcome: str
    objective_id: int | None
    serves_purpose: bool
    hours: float
    created_at: dt.datetime


def _project(p: Any) -> dict[str, Any]:
    hours = getattr(p, "hours", None)
    if hours is None:
        hours = sum(float(h) for h in p.logs.values_list("hours", flat=True))
    return {
        "id": p.pk,
        "person_id": p.person_id,
        "title": p.title,
        "why": p.why,
        "learned": p.learned,
        "outcome": p.outcome,
        "objective_id": p.objective_id,
        "serves_purpose": p.serves_purpose,
        "hours": float(hours or 0),
        "created_at": p.created_at,
    }


@router.get("/self-directed-projects", response=_responses(200, list[ProjectOut]))
@paginate(Pages)
def projects(request: HttpRequest, person_id: Id | None = None) -> list[dict[str, Any]]:
    """Your own projects, or (``?person_id=``) those of someone whose ledger you may see."""
    who = actor(request)
    if person_id is None:
        if who.person is None:
            return []
        person = who.person
    else:
        person = selectors.get_person(who, person_id)
    return [_project(p) for p in selectors.projects_of(who, person)]


@router.post("/self-directed-projects", response=_responses(201, ProjectOut))
def add_project(request: HttpRequest, payload: ProjectIn) -> Status[dict[str, Any]]:
    """Start a project of your own choosing (for yourself only)."""
    found = services.add_project(actor=actor(request), **payload.model_dump())
    return Status(201, _project(found))


@router.patch("/self-directed-projects/{project_id}", response=_responses(200, ProjectOut))
def update_project(request: HttpRequest, project_id: Id, payload: ProjectPatch) -> dict[str, Any]:
    """Record the outcome and what was learned (the project's owner)."""
    who = actor(request)
    found = services.update_project(
        actor=who, project=selectors.get_project(who, project_id), **payload.model_dump()
    )
    return _project(found)


@router.post("/self-directed-projects/{project_id}/time", response=_responses(201, ProjectOut))
def log_time(request: HttpRequest, project_id: Id, payload: TimeIn) -> Status[dict[str, Any]]:
    """Hours spent on a day (not in the future)."""
    who = actor(request)
    project = selectors.get_project(who, project_id)
    services.log_time(actor=who, project=project, **payload.model_dump())
    return Status(201, _project(project))


# --- ShipIt days -------------------------------------------------------------------


class EventIn(InSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    theme: Annotated[str, Field(max_length=500)] = ""
    starts_at: Moment
    hours: Annotated[int, Field(ge=1, le=72)] = 24


class EventOut(Schema):
    id: int
    title: str
    theme: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    phase: str
    projects: int
    demos: int
    followed_up: int


class MemberOut(Schema):
    id: int
    name: str


class ProposalOut(Schema):
    id: int
    title: str
    pitch: str
    author_id: int | None
    members: list[MemberOut]
    demo_title: str
    demo_summary: str
    demo_link: str
    shipped: str
    demoed_at: dt.datetime | None
    kudos: int
    follow_up: str
    follow_up_note: str


class EventDetailOut(Schema):
    id: int
    title: str
    theme: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    phase: str
    follow_up_due: bool
    projects: list[ProposalOut]


class ProposalIn(InSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    pitch: Annotated[str, Field(max_length=1000)] = ""


class DemoIn(InSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    summary: Annotated[str, Field(min_length=1, max_length=2000)]
    link: Annotated[str, Field(max_length=500)] = ""
    shipped: Annotated[str, Field(max_length=1000)] = ""


class FollowUpIn(InSchema):
    outcome: Literal["objective", "shipped", "dropped"]
    note: Annotated[str, Field(max_length=500)] = ""


class NothingIn(InSchema):
    pass


def _event(e: Any) -> dict[str, Any]:
    return {
        "id": e.pk,
        "title": e.title,
        "theme": e.theme,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "phase": e.phase,
        "projects": e.n_proposals,
        "demos": e.n_demos,
        "followed_up": e.n_followed,
    }


def _detail(request: HttpRequest, event_id: int) -> dict[str, Any]:
    who = actor(request)
    view = selectors.event_view(who, selectors.get_event(who.organisation, event_id))
    e = view.event
    return {
        "id": e.pk,
        "title": e.title,
        "theme": e.theme,
        "starts_at": e.starts_at,
        "ends_at": e.ends_at,
        "phase": view.phase,
        "follow_up_due": view.follow_up_due,
        "projects": [
            {
                "id": p.pk,
                "title": p.title,
                "pitch": p.pitch,
                "author_id": p.author_id,
                "members": [{"id": m.pk, "name": m.name} for m in p.members.all()],
                "demo_title": p.demo_title,
                "demo_summary": p.demo_summary,
                "demo_link": p.demo_link,
                "shipped": p.shipped,
                "demoed_at": p.demoed_at,
                "kudos": p.n_kudos,  # type: ignore[attr-defined]
                "follow_up": p.follow_up,
                "follow_up_note": p.follow_up_note,
            }
            for p in view.proposals
        ],
    }


@router.get("/shipit-events", response=_responses(200, list[EventOut]))
@paginate(Pages)
def shipit_events(request: HttpRequest) -> list[dict[str, Any]]:
    return [_event(e) for e in selectors.events(actor(request).organisation)]


@router.post("/shipit-events", response=_responses(201, EventDetailOut))
def create_shipit_event(request: HttpRequest, payload: EventIn) -> Status[dict[str, Any]]:
    """A ShipIt day (managers, people ops and admins); 24 hours unless ``hours`` says."""
    event = services.create_event(actor=actor(request), **payload.model_dump())
    return Status(201, _detail(request, event.pk))


@router.get("/shipit-events/{event_id}", response=_responses(200, EventDetailOut))
def shipit_event(request: HttpRequest, event_id: Id) -> dict[str, Any]:
    return _detail(request, event_id)


@router.post("/shipit-events/{event_id}/proposals", response=_responses(201, EventDetailOut))
def propose(request: HttpRequest, event_id: Id, payload: ProposalIn) -> Status[dict[str, Any]]:
    """Pitch an idea; you join its team."""
    who = actor(request)
    event = selectors.get_event(who.organisation, event_id)
    services.propose(actor=who, event=event, **payload.model_dump())
    return Status(201, _detail(request, event.pk))


def _on(request: HttpRequest, proposal_id: int, write: Any, **data: Any) -> dict[str, Any]:
    who = actor(request)
    proposal = selectors.get_proposal(who.organisation, proposal_id)
    write(actor=who, proposal=proposal, **data)
    return _detail(request, proposal.event_id)


@router.post("/shipit-proposals/{proposal_id}/members", response=_responses(200, EventDetailOut))
def join(request: HttpRequest, proposal_id: Id, payload: NothingIn) -> dict[str, Any]:
    """Join this team (leaving any other of the same ShipIt day)."""
    return _on(request, proposal_id, services.join)


@router.delete("/shipit-proposals/{proposal_id}/members", response=_responses(200, EventDetailOut))
def leave(request: HttpRequest, proposal_id: Id) -> dict[str, Any]:
    return _on(request, proposal_id, services.leave)


@router.put("/shipit-proposals/{proposal_id}/demo", response=_responses(200, EventDetailOut))
def demo(request: HttpRequest, proposal_id: Id, payload: DemoIn) -> dict[str, Any]:
    """The team's demo: title, summary, link and what shipped."""
    return _on(request, proposal_id, services.demo, **payload.model_dump())


@router.post("/shipit-proposals/{proposal_id}/kudos", response=_responses(200, EventDetailOut))
def kudos(request: HttpRequest, proposal_id: Id, payload: NothingIn) -> dict[str, Any]:
    """Thank a team for its demo (once; not your own team)."""
    return _on(request, proposal_id, services.kudos)


@router.put("/shipit-proposals/{proposal_id}/follow-up", response=_responses(200, EventDetailOut))
def follow_up(request: HttpRequest, proposal_id: Id, payload: FollowUpIn) -> dict[str, Any]:
    """What came of it a month on: objective, shipped or dropped."""
    return _on(request, proposal_id, services.follow_up, **payload.model_dump())
