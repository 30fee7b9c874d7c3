"""REST routes: /cycles, /objectives, /key-results, /key-results/{id}/check-ins."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from ampwork.apitools import Id, Pages, actor, responses, window
from ampwork.core.permissions import Actor, require

from . import selectors, services
from .models import CheckIn, Cycle, KeyResult, Objective
from .schemas import (
    CheckInIn,
    CheckInOut,
    CycleIn,
    CycleOut,
    CyclePatch,
    KeyResultFilter,
    KeyResultIn,
    KeyResultOut,
    KeyResultPage,
    KeyResultPatch,
    LinkIn,
    LinkOut,
    MilestoneOut,
    ObjectiveFilter,
    ObjectiveIn,
    ObjectiveOut,
    ObjectivePage,
    ObjectivePatch,
)

router = Router()


# ---------------------------------------------------------------- cycles


@router.get("/cycles", response=responses(200, list[CycleOut]), tags=["okrs"])
@paginate(Pages)
def list_cycles(request: HttpRequest) -> Any:
    return selectors.cycles(actor(request).organisation)


@router.post("/cycles", response=responses(201, CycleOut), tags=["okrs"])
def create_cycle(request: HttpRequest, payload: CycleIn) -> Status[Cycle]:
    return Status(201, services.create_cycle(actor=actor(request), **payload.model_dump()))


@router.get("/cycles/{cycle_id}", response=responses(200, CycleOut), tags=["okrs"])
def get_cycle(request: HttpRequest, cycle_id: Id) -> Cycle:
    return selectors.get_cycle(actor(request).organisation, cycle_id)


@router.patch("/cycles/{cycle_id}", response=responses(200, CycleOut), tags=["okrs"])
def update_cycle(request: HttpRequest, cycle_id: Id, payload: CyclePatch) -> Cycle:
    who = actor(request)
    cycle = selectors.get_cycle(who.organisation, cycle_id)
    return services.update_cycle(actor=who, cycle=cycle, **payload.model_dump(exclude_unset=True))


# ---------------------------------------------------------------- objectives


def _key_result(kr: KeyResult, state: selectors.State) -> KeyResultOut:
    result = state.kr_results[kr.pk]
    return KeyResultOut(
        id=kr.pk,
        objective_id=kr.objective_id,
        title=kr.title,
        kind=kr.kind,
        start=kr.start,
        target=kr.target,
        current=kr.current,
        unit=kr.unit,
        low=kr.low,
        high=kr.high,
        done=kr.done,
        weight=kr.weight,
        owner_id=kr.owner_id,
        confidence=kr.confidence,
        last_check_in=kr.last_check_in,
        score=kr.score,
        score_reason=kr.score_reason,
        progress=result.progress.value,
        pacing=result.pacing,
        stale=result.stale,
        milestones=[MilestoneOut.model_validate(m) for m in kr.milestones.all()],
    )


def _objective(o: Objective, state: selectors.State, who: Actor) -> ObjectiveOut:
    r = state.results[o.pk]
    return ObjectiveOut(
        id=o.pk,
        cycle_id=o.cycle_id,
        owner_kind=o.owner_kind,
        owner_team_id=o.owner_team_id,
        owner_person_id=o.owner_person_id,
        author_id=o.author_id,
        self_authored=o.self_authored,
        title=o.title,
        description=o.description,
        kind=o.kind,
        work_style=o.work_style,
        visibility=o.visibility,
        status=o.status,
        progress=r.progress.value,
        lowest_key_result_progress=r.lowest,
        pacing=r.pacing,
        expected_progress=r.expected.value,
        score=r.score,
        score_band=r.band,
        parents=[
            {"id": link.parent_id, "kind": link.kind}
            for link in selectors.seen_links(who, state.parents.get(o.pk, []))
        ],
        key_results=[_key_result(kr, state) for kr in state.key_results.get(o.pk, [])],
    )


@router.get("/objectives", response=responses(200, ObjectivePage), tags=["okrs"])
def list_objectives(request: HttpRequest, filters: Query[ObjectiveFilter]) -> ObjectivePage:
    """Objectives you may see, with progress, pacing and key results (newest cycle first)."""
    who = actor(request)
    require(who, "okrs.view")
    qs = selectors.visible_objectives(who)
    for field in ("cycle_id", "owner_person_id", "owner_team_id"):
        if getattr(filters, field) is not None:
            qs = qs.filter(**{field: getattr(filters, field)})
    qs = qs.order_by("-cycle__start", "id")
    count = qs.count()
    page_ids = list(qs.values_list("id", flat=True)[window(filters)])
    state = selectors.evaluate(selectors.visible_objectives(who).filter(pk__in=page_ids))
    by_id = {o.pk: o for o in state.objectives}
    return ObjectivePage(items=[_objective(by_id[pk], state, who) for pk in page_ids], count=count)


@router.post("/objectives", response=responses(201, ObjectiveOut), tags=["okrs"])
def create_objective(request: HttpRequest, payload: ObjectiveIn) -> Status[ObjectiveOut]:
    who = actor(request)
    data = payload.model_dump()
    cycle = selectors.get_cycle(who.organisation, data.pop("cycle_id"))
    objective = services.create_objective(actor=who, cycle=cycle, **data)
    return Status(201, _detail(request, objective.pk))


def _detail(request: HttpRequest, pk: int) -> ObjectiveOut:
    who = actor(request)
    state = selectors.evaluate(selectors.visible_objectives(who).filter(pk=pk))
    objective = state.objective(pk)
    if objective is None:
        selectors.get_objective(who, pk)  # raises 404
    return _objective(objective, state, who)  # type: ignore[arg-type]


@router.get("/objectives/{objective_id}", response=responses(200, ObjectiveOut), tags=["okrs"])
def get_objective(request: HttpRequest, objective_id: Id) -> ObjectiveOut:
    return _detail(request, objective_id)


@router.patch("/objectives/{objective_id}", response=responses(200, ObjectiveOut), tags=["okrs"])
def update_objective(
    request: HttpRequest, objective_id: Id, payload: ObjectivePatch
) -> ObjectiveOut:
    who = actor(request)
    objective = selectors.get_objective(who, objective_id)
    services.update_objective(
        actor=who, objective=objective, **payload.model_dump(exclude_unset=True)
    )
    return _detail(request, objective_id)


@router.delete("/objectives/{objective_id}", response=responses(204, None), tags=["okrs"])
def delete_objective(request: HttpRequest, objective_id: Id) -> Status[None]:
    who = actor(request)
    services.delete_objective(actor=who, objective=selectors.get_objective(who, objective_id))
    return Status(204, None)


@router.post("/objectives/{objective_id}/parents", response=responses(201, LinkOut), tags=["okrs"])
def add_parent(request: HttpRequest, objective_id: Id, payload: LinkIn) -> Status[Any]:
    """Align an objective with another: ``contributes`` counts towards the parent's
    progress, ``supports`` is shown only. Loops are refused."""
    who = actor(request)
    child = selectors.get_objective(who, objective_id)
    selectors.get_objective(who, payload.parent_id)
    return Status(
        201, services.link(actor=who, child=child, parent_id=payload.parent_id, kind=payload.kind)
    )


@router.delete(
    "/objectives/{objective_id}/parents/{parent_id}", response=responses(204, None), tags=["okrs"]
)
def remove_parent(request: HttpRequest, objective_id: Id, parent_id: Id) -> Status[None]:
    who = actor(request)
    child = selectors.get_objective(who, objective_id)
    selectors.get_objective(who, parent_id)
    services.unlink(actor=who, child=child, parent_id=parent_id)
    return Status(204, None)


# ---------------------------------------------------------------- key results


def _kr_detail(request: HttpRequest, key_result: KeyResult) -> KeyResultOut:
    who = actor(request)
    state = selectors.evaluate(selectors.visible_objectives(who).filter(pk=key_result.objective_id))
    kr = next(k for k in state.key_results[key_result.objective_id] if k.pk == key_result.pk)
    return _key_result(kr, state)


@router.get("/key-results", response=responses(200, KeyResultPage), tags=["okrs"])
def list_key_results(request: HttpRequest, filters: Query[KeyResultFilter]) -> KeyResultPage:
    """Key results you may see. ``progress``, ``pacing`` and ``stale`` are computed."""
    who = actor(request)
    require(who, "okrs.view")
    qs = KeyResult.objects.filter(objective__in=selectors.visible_objectives(who).values("id"))
    if filters.objective_id is not None:
        qs = qs.filter(objective_id=filters.objective_id)
    if filters.owner_id is not None:
        qs = qs.filter(owner_id=filters.owner_id)
    qs = qs.order_by("objective_id", "position", "id")
    rows = list(qs.values_list("id", "objective_id")[window(filters)])
    state = selectors.evaluate(
        selectors.visible_objectives(who).filter(pk__in={objective for _, objective in rows})
    )
    found = {k.pk: k for krs in state.key_results.values() for k in krs}
    return KeyResultPage(items=[_key_result(found[pk], state) for pk, _ in rows], count=qs.count())


@router.post("/key-results", response=responses(201, KeyResultOut), tags=["okrs"])
def create_key_result(request: HttpRequest, payload: KeyResultIn) -> Status[KeyResultOut]:
    who = actor(request)
    data = payload.model_dump()
    objective = selectors.get_objective(who, data.pop("objective_id"))
    data["milestones"] = [(m["title"], m["weight"]) for m in data["milestones"]]
    key_result = services.create_key_result(actor=who, objective=objective, **data)
    return Status(201, _kr_detail(request, key_result))


@router.get("/key-results/{key_result_id}", response=responses(200, KeyResultOut), tags=["okrs"])
def get_key_result(request: HttpRequest, key_result_id: Id) -> KeyResultOut:
    return _kr_detail(request, selectors.get_key_result(actor(request), key_result_id))


@router.patch("/key-results/{key_result_id}", response=responses(200, KeyResultOut), tags=["okrs"])
def update_key_result(
    request: HttpRequest, key_result_id: Id, payload: KeyResultPatch
) -> KeyResultOut:
    who = actor(request)
    key_result = selectors.get_key_result(who, key_result_id)
    services.update_key_result(
        actor=who, key_result=key_result, **payload.model_dump(exclude_unset=True)
    )
    return _kr_detail(request, key_result)


@router.get(
    "/key-results/{key_result_id}/check-ins",
    response=responses(200, list[CheckInOut]),
    tags=["okrs"],
)
@paginate(Pages)
def list_check_ins(request: HttpRequest, key_result_id: Id) -> Any:
    key_result = selectors.get_key_result(actor(request), key_result_id)
    return CheckIn.objects.filter(key_result=key_result).order_by("-date", "-id")


@router.post(
    "/key-results/{key_result_id}/check-ins", response=responses(201, CheckInOut), tags=["okrs"]
)
def create_check_in(request: HttpRequest, key_result_id: Id, payload: CheckInIn) -> Status[CheckIn]:
    """Record a check-in: how integrations push a metric automatically with a token."""
    who = actor(request)
    key_result = selectors.get_key_result(who, key_result_id)
    return Status(201, services.check_in(actor=who, key_result=key_result, **payload.model_dump()))
