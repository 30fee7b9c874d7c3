"""The team's reviews page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone

from ampwork.core.models import Person, Team, TeamMembership
from ampwork.core.permissions import Actor

from .. import flow, goldilocks
from ..models import (
    Review,
)
from .calibration import calibrations, flows
from .weeks import weeks_back


@dataclass
class TeamRow:
    person: Person
    cells: list[tuple[dt.date, dict[str, Any] | None]]
    flow: flow.FlowMap
    calibration: goldilocks.Calibration


@dataclass
class TeamReviews:
    team: Team
    weeks: list[dt.date]
    rows: list[TeamRow]
    awaiting: list[Review]  # this and last week's reviews nobody has answered yet

    @property
    def written_this_week(self) -> int:
        return sum(1 for r in self.rows if r.cells and r.cells[-1][1] is not None)


def team_reviews(
    actor: Actor, team: Team, *, weeks: int = 8, today: dt.date | None = None
) -> TeamReviews:
    """A team's members × the last ``weeks`` weeks: who wrote a review, their ratings,
    whether it was answered; each person's flow map and Goldilocks flags; and the recent
    reviews waiting for an answer. A fixed number of queries at any team size."""
    today = today or timezone.localdate()
    columns = weeks_back(today, weeks)
    people = [
        m.person
        for m in TeamMembership.objects.filter(team=team, person__active=True)
        .exclude(person=actor.person)
        .select_related("person")
        .order_by("person__name", "person_id")
    ]
    ids = [p.pk for p in people]
    found: dict[tuple[int, dt.date], Any] = {}
    for row in (
        Review.objects.filter(person_id__in=ids, week__gte=columns[0])
        .annotate(replies_count=Count("replies"))
        .values("id", "person_id", "week", "challenge", "skill", "replies_count")
    ):
        found[(row["person_id"], row["week"])] = row
    flow_maps = flows(ids, today)
    calibrated = calibrations(actor.organisation, ids)
    rows = [
        TeamRow(p, [(w, found.get((p.pk, w))) for w in columns], flow_maps[p.pk], calibrated[p.pk])
        for p in people
    ]
    awaiting = list(
        Review.objects.filter(person_id__in=ids, week__gte=columns[-2], replies__isnull=True)
        .select_related("person")
        .order_by("-week", "person__name")
    )
    return TeamReviews(team, columns, rows, awaiting)
