"""What a student's family may read of mastery: the reflections the student chose to share
and the feedback given to share with the family. Classroom's family page asks which kinds a
child's classes share and calls these (plugged into ``classroom.family_selectors.READERS``
by mastery's ``AppConfig.ready()``). One query each."""

from __future__ import annotations

from django.utils import timezone

from ampwork.classroom.family_selectors import SharedFeedback, SharedReflection

from ..models import Feedback, Review

LIMIT = 30  # the newest this many


def family_reflections(org_id: int, student_id: int) -> list[SharedReflection]:
    return [
        SharedReflection(week, wins, setbacks, next_steps)
        for week, wins, setbacks, next_steps in Review.objects.filter(
            organisation_id=org_id, person_id=student_id, share_with_family=True
        )
        .order_by("-week")
        .values_list("week", "wins", "setbacks", "next_steps")[:LIMIT]
    ]


def family_feedback(org_id: int, student_id: int) -> list[SharedFeedback]:
    return [
        SharedFeedback(body, giver or "a former teacher", timezone.localdate(created))
        for body, giver, created in Feedback.objects.filter(
            organisation_id=org_id, receiver_id=student_id, share_with_family=True
        )
        .order_by("-created_at", "-id")
        .values_list("body", "giver__name", "created_at")[:LIMIT]
    ]
