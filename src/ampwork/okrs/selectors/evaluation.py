"""Evaluating a set of objectives in a fixed number of queries: the maths runs in
:mod:`ampwork.okrs.progress` over plain values."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ampwork.core.perf import gc_paused

from .. import progress
from ..models import KeyResult, Milestone, Objective, ObjectiveLink


@dataclass
class State:
    """A set of objectives with their key results, links and computed numbers.

    ``key_results`` holds model rows for display (only when evaluated with ``detail``);
    ``inputs`` holds every key result's plain values, always.
    """

    objectives: list[Any]  # Objective models (detail) or ObjectiveRow (whole cycles)
    key_results: dict[int, list[KeyResult]]
    inputs: dict[int, list[progress.KRInput]]
    results: dict[int, progress.ObjectiveResult]
    kr_results: dict[int, progress.KRResult]
    parents: dict[int, list[ObjectiveLink]]
    children: dict[int, list[ObjectiveLink]]
    today: dt.date

    def objective(self, pk: int) -> Objective | None:
        return next((o for o in self.objectives if o.pk == pk), None)


class ObjectiveRow:
    """An objective's fields that lists of whole cycles show, without a model instance."""

    # (attribute, values_list() lookup), in the order the query returns them
    FIELDS = (
        ("id", "id"),
        ("title", "title"),
        ("kind", "kind"),
        ("visibility", "visibility"),
        ("status", "status"),
        ("owner_kind", "owner_kind"),
        ("owner_person_id", "owner_person_id"),
        ("owner_team_id", "owner_team_id"),
        ("owner_name", "owner_person__name"),
        ("cycle_id", "cycle_id"),
        ("start", "cycle__start"),
        ("end", "cycle__end"),
        ("created_at", "created_at"),
    )
    LOOKUPS = tuple(lookup for _, lookup in FIELDS)
    __slots__ = tuple(name for name, _ in FIELDS)
    id: int
    owner_person_id: int | None
    owner_name: str | None
    start: dt.date
    end: dt.date
    created_at: dt.datetime

    def __init__(self, *values: Any) -> None:
        for (name, _), value in zip(self.FIELDS, values, strict=True):
            setattr(self, name, value)

    @property
    def pk(self) -> int:
        return self.id


KR_VALUES = (
    "id",
    "objective_id",
    "kind",
    "start",
    "target",
    "current",
    "done",
    "low",
    "high",
    "weight",
    "last_check_in",
    "created_at",
    "score",
)


def evaluate(
    objectives: QuerySet[Objective], today: dt.date | None = None, *, detail: bool = True
) -> State:
    with gc_paused():
        return _evaluate(objectives, today, detail=detail)


def _evaluate(
    objectives: QuerySet[Objective], today: dt.date | None = None, *, detail: bool = True
) -> State:
    """Evaluate a set of objectives in a fixed number of queries, plus one per level of
    alignment below them.

    The maths reads plain values (no model rows for key results unless ``detail``), so a
    cycle of 100,000 key results stays cheap. A parent's progress counts its contributing
    children, so those are included too (even when they are not in the set, or not visible
    to the reader): everyone sees the same number for the same objective.
    ``State.objectives`` holds only the requested set.
    """
    today = today or timezone.localdate()
    ids = objectives.values("id")
    rows: list[Any]
    if detail:
        rows = list(objectives.select_related("cycle", "owner_person", "owner_team").order_by("id"))
        windows = [
            progress.ObjectiveInput(
                o.pk, o.cycle.start, o.cycle.end, timezone.localdate(o.created_at)
            )
            for o in rows
        ]
    else:  # whole cycles: plain rows, not model instances
        rows = [
            ObjectiveRow(*values)
            for values in objectives.order_by("id").values_list(*ObjectiveRow.LOOKUPS)
        ]
        windows = [
            progress.ObjectiveInput(o.id, o.start, o.end, timezone.localdate(o.created_at))
            for o in rows
        ]
    extra = _contributing_below({o.pk for o in rows}, ids)
    if extra:
        windows += [
            progress.ObjectiveInput(pk, start, end, timezone.localdate(created))
            for pk, start, end, created in Objective.objects.filter(pk__in=extra).values_list(
                "id", "cycle__start", "cycle__end", "created_at"
            )
        ]
    in_scope = Q(objective__in=ids) | Q(objective_id__in=extra)
    milestones = milestones_of(KeyResult.objects.filter(in_scope).values("id"))
    query = KeyResult.objects.filter(in_scope).order_by("objective_id", "position", "id")
    inputs = [kr_input_row(row, milestones) for row in query.values_list(*KR_VALUES)]
    around = ObjectiveLink.objects.filter(Q(child__in=ids) | Q(parent__in=ids))
    links = list(around.select_related("parent", "child")) if detail else []
    contributes = set(
        around.filter(kind=ObjectiveLink.Kind.CONTRIBUTES).values_list("child_id", "parent_id")
    )
    if extra:
        contributes |= set(
            ObjectiveLink.objects.filter(
                child_id__in=extra, kind=ObjectiveLink.Kind.CONTRIBUTES
            ).values_list("child_id", "parent_id")
        )
    results, kr_results = progress.evaluate(windows, inputs, sorted(contributes), today)
    inputs_of: dict[int, list[progress.KRInput]] = defaultdict(list)
    for kr_input in inputs:
        inputs_of[kr_input.objective_id].append(kr_input)
    krs_of: dict[int, list[KeyResult]] = defaultdict(list)
    if detail:
        for kr in (
            KeyResult.objects.filter(objective__in=ids)
            .select_related("owner")
            .prefetch_related("milestones")
            .order_by("objective_id", "position", "id")
        ):
            krs_of[kr.objective_id].append(kr)
    parents: dict[int, list[ObjectiveLink]] = defaultdict(list)
    children: dict[int, list[ObjectiveLink]] = defaultdict(list)
    for link in links:
        parents[link.child_id].append(link)
        children[link.parent_id].append(link)
    return State(rows, krs_of, inputs_of, results, kr_results, parents, children, today)


def milestones_of(key_results: Any) -> dict[int, list[tuple[float, bool]]]:
    """Each key result's milestones as (weight, done), in order: one query. ``key_results``
    is a list of ids or a query of them."""
    milestones: dict[int, list[tuple[float, bool]]] = defaultdict(list)
    for kr_id, weight, done in (
        Milestone.objects.filter(key_result__in=key_results)
        .order_by("position", "id")
        .values_list("key_result_id", "weight", "done")
    ):
        milestones[kr_id].append((weight, done))
    return milestones


def kr_input_row(
    row: tuple[Any, ...], milestones: dict[int, list[tuple[float, bool]]]
) -> progress.KRInput:
    """A key result's plain input from a row of :data:`KR_VALUES` (and its milestones)."""
    pk, oid, kind, start, target, current, done, low, high, weight, last, created, score = row
    return progress.KRInput(
        id=pk,
        objective_id=oid,
        kind=kind,
        start=start,
        target=target,
        current=current,
        done=done,
        low=low,
        high=high,
        weight=weight,
        milestones=tuple(milestones.get(pk, ())),
        last_check_in=last,
        created=timezone.localdate(created),
        score=score,
    )


def _contributing_below(have: set[int], ids: QuerySet[Objective] | Any) -> set[int]:
    """Objectives that contribute (directly or not) to the set but are not in it."""
    extra: set[int] = set()
    frontier: Any = ids
    for _ in range(20):  # alignment is rarely more than four levels deep
        children = (
            set(
                ObjectiveLink.objects.filter(
                    parent_id__in=frontier, kind=ObjectiveLink.Kind.CONTRIBUTES
                ).values_list("child_id", flat=True)
            )
            - have
            - extra
        )
        if not children:
            break
        extra |= children
        frontier = list(children)
    return extra
