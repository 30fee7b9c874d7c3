"""A person's timeline: reviews, ratings, feedback and work, in one list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ampwork.autonomy import selectors as autonomy_selectors
from ampwork.core.models import Person
from ampwork.core.permissions import Actor

from .. import goldilocks
from ..models import (
    Reply,
    Review,
    SkillRating,
)
from .calibration import kr_facts
from .feedback import recognition_feed, visible_feedback


@dataclass
class Event:
    date: dt.date
    kind: str  # win | feedback | recognition | achieved | skill | autonomy
    title: str
    detail: str = ""
    url: str = ""
    by: str = ""


def timeline(
    actor: Actor,
    person: Person,
    *,
    facts: list[goldilocks.KRFacts] | None = None,
    limit: int = 80,
) -> list[Event]:
    """What the person has achieved and been given, newest first, across cycles: wins
    from their reviews, answers to them, feedback and recognition received, key results
    achieved, skills grown and autonomy granted. A fixed number of queries (three fewer
    when the caller has the person's key-result ``facts`` already)."""
    events: list[Event] = []
    reviews = list(Review.objects.filter(person=person).order_by("-week")[:52])
    for review in reviews:
        if review.wins:
            events.append(
                Event(
                    review.week + dt.timedelta(days=4),
                    "win",
                    f"Week of {review.week:%d %b}",
                    review.wins,
                    f"/mastery/reviews/{review.pk}/",
                )
            )
    for answer in Reply.objects.filter(review__in=[r.pk for r in reviews]).select_related(
        "author", "review"
    ):
        events.append(
            Event(
                timezone.localdate(answer.created_at),
                "feedback",
                f"On your week of {answer.review.week:%d %b}",
                answer.body,
                f"/mastery/reviews/{answer.review_id}/",
                answer.author.name if answer.author else "",
            )
        )
    for item in visible_feedback(actor).filter(receiver=person).select_related("giver")[:50]:
        events.append(
            Event(
                timezone.localdate(item.created_at),
                "feedback",
                "Feedback",
                item.body,
                "/mastery/feedback/",
                item.giver.name if item.giver else "",
            )
        )
    for post in recognition_feed(actor, 50, recipients=person):
        events.append(
            Event(
                timezone.localdate(post.created_at),
                "recognition",
                "Recognition",
                post.body,
                "/mastery/recognition/",
                post.author.name if post.author else "",
            )
        )
    if facts is None:
        facts = kr_facts(actor.organisation, [person.pk])[person.pk]
    for kr in facts:
        if kr.value is None or kr.value < 1.0:
            continue
        events.append(
            Event(
                kr.last_check_in or kr.cycle_start,
                "achieved",
                f"Key result achieved: {kr.title}",
                f"{kr.cycle_name}, {'scored' if kr.closed else 'progress'} {kr.value:.0%}",
                f"/okrs/objectives/{kr.objective_id}/",
            )
        )
    previous: dict[int, int] = {}
    for rating in SkillRating.objects.filter(SkillRating.OWN, person=person).select_related(
        "skill"
    ):
        before = previous.get(rating.skill_id)
        if before is not None and rating.level > before:
            events.append(
                Event(
                    rating.date,
                    "skill",
                    f"{rating.skill.name}: level {before} → {rating.level}",
                    rating.note,
                    "/mastery/skills/",
                )
            )
        previous[rating.skill_id] = rating.level
    levels: dict[str, int] = {}
    for entry in autonomy_selectors.level_changes(person.pk):
        before = levels.get(entry.t, 0)
        if entry.level > before:
            events.append(
                Event(
                    timezone.localdate(entry.at),
                    "autonomy",
                    f"More say over {entry.t}: level {before} → {entry.level}",
                    entry.why,
                    f"/autonomy/people/{person.pk}/",
                    entry.changed_by,
                )
            )
        levels[entry.t] = entry.level
    events.sort(key=lambda e: e.date, reverse=True)
    return events[:limit]
