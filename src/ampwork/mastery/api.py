"""REST routes for mastery. /reviews: weekly progress reviews (the person, their managers
and admins only — anyone else gets a 404) and the answers to them. /feedback and
/feedback-requests: private between giver and receiver unless shared with the receiver's
managers. /recognition: the organisation's public feed. /skills: the catalogue, ratings
over time and growth areas. /mastery/people/{id}: flow map, Goldilocks calibration and
attainment per cycle."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from ampwork.apitools import Day, Id, Pages, actor, responses
from ampwork.core.errors import NotFound
from ampwork.core.permissions import Actor

from . import goldilocks, selectors, services
from .schemas import (
    AttainmentOut,
    CalibrationOut,
    FeedbackIn,
    FeedbackOut,
    FlagOut,
    FlowOut,
    FlowPointOut,
    GrowthIn,
    GrowthOut,
    MasteryOut,
    RatingIn,
    RatingOut,
    RecognitionIn,
    RecognitionOut,
    ReplyIn,
    ReplyOut,
    RequestIn,
    RequestOut,
    ReviewIn,
    ReviewOut,
    SkillIn,
    SkillOut,
)

router = Router(tags=["mastery"])


# ---------------------------------------------------------------- reviews


def _reply(r: Any) -> ReplyOut:
    return ReplyOut(
        id=r.pk,
        author_id=r.author_id,
        author_name=r.author.name if r.author else "",
        body=r.body,
        created_at=r.created_at,
    )


def _review(r: Any, replies: list[Any]) -> ReviewOut:
    return ReviewOut(
        id=r.pk,
        person_id=r.person_id,
        person_name=r.person.name,
        week=r.week,
        wins=r.wins,
        setbacks=r.setbacks,
        next_steps=r.next_steps,
        challenge=r.challenge,
        skill=r.skill,
        updated_at=r.updated_at,
        replies=[_reply(x) for x in replies],
    )


@router.get("/reviews", response=responses(200, list[ReviewOut]))
@paginate(Pages)
def reviews(
    request: HttpRequest, person_id: Id | None = None, week: Day | None = None
) -> list[ReviewOut]:
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


@router.post("/reviews", response=responses(201, ReviewOut))
def write_review(request: HttpRequest, payload: ReviewIn) -> Status[ReviewOut]:
    """Write or rewrite your own review of a week (this week by default)."""
    who = actor(request)
    review = services.save_review(actor=who, **payload.model_dump())
    review = selectors.get_review(who, review.pk)
    return Status(201, _review(review, selectors.replies_of([review]).get(review.pk, [])))


@router.get("/reviews/{review_id}", response=responses(200, ReviewOut))
def review(request: HttpRequest, review_id: Id) -> ReviewOut:
    found = selectors.get_review(actor(request), review_id)
    return _review(found, selectors.replies_of([found]).get(found.pk, []))


@router.post("/reviews/{review_id}/replies", response=responses(201, ReplyOut))
def answer(request: HttpRequest, review_id: Id, payload: ReplyIn) -> Status[ReplyOut]:
    """A manager's (teacher's) answer: specific, informational feedback."""
    who = actor(request)
    found = selectors.get_review(who, review_id)
    return Status(201, _reply(services.reply(actor=who, review=found, body=payload.body)))


# ---------------------------------------------------------------- feedback


def _feedback(f: Any) -> FeedbackOut:
    return FeedbackOut(
        id=f.pk,
        giver_id=f.giver_id,
        giver_name=f.giver.name if f.giver else "",
        receiver_id=f.receiver_id,
        receiver_name=f.receiver.name,
        body=f.body,
        request_id=f.request_id,
        share_with_managers=f.share_with_managers,
        created_at=f.created_at,
    )


def _request(r: Any) -> RequestOut:
    return RequestOut(
        id=r.pk,
        requester_id=r.requester_id,
        requester_name=r.requester.name,
        asked_id=r.asked_id,
        asked_name=r.asked.name,
        about=r.about,
        created_at=r.created_at,
    )


@router.get("/feedback", response=responses(200, list[FeedbackOut]))
@paginate(Pages)
def feedback(request: HttpRequest) -> list[FeedbackOut]:
    """Feedback you gave or received, and what was shared with you as a manager."""
    rows = selectors.visible_feedback(actor(request)).select_related("giver", "receiver")
    return [_feedback(f) for f in rows[:500]]


@router.post("/feedback", response=responses(201, FeedbackOut))
def give(request: HttpRequest, payload: FeedbackIn) -> Status[FeedbackOut]:
    """Give feedback (``receiver_id``), or answer a request (``request_id``)."""
    found = services.give_feedback(actor=actor(request), **payload.model_dump())
    return Status(201, _feedback(found))


@router.get("/feedback-requests", response=responses(200, list[RequestOut]))
def feedback_requests(request: HttpRequest) -> list[RequestOut]:
    """Requests you made, and those addressed to you that you have not answered yet."""
    page = selectors.feedback_page(actor(request))
    return [_request(r) for r in page.asked_of_me + page.my_requests]


@router.post("/feedback-requests", response=responses(201, RequestOut))
def ask(request: HttpRequest, payload: RequestIn) -> Status[RequestOut]:
    found = services.request_feedback(actor=actor(request), **payload.model_dump())
    return Status(201, _request(found))


# ---------------------------------------------------------------- recognition


def _post(p: Any) -> RecognitionOut:
    return RecognitionOut(
        id=p.pk,
        author_id=p.author_id,
        author_name=p.author.name if p.author else "",
        recipients=[x.pk for x in p.recipients.all()],
        body=p.body,
        objective_id=p.objective.pk if p.objective else None,
        key_result_id=p.key_result.pk if p.key_result else None,
        created_at=p.created_at,
    )


@router.get("/recognition", response=responses(200, list[RecognitionOut]))
@paginate(Pages)
def recognition(request: HttpRequest) -> list[RecognitionOut]:
    """The organisation's recognition feed, newest first (empty for a school's student
    whose class no teacher opted in)."""
    who = actor(request)
    if selectors.feed_closed(who):
        return []
    return [_post(p) for p in selectors.recognition_feed(who, 500)]


@router.post("/recognition", response=responses(201, RecognitionOut))
def recognise(request: HttpRequest, payload: RecognitionIn) -> Status[RecognitionOut]:
    """A public thank-you after the fact — never tied to money."""
    found = services.recognise(actor=actor(request), **payload.model_dump())
    return Status(201, _post(found))


# ---------------------------------------------------------------- skills


def _skill(s: Any) -> SkillOut:
    return SkillOut(id=s.pk, name=s.name, description=s.description, levels=s.levels)


def _rating(r: Any) -> RatingOut:
    return RatingOut(
        id=r.pk,
        skill_id=r.skill_id,
        person_id=r.person_id,
        rater_id=r.rater_id,
        by_self=r.by_self,
        level=r.level,
        note=r.note,
        date=r.date,
    )


def _subject(who: Actor, person_id: int | None) -> Any:
    if person_id is None:
        if who.person is None:
            raise NotFound(_("the command line has no skills of its own: name a person_id"))
        return who.person
    return selectors.get_person(who, person_id)


@router.get("/skills", response=responses(200, list[SkillOut]))
def skills(request: HttpRequest) -> list[SkillOut]:
    return [_skill(s) for s in selectors.skills(actor(request).organisation)]


@router.post("/skills", response=responses(201, SkillOut))
def define(request: HttpRequest, payload: SkillIn) -> Status[SkillOut]:
    """Name a skill with what each level 1–5 looks like (admins, people ops, teachers)."""
    return Status(201, _skill(services.create_skill(actor=actor(request), **payload.model_dump())))


@router.get("/skills/{skill_id}/ratings", response=responses(200, list[RatingOut]))
def ratings(request: HttpRequest, skill_id: Id, person_id: Id | None = None) -> list[RatingOut]:
    """Your ratings on a skill over time (own and your managers'), or a person's you coach."""
    who = actor(request)
    skill = selectors.get_skill(who.organisation, skill_id)
    person = _subject(who, person_id)
    return [_rating(r) for r in skill.ratings.filter(person=person)]


@router.post("/skills/{skill_id}/ratings", response=responses(201, RatingOut))
def rate(request: HttpRequest, skill_id: Id, payload: RatingIn) -> Status[RatingOut]:
    """Rate yourself, or add your view of someone you coach (kept apart from theirs)."""
    who = actor(request)
    skill = selectors.get_skill(who.organisation, skill_id)
    data = payload.model_dump()
    person = _subject(who, data.pop("person_id"))
    found = services.rate_skill(actor=who, skill=skill, person=person, **data)
    return Status(201, _rating(found))


@router.post("/skills/{skill_id}/growth-areas", response=responses(201, GrowthOut))
def grow(request: HttpRequest, skill_id: Id, payload: GrowthIn) -> Status[GrowthOut]:
    """Mark a skill as a growth area, towards a level, tied to a learning objective."""
    who = actor(request)
    skill = selectors.get_skill(who.organisation, skill_id)
    data = payload.model_dump()
    person = _subject(who, data.pop("person_id"))
    g = services.add_growth_area(actor=who, skill=skill, person=person, **data)
    return Status(
        201,
        GrowthOut(
            id=g.pk,
            person_id=g.person_id,
            skill_id=g.skill_id,
            target_level=g.target_level,
            objective_id=g.objective_id,
            note=g.note,
        ),
    )


# ---------------------------------------------------------------- a person's mastery


@router.get("/mastery/people/{person_id}", response=responses(200, MasteryOut))
def person(request: HttpRequest, person_id: Id) -> MasteryOut:
    """The flow map, Goldilocks flags (each with its evidence) and attainment per cycle."""
    who = actor(request)
    subject = selectors.get_person(who, person_id)
    fm = selectors.flows([subject.pk])[subject.pk]
    facts = selectors.kr_facts(who.organisation, [subject.pk])[subject.pk]
    calibration = goldilocks.calibrate(facts)
    return MasteryOut(
        person_id=subject.pk,
        flow=FlowOut(
            enough=fm.enough,
            weeks_rated=fm.weeks_rated,
            message=fm.message,
            recent=fm.recent,
            points=[FlowPointOut.model_validate(p) for p in fm.points],
        ),
        goldilocks=CalibrationOut(
            enough=calibration.enough,
            message=calibration.message,
            flags=[
                FlagOut(
                    kind=f.kind,
                    label=f.label,
                    evidence=f.evidence,
                    conversation=f.conversation,
                    key_result_ids=f.key_results,
                )
                for f in calibration.flags
            ],
        ),
        attainment=[
            AttainmentOut(cycle=a.name, closed=a.closed, average=a.average, key_results=a.count)
            for a in selectors.attainment(facts)
        ],
    )
