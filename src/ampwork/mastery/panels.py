"""The mastery app's panel on the home page (registered in ``apps.py``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ampwork.core.permissions import Actor

from . import selectors


def this_weeks_review(actor: Actor) -> dict[str, Any] | None:
    """The home page says whether this week's review is written."""
    if actor.person is None:
        return None
    week = selectors.week_of(timezone.localdate())
    return {
        "template": "mastery/_home.html",
        "week": week,
        "review": selectors.review_of_week(actor.person, week, with_replies=True),
        "school": actor.organisation.is_school,
    }
