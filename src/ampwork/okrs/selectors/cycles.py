"""OKR cycles: the list, one by id, the current one."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
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
