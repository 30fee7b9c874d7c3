"""Weekly reviews for a generated organisation (``ampwork generate``), for scale work."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ampwork.core.models import Organisation, Person

from .models import Review
from .selectors import week_of


def generate_reviews(org: Organisation, weeks: int = 12) -> int:
    """A weekly review from two people in three for each of the last ``weeks`` weeks, with
    challenge and skill spread over the scale. Returns how many were written."""
    this = week_of(timezone.localdate())
    ids = list(Person.objects.filter(organisation=org).values_list("id", flat=True))
    made = Review.objects.bulk_create(
        [
            Review(
                organisation=org,
                person_id=p,
                week=this - dt.timedelta(weeks=w),
                wins="w",
                challenge=1 + (p + w) % 7,
                skill=1 + (p * w) % 7,
            )
            for p in ids
            for w in range(1, weeks + 1)
            if (p + w) % 3
        ],
        batch_size=5000,
    )
    return len(made)
