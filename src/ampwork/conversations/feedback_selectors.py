"""Reads for 360 and upward feedback, each asked of the permission table (``rules.py``):
a request the reader may not see answers 404; the answers reach their receiver alone, and
their manager only what the receiver shared — never an upward answer's author, since none
is stored."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core.errors import NotFound
from ampwork.core.models import Person
from ampwork.core.permissions import Actor, can
from ampwork.pulse.anonymity import effective_minimum

from . import feedback360
from .models import FeedbackAnswer, FeedbackAsked, FeedbackRequest360, UpwardAnswer


def is_closed(request: FeedbackRequest360, today: dt.date | None = None) -> bool:
    """No more answers: the receiver closed it, or its due date has passed."""
    today = today or timezone.localdate()
    return request.status == FeedbackRequest360.Status.CLOSED or today > request.due


def minimum_of(request: FeedbackRequest360) -> int:
    return effective_minimum(request.minimum or request.organisation.anonymity_min_group)


@dataclass(frozen=True)
class RequestRow:
    request: FeedbackRequest360
    asked: int
    answered: int
    progress: str
    closed: bool


def _rows(requests: list[FeedbackRequest360]) -> list[RequestRow]:
    counts: dict[int, list[int]] = {r.pk: [0, 0] for r in requests}
    for request_id, answered in FeedbackAsked.objects.filter(
        request_id__in=list(counts)
    ).values_list("request_id", "answered"):
        counts[request_id][0] += 1
        counts[request_id][1] += int(answered)
    today = timezone.localdate()
    return [
        RequestRow(
            r,
            counts[r.pk][0],
            counts[r.pk][1],
            feedback360.progress(
                counts[r.pk][1],
                counts[r.pk][0],
                upward=r.upward,
                minimum=r.minimum or r.organisation.anonymity_min_group,
            ),
            is_closed(r, today),
        )
        for r in requests
    ]


def _base(actor: Actor) -> QuerySet[FeedbackRequest360]:
    return FeedbackRequest360.objects.filter(organisation=actor.organisation).select_related(
        "receiver", "requested_by", "skill", "organisation"
    )


def my_requests(actor: Actor) -> list[RequestRow]:
    """Requests about the reader, and those they proposed for someone: newest first."""
    me = actor.person
    if me is None:
        return []
    return _rows(list(_base(actor).filter(Q(receiver=me) | Q(requested_by=me))))


def all_requests(organisation_id: int) -> list[RequestRow]:
    """Every request of an organisation with its progress, newest first — for the command
    line (``ampwork feedback requests``): who, kind, status, progress; never an answer."""
    return _rows(
        list(
            FeedbackRequest360.objects.filter(organisation_id=organisation_id).select_related(
                "receiver", "requested_by", "organisation"
            )
        )
    )


def to_answer(actor: Actor) -> list[FeedbackRequest360]:
    """Open requests the reader was asked to answer and has not yet."""
    me = actor.person
    if me is None:
        return []
    today = timezone.localdate()
    return list(
        _base(actor).filter(
            status=FeedbackRequest360.Status.OPEN,
            due__gte=today,
            asked__person=me,
            asked__answered=False,
        )
    )


def request_ids_about(person: Person, limit: int = 10) -> list[int]:
    """The latest requests about a person that were sent (not only proposed), newest
    first — for links from a 1:1's agenda, which still asks each reader's rules."""
    return list(
        FeedbackRequest360.objects.filter(receiver=person)
        .exclude(status=FeedbackRequest360.Status.PROPOSED)
        .order_by("-id")
        .values_list("pk", flat=True)[:limit]
    )


def shared_with_me(actor: Actor) -> list[FeedbackRequest360]:
    """Requests about the reader's reports of which something was shared with them."""
    me = actor.person
    if me is None:
        return []
    return list(
        _base(actor)
        .filter(receiver__manager=me)
        .filter(Q(shared=True) | Q(answers__shared=True))
        .distinct()
    )


def get_request(actor: Actor, pk: int) -> FeedbackRequest360:
    """A request the reader is part of: its receiver, the manager who proposed it, one of
    the people asked, or the receiver's manager once something was shared. 404 otherwise."""
    found = _base(actor).filter(pk=pk).first()
    if found is None or not (
        can(actor, "feedback360.view", found)
        or can(actor, "feedback360.answer", found)
        or (can(actor, "feedback360.read_shared", found) and _has_shared(found))
    ):
        raise NotFound(_("no such feedback request"))
    return found


def _has_shared(request: FeedbackRequest360) -> bool:
    return request.shared or FeedbackAnswer.objects.filter(request=request, shared=True).exists()


def row_of(request: FeedbackRequest360) -> RequestRow:
    return _rows([request])[0]


def _answered_sets(request: FeedbackRequest360) -> list[tuple[int, list[int]]]:
    """Every upward request about the same receiver up to this one, with who answered."""
    sets: dict[int, list[int]] = {}
    for request_id, person_id in (
        FeedbackAsked.objects.filter(
            request__receiver_id=request.receiver_id,
            request__kind=FeedbackRequest360.Kind.UPWARD,
            request_id__lte=request.pk,
            answered=True,
        )
        .order_by("request_id")
        .values_list("request_id", "person_id")
    ):
        sets.setdefault(request_id, []).append(person_id)
    sets.setdefault(request.pk, [])
    return sorted(sets.items())


def upward_visibility(request: FeedbackRequest360) -> feedback360.Visibility:
    """Whether an upward request's combined answers may be read by its receiver: closed,
    at least the minimum answered, and not within subtraction distance of an earlier
    request that was shown. Earlier requests are judged the same way, oldest first."""
    closed = {
        r.pk: is_closed(r)
        for r in FeedbackRequest360.objects.filter(
            receiver_id=request.receiver_id,
            kind=FeedbackRequest360.Kind.UPWARD,
            pk__lte=request.pk,
        )
    }
    minimum = minimum_of(request)
    shown: list[list[int]] = []
    verdict = feedback360.Visibility(False)
    for request_id, answered in _answered_sets(request):
        verdict = feedback360.upward_visibility(
            closed=closed.get(request_id, False),
            answered=answered,
            minimum=minimum,
            earlier_shown=shown,
        )
        if verdict.shown:
            shown.append(answered)
    return verdict


@dataclass(frozen=True)
class Answer:
    id: int | None  # None for upward answers: nothing to point at
    question: str
    text: str
    author: str = ""  # attributed 360 only, and only to the receiver
    shared: bool = False


@dataclass
class Results:
    request: FeedbackRequest360
    row: RequestRow
    questions: list[tuple[str, str]]
    answers: dict[str, list[Answer]] = field(default_factory=dict)
    hidden_reason: str = ""  # upward answers not shown, and why
    reader_is_receiver: bool = False

    @property
    def any(self) -> bool:
        return any(self.answers.values())


def results(actor: Actor, request: FeedbackRequest360) -> Results:
    """What the reader may read of a request's answers. The receiver: every 360 answer
    with its author, or the combined upward answers once shown. Their manager: only what
    was shared, without authors. Anyone else (the people asked): nothing."""
    skill = request.skill.name if request.skill is not None else None
    out = Results(
        request,
        row_of(request),
        feedback360.questions(skill),
        reader_is_receiver=can(actor, "feedback360.read_answers", request),
    )
    for key, _text in out.questions:
        out.answers[key] = []
    manager = not out.reader_is_receiver and can(actor, "feedback360.read_shared", request)
    if not (out.reader_is_receiver or manager):
        return out
    if request.upward:
        verdict = upward_visibility(request)
        if not verdict.shown:
            out.hidden_reason = verdict.reason
            return out
        if manager and not request.shared:
            return out
        texts = list(UpwardAnswer.objects.filter(request=request).values_list("question", "text"))
        for key, text in feedback360.combined(texts):
            out.answers.setdefault(key, []).append(Answer(None, key, text))
        return out
    rows = FeedbackAnswer.objects.filter(request=request).select_related("author")
    if manager:
        rows = rows.filter(shared=True)
    for a in rows.order_by("author__name", "id"):
        out.answers.setdefault(a.question, []).append(
            Answer(
                a.pk,
                a.question,
                a.text,
                author=a.author.name if out.reader_is_receiver else "",
                shared=a.shared,
            )
        )
    return out
