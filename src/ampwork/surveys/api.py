"""REST routes: /surveys, /surveys/{id}/results, /surveys/{id}/responses.

Results obey the same anonymity rules as the pages: a suppressed group comes back as
``{"suppressed": true, "reason": …}`` and never with numbers, and always use the groups
frozen when the round opened. A round that is not closed has no results at all
(``results_available: false``, no groups): only how many answered in all.

Answering takes the one-time token from the invitation (or a class's shared token)
instead of a sign-in; a shared token takes one answer per client (a signed, httponly
cookie), the class code if one is set, at most the audience size the teacher gave, and a
limited number of answers a minute from one address.
"""

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from ampwork.apitools import ERRORS, Id, InSchema, MessageOut, Pages, actor
from ampwork.core.errors import NotFound

from . import selectors, services

router = Router(tags=["surveys"])


def _responses(ok: int, schema: Any) -> dict[int, Any]:
    return {ok: schema, **ERRORS}


class SurveyOut(Schema):
    id: int
    name: str
    status: str
    mode: str
    opens: dt.date
    closes: dt.date
    minimum: int | None


class GroupResult(Schema):
    group: int
    name: str
    suppressed: bool
    reason: str | None = None
    n: int | None = None
    participation: float | None = None
    subscales: dict[str, dict[str, Any]] | None = None
    enps: float | None = None
    comments: list[str] | None = None


class ResultsOut(Schema):
    survey_id: int
    status: str = Field(description="draft, open or closed")
    minimum: int | None
    results_available: bool = Field(
        description="Results exist only once the round is closed: before, groups is empty "
        "and only responses and participation (all groups together) are given"
    )
    results_from: dt.date | None = Field(
        None, description="While the round is not closed: the day it closes"
    )
    responses: int = Field(description="How many answered in all")
    participation: float | None = Field(
        None,
        description="responses over those invited (or a shared link's audience size), "
        "all groups together",
    )
    groups: list[GroupResult]
    shared_link_answers: int | None = Field(
        None, description="A shared link's round: the answers that came through the link"
    )
    audience_size: int | None = Field(
        None, description="A shared link's round: the most answers it takes"
    )
    audience_changed: dict[int, int] | None = Field(
        None,
        description="Groups whose people or teams changed in the 14 days before opening, "
        "with how many changes",
    )


class ResultsFilter(Schema):
    team: Id | None = Field(None, description="Only this team (with the teams inside it)")


class AnswerIn(InSchema):
    token: Annotated[str, Field(min_length=1, max_length=100)]
    answers: Annotated[dict[Annotated[str, Field(max_length=20)], int], Field(max_length=60)]
    enps: Annotated[int, Field(ge=0, le=10)] | None = None
    comment: Annotated[str, Field(max_length=2000)] = ""
    class_code: Annotated[str, Field(max_length=40)] = ""


class AnswerOut(Schema):
    received: bool


@router.get("/surveys", response=_responses(200, list[SurveyOut]))
@paginate(Pages)
def list_surveys(request: HttpRequest) -> Any:
    return selectors.rounds(actor(request))


@router.get("/surveys/{survey_id}/results", response=_responses(200, ResultsOut), exclude_none=True)
def results(request: HttpRequest, survey_id: Id, filters: Query[ResultsFilter]) -> dict[str, Any]:
    who = actor(request)
    pulse = selectors.get_round(who, survey_id)
    data = selectors.round_results(who, pulse, team=filters.team)
    return {
        "survey_id": pulse.pk,
        "status": pulse.status,
        "minimum": pulse.minimum,
        "results_available": data.available,
        "results_from": None if data.available else pulse.closes,
        "responses": data.responses,
        "participation": data.rate,
        "groups": [{**data.groups[g], "name": data.names.get(g, str(g))} for g in data.order],
        "shared_link_answers": data.shared_answers,
        "audience_size": data.audience_size,
        "audience_changed": data.audience_changed or None,
    }


@router.post(
    "/surveys/{survey_id}/responses",
    response={**_responses(201, AnswerOut), 409: MessageOut, 429: MessageOut},
    auth=None,
)
def answer(
    request: HttpRequest, response: HttpResponse, survey_id: Id, payload: AnswerIn
) -> Status[dict[str, Any]]:
    """Answer with the one-time token from your invitation (no sign-in: the answer must not
    be tied to an account). 1–5 per question code; ``enps`` 0–10. A class's shared token
    takes one answer per client (409 after that), ``class_code`` if the teacher set one,
    and answers a minute from one address up to a limit (429)."""
    pulse, invitation = services.find_invitation(payload.token)
    if pulse.pk != survey_id:
        raise NotFound("this token is not for this survey")
    shared = invitation is None
    if shared:
        if services.has_answered(request, pulse):
            return Status(409, {"detail": "this client has already answered this shared link"})
        try:
            services.check_rate(pulse, str(request.META.get("REMOTE_ADDR", "")))
        except services.RateLimited as exc:
            return Status(429, {"detail": str(exc)})
    services.answer(
        pulse=pulse,
        invitation=invitation,
        answers=dict(payload.answers),
        enps=payload.enps,
        comment=payload.comment,
        class_code=payload.class_code,
    )
    if shared:
        response.set_signed_cookie(**services.answered_cookie(pulse, secure=request.is_secure()))
    return Status(201, {"received": True})
