"""Writes for 360 and upward feedback: ask (or propose, for a report, who accepts before
anything is sent), accept or decline, answer, close, and share with one's manager.

Who may ask (decided here, documented in docs/user-guide.md, *360 and upward feedback*):
a person asks about themselves; a manager (anyone who coaches the person) may propose a
360 request for them, which waits for the person's consent. Upward feedback is asked by
the manager about themselves, of people who report to them directly."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ampwork.core import sealing
from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotAllowed, ValidationFailed, clean_text
from ampwork.core.models import Person
from ampwork.core.permissions import Actor, require
from ampwork.mastery import selectors as mastery_selectors
from ampwork.pulse.anonymity import effective_minimum

from . import feedback360, feedback_selectors
from .models import (
    FeedbackAnswer,
    FeedbackAsked,
    FeedbackRequest360,
    PooledUpwardAnswer,
    UpwardAnswer,
)

ANSWER = 3000
MOST_ASKED = 20
FURTHEST = 90  # days ahead a due date may be


def _me(actor: Actor) -> Person:
    if actor.person is None:
        raise NotAllowed(_("Only a person of the organisation can do this."))
    return actor.person


@transaction.atomic
def ask(
    *,
    actor: Actor,
    kind: str,
    asked_ids: Iterable[int],
    due: dt.date | None,
    receiver_id: int | None = None,
    skill_id: int | None = None,
    note: str = "",
) -> FeedbackRequest360:
    """Ask chosen colleagues for feedback. About oneself it is sent at once; about a
    report (a manager proposing it) it waits until the report accepts."""
    me = _me(actor)
    org = actor.organisation
    if kind not in FeedbackRequest360.Kind.values:
        raise ValidationFailed.single("kind", _("is 360 or upward"))
    upward = kind == FeedbackRequest360.Kind.UPWARD
    receiver = me
    if receiver_id is not None and receiver_id != me.pk:
        if upward:
            raise ValidationFailed.single(
                "receiver_id", _("upward feedback is asked about oneself")
            )
        found = Person.objects.filter(organisation=org, pk=receiver_id, active=True).first()
        if found is None:
            raise ValidationFailed.single(
                "receiver_id", _("no active person %(id)s") % {"id": receiver_id}
            )
        if not core_selectors.coaches(me, found.pk):
            raise ValidationFailed.single(
                "receiver_id", _("you may propose feedback only for someone you manage")
            )
        receiver = found
    ids = sorted(set(asked_ids))
    if not ids:
        raise ValidationFailed.single("asked_ids", _("choose at least one person"))
    if len(ids) > MOST_ASKED:
        raise ValidationFailed.single(
            "asked_ids", _("ask at most %(count)d people") % {"count": MOST_ASKED}
        )
    if receiver.pk in ids:
        raise ValidationFailed.single(
            "asked_ids", _("the receiver does not answer about themselves")
        )
    people = {p.pk: p for p in Person.objects.filter(organisation=org, pk__in=ids, active=True)}
    missing = [str(i) for i in ids if i not in people]
    if missing:
        raise ValidationFailed.single(
            "asked_ids", _("no active person %(id)s") % {"id": ", ".join(missing)}
        )
    minimum = effective_minimum(org.anonymity_min_group)
    if upward:
        if any(p.manager_id != receiver.pk for p in people.values()):
            raise ValidationFailed.single(
                "asked_ids", _("upward feedback is answered by people who report to you directly")
            )
        if len(ids) < minimum:
            raise ValidationFailed.single(
                "asked_ids",
                ngettext(
                    "ask at least %(count)d person: upward answers are shown only once "
                    "%(count)d answers",
                    "ask at least %(count)d people: upward answers are shown only once "
                    "%(count)d answer",
                    minimum,
                )
                % {"count": minimum},
            )
        for earlier in _earlier_asked(receiver):
            if feedback360.too_close(ids, earlier, minimum):
                raise ValidationFailed.single(
                    "asked_ids",
                    _(
                        "these people differ from those of an earlier upward request by fewer "
                        "than %(count)d: comparing the two could reveal what a few wrote. "
                        "Ask the same people, or change at least %(count)d."
                    )
                    % {"count": minimum},
                )
    today = timezone.localdate()
    if due is None:
        raise ValidationFailed.single("due", _("is required"))
    if due < today:
        raise ValidationFailed.single("due", _("cannot be in the past"))
    if due > today + dt.timedelta(days=FURTHEST):
        raise ValidationFailed.single(
            "due", _("is at most %(days)d days ahead") % {"days": FURTHEST}
        )
    if skill_id is not None and skill_id not in mastery_selectors.skill_names(org):
        raise ValidationFailed.single(
            "skill_id", _("no skill %(id)s in this organisation") % {"id": skill_id}
        )
    request = FeedbackRequest360.objects.create(
        organisation=org,
        receiver=receiver,
        requested_by=me,
        kind=kind,
        status=(
            FeedbackRequest360.Status.OPEN
            if receiver.pk == me.pk
            else FeedbackRequest360.Status.PROPOSED
        ),
        skill_id=skill_id,
        note=clean_text(note, "note", 300, required=False),
        due=due,
        minimum=minimum if upward else None,
    )
    FeedbackAsked.objects.bulk_create(
        FeedbackAsked(organisation=org, request=request, person_id=pk) for pk in ids
    )
    return request


def _earlier_asked(receiver: Person) -> list[list[int]]:
    """The people asked by each earlier upward request about ``receiver``."""
    by_request: dict[int, list[int]] = {}
    for request_id, person_id in FeedbackAsked.objects.filter(
        request__receiver=receiver, request__kind=FeedbackRequest360.Kind.UPWARD
    ).values_list("request_id", "person_id"):
        by_request.setdefault(request_id, []).append(person_id)
    return list(by_request.values())


@transaction.atomic
def accept(*, actor: Actor, request: FeedbackRequest360) -> FeedbackRequest360:
    """The receiver agrees to a request their manager proposed: it is sent."""
    require(actor, "feedback360.accept", request)
    if request.status != FeedbackRequest360.Status.PROPOSED:
        raise ValidationFailed.single("status", _("this request is not waiting for your consent"))
    if request.due < timezone.localdate():
        raise ValidationFailed.single("due", _("its due date has passed: ask again"))
    request.status = FeedbackRequest360.Status.OPEN
    request.save(update_fields=["status"])
    return request


@transaction.atomic
def decline(*, actor: Actor, request: FeedbackRequest360) -> None:
    """The receiver says no to a proposed request: it is deleted, nothing was sent."""
    require(actor, "feedback360.accept", request)
    if request.status != FeedbackRequest360.Status.PROPOSED:
        raise ValidationFailed.single("status", _("this request is not waiting for your consent"))
    request.delete()


def answer(
    *, actor: Actor, request: FeedbackRequest360, answers: Mapping[str, str]
) -> FeedbackRequest360:
    """Answer a request once. Upward answers are stored without their author, apart from
    the yes/no that says the person answered: sealed in the pool, in a transaction after
    the one that marks the person (``settle_upward`` writes them out at closing)."""
    require(actor, "feedback360.answer", request)
    me = _me(actor)
    if request.status != FeedbackRequest360.Status.OPEN or feedback_selectors.is_closed(
        request, timezone.localdate()
    ):
        raise ValidationFailed.single("answers", _("this request is not open for answers"))
    keys = {key for key, _ in feedback360.questions(_skill_name(request))}
    unknown = sorted(k for k, v in answers.items() if k not in keys and (v or "").strip())
    if unknown:
        raise ValidationFailed.single(
            "answers", _("no question %(keys)s") % {"keys": ", ".join(unknown)}
        )
    texts = {
        key: clean_text(answers.get(key, ""), key, ANSWER, required=False)
        for key, _ in feedback360.questions(_skill_name(request))
    }
    texts = {k: v for k, v in texts.items() if v}
    if not texts:
        raise ValidationFailed.single("answers", _("answer at least one question"))
    with transaction.atomic():
        # one statement both checks and marks: of two submits at once exactly one counts
        claimed = FeedbackAsked.objects.filter(request=request, person=me, answered=False).update(
            answered=True
        )
        if not claimed:
            raise ValidationFailed.single("answers", _("you have answered this request already"))
        if not request.upward:
            FeedbackAnswer.objects.bulk_create(
                FeedbackAnswer(
                    organisation=request.organisation,
                    request=request,
                    author=me,
                    question=k,
                    text=v,
                )
                for k, v in texts.items()
            )
            return request
    try:
        pool_upward(request, feedback360.combined(list(texts.items())))
    except BaseException:
        with transaction.atomic():  # nothing was stored: the person may answer again
            FeedbackAsked.objects.filter(request=request, person=me).update(answered=False)
        raise
    return request


@transaction.atomic
def pool_upward(request: FeedbackRequest360, items: list[tuple[str, str]]) -> None:
    """One person's upward answers (question, text), sealed into the request's pool."""
    PooledUpwardAnswer.objects.create(
        organisation=request.organisation, request=request, sealed=_seal(request.pk, items)
    )


UPWARD = "ampwork.feedback360.upward"  # the sealing key's purpose (core.sealing)


def _seal(request_id: int, items: list[tuple[str, str]]) -> str:
    """Sealed with a fresh random nonce, bound to the request: no timestamp inside."""
    return sealing.seal(items, purpose=UPWARD, context=str(request_id))


def _unseal(request_id: int, sealed: str) -> list[tuple[str, str]]:
    opened = sealing.unseal(sealed, purpose=UPWARD, context=str(request_id))
    return [(str(q), str(t)) for q, t in opened]


def settle_upward(request: FeedbackRequest360) -> int:
    """Once an upward request is closed (by its receiver or its due date): open the pooled
    answers, shuffle them and write them in one batch, and empty the pool. Returns how many
    answers were written (0 when the request is still open or nothing is pooled)."""
    if not request.upward or not feedback_selectors.is_closed(request, timezone.localdate()):
        return 0
    with transaction.atomic():
        rows = list(
            PooledUpwardAnswer.objects.select_for_update()
            .filter(request=request)
            .values_list("id", "sealed")
        )
        if not rows:
            return 0
        items = [item for _, sealed in rows for item in _unseal(request.pk, sealed)]
        PooledUpwardAnswer.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
        secrets.SystemRandom().shuffle(items)
        UpwardAnswer.objects.bulk_create(
            UpwardAnswer(organisation=request.organisation, request=request, question=q, text=t)
            for q, t in items
        )
    return len(items)


def _skill_name(request: FeedbackRequest360) -> str | None:
    return request.skill.name if request.skill_id is not None and request.skill else None


@transaction.atomic
def close(*, actor: Actor, request: FeedbackRequest360) -> FeedbackRequest360:
    """The receiver stops taking answers (before the due date)."""
    require(actor, "feedback360.share", request)
    if request.status != FeedbackRequest360.Status.OPEN:
        raise ValidationFailed.single("status", _("only an open request can be closed"))
    request.status = FeedbackRequest360.Status.CLOSED
    request.save(update_fields=["status"])
    settle_upward(request)
    return request


@transaction.atomic
def share(
    *,
    actor: Actor,
    request: FeedbackRequest360,
    answer_ids: Iterable[int] = (),
    whole: bool = False,
) -> FeedbackRequest360:
    """What the receiver's manager may read: for a 360 request exactly the answers named
    (the others are unshared), for an upward one the combined answers as a whole — only
    once they are shown to the receiver."""
    require(actor, "feedback360.share", request)
    if request.upward:
        if whole and not feedback_selectors.upward_visibility(request).shown:
            raise ValidationFailed.single("whole", _("these answers are not shown yet"))
        request.shared = whole
        request.save(update_fields=["shared"])
        return request
    ids = set(answer_ids)
    own = set(FeedbackAnswer.objects.filter(request=request).values_list("pk", flat=True))
    stray = sorted(ids - own)
    if stray:
        raise ValidationFailed.single(
            "answer_ids",
            _("no answer %(ids)s on this request") % {"ids": ", ".join(map(str, stray))},
        )
    FeedbackAnswer.objects.filter(request=request, pk__in=ids).update(shared=True)
    FeedbackAnswer.objects.filter(request=request).exclude(pk__in=ids).update(shared=False)
    return request
