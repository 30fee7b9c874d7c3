"""Keeping each key result's and objective's derived numbers current.

Every write that changes what an objective's progress is computed from — a check-in, an
edit of a key result (start, target, kind, range, weight, milestones), a key result or
objective added or deleted, an alignment made or undone, a cycle's dates, the scores set
at close — calls :func:`refresh` (or :func:`refresh_cycles`) inside its own transaction.
It recomputes, with :func:`ampwork.okrs.progress.evaluate` from the inputs, the changed
objectives and every objective they contribute to, reading the stored numbers of the
other contributing objectives, and stores:

- per key result: progress (its float and exact value), the progress graded to one
  decimal, and the day its grace and staleness count from (``clock``);
- per objective: progress, the lowest key result, the value its pacing judges once
  everything in it has started, the day that happens (``settles``), its score, how many
  of its key results have each grade (their score once scored, else their graded
  progress: the dashboard's histogram) and the earliest day one of them has been silent
  since (its last check-in, else its clock: where the dashboard looks for stale ones).

Pacing, which depends on the day, is worked out when read from these and the cycle's dates
(:mod:`ampwork.okrs.selectors.evaluation`). ``ampwork okrs verify`` compares every stored
number with a computation from scratch, and ``--fix`` stores the right one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from ampwork.core.perf import gc_paused
from ampwork.okrs import progress
from ampwork.okrs.models import GRADE_FIELDS, KeyResult, Objective, ObjectiveLink
from ampwork.okrs.selectors.evaluation import evaluate_inputs

# Evaluated "once everything has started": a day after every grace period (the judged value
# stored is the one that holds from ``settles`` on; pacing itself is never stored).
EVERYTHING_STARTED = dt.date(9999, 12, 31)

OBJECTIVE_STORED = (
    "progress",
    "progress_exact",
    "lowest",
    "judged",
    "judged_exact",
    "settles",
    "score",
    "score_exact",
    *GRADE_FIELDS,
    "silent_since",
)
KR_STORED = ("progress", "progress_exact", "graded", "clock")
BATCH = 2000


@dataclass(frozen=True)
class Computed:
    """What the stored numbers should be: per objective and per key result, in the order of
    :data:`OBJECTIVE_STORED` and :data:`KR_STORED`."""

    objectives: dict[int, tuple[Any, ...]]
    key_results: dict[int, tuple[Any, ...]]


def refresh(objective_ids: Iterable[int]) -> None:
    """Store the derived numbers of these objectives, of their key results, and of every
    objective they contribute to (directly or not). Locks those objectives, in id order,
    before reading, so two check-ins on key results of one objective are applied one after
    the other (each reads what the other stored)."""
    ids = set(objective_ids)
    if not ids:
        return
    chain = ids | _ancestors(ids)
    list(
        Objective.objects.select_for_update()
        .filter(pk__in=sorted(chain))
        .order_by("id")
        .values_list("id", flat=True)
    )
    _store(compute(Objective.objects.filter(pk__in=sorted(chain))))


def refresh_cycles(cycle_ids: Collection[int]) -> None:
    """:func:`refresh` of every objective of these cycles: after bulk writes (generating,
    importing, the demo), a cycle's dates changing, or its scores being set."""
    if not cycle_ids:
        return
    within = Objective.objects.filter(cycle_id__in=list(cycle_ids))
    _store(compute(within))
    ids = set(within.values_list("id", flat=True))
    outside = _ancestors(ids) - ids
    if outside:  # aligned under an objective of another cycle
        _store(compute(Objective.objects.filter(pk__in=sorted(outside))))


def compute(objectives: QuerySet[Objective]) -> Computed:
    """The derived numbers of a set of objectives and their key results, from their inputs;
    contributing objectives outside the set count with their stored numbers."""
    with gc_paused():
        return _compute(objectives)


def _compute(objectives: QuerySet[Objective]) -> Computed:
    windows, inputs, results, kr_results = evaluate_inputs(objectives, EVERYTHING_STARTED)
    start = {w.id: w.start for w in windows}
    key_results = {}
    grades: dict[int, list[int]] = {pk: [0] * len(GRADE_FIELDS) for pk in results}
    silent: dict[int, dt.date | None] = dict.fromkeys(results)
    for kr in inputs:
        shown = kr_results[kr.id].progress
        begins = start[kr.objective_id]
        clock = progress.clock_from(kr.created or begins, begins)
        graded = progress.round_score(shown)
        key_results[kr.id] = (shown.value, _text(shown), graded, clock)
        # the dashboard's grade: the score once scored (one decimal too), else the graded
        grades[kr.objective_id][round(10 * (kr.score if kr.score is not None else graded))] += 1
        since = kr.last_check_in or clock
        earliest = silent[kr.objective_id]
        silent[kr.objective_id] = since if earliest is None else min(earliest, since)
    objectives_out = {
        pk: (
            r.progress.value,
            _text(r.progress),
            r.lowest,
            r.judged.value if r.judged is not None else None,
            _text(r.judged) if r.judged is not None else "",
            r.settles,
            r.exact_score.value if r.exact_score is not None else None,
            _text(r.exact_score) if r.exact_score is not None else "",
            *grades[pk],
            silent[pk],
        )
        for pk, r in results.items()
    }
    return Computed(objectives_out, key_results)


def _text(number: progress.Explained) -> str:
    return str(number.exact())


def _store(computed: Computed) -> None:
    """Write what changed (most of a cycle is unchanged by a refresh)."""
    _write(Objective, OBJECTIVE_STORED, computed.objectives)
    _write(KeyResult, KR_STORED, computed.key_results)


def _write(model: Any, fields: tuple[str, ...], wanted: dict[int, tuple[Any, ...]]) -> None:
    changed = [pk for pk, *have in _stored(model, fields, wanted) if tuple(have) != wanted[pk]]
    rows = []
    for pk in changed:
        row = model(pk=pk)
        for field, value in zip(fields, wanted[pk], strict=True):
            setattr(row, field, value)
        rows.append(row)
    if rows:
        model.objects.bulk_update(rows, list(fields), batch_size=BATCH)


def _stored(model: Any, fields: tuple[str, ...], ids: Collection[int]) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = []
    for chunk in _chunks(ids):
        found += model.objects.filter(pk__in=chunk).values_list("id", *fields)
    return found


def _chunks(ids: Collection[int]) -> list[list[int]]:
    """Ids in sorted lists short enough for one IN clause (SQLite limits its parameters)."""
    ordered = sorted(ids)
    return [ordered[at : at + 20 * BATCH] for at in range(0, len(ordered), 20 * BATCH)]


@dataclass(frozen=True)
class Verified:
    cycles: int
    objectives: int
    key_results: int
    mismatches: list[str]
    fixed: bool


def verify(organisation_id: int, *, fix: bool = False) -> Verified:
    """Compare every stored number of an organisation's cycles with a computation from
    scratch (every objective evaluated together from its inputs, so nothing stored is
    read); with ``fix``, store the right numbers where they differ."""
    everything = Objective.objects.filter(organisation_id=organisation_id)
    computed = compute(everything)
    found = mismatches(computed)
    if fix and found:
        _store(computed)
    return Verified(
        everything.values("cycle_id").distinct().count(),
        len(computed.objectives),
        len(computed.key_results),
        found,
        fix and bool(found),
    )


def mismatches(computed: Computed) -> list[str]:
    """What differs between the stored numbers and ``computed``, one line each."""
    lines = []
    for model, fields, wanted in (
        (Objective, OBJECTIVE_STORED, computed.objectives),
        (KeyResult, KR_STORED, computed.key_results),
    ):
        for pk, *have in _stored(model, fields, wanted):
            for field, stored, right in zip(fields, have, wanted[pk], strict=True):
                if stored != right:
                    lines.append(
                        f"{model.__name__} {pk}: {field} is {stored!r}, should be {right!r}"
                    )
    return lines


def _ancestors(ids: set[int]) -> set[int]:
    """Every objective these contribute to, directly or not (a link's parent may be in
    another cycle)."""
    seen: set[int] = set()
    frontier = ids
    while frontier:
        parents: set[int] = set()
        for chunk in _chunks(frontier):
            parents |= set(
                ObjectiveLink.objects.filter(
                    child_id__in=chunk, kind=ObjectiveLink.Kind.CONTRIBUTES
                ).values_list("parent_id", flat=True)
            )
        frontier = parents - seen - ids
        seen |= frontier
    return seen
