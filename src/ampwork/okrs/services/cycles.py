"""Writes for cycles: opening one and changing its name or dates (closing is in closing.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ampwork.core.errors import ValidationFailed, only
from ampwork.core.permissions import Actor, require
from ampwork.okrs.models import Cycle

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
