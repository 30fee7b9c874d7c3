"""Evaluating a set of objectives in a fixed number of queries: the maths runs in
:mod:`ampwork.okrs.progress` over plain values."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import partial
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet
from django.utils import timezone

from ampwork.core.perf import gc_paused

from .. import progress
from ..models import Cycle, KeyResult, Milestone, Objective, ObjectiveLink


@dataclass
class State:
    """A set of objectives with their key results, links and computed numbers.

    ``key_results`` holds model rows for display (only when evaluated with ``detail``);
    ``inputs`` holds every key result's plain values, always.
    """

    objectives: Sequence[Any]  # Objective models (detail) or ObjectiveRow (whole cycles)
    key_results: dict[int, list[KeyResult]]
    inputs: dict[int, list[progress.KRInput]]
    results: Mapping[int, progress.ObjectiveResult]  # a dict, or built when read (.table)
    kr_results: dict[int, progress.KRResult]
    parents: dict[int, list[ObjectiveLink]]
    children: dict[int, list[ObjectiveLink]]
    today: dt.date

    def objective(self, pk: int) -> Objective | None:
        return next((o for o in self.objectives if o.pk == pk), None)


class ObjectiveRow(NamedTuple):
    """An objective's fields that lists of whole cycles show, without a model instance: a
    tuple whose first fields are its row of :data:`STORED` (what :func:`results_of` reads)."""

    id: int
    start: dt.date
    end: dt.date
    progress: float
    lowest: float | None
    judged: float | None
    settles: dt.date | None
    score: float | None
    title: str
    kind: str
    visibility: str
    status: str
    owner_kind: str
    owner_person_id: int | None
    owner_team_id: int | None
    owner_name: str | None
    cycle_id: int

    @property
    def pk(self) -> int:
        return self.id


# ObjectiveRow's fields as values_list() lookups, in order, but for the cycle's dates (read
# once per cycle: a date converted per row was a tenth of the alignment selector)
ROW_LOOKUPS = (
    *("id", "cycle_id", "progress", "lowest", "judged", "settles", "score"),
    *("title", "kind", "visibility", "status", "owner_kind"),
    *("owner_person_id", "owner_team_id", "owner_person__name"),
)


def objective_rows(objectives: QuerySet[Objective]) -> list[ObjectiveRow]:
    """The objectives as :class:`ObjectiveRow`, by id. Two queries."""
    values = list(objectives.order_by("id").values_list(*ROW_LOOKUPS))
    windows = {
        pk: (start, end)
        for pk, start, end in Cycle.objects.filter(
            pk__in=sorted({v[1] for v in values})
        ).values_list("id", "start", "end")
    }
    return [ObjectiveRow._make((v[0], *windows[v[1]], *v[2:], v[1])) for v in values]


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


# An objective's stored numbers (okrs.services.derived), in the order :func:`results_of`
# reads them; their exact values (:data:`EXACT`) are read only when a boundary needs them
STORED = ("id", "cycle__start", "cycle__end", "progress", "lowest", "judged", "settles", "score")
EXACT = ("id", "progress_exact", "judged_exact", "score_exact")


class Exacts:
    """The exact values of a set of objectives' stored numbers, read in one query the first
    time one is asked for: only a float within 1e-9 of a boundary needs one
    (:func:`ampwork.okrs.progress.compare`), so a page usually never reads them."""

    def __init__(self, objectives: QuerySet[Objective]) -> None:
        self._objectives = objectives
        self._found: dict[int, tuple[str, str, str]] | None = None

    def of(self, pk: int, which: int) -> Fraction:
        """Objective ``pk``'s exact progress (0), judged value (1) or score (2)."""
        if self._found is None:
            self._found = {
                row[0]: row[1:] for row in self._objectives.order_by().values_list(*EXACT)
            }
        return Fraction(self._found[pk][which])


def evaluate(
    objectives: QuerySet[Objective], today: dt.date | None = None, *, detail: bool = True
) -> State:
    """Evaluate a set of objectives in a fixed number of queries.

    With ``detail`` (an objective's page, the check-in page: a few objectives), their key
    results are model rows and every number is computed from the inputs, with the text that
    explains it; contributing objectives outside the set count with their stored numbers.
    Without (whole cycles: the alignment tree, the cycle dashboard, the home dashboards),
    each objective's numbers are read as stored (okrs.services.derived keeps them current)
    and only pacing, which depends on the day, is worked out: no key result is read, unless
    something in the objective is still in its first days (:func:`results_of`).
    Everyone sees the same number for the same objective.
    """
    with gc_paused():
        return _evaluate(objectives, today or timezone.localdate(), detail=detail)


def _evaluate(objectives: QuerySet[Objective], today: dt.date, *, detail: bool) -> State:
    ids = objectives.values("id")
    if not detail:
        rows = objective_rows(objectives)
        results = results_of(rows, today, Exacts(objectives))
        return State(rows, {}, {}, results, {}, {}, {}, today)
    found = list(objectives.select_related("cycle", "owner_person", "owner_team").order_by("id"))
    _, inputs, results, kr_results = evaluate_inputs(
        Objective.objects.filter(pk__in=[o.pk for o in found]), today
    )
    inputs_of: dict[int, list[progress.KRInput]] = defaultdict(list)
    for kr_input in inputs:
        inputs_of[kr_input.objective_id].append(kr_input)
    krs_of: dict[int, list[KeyResult]] = defaultdict(list)
    for kr in (
        KeyResult.objects.filter(objective__in=ids)
        .select_related("owner")
        .prefetch_related("milestones")
        .order_by("objective_id", "position", "id")
    ):
        krs_of[kr.objective_id].append(kr)
    parents: dict[int, list[ObjectiveLink]] = defaultdict(list)
    children: dict[int, list[ObjectiveLink]] = defaultdict(list)
    around = ObjectiveLink.objects.filter(Q(child__in=ids) | Q(parent__in=ids))
    for link in around.select_related("parent", "child"):
        parents[link.child_id].append(link)
        children[link.parent_id].append(link)
    return State(found, krs_of, inputs_of, results, kr_results, parents, children, today)


def evaluate_inputs(
    objectives: QuerySet[Objective], today: dt.date
) -> tuple[
    list[progress.ObjectiveInput],
    list[progress.KRInput],
    dict[int, progress.ObjectiveResult],
    dict[int, progress.KRResult],
]:
    """:func:`ampwork.okrs.progress.evaluate` of a set of objectives from their inputs (key
    results, milestones, cycle dates), the contributing objectives outside the set counting
    with their stored numbers. Five queries, plus those of :func:`results_of` for them."""
    ids = objectives.values("id")
    windows = [
        objective_window(*row)
        for row in objectives.order_by("id").values_list(
            "id", "cycle__start", "cycle__end", "created_at"
        )
    ]
    inside = {w.id for w in windows}
    milestones = milestones_of(KeyResult.objects.filter(objective__in=ids).values("id"))
    inputs = [
        kr_input_row(row, milestones)
        for row in KeyResult.objects.filter(objective__in=ids)
        .order_by("objective_id", "position", "id")
        .values_list(*KR_VALUES)
    ]
    pairs = contributing(ObjectiveLink.objects.filter(parent__in=ids))
    outside = sorted({child for child, _ in pairs if child not in inside})
    below = Objective.objects.filter(pk__in=outside)
    known = results_of(list(below.values_list(*STORED)), today, Exacts(below))
    results, kr_results = progress.evaluate(windows, inputs, pairs, today, known)
    return windows, inputs, results, kr_results


def objective_window(
    pk: int, start: dt.date, end: dt.date, created: dt.datetime
) -> progress.ObjectiveInput:
    return progress.ObjectiveInput(pk, start, end, timezone.localdate(created))


def contributing(links: QuerySet[ObjectiveLink]) -> list[tuple[int, int]]:
    """The (child, parent) pairs of these links that count in the parent's progress, in
    the order :func:`ampwork.okrs.progress.evaluate` adds them up (stored and recomputed
    numbers add in the same order, so they agree to the last bit)."""
    return sorted(
        links.filter(kind=ObjectiveLink.Kind.CONTRIBUTES).values_list("child_id", "parent_id")
    )


_STORED_HOW = "weighted mean of its key results and contributing objectives"


def results_of(
    rows: Sequence[tuple[Any, ...]], today: dt.date, exacts: Exacts
) -> dict[int, progress.ObjectiveResult]:
    """Objectives' numbers today from their stored numbers (rows starting with
    :data:`STORED`, such as :class:`ObjectiveRow`; ``exacts`` reads their exact values if a
    boundary needs them): pacing from the stored judged value and the cycle's dates. An
    objective with something still in its first days (today before its ``settles``) is
    judged on what has started by today: it, and what in it is in the same case, are
    evaluated from their inputs."""
    out: dict[int, progress.ObjectiveResult] = {}
    pending = []
    paces: dict[tuple[dt.date, dt.date], tuple[progress.Pace, progress.Explained]] = {}
    for row in rows:
        settles = row[6]
        if settles is not None and today < settles:
            pending.append(row[0])
            continue
        window = (row[1], row[2])
        if window not in paces:
            pace = progress.Pace(row[1], row[2], today)
            paces[window] = (pace, pace.explained())
        out[row[0]] = _from_stored(row, exacts, *paces[window])
    if pending:
        out |= _pending(pending, today)
    return out


def _from_stored(
    row: tuple[Any, ...], exacts: Exacts, pace: progress.Pace, expected: progress.Explained
) -> progress.ObjectiveResult:
    pk, _, _, value, lowest, judged, settles, score = row[:8]
    judged_value = (
        progress.Explained(judged, "judged", partial(exacts.of, pk, 1))
        if judged is not None
        else None
    )
    mean = (
        progress.Explained(score, "mean score", partial(exacts.of, pk, 2))
        if score is not None
        else None
    )
    return progress.ObjectiveResult(
        progress=progress.Explained(value, _STORED_HOW, partial(exacts.of, pk, 0)),
        lowest=lowest,
        pacing=pace.status(judged_value),
        expected=expected,
        score=progress.shown_score(mean) if mean is not None else None,
        band=progress.score_band(mean) if mean is not None else None,
        judged=judged_value,
        exact_score=mean,
        settles=settles,
    )


def _pending(ids: list[int], today: dt.date) -> dict[int, progress.ObjectiveResult]:
    """:func:`results_of` of objectives not settled today, with the contributing objectives
    below them that are not settled either: evaluated from their inputs. One query a level
    of alignment, plus :func:`evaluate_inputs`."""
    found = set(ids)
    frontier = ids
    while frontier:
        below = set(
            ObjectiveLink.objects.filter(
                parent_id__in=frontier,
                kind=ObjectiveLink.Kind.CONTRIBUTES,
                child__settles__gt=today,
            ).values_list("child_id", flat=True)
        )
        frontier = sorted(below - found)
        found |= below
    _, _, results, _ = evaluate_inputs(Objective.objects.filter(pk__in=sorted(found)), today)
    return {pk: results[pk] for pk in ids}


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
