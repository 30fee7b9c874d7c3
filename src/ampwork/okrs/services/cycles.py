"""Writes for cycles: opening one and changing its name or dates (closing is in closing.py);
a school's terms from its roster, in bulk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core.errors import ValidationFailed, only
from ampwork.core.permissions import Actor, require
from ampwork.okrs.models import Cycle, Objective

from . import derived


def _check_dates(start: dt.date, end: dt.date) -> None:
    if end <= start:
        raise ValidationFailed.single("end", _("must be after the start"))
    if (end - start).days > 800:
        raise ValidationFailed.single("end", _("a cycle lasts at most about two years"))


@transaction.atomic
def create_cycle(*, actor: Actor, name: str, start: dt.date, end: dt.date) -> Cycle:
    require(actor, "cycles.edit", actor.organisation)
    name = name.strip()
    if not name:
        raise ValidationFailed.single("name", _("is required"))
    _check_dates(start, end)
    if Cycle.objects.filter(organisation=actor.organisation, name__iexact=name).exists():
        raise ValidationFailed.single(
            "name", _("a cycle called '%(name)s' already exists") % {"name": name}
        )
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
            raise ValidationFailed.single("name", _("is required and must be unique"))
    _check_dates(changes.get("start", cycle.start), changes.get("end", cycle.end))
    moved = any(changes.get(f, getattr(cycle, f)) != getattr(cycle, f) for f in ("start", "end"))
    for field, value in changes.items():
        setattr(cycle, field, value)
    cycle.save()
    if moved:  # each key result's clock counts from the cycle's first day at the earliest
        derived.refresh_cycles([cycle.pk])
    return cycle


@dataclass(frozen=True)
class TermCycle:
    """A school's term as a cycle: ``id`` None to create one."""

    id: int | None
    name: str
    start: dt.date
    end: dt.date


@transaction.atomic
def roster_cycles(
    *, actor: Actor, write: Sequence[TermCycle], close: Collection[int] = ()
) -> list[int]:
    """A school's terms from its roster, in bulk: cycles created or renamed and re-dated,
    and those in ``close`` closed — only while they hold no objective. The caller (the
    roster's planner) keeps names unique and ends after starts; they are checked again.
    Answers the ids of ``write`` in order (the new ones created)."""
    org = actor.organisation
    require(actor, "cycles.edit", org)
    for term in write:
        if term.end <= term.start or not term.name.strip():
            raise ValidationFailed.single("end", _("must be after the start"))
    new = [t for t in write if t.id is None]
    created = Cycle.objects.bulk_create(
        [Cycle(organisation=org, name=t.name, start=t.start, end=t.end) for t in new]
    )
    made = iter(created)
    ids = [t.id if t.id is not None else next(made).pk for t in write]
    old = {t.id: t for t in write if t.id is not None}
    if old:
        before = {
            pk: (start, end)
            for pk, start, end in Cycle.objects.filter(organisation=org, pk__in=old).values_list(
                "pk", "start", "end"
            )
        }
        Cycle.objects.bulk_update(
            [
                Cycle(pk=pk, organisation=org, name=t.name, start=t.start, end=t.end)
                for pk, t in old.items()
                if pk in before
            ],
            ["name", "start", "end"],
        )
        # each key result's clock counts from the cycle's first day at the earliest
        derived.refresh_cycles([pk for pk, t in old.items() if before.get(pk) != (t.start, t.end)])
    if close:
        Cycle.objects.filter(
            organisation=org, pk__in=list(close), status=Cycle.Status.OPEN
        ).exclude(Exists(Objective.objects.filter(cycle=OuterRef("pk")))).update(
            status=Cycle.Status.CLOSED, closed_at=timezone.now()
        )
    return ids
