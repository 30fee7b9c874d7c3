"""For other apps: what a student chose to share with their family (their weekly reviews
marked ``share_with_family``) and the feedback their teachers shared with it — a school's
conference portfolio and the guardians' family page read it (``ampwork.classroom``). Two
queries (a few more for a reader other than the student); nothing unshared leaves.

Feedback counts as shared with the family only when a teacher or head teacher gave it
(the feedback service lets only a teacher of the student tick the box; the giver's role is
checked here again), and a reader other than the student and their family sees only the
feedback they may read anyway (:func:`visible_feedback`: private feedback stays between
the two people — admins included)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ampwork.core.models import Role
from ampwork.core.permissions import Actor

from ..models import Feedback, Review
from .feedback import visible_feedback

# the roles whose feedback a school shares with families: teachers and head teachers
FAMILY_GIVERS = (Role.MANAGER, Role.ADMIN)


@dataclass(frozen=True)
class SharedReview:
    week: dt.date
    wins: str
    setbacks: str
    next_steps: str


@dataclass(frozen=True)
class SharedFeedback:
    date: dt.date
    giver: str
    body: str


@dataclass(frozen=True)
class SharedWithFamily:
    reviews: list[SharedReview]
    feedback: list[SharedFeedback]


def shared_with_family(
    org_id: int, person_id: int, limit: int = 20, *, reader: Actor | None = None
) -> SharedWithFamily:
    """The person's shared reviews and the feedback their teachers shared with their
    family, the latest ``limit`` of each, oldest first. ``reader``: who reads it, when not
    the person's own family (the caller checked the guardian's rule) — a reader other than
    the person sees only feedback :func:`visible_feedback` lets them read. Two queries."""
    reviews = list(
        Review.objects.filter(organisation_id=org_id, person_id=person_id, share_with_family=True)
        .order_by("-week", "-id")
        .values_list("week", "wins", "setbacks", "next_steps")[:limit]
    )
    found = Feedback.objects.filter(
        organisation_id=org_id,
        receiver_id=person_id,
        share_with_family=True,
        giver__role__in=FAMILY_GIVERS,
    )
    if reader is not None and (reader.person is None or reader.person.pk != person_id):
        found = found.filter(pk__in=visible_feedback(reader).values("pk"))
    feedback = list(
        found.order_by("-created_at", "-id").values_list("created_at", "giver__name", "body")[
            :limit
        ]
    )
    return SharedWithFamily(
        [SharedReview(*row) for row in reversed(reviews)],
        [
            SharedFeedback(timezone.localdate(created), giver or "", body)
            for created, giver, body in reversed(feedback)
        ],
    )
