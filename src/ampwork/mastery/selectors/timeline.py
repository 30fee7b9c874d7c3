"""A person's timeline: reviews, ratings, feedback and work, in one list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ampwork.autonomy import rules as autonomy_rules
from ampwork.autonomy import selectors as autonomy_selectors
from ampwork.core.l10n import format_day, format_percent
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


def _day(week: dt.date) -> str:
    """A week's Monday as the timeline names it: '07 Dec' in English, each language's own
    short date elsewhere."""
    if (translation.get_language() or "en").startswith("en"):
        return f"{week:%d %b}"
    return format_day(week, "day_month")


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
                    _("Week of %(week)s") % {"week": _day(review.week)},
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
                _("On your week of %(week)s") % {"week": _day(answer.review.week)},
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
                _("Feedback"),
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
                _("Recognition"),
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
                _("Key result achieved: %(title)s") % {"title": kr.title},
                (
                    _("%(cycle)s, scored %(value)s")
                    if kr.closed
                    else _("%(cycle)s, progress %(value)s")
                )
                % {"cycle": kr.cycle_name, "value": format_percent(kr.value)},
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
                    _("%(skill)s: level %(before)d → %(after)d")
                    % {"skill": rating.skill.name, "before": before, "after": rating.level},
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
                    _("More say over %(what)s: level %(before)d → %(after)d")
                    % {
                        "what": autonomy_rules.T_NAMES.get(entry.t, entry.t),
                        "before": before,
                        "after": entry.level,
                    },
                    entry.why,
                    f"/autonomy/people/{person.pk}/",
                    entry.changed_by,
                )
            )
        levels[entry.t] = entry.level
    events.sort(key=lambda e: e.date, reverse=True)
    return events[:limit]
