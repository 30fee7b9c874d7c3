"""For other apps: what a student chose to share with their family (their weekly reviews
marked ``share_with_family``) and the feedback their teachers shared with it — a school's
conference portfolio reads it (``ampwork.classroom``). Two queries; nothing unshared leaves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ..models import Feedback, Review


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


def shared_with_family(org_id: int, person_id: int, limit: int = 20) -> SharedWithFamily:
    """The person's shared reviews and the feedback shared with their family, the latest
    ``limit`` of each, oldest first. Two queries."""
    reviews = list(
        Review.objects.filter(organisation_id=org_id, person_id=person_id, share_with_family=True)
        .order_by("-week", "-id")
        .values_list("week", "wins", "setbacks", "next_steps")[:limit]
    )
    feedback = list(
        Feedback.objects.filter(
            organisation_id=org_id, receiver_id=person_id, share_with_family=True
        )
        .order_by("-created_at", "-id")
        .values_list("created_at", "giver__name", "body")[:limit]
    )
    return SharedWithFamily(
        [SharedReview(*row) for row in reversed(reviews)],
        [
            SharedFeedback(timezone.localdate(created), giver or "", body)
            for created, giver, body in reversed(feedback)
        ],
    )
