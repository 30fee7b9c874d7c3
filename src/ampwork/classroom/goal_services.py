"""Check-ins on a student's goal: a dated series written by the student and their teacher
(the goal-setting worksheet's check-ins between the starting point and the celebration).

Who writes: ``goals.check_in`` (rules.py) — the student on their own goals, a teacher of
their classes on their students'. Each check-in is kept: a new one never overwrites an
older one.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ampwork.core.errors import ValidationFailed, clean_text
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record

from .models import Goal, GoalCheckIn
from .services import GOAL_TEXT_LIMIT, goal_student


def clean_progress(progress: int | None) -> int | None:
    """A check-in's optional progress: a whole percentage, 0 to 100."""
    if progress is None:
        return None
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ValidationFailed.single("progress", gettext("is a percentage from 0 to 100"))
    return progress


@transaction.atomic
def add_check_in(
    *, actor: Actor, objective_id: int, text: str, progress: int | None = None
) -> GoalCheckIn:
    """Add a dated check-in to a student's goal, as the student or as their teacher."""
    student = goal_student(actor, objective_id)
    require(actor, "goals.check_in", student)
    if "\x00" in (text or ""):
        raise ValidationFailed.single("text", gettext("must not hold a NUL character"))
    body = clean_text(text, "text", GOAL_TEXT_LIMIT)
    percent = clean_progress(progress)
    goal, _ = Goal.objects.get_or_create(
        objective_id=objective_id,
        defaults={"organisation": actor.organisation, "student": student},
    )
    by = (
        GoalCheckIn.By.STUDENT
        if student.pk == getattr(actor.person, "pk", None)
        else (GoalCheckIn.By.TEACHER)
    )
    entry = GoalCheckIn.objects.create(
        organisation=actor.organisation,
        goal=goal,
        by=by,
        author=actor.person,
        written_at=timezone.now(),
        text=body,
        progress=percent,
    )
    record(actor, actor.organisation, "goal.check_in", goal, check_in=entry.pk, by=by)
    return entry
