"""The cycle dashboard: pacing per team, scores, stale key results; owners' warnings."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce

from ampwork.core import selectors as core_selectors
from ampwork.core.permissions import Actor

from .. import progress
from ..models import Cycle, KeyResult, Objective
from .alignment import team_objectives
from .evaluation import State, evaluate
from .visibility import visible_objectives

STATUSES = [progress.ON_TRACK, progress.AT_RISK, progress.OFF_TRACK, progress.NOT_STARTED]


@dataclass
class TeamRow:
    team_id: int
    name: str
    counts: dict[str, int]
    total: int


@dataclass
class Dashboard:
    cycle: Cycle
    state: State
    teams: list[TeamRow]
    totals: dict[str, int]
    scores: dict[float, int]  # key results per grade (their score, once scored)
    scored: bool
    stale: list[KeyResult]
    stale_count: int
    without_key_results: list[Objective]


def dashboard(actor: Actor, cycle: Cycle, today: dt.date | None = None) -> Dashboard:
    """Pacing per team, the score distribution, stale key results, objectives without any.

    A team's row counts the objectives in it as the alignment tree does
    (:func:`.alignment.objectives_by_team`): its own, its members', its teams', each once.
    """
    org = actor.organisation
    state_query = visible_objectives(actor).filter(cycle=cycle)
    state = evaluate(state_query, today, detail=False)
    names = dict(core_selectors.teams(org).values_list("id", "name"))
    totals: Counter[str] = Counter(state.results[o.pk].pacing for o in state.objectives)
    per_team: dict[int, Counter[str]] = {
        team: Counter(state.results[pk].pacing for pk in ids)
        for team, ids in team_objectives(org, state.objectives).items()
        if ids
    }
    rows = sorted(
        (
            TeamRow(t, names.get(t, "?"), {s: c[s] for s in STATUSES}, sum(c.values()))
            for t, c in per_team.items()
        ),
        key=lambda r: (-(r.counts[progress.OFF_TRACK] + r.counts[progress.AT_RISK]), r.name),
    )
    scored = not cycle.is_open
    key_results = KeyResult.objects.filter(objective__in=state_query.values("id"))
    # each key result's grade, stored (okrs.services.derived): its score once scored
    grade = Coalesce("score", "graded") if scored else F("graded")
    scores = {
        value: n
        for value, n in key_results.annotate(g=grade)
        .values("g")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("g", "n")
    }
    stale = _stale(key_results, cycle, state.today)
    without = [
        o
        for o in state.objectives
        if o.lowest is None and o.status == Objective.Status.ACTIVE  # lowest: of none
    ]
    return Dashboard(
        cycle,
        state,
        rows,
        {s: totals[s] for s in STATUSES},
        scores,
        scored,
        list(
            stale.select_related("owner").order_by(F("last_check_in").asc(nulls_first=True), "id")[
                :50
            ]
        ),
        stale.count(),
        without,
    )


_LONGEST_SILENT = F("last_check_in").asc(nulls_first=True)  # never checked in: first


def _stale(key_results: QuerySet[KeyResult], cycle: Cycle, today: dt.date) -> QuerySet[KeyResult]:
    """The stale key results of active objectives (:func:`ampwork.okrs.progress.stale_in_cycle`
    in the database: no check-in since, or no check-in and a clock started, 14 days ago or
    more, while the cycle has not ended)."""
    if today > cycle.end:
        return key_results.none()
    return key_results.filter(objective__status=Objective.Status.ACTIVE).filter(
        Q(last_check_in__lte=today - dt.timedelta(days=progress.STALE_DAYS))
        | Q(last_check_in__isnull=True, clock__lte=today - dt.timedelta(days=progress.STALE_DAYS))
    )


def owner_warnings(state: State) -> dict[int, list[str]]:
    """Doerr's count warnings per person who owns objectives in the state."""
    objectives_of: dict[int, list[Objective]] = defaultdict(list)
    for o in state.objectives:
        if o.owner_person_id is not None and o.status == Objective.Status.ACTIVE:
            objectives_of[o.owner_person_id].append(o)
    return {
        person: warnings
        for person, objs in objectives_of.items()
        if (
            warnings := progress.count_warnings(
                len(objs), [len(state.key_results.get(o.pk, [])) for o in objs]
            )
        )
    }
