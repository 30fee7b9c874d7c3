"""Feedback and recognition, as the reader may see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from ampwork.core import selectors as core_selectors
from ampwork.core.models import Person
from ampwork.core.permissions import Actor, anywhere
from ampwork.okrs import selectors as okr_selectors

from ..models import (
    Feedback,
    FeedbackRequest,
    Recognition,
)


def visible_feedback(actor: Actor) -> QuerySet[Feedback]:
    """Feedback the actor may read: what they gave and received, and what givers shared
    with the managers of people the actor coaches. Private feedback stays between the
    two people — admins included."""
    qs = Feedback.objects.filter(organisation=actor.organisation)
    me = actor.person
    if me is None:
        return qs.none()
    mine = Q(giver=me) | Q(receiver=me)
    coached = core_selectors.coached_by(me)
    if coached:
        mine |= Q(share_with_managers=True, receiver_id__in=coached)
    return qs.filter(mine)


@dataclass
class FeedbackPage:
    received: list[Feedback]
    given: list[Feedback]
    asked_of_me: list[FeedbackRequest]  # requests I have not answered yet
    my_requests: list[Any]  # FeedbackRequest, annotated with ``answered``
    shared: list[Feedback] = field(default_factory=list)  # shared with me as a manager


def feedback_page(actor: Actor) -> FeedbackPage:
    me = actor.person
    if me is None:
        return FeedbackPage([], [], [], [])
    visible = visible_feedback(actor).select_related("giver", "receiver", "request")
    received = list(visible.filter(receiver=me)[:100])
    given = list(visible.filter(giver=me)[:100])
    shared = list(visible.exclude(giver=me).exclude(receiver=me)[:100])
    requests = FeedbackRequest.objects.filter(organisation=actor.organisation).select_related(
        "requester", "asked"
    )
    asked = list(requests.filter(asked=me).exclude(answers__giver=me)[:50])
    mine = list(requests.filter(requester=me).annotate(answered=Count("answers"))[:50])
    return FeedbackPage(received, given, asked, mine, shared)


def colleagues(actor: Actor, limit: int = 2000) -> list[Any]:
    """Active people to give feedback to or recognise (never oneself), by name."""
    people = Person.objects.filter(organisation=actor.organisation, active=True).order_by("name")
    if actor.person is not None:
        people = people.exclude(pk=actor.person.pk)
    return list(people.values("id", "name")[:limit])


# whether a school opened the feed to this student: (organisation id, person id) -> bool;
# classroom (a school's class settings, an app above this one) plugs its answer in
FEED_OPENERS: list[Callable[[int, int], bool]] = []


def feed_closed(actor: Actor) -> bool:
    """The public recognition feed shows this reader nothing: a school's student whose class
    (or school) no teacher opted in (``recognition.feed``; high-privacy defaults)."""
    if anywhere(actor, "recognition.feed") or actor.person is None:
        return False
    org_id, person_id = actor.organisation.pk, actor.person.pk
    return not any(opened(org_id, person_id) for opened in FEED_OPENERS)


def recognition_feed(actor: Actor, limit: int, **filters: Any) -> list[Recognition]:
    """The newest recognition, each post's objective and key result kept only where the
    reader may see them (a private objective's title never reaches the feed)."""
    rows = list(
        Recognition.objects.filter(organisation=actor.organisation, **filters)
        .select_related("author", "objective", "key_result__objective")
        .prefetch_related("recipients")[:limit]
    )
    return okr_selectors.hide_unseen(actor, rows)
