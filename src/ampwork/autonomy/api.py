"""REST routes under /autonomy: a person's levels, history, next step and self-directed
time; level changes and decisions; a team's grid; the time policy. /self-directed-projects:
people's own projects and the hours logged on them. A ledger (and a person's projects) is
visible to its person, their managers and team leads, and admins — anyone else gets a 404."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from ampwork.apitools import Id, Pages, actor, responses
from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotAllowed
from ampwork.core.permissions import can

from . import rules, selectors, services
from .schemas import (
    DecisionIn,
    DemoIn,
    EntryOut,
    EventDetailOut,
    EventIn,
    EventOut,
    FollowUpIn,
    GridOut,
    GridRowOut,
    LevelIn,
    MemberOut,
    NothingIn,
    PersonAutonomyOut,
    PolicyIn,
    PolicyOut,
    ProjectIn,
    ProjectOut,
    ProjectPatch,
    ProposalIn,
    ProposalOut,
    StepOut,
    TimeIn,
    TimeOut,
)

router = Router(tags=["autonomy"])


def _step(step: rules.NextStep) -> StepOut:
    return StepOut(
        t=step.t,
        level=step.level,
        suggested=step.suggested,
        reasons=step.reasons,
        missing=step.missing,
    )


def _time(b: selectors.TimeBudget) -> TimeOut:
    return TimeOut(
        share_percent=b.share_percent,
        weekly_hours=b.weekly_hours,
        since=b.start,
        budget_hours=round(b.budget, 1),
        used_hours=b.used,
        share_used=b.share_used,
    )


def _person(request: HttpRequest, person_id: int) -> PersonAutonomyOut:
    who = actor(request)
    data = selectors.person_autonomy(who, selectors.get_person(who, person_id))
    budget = selectors.time_budgets(who.organisation, [data.person.pk])[data.person.pk]
    return PersonAutonomyOut(
        person_id=data.person.pk,
        levels=data.levels,
        next_step=_step(data.step),
        autonomy_index=data.index,
        history=[EntryOut.model_validate(e) for e in data.history],
        self_directed_time=_time(budget),
    )


@router.get("/autonomy/people/{person_id}", response=responses(200, PersonAutonomyOut))
def person(request: HttpRequest, person_id: Id) -> PersonAutonomyOut:
    return _person(request, person_id)


@router.post("/autonomy/people/{person_id}/levels", response=responses(201, PersonAutonomyOut))
def set_level(request: HttpRequest, person_id: Id, payload: LevelIn) -> Status[PersonAutonomyOut]:
    """Record a new level (the history is never rewritten). Managers and team leads."""
    who = actor(request)
    services.set_level(
        actor=who, person=selectors.get_person(who, person_id), **payload.model_dump()
    )
    return Status(201, _person(request, person_id))


@router.post("/autonomy/people/{person_id}/decisions", response=responses(201, PersonAutonomyOut))
def decide(request: HttpRequest, person_id: Id, payload: DecisionIn) -> Status[PersonAutonomyOut]:
    """Grant, defer or decline a step, with a note."""
    who = actor(request)
    data = payload.model_dump()
    data.pop("why")
    services.decide(actor=who, person=selectors.get_person(who, person_id), **data)
    return Status(201, _person(request, person_id))


@router.get("/autonomy/teams/{team_id}/grid", response=responses(200, GridOut))
def grid(request: HttpRequest, team_id: Id) -> GridOut:
    who = actor(request)
    team = core_selectors.get_team(who.organisation, team_id)
    if not can(who, "autonomy.manage", team):
        raise NotAllowed(_("The team grid is for the team's leads and admins."))
    data = selectors.team_grid(who, team)
    return GridOut(
        team_id=team.pk,
        autonomy_index=data.index,
        defaulting_to_control=data.control,
        rows=[
            GridRowOut(
                person_id=r["person"].pk,
                name=r["person"].name,
                levels=dict(zip(rules.TS, r["levels"], strict=True)),
                next_step=_step(r["step"]),
                autonomy_index=r["index"],
            )
            for r in data.rows
        ],
    )


@router.get("/autonomy/time-policy", response=responses(200, PolicyOut))
def time_policy(request: HttpRequest) -> PolicyOut:
    share, weekly = selectors.policy(actor(request).organisation)
    return PolicyOut(share_percent=share, weekly_hours=weekly)


@router.put("/autonomy/time-policy", response=responses(200, PolicyOut))
def set_time_policy(request: HttpRequest, payload: PolicyIn) -> PolicyOut:
    """The share of working time that is self-directed (admins)."""
    found = services.set_policy(actor=actor(request), **payload.model_dump())
    return PolicyOut(share_percent=found.share_percent, weekly_hours=float(found.weekly_hours))


def _project(p: Any) -> ProjectOut:
    hours = getattr(p, "hours", None)
    if hours is None:
        hours = sum(float(h) for h in p.logs.values_list("hours", flat=True))
    return ProjectOut(
        id=p.pk,
        person_id=p.person_id,
        title=p.title,
        why=p.why,
        learned=p.learned,
        outcome=p.outcome,
        objective_id=p.objective_id,
        serves_purpose=p.serves_purpose,
        hours=float(hours or 0),
        created_at=p.created_at,
    )


@router.get("/self-directed-projects", response=responses(200, list[ProjectOut]))
@paginate(Pages)
def projects(request: HttpRequest, person_id: Id | None = None) -> list[ProjectOut]:
    """Your own projects, or (``?person_id=``) those of someone whose ledger you may see."""
    who = actor(request)
    if person_id is None:
        if who.person is None:
            return []
        person = who.person
    else:
        person = selectors.get_person(who, person_id)
    return [_project(p) for p in selectors.projects_of(who, person)]


@router.post("/self-directed-projects", response=responses(201, ProjectOut))
def add_project(request: HttpRequest, payload: ProjectIn) -> Status[ProjectOut]:
    """Start a project of your own choosing (for yourself only)."""
    found = services.add_project(actor=actor(request), **payload.model_dump())
    return Status(201, _project(found))


@router.patch("/self-directed-projects/{project_id}", response=responses(200, ProjectOut))
def update_project(request: HttpRequest, project_id: Id, payload: ProjectPatch) -> ProjectOut:
    """Record the outcome and what was learned (the project's owner)."""
    who = actor(request)
    found = services.update_project(
        actor=who, project=selectors.get_project(who, project_id), **payload.model_dump()
    )
    return _project(found)


@router.post("/self-directed-projects/{project_id}/time", response=responses(201, ProjectOut))
def log_time(request: HttpRequest, project_id: Id, payload: TimeIn) -> Status[ProjectOut]:
    """Hours spent on a day (not in the future)."""
    who = actor(request)
    project = selectors.get_project(who, project_id)
    services.log_time(actor=who, project=project, **payload.model_dump())
    return Status(201, _project(project))


# --- ShipIt days -------------------------------------------------------------------


def _event(e: Any) -> EventOut:
    return EventOut(
        id=e.pk,
        title=e.title,
        theme=e.theme,
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        phase=e.phase,
        projects=e.n_proposals,
        demos=e.n_demos,
        followed_up=e.n_followed,
    )


def _detail(request: HttpRequest, event_id: int) -> EventDetailOut:
    who = actor(request)
    view = selectors.event_view(who, selectors.get_event(who.organisation, event_id))
    e = view.event
    return EventDetailOut(
        id=e.pk,
        title=e.title,
        theme=e.theme,
        starts_at=e.starts_at,
        ends_at=e.ends_at,
        phase=view.phase,
        follow_up_due=view.follow_up_due,
        projects=[
            ProposalOut(
                id=p.pk,
                title=p.title,
                pitch=p.pitch,
                author_id=p.author_id,
                members=[MemberOut(id=m.pk, name=m.name) for m in p.members.all()],
                demo_title=p.demo_title,
                demo_summary=p.demo_summary,
                demo_link=p.demo_link,
                shipped=p.shipped,
                demoed_at=p.demoed_at,
                kudos=p.n_kudos,  # type: ignore[attr-defined]
                follow_up=p.follow_up,
                follow_up_note=p.follow_up_note,
            )
            for p in view.proposals
        ],
    )


@router.get("/shipit-events", response=responses(200, list[EventOut]))
@paginate(Pages)
def shipit_events(request: HttpRequest) -> list[EventOut]:
    return [_event(e) for e in selectors.events(actor(request).organisation)]


@router.post("/shipit-events", response=responses(201, EventDetailOut))
def create_shipit_event(request: HttpRequest, payload: EventIn) -> Status[EventDetailOut]:
    """A ShipIt day (managers, people ops and admins); 24 hours unless ``hours`` says."""
    event = services.create_event(actor=actor(request), **payload.model_dump())
    return Status(201, _detail(request, event.pk))


@router.get("/shipit-events/{event_id}", response=responses(200, EventDetailOut))
def shipit_event(request: HttpRequest, event_id: Id) -> EventDetailOut:
    return _detail(request, event_id)


@router.post("/shipit-events/{event_id}/proposals", response=responses(201, EventDetailOut))
def propose(request: HttpRequest, event_id: Id, payload: ProposalIn) -> Status[EventDetailOut]:
    """Pitch an idea; you join its team."""
    who = actor(request)
    event = selectors.get_event(who.organisation, event_id)
    services.propose(actor=who, event=event, **payload.model_dump())
    return Status(201, _detail(request, event.pk))


def _on(request: HttpRequest, proposal_id: int, write: Any, **data: Any) -> EventDetailOut:
    who = actor(request)
    proposal = selectors.get_proposal(who.organisation, proposal_id)
    write(actor=who, proposal=proposal, **data)
    return _detail(request, proposal.event_id)


@router.post("/shipit-proposals/{proposal_id}/members", response=responses(200, EventDetailOut))
def join(request: HttpRequest, proposal_id: Id, payload: NothingIn) -> EventDetailOut:
    """Join this team (leaving any other of the same ShipIt day)."""
    return _on(request, proposal_id, services.join)


@router.delete("/shipit-proposals/{proposal_id}/members", response=responses(200, EventDetailOut))
def leave(request: HttpRequest, proposal_id: Id) -> EventDetailOut:
    return _on(request, proposal_id, services.leave)


@router.put("/shipit-proposals/{proposal_id}/demo", response=responses(200, EventDetailOut))
def demo(request: HttpRequest, proposal_id: Id, payload: DemoIn) -> EventDetailOut:
    """The team's demo: title, summary, link and what shipped."""
    return _on(request, proposal_id, services.demo, **payload.model_dump())


@router.post("/shipit-proposals/{proposal_id}/kudos", response=responses(200, EventDetailOut))
def kudos(request: HttpRequest, proposal_id: Id, payload: NothingIn) -> EventDetailOut:
    """Thank a team for its demo (once; not your own team)."""
    return _on(request, proposal_id, services.kudos)


@router.put("/shipit-proposals/{proposal_id}/follow-up", response=responses(200, EventDetailOut))
def follow_up(request: HttpRequest, proposal_id: Id, payload: FollowUpIn) -> EventDetailOut:
    """What came of it a month on: objective, shipped or dropped."""
    return _on(request, proposal_id, services.follow_up, **payload.model_dump())
