"""OKR cycles: the list, one by id, the current one, all as plain rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core.errors import NotFound
from ampwork.core.models import Organisation

from ..models import Cycle


def cycles(org: Organisation) -> QuerySet[Cycle]:
    return Cycle.objects.filter(organisation=org).order_by("-start", "-id")


def get_cycle(org: Organisation, pk: int) -> Cycle:
    cycle = Cycle.objects.filter(organisation=org, pk=pk).first()
    if cycle is None:
        raise NotFound(_("no such cycle"))
    return cycle


def current_cycle(org: Organisation, today: dt.date | None = None) -> Cycle | None:
    """The open cycle that contains today, else the latest open one, else the latest."""
    today = today or timezone.localdate()
    rows = list(cycles(org)[:50])
    for cycle in rows:
        if cycle.is_open and cycle.start <= today <= cycle.end:
            return cycle
    return next((c for c in rows if c.is_open), rows[0] if rows else None)


@dataclass(frozen=True)
class CycleRow:
    """A cycle as plain values, with how many objectives it holds (rostering compares a
    school's terms with them)."""

    id: int
    name: str
    start: dt.date
    end: dt.date
    open: bool
    objectives: int


def cycle_rows(org: Organisation) -> dict[int, CycleRow]:
    """Every cycle of the organisation by id, in one query."""
    return {
        pk: CycleRow(pk, name, start, end, status == Cycle.Status.OPEN, n)
        for pk, name, start, end, status, n in Cycle.objects.filter(organisation=org)
        .annotate(n=Count("objectives"))
        .values_list("pk", "name", "start", "end", "status", "n")
    }
