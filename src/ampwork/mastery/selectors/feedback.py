"""Feedback and recognition, as the reader may see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from ampwork.core import selectors as core_selectors
from ampwork.core.models import Person
from ampwork.core.permissions import Actor, anywhere, roles_for
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


def colleagues(actor: Actor, limit: int = 2000, *, recognising: bool = False) -> list[Any]:
    """Active people to give feedback to or recognise (never oneself), by name;
    ``recognising``: only those the actor may recognise (:func:`kept_from`)."""
    people = Person.objects.filter(organisation=actor.organisation, active=True).order_by("name")
    if actor.person is not None:
        people = people.exclude(pk=actor.person.pk)
    kept = kept_from(actor) if recognising else None
    if kept is not None:
        people = people.exclude(pk__in=kept.values("pk"))
    return list(people.values("id", "name")[:limit])


# whether a school opened the feed to this student: (organisation id, person id) -> bool;
# classroom (a school's class settings, an app above this one) plugs its answer in
FEED_OPENERS: list[Callable[[int, int], bool]] = []
# whose feed a school opened: (organisation id) -> the person ids (a subquery of one
# ``person_id`` column), or None when it is open to everyone (a head teacher opened the
# school); classroom plugs its answer in
FEED_AUDIENCES: list[Callable[[int], QuerySet[Any] | None]] = []


def feed_closed(actor: Actor) -> bool:
    """The public recognition feed shows this reader nothing: a school's student whose class
    (or school) no teacher opted in (``recognition.feed``; high-privacy defaults)."""
    if anywhere(actor, "recognition.feed") or actor.person is None:
        return False
    org_id, person_id = actor.organisation.pk, actor.person.pk
    return not any(opened(org_id, person_id) for opened in FEED_OPENERS)


def kept_from(actor: Actor) -> QuerySet[Person] | None:
    """The people a reader whose feed was opened class by class may not read about: everyone
    of the school who is neither staff (``recognition.feed``) nor in an opened class — nor
    the reader. None: no one (staff, a company, a school opened as a whole). Not evaluated:
    a subquery for the feed's filter."""
    if anywhere(actor, "recognition.feed"):
        return None
    org_id = actor.organisation.pk
    staff = roles_for(actor.organisation, "recognition.feed")
    kept = Person.objects.filter(organisation_id=org_id).exclude(role__in=staff)
    for opened in FEED_AUDIENCES:
        audience = opened(org_id)
        if audience is None:
            return None
        kept = kept.exclude(pk__in=audience)
    if actor.person is not None:
        kept = kept.exclude(pk=actor.person.pk)
    return kept


def recognition_feed(actor: Actor, limit: int, **filters: Any) -> list[Recognition]:
    """The newest recognition, each post's objective and key result kept only where the
    reader may see them (a private objective's title never reaches the feed). A student
    whose class was opened (not the whole school) reads only posts whose author and every
    recipient are staff or in an opened class (:func:`kept_from`): opening 8C shows 8C
    nothing about 8D."""
    posts = Recognition.objects.filter(organisation=actor.organisation, **filters)
    kept = kept_from(actor)
    if kept is not None:
        posts = posts.exclude(recipients__in=kept).exclude(author__in=kept)
    rows = list(
        posts.select_related("author", "objective", "key_result__objective").prefetch_related(
            "recipients"
        )[:limit]
    )
    return okr_selectors.hide_unseen(actor, rows)
