"""REST routes for 360 and upward feedback: /feedback-360-requests (one's own requests and
those asked of one; ask), a request's results (its receiver reads every answer — upward
ones combined, without authors, once shown; their manager only what was shared), answer,
accept or decline, close, share. Anyone else gets a 404."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from ampwork.apitools import Id, actor, responses
from ampwork.core.permissions import Actor

from . import feedback_selectors as selectors
from . import feedback_services as services
from .models import FeedbackRequest360
from .schemas import (
    FeedbackAnswerOut,
    FeedbackAnswersIn,
    FeedbackDecisionIn,
    FeedbackQuestionOut,
    FeedbackRequestIn,
    FeedbackRequestOut,
    FeedbackResultsOut,
    FeedbackShareIn,
    PersonRef,
)

router = Router(tags=["feedback-360"])


def _out(row: selectors.RequestRow) -> FeedbackRequestOut:
    r = row.request
    return FeedbackRequestOut(
        id=r.pk,
        kind=r.kind,
        status=r.status,
        receiver=PersonRef(id=r.receiver.pk, name=r.receiver.name),
        requested_by=PersonRef(id=r.requested_by.pk, name=r.requested_by.name),
        due=r.due,
        skill=r.skill.name if r.skill is not None else None,
        note=r.note,
        asked=row.asked,
        answered=row.answered,
        progress=row.progress,
        closed=row.closed,
    )


def _results(who: Actor, request: FeedbackRequest360) -> FeedbackResultsOut:
    services.settle_upward(request)  # closed by its due date: the pool written out
    res = selectors.results(who, request)
    return FeedbackResultsOut(
        request=_out(res.row),
        reader_is_receiver=res.reader_is_receiver,
        hidden_reason=res.hidden_reason,
        questions=[
            FeedbackQuestionOut(
                key=key,
                text=text,
                answers=[
                    FeedbackAnswerOut(
                        id=a.id,
                        question=a.question,
                        text=a.text,
                        author=a.author or None,
                        shared=a.shared,
                    )
                    for a in res.answers.get(key, [])
                ],
            )
            for key, text in res.questions
        ],
    )


@router.get("/feedback-360-requests", response=responses(200, list[FeedbackRequestOut]))
def requests(request: HttpRequest) -> list[FeedbackRequestOut]:
    """Your own requests (about you, or proposed by you for a report), newest first."""
    who = actor(request)
    return [_out(row) for row in selectors.my_requests(who)]


@router.post("/feedback-360-requests", response=responses(201, FeedbackRequestOut))
def ask(request: HttpRequest, payload: FeedbackRequestIn) -> Status[FeedbackRequestOut]:
    """Ask colleagues for feedback about you (``kind`` 360, attributed) or your direct
    reports for upward feedback (anonymous, at least the organisation's minimum). With
    ``receiver_id`` a manager proposes a 360 request for a report, who accepts first."""
    who = actor(request)
    found = services.ask(actor=who, **payload.model_dump())
    return Status(201, _out(selectors.row_of(selectors.get_request(who, found.pk))))


@router.get(
    "/feedback-360-requests/{request_id}/results", response=responses(200, FeedbackResultsOut)
)
def results(request: HttpRequest, request_id: Id) -> FeedbackResultsOut:
    """What you may read of a request: all of it if it is about you (upward answers only
    combined, once shown), what was shared if you are the receiver's manager."""
    who = actor(request)
    return _results(who, selectors.get_request(who, request_id))


@router.post(
    "/feedback-360-requests/{request_id}/answers", response=responses(201, FeedbackRequestOut)
)
def answer(
    request: HttpRequest, request_id: Id, payload: FeedbackAnswersIn
) -> Status[FeedbackRequestOut]:
    """Answer a request you were asked (once). Upward answers are stored without you."""
    who = actor(request)
    found = selectors.get_request(who, request_id)
    services.answer(actor=who, request=found, answers=payload.model_dump())
    return Status(201, _out(selectors.row_of(found)))


@router.post(
    "/feedback-360-requests/{request_id}/decision", response=responses(200, FeedbackRequestOut)
)
def decide(request: HttpRequest, request_id: Id, payload: FeedbackDecisionIn) -> FeedbackRequestOut:
    """Accept (send) or decline (delete) a request your manager proposed about you."""
    who = actor(request)
    found = selectors.get_request(who, request_id)
    if not payload.accept:
        row = selectors.row_of(found)
        services.decline(actor=who, request=found)
        return _out(row)
    services.accept(actor=who, request=found)
    return _out(selectors.row_of(found))


@router.post(
    "/feedback-360-requests/{request_id}/close", response=responses(200, FeedbackRequestOut)
)
def close(request: HttpRequest, request_id: Id) -> FeedbackRequestOut:
    """Stop taking answers before the due date."""
    who = actor(request)
    found = services.close(actor=who, request=selectors.get_request(who, request_id))
    return _out(selectors.row_of(found))


@router.put(
    "/feedback-360-requests/{request_id}/sharing", response=responses(200, FeedbackResultsOut)
)
def share(request: HttpRequest, request_id: Id, payload: FeedbackShareIn) -> FeedbackResultsOut:
    """What your manager may read: exactly the 360 answers named, or (upward) the combined
    answers as a whole."""
    who = actor(request)
    found = selectors.get_request(who, request_id)
    services.share(actor=who, request=found, answer_ids=payload.answer_ids, whole=payload.whole)
    return _results(who, selectors.get_request(who, request_id))
