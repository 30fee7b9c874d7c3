"""The key results a person checks in on."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from ampwork.core.permissions import Actor

from ..models import KeyResult, Objective
from .evaluation import State, evaluate


def my_check_in(actor: Actor, today: dt.date | None = None) -> State:
    """The key results the actor checks in on: those they own, and all of the objectives
    they own. (An objective's other key results stay in its progress, not in the list.)"""
    me = actor.person
    mine = Objective.objects.filter(
        organisation=actor.organisation, cycle__status="open", status=Objective.Status.ACTIVE
    )
    if me is None:
        return evaluate(mine.none(), today)
    # a subquery, not a join with DISTINCT: PostgreSQL planned the join-with-OR nested inside
    # evaluate()'s own subqueries as a minutes-long scan
    owns_a_kr = KeyResult.objects.filter(owner=me).values("objective_id")
    state = evaluate(mine.filter(Q(owner_person=me) | Q(pk__in=owns_a_kr)), today)
    for objective in state.objectives:
        if objective.owner_person_id != me.pk:
            state.key_results[objective.pk] = [
                kr for kr in state.key_results.get(objective.pk, []) if kr.owner_id == me.pk
            ]
    return state
