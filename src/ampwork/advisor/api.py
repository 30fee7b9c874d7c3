"""REST routes for the advisor: /advisor/checklist (the four steps; hand ticks by admins
and, for their teams, team leads), /advisor/findings (the mistake detector, as the reader
may see it) and their acknowledgements, /advisor/readiness, /advisor/reward-style, and
/incentives (the rewards an organisation promises)."""

import datetime as dt
from typing import Any, cast

from django.http import HttpRequest
from ninja import Router, Status

from ampwork.apitools import Id, actor, responses
from ampwork.core import selectors as core_selectors
from ampwork.core.permissions import Actor, require
from ampwork.okrs import selectors as okr_selectors

from . import checklist, readiness, selectors, services, style
from .schemas import (
    AckIn,
    AckOut,
    ChecklistItemOut,
    ChecklistOut,
    ChecklistStepOut,
    FindingOut,
    IncentiveIn,
    IncentiveOut,
    ReadinessOut,
    StageLevel,
    StageOut,
    StyleIn,
    StyleOut,
    TickIn,
    WorkStyle,
)

router = Router(tags=["advisor"])


def _viewer(request: HttpRequest) -> Actor:
    who = actor(request)
    require(who, "advisor.view")
    return who


# ---------------------------------------------------------------- checklist


def _checklist(who: Actor, team_id: int | None) -> ChecklistOut:
    data = selectors.snapshot(who)
    if team_id is not None:
        core_selectors.get_team(who.organisation, team_id)
    steps = selectors.checklist_of(data, team_id)
    done, total = checklist.progress(steps)
    school = who.organisation.is_school
    return ChecklistOut(
        team_id=team_id,
        done=done,
        total=total,
        steps=[
            ChecklistStepOut(
                key=s.step.key,
                title=str(s.step.title),
                why=str(s.step.why),
                tips=[str(t) for t in s.step.tips],
                warnings=[str(w) for w in s.step.warnings],
                items=[
                    ChecklistItemOut(
                        key=i.item.key,
                        text=i.text(school),
                        auto=i.item.auto,
                        done=i.done,
                        by_data=i.by_data,
                        reason=i.reason,
                        ticked_by=i.tick.by if i.tick else None,
                        ticked_at=cast(dt.datetime, i.tick.at) if i.tick else None,
                        note=i.tick.note if i.tick else "",
                    )
                    for i in s.items
                ],
            )
            for s in steps
        ],
    )


@router.get("/advisor/checklist", response=responses(200, ChecklistOut))
def get_checklist(request: HttpRequest, team_id: Id | None = None) -> ChecklistOut:
    """The four steps; items the data decides say why. ``?team_id=``: a team's own items."""
    return _checklist(_viewer(request), team_id)


@router.put("/advisor/checklist/{item}", response=responses(200, ChecklistOut))
def put_tick(request: HttpRequest, item: str, payload: TickIn) -> ChecklistOut:
    """Tick or untick an item by hand (admins; team leads for their team's items)."""
    who = _viewer(request)
    team = core_selectors.get_team(who.organisation, payload.team_id) if payload.team_id else None
    services.tick(actor=who, item=item, done=payload.done, note=payload.note, team=team)
    return _checklist(who, payload.team_id)


# ---------------------------------------------------------------- findings


def _finding(who: Actor, s: selectors.Shown) -> FindingOut:
    ack = s.acknowledged
    f = s.finding
    return FindingOut(
        key=f.key,
        rule=f.rule,
        title=f.title,
        classic=f.classic,
        evidence=f.evidence,
        source=f.source,
        next_step=f.next_step,
        # no link to a page the reader may not open (the web hides "Open the evidence" too)
        link=f.link if selectors.may_open_evidence(who, f) else None,
        acknowledged=AckOut(note=ack.note, by=ack.by.name if ack.by else None, at=ack.at)
        if ack
        else None,
    )


@router.get("/advisor/findings", response=responses(200, list[FindingOut]))
def findings(request: HttpRequest) -> list[FindingOut]:
    """What the mistake detector finds: all of it for admins and people ops; for a manager,
    what concerns their teams."""
    who = _viewer(request)
    return [_finding(who, s) for s in selectors.findings(who, selectors.snapshot(who))]


@router.post("/advisor/findings/{key}/acknowledgements", response=responses(201, FindingOut))
def acknowledge(request: HttpRequest, key: str, payload: AckIn) -> Status[FindingOut]:
    who = _viewer(request)
    found = selectors.get_finding(who, selectors.snapshot(who), key)
    ack = services.acknowledge(actor=who, key=key, note=payload.note)
    return Status(201, _finding(who, selectors.Shown(found.finding, ack)))


# ---------------------------------------------------------------- readiness


@router.get("/advisor/readiness", response=responses(200, ReadinessOut))
def get_readiness(request: HttpRequest, team_id: Id | None = None) -> ReadinessOut:
    """Where the organisation (or ``?team_id=``) stands on purpose, mastery and autonomy,
    and the next sensible step under its ordering policy."""
    who = _viewer(request)
    if team_id is not None:
        core_selectors.get_team(who.organisation, team_id)
    found: readiness.Readiness = selectors.readiness_of(selectors.snapshot(who), team_id)
    return ReadinessOut(
        team_id=team_id,
        policy=who.organisation.autonomy_policy,
        stages=[
            StageOut(name=s.name, level=cast(StageLevel, s.label), reasons=s.reasons)
            for s in found.stages
        ],
        focus=found.focus,
        next_step=found.next_step,
        link=found.next_link,
    )


# ---------------------------------------------------------------- reward style


@router.post("/advisor/reward-style", response=responses(201, StyleOut))
def reward_style(request: HttpRequest, payload: StyleIn) -> Status[StyleOut]:
    """Classify a role or an objective as algorithmic or heuristic work and get the reward
    practice that fits; an objective's work style is set from it."""
    who = actor(request)
    objective = (
        okr_selectors.get_objective(who, payload.objective_id)
        if payload.objective_id is not None
        else None
    )
    answers = style.Answers(
        payload.known_procedure, payload.countable, payload.quality_judged, payload.novel
    )
    found, verdict = services.assess_style(
        actor=who, answers=answers, objective=objective, job_role=payload.job_role
    )
    return Status(
        201,
        StyleOut(
            work_style=cast(WorkStyle, verdict.work_style),
            reasons=verdict.reasons,
            recommendation=verdict.recommendation,
            objective_id=found.objective_id,
            job_role=found.job_role,
        ),
    )


# ---------------------------------------------------------------- incentives


def _incentive(i: Any) -> IncentiveOut:
    return IncentiveOut(
        id=i.pk,
        what=i.what,
        outcome=i.outcome,
        style=i.style,
        amount=i.amount,
        currency=i.currency,
        reward_kind=i.reward_kind,
        objective_id=i.objective.pk if i.objective else None,
        key_result_id=i.key_result.pk if i.key_result else None,
        job_role=i.job_role,
        created_at=i.created_at,
    )


@router.get("/incentives", response=responses(200, list[IncentiveOut]))
def list_incentives(request: HttpRequest) -> list[IncentiveOut]:
    return [_incentive(i) for i in selectors.incentive_list(_viewer(request))]


@router.post("/incentives", response=responses(201, IncentiveOut))
def add_incentive(request: HttpRequest, payload: IncentiveIn) -> Status[IncentiveOut]:
    """Record a reward: ``if_then`` (promised in advance) or ``now_that`` (after the fact)."""
    found = services.add_incentive(actor=actor(request), **payload.model_dump())
    return Status(201, _incentive(found))


@router.delete("/incentives/{incentive_id}", response=responses(204, None))
def remove_incentive(request: HttpRequest, incentive_id: Id) -> Status[None]:
    who = actor(request)
    services.remove_incentive(actor=who, incentive=selectors.get_incentive(who, incentive_id))
    return Status(204, None)
