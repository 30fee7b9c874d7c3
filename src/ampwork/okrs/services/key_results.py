"""Writes for key results: checking a key result's shape, creating and changing one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ampwork.core.errors import ValidationFailed, only
from ampwork.core.models import Person
from ampwork.core.permissions import Actor, require
from ampwork.okrs.models import KeyResult, Milestone, Objective

from . import derived, published

KR_FIELDS = ("title", "kind", "start", "target", "unit", "low", "high", "weight", "owner_id")


def check_key_result(fields: dict[str, Any]) -> None:
    """Refuse a key result whose kind, title, target, milestones, range or weight is wrong."""
    kind = fields.get("kind", KeyResult.Kind.NUMERIC)
    if kind not in KeyResult.Kind.values:
        raise ValidationFailed.single(
            "kind", _("must be one of %(choices)s") % {"choices": ", ".join(KeyResult.Kind.values)}
        )
    if "title" in fields and not str(fields["title"]).strip():
        raise ValidationFailed.single("title", _("is required"))
    if kind == KeyResult.Kind.NUMERIC and fields.get("start") == fields.get("target"):
        raise ValidationFailed.single("target", _("must differ from the start: what will change?"))
    if kind == KeyResult.Kind.MILESTONES and not any(
        str(name).strip() for name, _ in fields.get("milestones", ())
    ):
        raise ValidationFailed.single("milestones", _("name at least one milestone"))
    if kind == KeyResult.Kind.RANGE:
        low, high = fields.get("low"), fields.get("high")
        if low is None or high is None or low > high:
            raise ValidationFailed.single("high", _("a range needs a low and a high, low ≤ high"))
    if fields.get("weight", 1.0) < 0:
        raise ValidationFailed.single("weight", _("must not be negative"))


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
    check_key_result(spec)
    owner = _kr_owner(actor, objective, owner_id)
    made = make_key_result(objective, owner, objective.key_results.count(), spec)
    derived.refresh([objective.pk])
    published.key_result("key_result.created", made)
    return made


def make_key_result(
    objective: Objective, owner: Person | None, position: int, spec: dict[str, Any]
) -> KeyResult:
    """Store a checked key result (and its milestones) under ``objective``; the caller
    refreshes the objective's derived numbers (:func:`.derived.refresh`)."""
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
        raise ValidationFailed.single("owner_id", _("no such person in this organisation"))
    return owner


@transaction.atomic
def update_key_result(*, actor: Actor, key_result: KeyResult, **changes: Any) -> KeyResult:
    require(actor, "objectives.edit", key_result.objective)
    only(changes, KR_FIELDS)
    merged = {f: getattr(key_result, f) for f in KR_FIELDS} | changes
    merged["milestones"] = [(m.title, m.weight) for m in key_result.milestones.all()]
    check_key_result(merged)
    if changes.get("owner_id") is not None:
        owner = _kr_owner(actor, key_result.objective, changes["owner_id"])
        changes["owner_id"] = owner.pk if owner else None
    for field, value in changes.items():
        setattr(key_result, field, value)
    if changes:
        key_result.save(update_fields=list(changes))
        derived.refresh([key_result.objective_id])
        published.key_result("key_result.updated", key_result)
    return key_result
