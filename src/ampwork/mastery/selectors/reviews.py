"""Weekly reviews and who may see them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Count, Max, Q, QuerySet

from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotFound
from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor, anywhere, can

from ..models import (
    Reply,
    Review,
)
from .weeks import week_of


def may_see_reviews(actor: Actor, person: Person) -> bool:
    return can(actor, "reviews.view", person)


def get_person(actor: Actor, pk: int) -> Person:
    """A person whose reviews and progress the actor may see; 404 for anyone else."""
    person = core_selectors.get_person(actor.organisation, pk)
    if not may_see_reviews(actor, person):
        raise NotFound("no such person's progress to show")
    return person


def get_review(actor: Actor, pk: int) -> Review:
    review = (
        Review.objects.filter(organisation=actor.organisation, pk=pk)
        .select_related("person")
        .first()
    )
    if review is None or not may_see_reviews(actor, review.person):
        raise NotFound("no such review")  # not even a 403: its existence is private too
    return review


def visible_reviews(actor: Actor) -> QuerySet[Review]:
    """Reviews the actor may read: their own and their people's; admins all of them."""
    qs = Review.objects.filter(organisation=actor.organisation).select_related("person")
    if anywhere(actor, "reviews.view"):
        return qs
    if actor.person is None:
        return qs.none()
    ids = core_selectors.coached_by(actor.person) | {actor.person.pk}
    return qs.filter(person_id__in=ids)


def review_of_week(person: Person, week: dt.date, *, with_replies: bool = False) -> Review | None:
    """The person's review of the week ``week`` falls in; with ``replies_count`` if asked."""
    qs = Review.objects.filter(person=person, week=week_of(week))
    if with_replies:
        qs = qs.annotate(replies_count=Count("replies"))
    return qs.first()


def replies_of(reviews: Iterable[Review]) -> dict[int, list[Reply]]:
    out: dict[int, list[Reply]] = defaultdict(list)
    for r in Reply.objects.filter(review__in=[x.pk for x in reviews]).select_related("author"):
        out[r.review_id].append(r)
    return out


# ---------------------------------------------------------------- for other apps (plain data)


def latest_reviews(org: Organisation, since: dt.date, until: dt.date) -> dict[int, dt.date]:
    """Per person, the latest week from ``since`` to ``until`` (both included) they wrote
    a weekly review for; people with none then are left out. One query over those weeks
    alone."""
    return dict(
        Review.objects.filter(organisation=org, week__gte=since, week__lte=until)
        .values("person_id")
        .annotate(latest=Max("week"))
        .order_by()
        .values_list("person_id", "latest")
    )


def reviews_written(
    org: Organisation, windows: Sequence[tuple[dt.date, dt.date]]
) -> tuple[int, ...]:
    """How many weekly reviews the organisation's active people wrote for weeks in each
    window (first and last week, both included), in the windows' order. One query, one row:
    counted in the database."""
    if not windows:
        return ()
    counts = {
        f"w{i}": Count("id", filter=Q(week__gte=first, week__lte=last))
        for i, (first, last) in enumerate(windows)
    }
    found = Review.objects.filter(
        organisation=org,
        person__active=True,
        week__gte=min(first for first, _ in windows),
        week__lte=max(last for _, last in windows),
    ).aggregate(**counts)
    return tuple(found[name] for name in counts)


def unanswered_reviews(people: Iterable[int], since: dt.date) -> list[int]:
    """The person of each of these people's reviews, for a week from ``since`` on, that has
    no reply yet (one entry per review). One query."""
    return list(
        Review.objects.filter(
            person_id__in=list(people), week__gte=since, replies__isnull=True
        ).values_list("person_id", flat=True)
    )


def reflection_count(org: Organisation, people: Iterable[int]) -> int:
    """How many weekly reviews (a school's reflections) these people wrote (a school's
    retention policy counts them before purging)."""
    return Review.objects.filter(organisation=org, person_id__in=list(people)).count()
