"""The cycle dashboard: pacing per team, scores, stale key results; owners' warnings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import F, IntegerField, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from ampwork.core import selectors as core_selectors
from ampwork.core.perf import gc_paused
from ampwork.core.permissions import Actor

from .. import columns, progress
from ..models import GRADE_FIELDS, Cycle, KeyResult, Objective
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
    day = today or timezone.localdate()
    # each objective also flagged when silent long enough to hold a stale key result (none
    # is stale once the cycle has ended)
    silent_by = _silent_by(day) if day <= cycle.end else None
    table = read_table(state_query, cycle.start, cycle.end, day, silent_by)
    state = State(
        LazyRows(table.rows, table.ids.tolist()), {}, {}, table.results(), {}, {}, {}, table.today
    )
    found = np.bincount(table.codes.astype(np.int64), minlength=len(columns.STATUSES))
    totals = dict(zip(columns.STATUSES, found.tolist(), strict=True))
    tree = core_selectors.team_outline(org)
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
    # each objective's count of key results per grade, stored (okrs.services.derived): a
    # key result's score once scored, else its graded progress (an open cycle has no
    # scores: they are set when it closes), summed in the database
    per_grade = state_query.order_by().aggregate(**{f: Sum(f) for f in GRADE_FIELDS})
    scores = {tenths / 10: n for tenths, f in enumerate(GRADE_FIELDS) if (n := per_grade[f])}
    silent = table.ids[table.silent & table.active].tolist()
    stale, stale_count = _stalest(state_query, cycle, state.today, silent)
    # lowest: of no key result
    without = LazyRows(table.rows, table.ids[np.isnan(table.lowest) & table.active].tolist())
    return Dashboard(
        cycle,
        state,
        rows,
        totals,
        scores,
        scored,
        stale,
        stale_count,
        without,
    )


_LONGEST_SILENT = F("last_check_in").asc(nulls_first=True)  # never checked in: first

# at most this many silent objectives are named by id in the stale query (twice: it counts
# and chooses); more are selected again by the subquery over the objectives
_SILENT_BY_ID = 500


def _silent_by(today: dt.date) -> dt.date:
    """An objective (a key result) silent since this day or earlier is silent long enough
    to be stale today (:func:`ampwork.okrs.progress.is_stale`: 14 days or more)."""
    return today - dt.timedelta(days=progress.STALE_DAYS)


def _stalest(
    objectives: QuerySet[Objective],
    cycle: Cycle,
    today: dt.date,
    silent: list[int] | None = None,
) -> tuple[list[KeyResult], int]:
    """The 50 longest silent of the stale key results of these objectives, and how many
    are stale, in one query (:func:`ampwork.okrs.progress.stale_in_cycle` in the
    database): those of active objectives with no check-in since, or no check-in and a
    clock started, 14 days ago or more, while the cycle has not ended (none after).

    Only objectives silent that long (their stored ``silent_since``, the earliest of their
    key results' last check-in or clock; indexed with the cycle) are looked into, so a
    cycle whose key results are checked in reads none of them. ``silent``: those
    objectives' ids, already known (the dashboard's table flags them): none, no query at
    all; a few, named by id rather than selected again."""
    if today > cycle.end:
        return [], 0
    if silent is not None and not silent:
        return [], 0
    since = _silent_by(today)
    if silent is not None and len(silent) <= _SILENT_BY_ID:
        in_silent = Q(objective_id__in=silent)
    else:
        # (an objective written behind the services' back, or by the previous release
        # during an upgrade, is looked into once a write refreshes it or `okrs verify
        # --fix` runs)
        candidates = objectives.filter(status=Objective.Status.ACTIVE, silent_since__lte=since)
        in_silent = Q(objective__in=candidates.order_by().values("id"))
    stale = KeyResult.objects.filter(in_silent).filter(
        Q(last_check_in__lte=since) | Q(last_check_in__isnull=True, clock__lte=since)
    )
    # the 50 chosen and counted over the index of (objective, last check-in, clock) alone;
    # only those 50 rows read whole
    found = list(
        KeyResult.objects.filter(pk__in=stale.order_by(_LONGEST_SILENT, "id").values("id")[:50])
        .annotate(stale_count=_CountOf(stale.order_by().values("id")))
        .select_related("owner")
        .order_by(_LONGEST_SILENT, "id")
    )
    return list[KeyResult](found), (found[0].stale_count if found else 0)


class _CountOf(Subquery):
    """How many rows a query has, as a scalar subquery (evaluated once: it does not refer
    to the outer query)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) counted)"
    output_field = IntegerField()


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
