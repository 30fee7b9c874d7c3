"""For other apps: one person's own objectives as plain values, with their key results'
start, target and stored progress, milestones and check-ins — what a school shows as a
student's goals (``ampwork.classroom``). Four queries whatever the number of goals.

Whose goals a reader may open is the caller's rule (a student, their teachers); which of
the objectives the reader sees is OKRs' own (:func:`visible_objectives`): a private one
only its owner, its author, the owner's managers and admins — as on the OKR pages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ampwork.core.errors import NotFound
from ampwork.core.permissions import Actor

from ..models import CheckIn, Cycle, KeyResult, Milestone, Objective
from .visibility import visible_objectives


@dataclass(frozen=True)
class CheckInFact:
    date: dt.date
    value: float | None
    done: bool | None
    note: str
    author_id: int | None
    author_name: str


@dataclass(frozen=True)
class KeyResultGoal:
    id: int
    title: str
    kind: str  # KeyResult.Kind
    start: float
    target: float
    current: float | None
    unit: str
    done: bool
    progress: float  # stored, 0..1
    milestones: tuple[tuple[str, bool], ...]  # (title, done), in order
    check_ins: tuple[CheckInFact, ...]  # oldest first


@dataclass(frozen=True)
class ObjectiveGoal:
    id: int
    title: str
    description: str
    owner_id: int
    status: str
    progress: float  # stored, 0..1
    cycle_id: int
    cycle_name: str
    cycle_start: dt.date
    cycle_end: dt.date
    cycle_closed: bool
    key_results: tuple[KeyResultGoal, ...]
    private: bool = False  # seen only by its owner, author, the owner's managers, admins


def person_goals(
    reader: Actor, person_id: int, objective_ids: Iterable[int] | None = None
) -> list[ObjectiveGoal]:
    """The person's own objectives that ``reader`` may see (dropped ones aside): those
    named, or else those of the cycles not closed yet; oldest cycle first, then as
    created. Four queries (five with a reader who is nobody's manager)."""
    query = (
        visible_objectives(reader)
        .filter(owner_person_id=person_id)
        .exclude(status=Objective.Status.DROPPED)
    )
    if objective_ids is not None:
        query = query.filter(pk__in=list(objective_ids))
    else:
        query = query.exclude(cycle__status=Cycle.Status.CLOSED)
    objectives = list(
        query.order_by("cycle__start", "created_at", "id").values_list(
            "id",
            "title",
            "description",
            "owner_person_id",
            "status",
            "progress",
            "cycle_id",
            "cycle__name",
            "cycle__start",
            "cycle__end",
            "cycle__status",
            "visibility",
        )
    )
    ids = [row[0] for row in objectives]
    key_results = list(
        KeyResult.objects.filter(objective_id__in=ids)
        .order_by("objective_id", "position", "id")
        .values_list(
            "id",
            "objective_id",
            "title",
            "kind",
            "start",
            "target",
            "current",
            "unit",
            "done",
            "progress",
        )
    )
    kr_ids = [row[0] for row in key_results]
    milestones: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for kr_id, title, done in (
        Milestone.objects.filter(key_result_id__in=kr_ids)
        .order_by("key_result_id", "position", "id")
        .values_list("key_result_id", "title", "done")
    ):
        milestones[kr_id].append((title, done))
    check_ins: dict[int, list[CheckInFact]] = defaultdict(list)
    for kr_id, date, value, checked, note, author_id, author_name in (
        CheckIn.objects.filter(key_result_id__in=kr_ids)
        .order_by("date", "id")
        .values_list("key_result_id", "date", "value", "done", "note", "author_id", "author__name")
    ):
        check_ins[kr_id].append(
            CheckInFact(date, value, checked, note, author_id, author_name or "")
        )
    per_objective: dict[int, list[KeyResultGoal]] = defaultdict(list)
    for pk, objective_id, title, kind, start, target, current, unit, done, prog in key_results:
        per_objective[objective_id].append(
            KeyResultGoal(
                pk,
                title,
                kind,
                start,
                target,
                current,
                unit,
                done,
                prog,
                tuple(milestones[pk]),
                tuple(check_ins[pk]),
            )
        )
    return [
        ObjectiveGoal(
            pk,
            title,
            description,
            owner,
            status,
            prog,
            cycle_id,
            cycle_name,
            start,
            end,
            cycle_status == Cycle.Status.CLOSED,
            tuple(per_objective[pk]),
            visibility == Objective.Visibility.PRIVATE,
        )
        for (
            pk,
            title,
            description,
            owner,
            status,
            prog,
            cycle_id,
            cycle_name,
            start,
            end,
            cycle_status,
            visibility,
        ) in objectives
    ]


def objective_owner(reader: Actor, objective_id: int) -> int:
    """The person who owns this objective of the reader's organisation, if the reader may
    see it (``NotFound`` otherwise: another organisation's, a team's, a private one the
    reader may not see — exactly as a missing one, as on the OKR pages). One query, or a
    few for a reader who may not see every private objective."""
    owner = (
        visible_objectives(reader)
        .filter(pk=objective_id, owner_person__isnull=False)
        .values_list("owner_person_id", flat=True)
        .first()
    )
    if owner is None:
        raise NotFound(_("no such goal"))
    return owner
