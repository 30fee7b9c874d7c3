"""The cycle dashboard: pacing per team, scores, stale key results; owners' warnings."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

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
    scores: list[float]
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
    state = evaluate(visible_objectives(actor).filter(cycle=cycle), today, detail=False)
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
    scores = []
    stale_ids: list[int] = []
    for o in state.objectives:
        for kr in state.inputs.get(o.pk, []):
            result = state.kr_results[kr.id]
            scores.append(
                kr.score
                if scored and kr.score is not None
                else progress.round_score(result.progress)
            )
            if result.stale and o.status == Objective.Status.ACTIVE:
                stale_ids.append(kr.id)
    stale = list(
        KeyResult.objects.filter(pk__in=stale_ids[:50])
        .select_related("owner")
        .order_by("last_check_in", "id")
    )
    without = [
        o
        for o in state.objectives
        if not state.inputs.get(o.pk) and o.status == Objective.Status.ACTIVE
    ]
    return Dashboard(
        cycle,
        state,
        rows,
        {s: totals[s] for s in STATUSES},
        scores,
        scored,
        stale,
        len(stale_ids),
        without,
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
