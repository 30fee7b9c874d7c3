"""The cycle dashboard: pacing per team, scores, stale key results; owners' warnings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from ampwork.core import selectors as core_selectors
from ampwork.core.perf import gc_paused
from ampwork.core.permissions import Actor

from .. import columns, progress
from ..models import Cycle, KeyResult, Objective
from .alignment import active_members, organisation_team
from .evaluation import State
from .table import LazyRows, read_table, team_incidence
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
    without_key_results: Sequence[Any]  # Objective rows


def dashboard(actor: Actor, cycle: Cycle, today: dt.date | None = None) -> Dashboard:
    """Pacing per team, the score distribution, stale key results, objectives without any.

    A team's row counts the objectives in it as the alignment tree does
    (:func:`.alignment.objectives_by_team`): its own, its members', its teams', each once.
    """
    with gc_paused():  # an object per objective: see core.perf.gc_paused
        return _dashboard(actor, cycle, today)


def _dashboard(actor: Actor, cycle: Cycle, today: dt.date | None) -> Dashboard:
    org = actor.organisation
    state_query = visible_objectives(actor).filter(cycle=cycle)
    # the objectives as columns (.table): pacing counted over arrays, rows read only for
    # those listed
    table = read_table(state_query, cycle.start, cycle.end, today or timezone.localdate())
    state = State(
        LazyRows(table.rows, table.ids.tolist()), {}, {}, table.results(), {}, {}, {}, table.today
    )
    found = np.bincount(table.codes.astype(np.int64), minlength=len(columns.STATUSES))
    totals = dict(zip(columns.STATUSES, found.tolist(), strict=True))
    tree = core_selectors.team_tree(org, with_leads=False)
    names = {node.team.pk: node.team.name for node in core_selectors.flatten(tree)}
    teams = team_incidence(tree, active_members(org), table, organisation_team(tree))
    per_team = columns.team_counts(teams.team, table.codes[teams.objective], teams.size)
    rows = sorted(
        (
            TeamRow(t, names.get(t, "?"), dict(zip(columns.STATUSES, c, strict=True)), sum(c))
            for t, c in zip(teams.order, per_team.tolist(), strict=True)
            if sum(c)
        ),
        key=lambda r: (-(r.counts[progress.OFF_TRACK] + r.counts[progress.AT_RISK]), r.name),
    )
    scored = not cycle.is_open
    key_results = KeyResult.objects.filter(objective__in=state_query.values("id"))
    # each key result's grade, stored (okrs.services.derived): its score once scored; and
    # how many of each grade are stale, in the same pass over the key results
    grade = Coalesce("score", "graded") if scored else F("graded")
    stale = _stale(cycle, state.today)
    per_grade = list(
        key_results.annotate(g=grade)
        .values("g")
        .annotate(n=Count("id"), stale=Count("id", filter=stale or Q(pk=None)))
        .order_by()
        .values_list("g", "n", "stale")
    )
    # lowest: of no key result
    without = LazyRows(table.rows, table.ids[np.isnan(table.lowest) & table.active].tolist())
    return Dashboard(
        cycle,
        state,
        rows,
        totals,
        {value: n for value, n, _ in per_grade},
        scored,
        list(key_results.filter(stale).select_related("owner").order_by(_LONGEST_SILENT, "id")[:50])
        if stale is not None
        else [],
        sum(n for _, _, n in per_grade),
        without,
    )


_LONGEST_SILENT = F("last_check_in").asc(nulls_first=True)  # never checked in: first


def _stale(cycle: Cycle, today: dt.date) -> Q | None:
    """Which key results are stale (:func:`ampwork.okrs.progress.stale_in_cycle` in the
    database): those of active objectives with no check-in since, or no check-in and a
    clock started, 14 days ago or more, while the cycle has not ended (None after)."""
    if today > cycle.end:
        return None
    since = today - dt.timedelta(days=progress.STALE_DAYS)
    return Q(objective__status=Objective.Status.ACTIVE) & (
        Q(last_check_in__lte=since) | Q(last_check_in__isnull=True, clock__lte=since)
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
