"""REST routes: /pulse/rounds, /pulse/rounds/{round_id}/results,
/pulse/rounds/{round_id}/responses.

The same routes under their old names — /surveys, /surveys/{survey_id}/results,
/surveys/{survey_id}/responses — answer the same for one more release, marked deprecated
(docs/api.md); the old results body calls the round ``survey_id``.

Results obey the same anonymity rules as the pages: a suppressed group comes back as
``{"suppressed": true, "reason": …}`` and never with numbers, and always use the groups
frozen when the round opened. A round that is not closed has no results at all
(``results_available: false``, no groups): only how many answered in all.

Answering takes the one-time token from the invitation (or a class's shared token)
instead of a sign-in; a shared token takes one answer per client (a signed, httponly
cookie), the class code if one is set, at most the audience size the teacher gave, and a
limited number of answers a minute from one address.
"""

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Query, Router, Status
from ninja.pagination import paginate

from ampwork.apitools import Id, MessageOut, Pages, actor, responses
from ampwork.core.errors import NotFound

from . import selectors, services
from .models import Round
from .schemas import (
    AnswerIn,
    AnswerOut,
    GroupResult,
    ResultsBody,
    ResultsFilter,
    ResultsOut,
    RoundOut,
    SurveyResultsOut,
)

router = Router(tags=["pulse"])

ANSWERED = responses(201, AnswerOut, {409: MessageOut, 429: MessageOut})


@router.get("/pulse/rounds", response=responses(200, list[RoundOut]))
@paginate(Pages)
def list_rounds(request: HttpRequest) -> QuerySet[Round]:
    return selectors.rounds(actor(request))


@router.get(
    "/pulse/rounds/{round_id}/results", response=responses(200, ResultsOut), exclude_none=True
)
def results(request: HttpRequest, round_id: Id, filters: Query[ResultsFilter]) -> ResultsOut:
    return ResultsOut(round_id=round_id, **dict(_results(request, round_id, filters.team)))


@router.post("/pulse/rounds/{round_id}/responses", response=ANSWERED, auth=None)
def answer(
    request: HttpRequest, response: HttpResponse, round_id: Id, payload: AnswerIn
) -> Status[AnswerOut | MessageOut]:
    """Answer with the one-time token from your invitation (no sign-in: the answer must not
    be tied to an account). 1–5 per question code; ``enps`` 0–10. A class's shared token
    takes one answer per client (409 after that), ``class_code`` if the teacher set one,
    and answers a minute from one address up to a limit (429)."""
    return _answer(request, response, round_id, payload)


# The old names, kept for one release (deprecated in docs/api.md), with their old
# operation ids so that generated clients keep working.


@router.get(
    "/surveys",
    response=responses(200, list[RoundOut]),
    deprecated=True,
    operation_id="ampwork_surveys_api_list_surveys",
)
@paginate(Pages)
def list_surveys(request: HttpRequest) -> QuerySet[Round]:
    """Deprecated: use ``/pulse/rounds``."""
    return selectors.rounds(actor(request))


@router.get(
    "/surveys/{survey_id}/results",
    response=responses(200, SurveyResultsOut),
    exclude_none=True,
    deprecated=True,
    operation_id="ampwork_surveys_api_results",
)
def survey_results(
    request: HttpRequest, survey_id: Id, filters: Query[ResultsFilter]
) -> SurveyResultsOut:
    """Deprecated: use ``/pulse/rounds/{round_id}/results`` (which calls the id
    ``round_id``)."""
    return SurveyResultsOut(survey_id=survey_id, **dict(_results(request, survey_id, filters.team)))


@router.post(
    "/surveys/{survey_id}/responses",
    response=ANSWERED,
    auth=None,
    deprecated=True,
    operation_id="ampwork_surveys_api_answer",
)
def survey_answer(
    request: HttpRequest, response: HttpResponse, survey_id: Id, payload: AnswerIn
) -> Status[AnswerOut | MessageOut]:
    """Deprecated: use ``/pulse/rounds/{round_id}/responses``."""
    return _answer(request, response, survey_id, payload)


def _results(request: HttpRequest, round_id: int, team: int | None) -> ResultsBody:
    """A round's results without its id (the caller names it)."""
    who = actor(request)
    round = selectors.get_round(who, round_id)
    data = selectors.round_results(who, round, team=team)
    return ResultsBody(
        status=round.status,
        minimum=round.minimum,
        results_available=data.available,
        results_from=None if data.available else round.closes,
        responses=data.responses,
        participation=data.rate,
        groups=[
            GroupResult(**{**data.groups[g], "name": data.names.get(g, str(g))}) for g in data.order
        ],
        shared_link_answers=data.shared_answers,
        audience_size=data.audience_size,
        audience_changed=data.audience_changed or None,
    )


def _answer(
    request: HttpRequest, response: HttpResponse, round_id: int, payload: AnswerIn
) -> Status[AnswerOut | MessageOut]:
    round, invitation = services.find_invitation(payload.token)
    if round.pk != round_id:
        raise NotFound(gettext("this token is not for this survey"))
    shared = invitation is None
    if shared:
        if services.has_answered(request, round):
            return Status(
                409, MessageOut(detail=gettext("this client has already answered this shared link"))
            )
        try:
            services.check_rate(round, str(request.META.get("REMOTE_ADDR", "")))
        except services.RateLimited as exc:
            return Status(429, MessageOut(detail=str(exc)))
    services.answer(
        round=round,
        invitation=invitation,
        answers=dict(payload.answers),
        enps=payload.enps,
        comment=payload.comment,
        class_code=payload.class_code,
        language=payload.language or None,
    )
    if shared:
        response.set_signed_cookie(**services.answered_cookie(round, secure=request.is_secure()))
    return Status(201, AnswerOut(received=True))
