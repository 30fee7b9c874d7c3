"""One objective's page: it, its linked objectives, its check-in history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from ampwork.core.permissions import Actor

from ..models import CheckIn, KeyResult, Objective, ObjectiveLink
from .evaluation import State, evaluate
from .visibility import get_objective, visible_objectives


@dataclass
class Detail:
    state: State
    objective: Objective
    check_ins: dict[int, list[CheckIn]]


def objective_detail(actor: Actor, pk: int) -> Detail:
    objective = get_objective(actor, pk)
    linked = ObjectiveLink.objects.filter(Q(child=objective) | Q(parent=objective))
    ids = (
        {objective.pk}
        | set(linked.values_list("child_id", flat=True))
        | set(linked.values_list("parent_id", flat=True))
    )
    state = evaluate(visible_objectives(actor).filter(pk__in=ids))
    history: dict[int, list[CheckIn]] = defaultdict(list)
    for entry in (
        CheckIn.objects.filter(key_result__objective=objective)
        .select_related("author")
        .order_by("date", "id")
    ):
        history[entry.key_result_id].append(entry)
    return Detail(state, objective, history)


@dataclass(frozen=True)
class DeletionImpact:
    """What deleting an objective takes with it."""

    key_results: int
    check_ins: int
    aligned: int  # objectives aligned with it (they stay, unaligned)


def deletion_impact(actor: Actor, objective: Objective) -> DeletionImpact:
    """Three queries. The aligned objectives counted are those the actor may see: a private
    objective aligned with this one is not announced by a number."""
    return DeletionImpact(
        KeyResult.objects.filter(objective=objective).count(),
        CheckIn.objects.filter(key_result__objective=objective).count(),
        ObjectiveLink.objects.filter(parent=objective, child__in=visible_objectives(actor)).count(),
    )
