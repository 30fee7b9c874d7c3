"""REST routes for mastery. /reviews: weekly progress reviews (the person, their managers
and admins only — anyone else gets a 404) and the answers to them. /feedback and
/feedback-requests: private between giver and receiver unless shared with the receiver's
managers. /recognition: the organisation's public feed. /skills: the catalogue, ratings
over time and growth areas. /mastery/people/{id}: flow map, Goldilocks calibration and
attainment per cycle."""

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from ampwork.apitools import ERRORS, Day, Id, InSchema, Pages, actor
from ampwork.core.errors import NotFound
from ampwork.core.permissions import Actor

from . import goldilocks, selectors, services

router = Router(tags=["mastery"])
Rating = Annotated[int, Field(ge=1, le=7)]
Level = Annotated[int, Field(ge=1, le=5)]


def _responses(ok: int, schema: Any) -> dict[int, Any]:
    return {ok: schema, **ERRORS}


# ---------------------------------------------------------------- reviews


class ReplyOut(Schema):
    id: int
    author_id: int | None
    author_name: str
    body: str
    created_at: dt.datetime


class ReviewOut(Schema):
    id: int
    person_id: int
    person_name: str
    week: dt.date
    wins: str
    setbacks: str
    next_steps: str
    challenge: int | None
    skill: int | None
    updated_at: dt.datetime
    replies: list[ReplyOut]


class ReviewIn(InSchema):
    week: Day | None = None
    wins: Annotated[str, Field(max_length=4000)] = ""
    setbacks: Annotated[str, Field(max_length=4000)] = ""
    next_steps: Annotated[str, Field(max_length=4000)] = ""
    challenge: Rating | None = None
    skill: Rating | None = None


class ReplyIn(InSchema):
    body: Annotated[str, Field(min_length=1, max_length=4000)]


def _reply(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "author_id": r.author_id,
        "author_name": r.author.name if r.author else "",
        "body": r.body,
        "created_at": r.created_at,
    }


def _review(r: Any, replies: list[Any]) -> dict[str, Any]:
    return {
        "id": r.pk,
        "person_id": r.person_id,
        "person_name": r.person.name,
        "week": r.week,
        "wins": r.wins,
        "setbacks": r.setbacks,
        "next_steps": r.next_steps,
        "challenge": r.challenge,
        "skill": r.skill,
        "updated_at": r.updated_at,
        "replies": [_reply(x) for x in replies],
    }


@router.get("/reviews", response=_responses(200, list[ReviewOut]))
@paginate(Pages)
def reviews(
    request: HttpRequest, person_id: Id | None = None, week: Day | None = None
) -> list[dict[str, Any]]:
    """Reviews you may read, newest first: your own and your people's (admins: all).
    Filter by ``person_id`` and by ``week`` (any day of it)."""
    who = actor(request)
    qs = selectors.visible_reviews(who)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if week is not None:
        qs = qs.filter(week=selectors.week_of(week))
    rows = list(qs[:500])
    replies = selectors.replies_of(rows)
    return [_review(r, replies.get(r.pk, [])) for r in rows]


@router.post("/reviews", response=_responses(201, ReviewOut))
def write_review(request: HttpRequest, payload: ReviewIn) -> Status[Any]:
    """Write or rewrite your own review of a week (this week by default)."""
    who = actor(request)
    review = services.save_review(actor=who, **payload.model_dump())
    review = selectors.get_review(who, review.pk)
    return Status(201, _review(review, selectors.replies_of([review]).get(review.pk, [])))


@router.get("/reviews/{review_id}", response=_responses(200, ReviewOut))
def review(request: HttpRequest, review_id: Id) -> dict[str, Any]:
    found = selectors.get_review(actor(request), review_id)
    return _review(found, selectors.replies_of([found]).get(found.pk, []))


@router.post("/reviews/{review_id}/replies", response=_responses(201, ReplyOut))
def answer(request: HttpRequest, review_id: Id, payload: ReplyIn) -> Status[Any]:
    """A manager's (teacher's) answer: specific, informational feedback."""
    who = actor(request)
    found = selectors.get_review(who, review_id)
    return Status(201, _reply(services.reply(actor=who, review=found, body=payload.body)))


# ---------------------------------------------------------------- feedback


class FeedbackOut(Schema):
    id: int
    giver_id: int | None
    giver_name: str
    receiver_id: int
    receiver_name: str
    body: str
    request_id: int | None
    share_with_managers: bool
    created_at: dt.datetime


class FeedbackIn(InSchema):
    receiver_id: Id | None = None
    body: Annotated[str, Field(min_length=1, max_length=4000)]
    request_id: Id | None = None
    share_with_managers: bool = False


class RequestOut(Schema):
    id: int
    requester_id: int
    requester_name: str
    asked_id: int
    asked_name: str
    about: str
    created_at: dt.datetime


class RequestIn(InSchema):
    asked_id: Id
    about: Annotated[str, Field(min_length=1, max_length=300)]


def _feedback(f: Any) -> dict[str, Any]:
    return {
        "id": f.pk,
        "giver_id": f.giver_id,
        "giver_name": f.giver.name if f.giver else "",
        "receiver_id": f.receiver_id,
        "receiver_name": f.receiver.name,
        "body": f.body,
        "request_id": f.request_id,
        "share_with_managers": f.share_with_managers,
        "created_at": f.created_at,
    }


def _request(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "requester_id": r.requester_id,
        "requester_name": r.requester.name,
        "asked_id": r.asked_id,
        "asked_name": r.asked.name,
        "about": r.about,
        "created_at": r.created_at,
    }


@router.get("/feedback", response=_responses(200, list[FeedbackOut]))
@paginate(Pages)
def feedback(request: HttpRequest) -> Any:
    """Feedback you gave or received, and what was shared with you as a manager."""
    rows = selectors.visible_feedback(actor(request)).select_related("giver", "receiver")
    return [_feedback(f) for f in rows[:500]]


@router.post("/feedback", response=_responses(201, FeedbackOut))
def give(request: HttpRequest, payload: FeedbackIn) -> Status[Any]:
    """Give feedback (``receiver_id``), or answer a request (``request_id``)."""
    found = services.give_feedback(actor=actor(request), **payload.model_dump())
    return Status(201, _feedback(found))


@router.get("/feedback-requests", response=_responses(200, list[RequestOut]))
def feedback_requests(request: HttpRequest) -> list[dict[str, Any]]:
    """Requests you made, and those addressed to you that you have not answered yet."""
    page = selectors.feedback_page(actor(request))
    return [_request(r) for r in page.asked_of_me + page.my_requests]


@router.post("/feedback-requests", response=_responses(201, RequestOut))
def ask(request: HttpRequest, payload: RequestIn) -> Status[Any]:
    found = services.request_feedback(actor=actor(request), **payload.model_dump())
    return Status(201, _request(found))


# ---------------------------------------------------------------- recognition


class RecognitionOut(Schema):
    id: int
    author_id: int | None
    author_name: str
    recipients: list[int]
    body: str
    objective_id: int | None
    key_result_id: int | None
    created_at: dt.datetime


class RecognitionIn(InSchema):
    recipient_ids: Annotated[list[Id], Field(min_length=1, max_length=50)]
    body: Annotated[str, Field(min_length=1, max_length=1000)]
    objective_id: Id | None = None
    key_result_id: Id | None = None


def _post(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "author_id": p.author_id,
        "author_name": p.author.name if p.author else "",
        "recipients": [x.pk for x in p.recipients.all()],
        "body": p.body,
        "objective_id": p.objective.pk if p.objective else None,
        "key_result_id": p.key_result.pk if p.key_result else None,
        "created_at": p.created_at,
    }


@router.get("/recognition", response=_responses(200, list[RecognitionOut]))
@paginate(Pages)
def recognition(request: HttpRequest) -> Any:
    """The organisation's recognition feed, newest first."""
    return [_post(p) for p in selectors.recognition_feed(actor(request), 500)]


@router.post("/recognition", response=_responses(201, RecognitionOut))
def recognise(request: HttpRequest, payload: RecognitionIn) -> Status[Any]:
    """A public thank-you after the fact — never tied to money."""
    found = services.recognise(actor=actor(request), **payload.model_dump())
    return Status(201, _post(found))


# ---------------------------------------------------------------- skills


class SkillOut(Schema):
    id: int
    name: str
    description: str
    levels: list[str]


class SkillIn(InSchema):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    description: Annotated[str, Field(max_length=500)] = ""
    levels: Annotated[
        list[Annotated[str, Field(max_length=300)]], Field(min_length=5, max_length=5)
    ]


class RatingOut(Schema):
    id: int
    skill_id: int
    person_id: int
    rater_id: int | None
    by_self: bool
    level: int
    note: str
    date: dt.date


class RatingIn(InSchema):
    person_id: Id | None = None
    level: Level
    note: Annotated[str, Field(max_length=300)] = ""
    date: Day | None = None


class GrowthIn(InSchema):
    person_id: Id | None = None
    target_level: Level
    objective_id: Id | None = None
    note: Annotated[str, Field(max_length=300)] = ""


class GrowthOut(Schema):
    id: int
    person_id: int
    skill_id: int
    target_level: int
    objective_id: int | None
    note: str


def _skill(s: Any) -> dict[str, Any]:
    return {"id": s.pk, "name": s.name, "description": s.description, "levels": s.levels}


def _rating(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "skill_id": r.skill_id,
        "person_id": r.person_id,
        "rater_id": r.rater_id,
        "by_self": r.by_self,
        "level": r.level,
        "note": r.note,
        "date": r.date,
    }


def _subject(who: Actor, person_id: int | None) -> Any:
    if person_id is None:
        if who.person is None:
            raise NotFound("the command line has no skills of its own: name a person_id")
        return who.person
    return selectors.get_person(who, person_id)


@router.get("/skills", response=_responses(200, list[SkillOut]))
def skills(request: HttpRequest) -> list[dict[str, Any]]:
    return [_skill(s) for s in selectors.skills(actor(request).organisation)]


@router.post("/skills", response=_responses(201, SkillOut))
def define(request: HttpRequest, payload: SkillIn) -> Status[Any]:
    """Name a skill with what each level 1–5 looks like (admins, people ops, teachers)."""
    return Status(201, _skill(services.create_skill(actor=actor(request), **payload.model_dump())))


@router.get("/skills/{skill_id}/ratings", response=_responses(200, list[RatingOut]))
def ratings(request: HttpRequest, skill_id: Id, person_id: Id | None = None) -> Any:
    """Your ratings on a skill over time (own and your managers'), or a person's you coach."""
    who = actor(request)
    skill = selectors.get_skill(who.organisation, skill_id)
    person = _subject(who, person_id)
    return [_rating(r) for r in skill.ratings.filter(person=person)]


@router.post("/skills/{skill_id}/ratings", response=_responses(201, RatingOut))
def rate(request: HttpRequest, skill_id: Id, payload: RatingIn) -> Status[Any]:
    """Rate yourself, or add your view of someone you coach (kept apart from theirs)."""
    who = actor(request)
    skill = selectors.get_skill(who.organisation, skill_id)
    data = payload.model_dump()
    person = _subject(who, data.pop("person_id"))
    found = services.rate_skill(actor=who, skill=skill, person=person, **data)
    return Status(201, _rating(found))


@router.post("/skills/{skill_id}/growth-areas", response=_responses(201, GrowthOut))
def grow(request: HttpRequest, skill_id: Id, payload: GrowthIn) -> Status[Any]:
    """Mark a skill as a growth area, towards a level, tied to a learning objective."""
    who = actor(request)
    skill = selectors.get_skill(who.organisation, skill_id)
    data = payload.model_dump()
    person = _subject(who, data.pop("person_id"))
    g = services.add_growth_area(actor=who, skill=skill, person=person, **data)
    return Status(
        201,
        {
            "id": g.pk,
            "person_id": g.person_id,
            "skill_id": g.skill_id,
            "target_level": g.target_level,
            "objective_id": g.objective_id,
            "note": g.note,
        },
    )


# ---------------------------------------------------------------- a person's mastery


class FlowPointOut(Schema):
    week: dt.date
    challenge: int
    skill: int
    z_challenge: float
    z_skill: float
    quadrant: str


class FlowOut(Schema):
    enough: bool
    weeks_rated: int
    message: str
    recent: str | None
    points: list[FlowPointOut]


class FlagOut(Schema):
    kind: str
    label: str
    evidence: list[str]
    conversation: str
    key_result_ids: list[int]


class CalibrationOut(Schema):
    enough: bool
    message: str
    flags: list[FlagOut]


class AttainmentOut(Schema):
    cycle: str
    closed: bool
    average: float
    key_results: int


class MasteryOut(Schema):
    person_id: int
    flow: FlowOut
    goldilocks: CalibrationOut
    attainment: list[AttainmentOut]


@router.get("/mastery/people/{person_id}", response=_responses(200, MasteryOut))
def person(request: HttpRequest, person_id: Id) -> dict[str, Any]:
    """The flow map, Goldilocks flags (each with its evidence) and attainment per cycle."""
    who = actor(request)
    subject = selectors.get_person(who, person_id)
    fm = selectors.flows([subject.pk])[subject.pk]
    facts = selectors.kr_facts(who.organisation, [subject.pk])[subject.pk]
    calibration = goldilocks.calibrate(facts)
    return {
        "person_id": subject.pk,
        "flow": {
            "enough": fm.enough,
            "weeks_rated": fm.weeks_rated,
            "message": fm.message,
            "recent": fm.recent,
            "points": [p.__dict__ for p in fm.points],
        },
        "goldilocks": {
            "enough": calibration.enough,
            "message": calibration.message,
            "flags": [
                {
                    "kind": f.kind,
                    "label": f.label,
                    "evidence": f.evidence,
                    "conversation": f.conversation,
                    "key_result_ids": f.key_results,
                }
                for f in calibration.flags
            ],
        },
        "attainment": [
            {"cycle": a.name, "closed": a.closed, "average": a.average, "key_results": a.count}
            for a in selectors.attainment(facts)
        ],
    }
