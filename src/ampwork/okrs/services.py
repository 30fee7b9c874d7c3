"""Writes for cycles, objectives, key results and check-ins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from ampwork.core.errors import FieldError, NotAllowed, ValidationFailed, only
from ampwork.core.models import Person, Team
from ampwork.core.permissions import Actor, can, require
from ampwork.core.services import record

from . import progress, selectors
from .inputs import kr_input
from .models import CheckIn, Cycle, KeyResult, Milestone, Objective, ObjectiveLink

# ---------------------------------------------------------------- cycles


def _check_dates(start: dt.date, end: dt.date) -> None:
    if end <= start:
        raise ValidationFailed.single("end", "must be after the start")
    if (end - start).days > 800:
        raise ValidationFailed.single("end", "a cycle lasts at most about two years")


@transaction.atomic
def create_cycle(*, actor: Actor, name: str, start: dt.date, end: dt.date) -> Cycle:
    require(actor, "cycles.edit", actor.organisation)
    name = name.strip()
    if not name:
        raise ValidationFailed.single("name", "is required")
    _check_dates(start, end)
    if Cycle.objects.filter(organisation=actor.organisation, name__iexact=name).exists():
        raise ValidationFailed.single("name", f"a cycle called '{name}' already exists")
    return Cycle.objects.create(organisation=actor.organisation, name=name, start=start, end=end)


@transaction.atomic
def update_cycle(*, actor: Actor, cycle: Cycle, **changes: Any) -> Cycle:
    require(actor, "cycles.edit", cycle)
    only(changes, {"name", "start", "end"})
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
        clash = Cycle.objects.filter(
            organisation=cycle.organisation, name__iexact=changes["name"]
        ).exclude(pk=cycle.pk)
        if not changes["name"] or clash.exists():
            raise ValidationFailed.single("name", "is required and must be unique")
    _check_dates(changes.get("start", cycle.start), changes.get("end", cycle.end))
    for field, value in changes.items():
        setattr(cycle, field, value)
    cycle.save()
    return cycle


# ---------------------------------------------------------------- objectives

OBJECTIVE_FIELDS = ("title", "description", "kind", "work_style", "visibility", "status")


def _owner(
    actor: Actor, owner_kind: str, owner_team_id: int | None, owner_person_id: int | None
) -> tuple[Team | None, Person | None]:
    org = actor.organisation
    team = person = None
    if owner_kind == Objective.OwnerKind.TEAM:
        team = Team.objects.filter(organisation=org, pk=owner_team_id or 0).first()
        if team is None:
            raise ValidationFailed.single("owner_team_id", "no such team in this organisation")
    elif owner_kind == Objective.OwnerKind.PERSON:
        pid = (
            owner_person_id
            if owner_person_id is not None
            else (actor.person.pk if actor.person else None)
        )
        person = Person.objects.filter(organisation=org, pk=pid or 0, active=True).first()
        if person is None:
            raise ValidationFailed.single("owner_person_id", "no such active person here")
    elif owner_kind != Objective.OwnerKind.ORGANISATION:
        raise ValidationFailed.single("owner_kind", "must be organisation, team or person")
    return team, person


def _check_choices(fields: dict[str, Any]) -> None:
    choices = {
        "kind": Objective.Kind,
        "work_style": Objective.WorkStyle,
        "visibility": Objective.Visibility,
        "status": Objective.Status,
    }
    for name, enum in choices.items():
        if name in fields and fields[name] not in enum.values:
            raise ValidationFailed.single(name, f"must be one of {', '.join(enum.values)}")


@transaction.atomic
def create_objective(
    *,
    actor: Actor,
    cycle: Cycle,
    title: str,
    owner_kind: str = "person",
    owner_team_id: int | None = None,
    owner_person_id: int | None = None,
    description: str = "",
    kind: str = Objective.Kind.COMMITTED,
    work_style: str = Objective.WorkStyle.HEURISTIC,
    visibility: str = Objective.Visibility.ORGANISATION,
    parent_id: int | None = None,
    link_kind: str = ObjectiveLink.Kind.CONTRIBUTES,
) -> Objective:
    org = actor.organisation
    if cycle.organisation_id != org.pk:
        raise ValidationFailed.single("cycle_id", "no such cycle in this organisation")
    if not cycle.is_open:
        raise ValidationFailed.single("cycle_id", f"{cycle.name} is closed")
    title = title.strip()
    if not title:
        raise ValidationFailed.single("title", "is required")
    _check_choices({"kind": kind, "work_style": work_style, "visibility": visibility})
    team, person = _owner(actor, owner_kind, owner_team_id, owner_person_id)
    objective = Objective(
        organisation=org,
        cycle=cycle,
        owner_kind=owner_kind,
        owner_team=team,
        owner_person=person,
        author=actor.person,
        title=title,
        description=description,
        kind=kind,
        work_style=work_style,
        visibility=visibility,
    )
    # May the actor own this? Checked on the unsaved objective: same rule as editing it.
    require(actor, "objectives.edit", objective)
    objective.save()
    if parent_id is not None:
        link(actor=actor, child=objective, parent_id=parent_id, kind=link_kind)
    return objective


@transaction.atomic
def update_objective(*, actor: Actor, objective: Objective, **changes: Any) -> Objective:
    require(actor, "objectives.edit", objective)
    only(changes, OBJECTIVE_FIELDS)
    if "title" in changes:
        changes["title"] = str(changes["title"]).strip()
        if not changes["title"]:
            raise ValidationFailed.single("title", "is required")
    _check_choices(changes)
    for field, value in changes.items():
        setattr(objective, field, value)
    if changes:
        objective.save(update_fields=list(changes))
    return objective


@transaction.atomic
def delete_objective(*, actor: Actor, objective: Objective) -> None:
    require(actor, "objectives.edit", objective)
    record(actor, actor.organisation, "objective.deleted", objective, title=objective.title)
    objective.delete()


@transaction.atomic
def link(
    *, actor: Actor, child: Objective, parent_id: int, kind: str = ObjectiveLink.Kind.CONTRIBUTES
) -> ObjectiveLink:
    """Align ``child`` under a parent objective of the same organisation, without loops."""
    require(actor, "objectives.edit", child)
    if kind not in ObjectiveLink.Kind.values:
        raise ValidationFailed.single("link_kind", "must be contributes or supports")
    # among the objectives the actor may see: a private one answers as a missing one
    parent = selectors.visible_objectives(actor).filter(pk=parent_id).first()
    if parent is None:
        raise ValidationFailed.single("parent_id", "no such objective in this organisation")
    if parent.pk == child.pk or child.pk in _ancestors(parent.pk):
        raise ValidationFailed.single("parent_id", "would make a loop of objectives")
    found, _ = ObjectiveLink.objects.update_or_create(
        organisation=actor.organisation, child=child, parent=parent, defaults={"kind": kind}
    )
    return found


def _ancestors(objective_id: int) -> set[int]:
    seen: set[int] = set()
    frontier = {objective_id}
    while frontier:
        parents = (
            set(
                ObjectiveLink.objects.filter(child_id__in=frontier).values_list(
                    "parent_id", flat=True
                )
            )
            - seen
        )
        seen |= parents
        frontier = parents
    return seen


@transaction.atomic
def unlink(*, actor: Actor, child: Objective, parent_id: int) -> None:
    require(actor, "objectives.edit", child)
    ObjectiveLink.objects.filter(child=child, parent_id=parent_id).delete()


# ---------------------------------------------------------------- key results

KR_FIELDS = ("title", "kind", "start", "target", "unit", "low", "high", "weight", "owner_id")


def _check_kr(fields: dict[str, Any]) -> None:
    kind = fields.get("kind", KeyResult.Kind.NUMERIC)
    if kind not in KeyResult.Kind.values:
        raise ValidationFailed.single("kind", f"must be one of {', '.join(KeyResult.Kind.values)}")
    if "title" in fields and not str(fields["title"]).strip():
        raise ValidationFailed.single("title", "is required")
    if kind == KeyResult.Kind.NUMERIC and fields.get("start") == fields.get("target"):
        raise ValidationFailed.single("target", "must differ from the start: what will change?")
    if kind == KeyResult.Kind.MILESTONES and not any(
        str(name).strip() for name, _ in fields.get("milestones", ())
    ):
        raise ValidationFailed.single("milestones", "name at least one milestone")
    if kind == KeyResult.Kind.RANGE:
        low, high = fields.get("low"), fields.get("high")
        if low is None or high is None or low > high:
            raise ValidationFailed.single("high", "a range needs a low and a high, low ≤ high")
    if fields.get("weight", 1.0) < 0:
        raise ValidationFailed.single("weight", "must not be negative")


@transaction.atomic
def create_key_result(
    *,
    actor: Actor,
    objective: Objective,
    title: str,
    kind: str = KeyResult.Kind.NUMERIC,
    start: float = 0.0,
    target: float = 1.0,
    unit: str = "",
    low: float | None = None,
    high: float | None = None,
    weight: float = 1.0,
    owner_id: int | None = None,
    milestones: Sequence[tuple[str, float]] = (),
) -> KeyResult:
    require(actor, "objectives.edit", objective)
    spec = {
        "title": title,
        "kind": kind,
        "start": start,
        "target": target,
        "unit": unit,
        "low": low,
        "high": high,
        "weight": weight,
        "milestones": milestones,
    }
    _check_kr(spec)
    owner = _kr_owner(actor, objective, owner_id)
    return _make_key_result(objective, owner, objective.key_results.count(), spec)


def _make_key_result(
    objective: Objective, owner: Person | None, position: int, spec: dict[str, Any]
) -> KeyResult:
    kind = spec.get("kind", KeyResult.Kind.NUMERIC)
    key_result = KeyResult.objects.create(
        organisation_id=objective.organisation_id,
        objective=objective,
        title=str(spec["title"]).strip(),
        kind=kind,
        start=spec.get("start", 0.0),
        target=spec.get("target", 1.0),
        unit=str(spec.get("unit", "")).strip(),
        low=spec.get("low"),
        high=spec.get("high"),
        weight=spec.get("weight", 1.0),
        owner=owner,
        position=position,
    )
    Milestone.objects.bulk_create(
        Milestone(key_result=key_result, title=name.strip(), weight=w, position=i)
        for i, (name, w) in enumerate(spec.get("milestones", ()))
        if name.strip()
    )
    return key_result


def _kr_owner(actor: Actor, objective: Objective, owner_id: int | None) -> Person | None:
    if owner_id is None:
        return objective.owner_person
    owner = Person.objects.filter(organisation=actor.organisation, pk=owner_id).first()
    if owner is None:
        raise ValidationFailed.single("owner_id", "no such person in this organisation")
    return owner


@transaction.atomic
def update_key_result(*, actor: Actor, key_result: KeyResult, **changes: Any) -> KeyResult:
    require(actor, "objectives.edit", key_result.objective)
    only(changes, KR_FIELDS)
    merged = {f: getattr(key_result, f) for f in KR_FIELDS} | changes
    merged["milestones"] = [(m.title, m.weight) for m in key_result.milestones.all()]
    _check_kr(merged)
    if changes.get("owner_id") is not None:
        owner = _kr_owner(actor, key_result.objective, changes["owner_id"])
        changes["owner_id"] = owner.pk if owner else None
    for field, value in changes.items():
        setattr(key_result, field, value)
    if changes:
        key_result.save(update_fields=list(changes))
    return key_result


# ---------------------------------------------------------------- check-ins


@transaction.atomic
def check_in(
    *,
    actor: Actor,
    key_result: KeyResult,
    value: float | None = None,
    done: bool | None = None,
    milestones_done: Iterable[int] | None = None,
    confidence: int | None = None,
    note: str = "",
    date: dt.date | None = None,
) -> CheckIn:
    """Record a check-in; the key result then shows its newest check-in by date.

    The key result's row is locked first, so check-ins posted at the same moment are
    applied one after another and none is lost.
    """
    require(actor, "key_results.check_in", key_result)
    locked = KeyResult.objects.select_for_update().get(pk=key_result.pk)
    if not locked.objective.cycle.is_open:
        raise ValidationFailed.single("key_result", "its cycle is closed")
    date = date or timezone.localdate()
    kind = locked.kind
    if confidence is not None and not 0 <= confidence <= 10:
        raise ValidationFailed.single("confidence", "must be from 0 to 10")
    if kind in (KeyResult.Kind.NUMERIC, KeyResult.Kind.RANGE) and value is None:
        raise ValidationFailed.single("value", "is required for this key result")
    if kind == KeyResult.Kind.BOOLEAN and done is None:
        raise ValidationFailed.single("done", "say whether it is done")
    ids: list[int] = []
    if kind == KeyResult.Kind.MILESTONES:
        known = set(locked.milestones.values_list("id", flat=True))
        ids = sorted(set(milestones_done or []))
        if not set(ids) <= known:
            raise ValidationFailed.single(
                "milestones_done", "names a milestone of another key result"
            )
    entry = CheckIn.objects.create(
        organisation=locked.organisation,
        key_result=locked,
        value=value,
        done=done,
        milestones_done=ids,
        confidence=confidence,
        note=note.strip()[:280],
        date=date,
        author=actor.person,
    )
    _apply_latest(locked)
    return entry


def _apply_latest(key_result: KeyResult) -> None:
    latest = key_result.check_ins.order_by("-date", "-id").first()
    if latest is None:
        return
    key_result.last_check_in = latest.date
    if latest.value is not None:
        key_result.current = latest.value
    if latest.done is not None:
        key_result.done = latest.done
    if latest.confidence is not None:
        key_result.confidence = latest.confidence
    key_result.save(update_fields=["last_check_in", "current", "done", "confidence"])
    if key_result.kind == KeyResult.Kind.MILESTONES:
        done = set(latest.milestones_done)
        for milestone in key_result.milestones.all():
            if milestone.done != (milestone.pk in done):
                milestone.done = milestone.pk in done
                milestone.save(update_fields=["done"])


# ---------------------------------------------------------------- templates


@transaction.atomic
def assign_template(
    *,
    actor: Actor,
    cycle: Cycle,
    team: Team,
    title: str,
    description: str = "",
    kind: str = Objective.Kind.COMMITTED,
    key_results: Sequence[dict[str, Any]] = (),
) -> list[Objective]:
    """Give every active member of a team their own copy of one objective.

    The copies are authored by whoever assigns them (an admin or a lead of the team), so
    they count as set top-down in the autonomy index.
    """
    if (
        team.organisation_id != actor.organisation.pk
        or cycle.organisation_id != team.organisation_id
    ):
        raise ValidationFailed.single("team_id", "no such team in this organisation")
    if not can(actor, "objectives.assign", team):
        raise NotAllowed("Only admins and the team's leads assign objectives to a team.")
    if not cycle.is_open:
        raise ValidationFailed.single("cycle_id", f"{cycle.name} is closed")
    if not title.strip():
        raise ValidationFailed.single("title", "is required")
    _check_choices({"kind": kind})
    for spec in key_results:
        _check_kr(spec)
    members = list(Person.objects.filter(memberships__team=team, active=True).order_by("name"))
    if not members:
        raise ValidationFailed.single("team_id", f"{team.name} has no active members")
    copies = []
    for person in members:
        objective = Objective.objects.create(
            organisation=actor.organisation,
            cycle=cycle,
            owner_kind=Objective.OwnerKind.PERSON,
            owner_person=person,
            author=actor.person,
            title=title.strip(),
            description=description,
            kind=kind,
        )
        for position, spec in enumerate(key_results):
            _make_key_result(objective, person, position, spec)
        copies.append(objective)
    record(
        actor,
        actor.organisation,
        "objectives.assigned",
        team,
        title=title.strip(),
        count=len(copies),
    )
    return copies


# ---------------------------------------------------------------- closing a cycle


@transaction.atomic
def close_cycle(
    *,
    actor: Actor,
    cycle: Cycle,
    overrides: dict[int, tuple[float, str]] | None = None,
    retrospective: str = "",
    carry: Iterable[int] = (),
    next_cycle: Cycle | None = None,
) -> Cycle:
    """Score every key result (computed, or overridden with a reason), keep a retrospective,
    and carry unfinished objectives into the next cycle."""
    require(actor, "cycles.edit", cycle)
    if not cycle.is_open:
        raise ValidationFailed.single("cycle", f"{cycle.name} is already closed")
    overrides = overrides or {}
    key_results = list(
        KeyResult.objects.filter(objective__cycle=cycle).prefetch_related("milestones")
    )
    known = {k.pk for k in key_results}
    errors = [
        FieldError(f"score[{pk}]", "no such key result in this cycle")
        for pk in overrides
        if pk not in known
    ]
    for pk, (score, reason) in overrides.items():
        if not 0 <= score <= 1:
            errors.append(FieldError(f"score[{pk}]", "a score is from 0.0 to 1.0"))
        if not reason.strip():
            errors.append(
                FieldError(f"reason[{pk}]", "say why the score differs from the computed one")
            )
    carry = list(carry)
    if carry and (next_cycle is None or not next_cycle.is_open or next_cycle.pk == cycle.pk):
        errors.append(FieldError("next_cycle", "choose an open cycle to carry objectives into"))
    if errors:
        raise ValidationFailed(errors)
    for kr in key_results:
        if kr.pk in overrides:
            kr.score, kr.score_reason = (
                progress.round_score(overrides[kr.pk][0]),
                overrides[kr.pk][1].strip(),
            )
        else:
            kr.score = progress.round_score(progress.kr_progress(kr_input(kr)))  # exact
            kr.score_reason = ""
    KeyResult.objects.bulk_update(key_results, ["score", "score_reason"])
    for objective in Objective.objects.filter(cycle=cycle, pk__in=carry):
        _carry(objective, next_cycle)  # type: ignore[arg-type]
    cycle.status, cycle.retrospective, cycle.closed_at = (
        Cycle.Status.CLOSED,
        retrospective.strip(),
        timezone.now(),
    )
    cycle.save(update_fields=["status", "retrospective", "closed_at"])
    record(actor, actor.organisation, "cycle.closed", cycle, carried=len(carry))
    return cycle


def _carry(objective: Objective, into: Cycle) -> Objective:
    copy = Objective.objects.create(
        organisation=objective.organisation,
        cycle=into,
        owner_kind=objective.owner_kind,
        owner_team=objective.owner_team,
        owner_person=objective.owner_person,
        author=objective.author,
        title=objective.title,
        description=objective.description,
        kind=objective.kind,
        work_style=objective.work_style,
        visibility=objective.visibility,
        carried_from=objective,
    )
    for kr in objective.key_results.prefetch_related("milestones"):
        fresh = KeyResult.objects.create(
            organisation=kr.organisation,
            objective=copy,
            title=kr.title,
            kind=kr.kind,
            # a numeric result continues from where it got to
            start=kr.current
            if kr.kind == KeyResult.Kind.NUMERIC and kr.current is not None
            else kr.start,
            target=kr.target,
            unit=kr.unit,
            low=kr.low,
            high=kr.high,
            weight=kr.weight,
            owner=kr.owner,
            position=kr.position,
            done=kr.done,
        )
        Milestone.objects.bulk_create(
            Milestone(
                key_result=fresh, title=m.title, weight=m.weight, done=m.done, position=m.position
            )
            for m in kr.milestones.all()
        )
    objective.status = Objective.Status.CARRIED
    objective.save(update_fields=["status"])
    return copy
