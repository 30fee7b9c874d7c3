"""Reads for mastery: reviews and who may see them, a person's timeline and charts'
data, Goldilocks calibration, the team review page, the skills matrix, feedback,
recognition, and who is due a reminder or a digest. Fixed query counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from ampwork.autonomy.models import LedgerEntry
from ampwork.core import selectors as core_selectors
from ampwork.core.errors import NotFound
from ampwork.core.models import Organisation, Person, Team, TeamMembership
from ampwork.core.permissions import Actor, anywhere, can
from ampwork.okrs import progress
from ampwork.okrs import selectors as okr_selectors
from ampwork.okrs.models import CheckIn, KeyResult, Objective

from . import flow, goldilocks
from .models import (
    Feedback,
    FeedbackRequest,
    GrowthArea,
    Recognition,
    ReminderSent,
    Reply,
    Review,
    Skill,
    SkillRating,
)

FLOW_WEEKS = 26  # the flow map reads the last half year of ratings


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week ``day`` falls in."""
    return day - dt.timedelta(days=day.weekday())


def weeks_back(today: dt.date, n: int) -> list[dt.date]:
    """The Mondays of the last ``n`` weeks, oldest first, this week last."""
    this = week_of(today)
    return [this - dt.timedelta(weeks=i) for i in range(n - 1, -1, -1)]


# ---------------------------------------------------------------- reviews


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


# ---------------------------------------------------------------- key results as plain facts


def kr_facts(org: Organisation, people: Iterable[int]) -> dict[int, list[goldilocks.KRFacts]]:
    """Every key result the people own (dropped objectives aside), with its value and
    confidence history. Three queries for any number of people."""
    ids = list(people)
    facts = (
        "title",
        "owner_id",
        "objective__kind",
        "objective__cycle_id",
        "objective__cycle__name",
        "objective__cycle__start",
        "objective__cycle__status",
    )
    rows = list(
        KeyResult.objects.filter(organisation=org, owner_id__in=ids)
        .exclude(objective__status=Objective.Status.DROPPED)
        .order_by("objective__cycle__start", "id")
        .values_list(*okr_selectors.KR_VALUES, *facts)
    )
    kr_ids = [r[0] for r in rows]
    milestones = okr_selectors.milestones_of(kr_ids)
    confidences: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for kr_id, day, confidence in (
        CheckIn.objects.filter(key_result_id__in=kr_ids, confidence__isnull=False)
        .order_by("date", "id")
        .values_list("key_result_id", "date", "confidence")
    ):
        confidences[kr_id].append((day, confidence or 0))
    out: dict[int, list[goldilocks.KRFacts]] = {pk: [] for pk in ids}
    width = len(okr_selectors.KR_VALUES)
    for row in rows:
        kr = okr_selectors.kr_input_row(row[:width], milestones)
        title, owner, okind, cid, cname, cstart, cstatus = row[width:]
        explained = progress.kr_progress(kr)
        pk, score, value = kr.id, kr.score, explained.value
        out[owner].append(
            goldilocks.KRFacts(
                id=pk,
                title=title,
                kind=okind,
                cycle_id=cid,
                cycle_name=cname,
                cycle_start=cstart,
                closed=cstatus == "closed",
                score=score,
                progress=value,
                progress_exact=explained.exact,
                confidences=tuple(confidences.get(pk, ())),
                objective_id=kr.objective_id,
                last_check_in=kr.last_check_in,
            )
        )
    return out


def calibrations(org: Organisation, people: Iterable[int]) -> dict[int, goldilocks.Calibration]:
    return {pk: goldilocks.calibrate(facts) for pk, facts in kr_facts(org, people).items()}


@dataclass
class CycleAttainment:
    name: str
    closed: bool
    average: float
    count: int


def attainment(facts: list[goldilocks.KRFacts]) -> list[CycleAttainment]:
    """Per cycle, the mean score (closed) or progress to date (open) of the person's KRs."""
    by_cycle: dict[int, list[goldilocks.KRFacts]] = defaultdict(list)
    for kr in facts:
        if kr.value is not None:
            by_cycle[kr.cycle_id].append(kr)
    out = []
    for krs in sorted(by_cycle.values(), key=lambda k: k[0].cycle_start):
        values = [k.value for k in krs if k.value is not None]
        out.append(
            CycleAttainment(
                krs[0].cycle_name, krs[0].closed, sum(values) / len(values), len(values)
            )
        )
    return out


def flows(people: Iterable[int], today: dt.date | None = None) -> dict[int, flow.FlowMap]:
    """Each person's flow map from the last :data:`FLOW_WEEKS` weeks: one query."""
    today = today or timezone.localdate()
    since = week_of(today) - dt.timedelta(weeks=FLOW_WEEKS)
    ids = list(people)
    weeks: dict[int, list[tuple[dt.date, int | None, int | None]]] = {pk: [] for pk in ids}
    for pk, week, challenge, skill in Review.objects.filter(
        person_id__in=ids, week__gt=since
    ).values_list("person_id", "week", "challenge", "skill"):
        weeks[pk].append((week, challenge, skill))
    return {pk: flow.flow_map(rows) for pk, rows in weeks.items()}


# ---------------------------------------------------------------- skills


@dataclass
class SkillHistory:
    skill: Skill
    own: list[tuple[dt.date, int]]
    managers: list[tuple[dt.date, int]]

    @property
    def latest_own(self) -> int | None:
        return self.own[-1][1] if self.own else None

    @property
    def latest_managers(self) -> int | None:
        return self.managers[-1][1] if self.managers else None


def skills(org: Organisation) -> QuerySet[Skill]:
    return Skill.objects.filter(organisation=org)


def get_skill(org: Organisation, pk: int) -> Skill:
    skill = Skill.objects.filter(organisation=org, pk=pk).first()
    if skill is None:
        raise NotFound("no such skill")
    return skill


def skill_histories(org: Organisation, person: Person) -> list[SkillHistory]:
    catalogue = list(skills(org))
    by_skill = {s.pk: SkillHistory(s, [], []) for s in catalogue}
    for skill_id, day, level, by_self in (
        SkillRating.objects.filter(person=person)
        .annotate(own=ExpressionWrapper(SkillRating.OWN, output_field=BooleanField()))
        .values_list("skill_id", "date", "level", "own")
    ):
        history = by_skill[skill_id]
        (history.own if by_self else history.managers).append((day, level))
    return [h for h in by_skill.values() if h.own or h.managers]


def growth_areas(person: Person) -> QuerySet[GrowthArea]:
    return GrowthArea.objects.filter(person=person).select_related("skill", "objective")


@dataclass
class Matrix:
    team: Team
    skills: list[Skill]
    people: list[Person]
    # (person, skill) -> (own latest, manager's latest)
    cells: dict[tuple[int, int], tuple[int | None, int | None]]
    growing: dict[tuple[int, int], int]  # (person, skill) -> target level

    @property
    def rows(self) -> list[tuple[Person, list[tuple[Skill, int | None, int | None, int | None]]]]:
        """Per person, per skill: own level, manager's level, target level if growing."""
        return [
            (
                p,
                [
                    (s, *self.cells.get((p.pk, s.pk), (None, None)), self.growing.get((p.pk, s.pk)))
                    for s in self.skills
                ],
            )
            for p in self.people
        ]


def skills_matrix(actor: Actor, team: Team) -> Matrix:
    """People of a team × the organisation's skills: each person's latest own rating and
    their manager's latest, and the skills they are growing. Four queries."""
    people = [
        m.person
        for m in TeamMembership.objects.filter(team=team, person__active=True)
        .select_related("person")
        .order_by("person__name", "person_id")
    ]
    ids = [p.pk for p in people]
    catalogue = list(skills(actor.organisation))
    own: dict[tuple[int, int], int] = {}
    theirs: dict[tuple[int, int], int] = {}
    for pk, skill_id, level, by_self in (
        SkillRating.objects.filter(person_id__in=ids)
        .order_by("date", "id")
        .annotate(own=ExpressionWrapper(SkillRating.OWN, output_field=BooleanField()))
        .values_list("person_id", "skill_id", "level", "own")
    ):
        (own if by_self else theirs)[(pk, skill_id)] = level
    cells = {key: (own.get(key), theirs.get(key)) for key in set(own) | set(theirs)}
    growing = dict(
        ((pk, skill_id), target)
        for pk, skill_id, target in GrowthArea.objects.filter(person_id__in=ids).values_list(
            "person_id", "skill_id", "target_level"
        )
    )
    return Matrix(team, catalogue, people, cells, growing)


# ---------------------------------------------------------------- the team's reviews


@dataclass
class TeamRow:
    person: Person
    cells: list[tuple[dt.date, dict[str, Any] | None]]
    flow: flow.FlowMap
    calibration: goldilocks.Calibration


@dataclass
class TeamReviews:
    team: Team
    weeks: list[dt.date]
    rows: list[TeamRow]
    awaiting: list[Review]  # this and last week's reviews nobody has answered yet

    @property
    def written_this_week(self) -> int:
        return sum(1 for r in self.rows if r.cells and r.cells[-1][1] is not None)


def team_reviews(
    actor: Actor, team: Team, *, weeks: int = 8, today: dt.date | None = None
) -> TeamReviews:
    """A team's members × the last ``weeks`` weeks: who wrote a review, their ratings,
    whether it was answered; each person's flow map and Goldilocks flags; and the recent
    reviews waiting for an answer. A fixed number of queries at any team size."""
    today = today or timezone.localdate()
    columns = weeks_back(today, weeks)
    people = [
        m.person
        for m in TeamMembership.objects.filter(team=team, person__active=True)
        .exclude(person=actor.person)
        .select_related("person")
        .order_by("person__name", "person_id")
    ]
    ids = [p.pk for p in people]
    found: dict[tuple[int, dt.date], Any] = {}
    for row in (
        Review.objects.filter(person_id__in=ids, week__gte=columns[0])
        .annotate(replies_count=Count("replies"))
        .values("id", "person_id", "week", "challenge", "skill", "replies_count")
    ):
        found[(row["person_id"], row["week"])] = row
    flow_maps = flows(ids, today)
    calibrated = calibrations(actor.organisation, ids)
    rows = [
        TeamRow(p, [(w, found.get((p.pk, w))) for w in columns], flow_maps[p.pk], calibrated[p.pk])
        for p in people
    ]
    awaiting = list(
        Review.objects.filter(person_id__in=ids, week__gte=columns[-2], replies__isnull=True)
        .select_related("person")
        .order_by("-week", "person__name")
    )
    return TeamReviews(team, columns, rows, awaiting)


# ---------------------------------------------------------------- timeline


@dataclass
class Event:
    date: dt.date
    kind: str  # win | feedback | recognition | achieved | skill | autonomy
    title: str
    detail: str = ""
    url: str = ""
    by: str = ""


def timeline(
    actor: Actor,
    person: Person,
    *,
    facts: list[goldilocks.KRFacts] | None = None,
    limit: int = 80,
) -> list[Event]:
    """What the person has achieved and been given, newest first, across cycles: wins
    from their reviews, answers to them, feedback and recognition received, key results
    achieved, skills grown and autonomy granted. A fixed number of queries (three fewer
    when the caller has the person's key-result ``facts`` already)."""
    events: list[Event] = []
    reviews = list(Review.objects.filter(person=person).order_by("-week")[:52])
    for review in reviews:
        if review.wins:
            events.append(
                Event(
                    review.week + dt.timedelta(days=4),
                    "win",
                    f"Week of {review.week:%d %b}",
                    review.wins,
                    f"/mastery/reviews/{review.pk}/",
                )
            )
    for answer in Reply.objects.filter(review__in=[r.pk for r in reviews]).select_related(
        "author", "review"
    ):
        events.append(
            Event(
                timezone.localdate(answer.created_at),
                "feedback",
                f"On your week of {answer.review.week:%d %b}",
                answer.body,
                f"/mastery/reviews/{answer.review_id}/",
                answer.author.name if answer.author else "",
            )
        )
    for item in visible_feedback(actor).filter(receiver=person).select_related("giver")[:50]:
        events.append(
            Event(
                timezone.localdate(item.created_at),
                "feedback",
                "Feedback",
                item.body,
                "/mastery/feedback/",
                item.giver.name if item.giver else "",
            )
        )
    for post in recognition_feed(actor, 50, recipients=person):
        events.append(
            Event(
                timezone.localdate(post.created_at),
                "recognition",
                "Recognition",
                post.body,
                "/mastery/recognition/",
                post.author.name if post.author else "",
            )
        )
    if facts is None:
        facts = kr_facts(actor.organisation, [person.pk])[person.pk]
    for kr in facts:
        if kr.value is None or kr.value < 1.0:
            continue
        events.append(
            Event(
                kr.last_check_in or kr.cycle_start,
                "achieved",
                f"Key result achieved: {kr.title}",
                f"{kr.cycle_name}, {'scored' if kr.closed else 'progress'} {kr.value:.0%}",
                f"/okrs/objectives/{kr.objective_id}/",
            )
        )
    previous: dict[int, int] = {}
    for rating in SkillRating.objects.filter(SkillRating.OWN, person=person).select_related(
        "skill"
    ):
        before = previous.get(rating.skill_id)
        if before is not None and rating.level > before:
            events.append(
                Event(
                    rating.date,
                    "skill",
                    f"{rating.skill.name}: level {before} → {rating.level}",
                    rating.note,
                    "/mastery/skills/",
                )
            )
        previous[rating.skill_id] = rating.level
    levels: dict[str, int] = {}
    for entry in LedgerEntry.objects.filter(person=person).select_related("changed_by"):
        before = levels.get(entry.t, 0)
        if entry.level > before:
            events.append(
                Event(
                    timezone.localdate(entry.created_at),
                    "autonomy",
                    f"More say over {entry.t}: level {before} → {entry.level}",
                    entry.why,
                    f"/autonomy/people/{person.pk}/",
                    entry.changed_by.name if entry.changed_by else "",
                )
            )
        levels[entry.t] = entry.level
    events.sort(key=lambda e: e.date, reverse=True)
    return events[:limit]


# ---------------------------------------------------------------- feedback and recognition


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


def recognition_feed(actor: Actor, limit: int, **filters: Any) -> list[Recognition]:
    """The newest recognition, each post's objective and key result kept only where the
    reader may see them (a private objective's title never reaches the feed)."""
    rows = list(
        Recognition.objects.filter(organisation=actor.organisation, **filters)
        .select_related("author", "objective", "key_result__objective")
        .prefetch_related("recipients")[:limit]
    )
    return okr_selectors.hide_unseen(actor, rows)


# ---------------------------------------------------------------- reminders and digests


def due_reviews(org: Organisation, week: dt.date) -> QuerySet[Person]:
    """Who is due a reminder this week: active people who can sign in, have not written
    this week's review, and have not been reminded this week already."""
    return (
        Person.objects.filter(
            organisation=org, active=True, user__isnull=False, user__is_active=True
        )
        .exclude(reviews__week=week)
        .exclude(
            pk__in=ReminderSent.objects.filter(week=week, kind=ReminderSent.Kind.REVIEW).values(
                "person_id"
            )
        )
        .order_by("name", "id")
    )


@dataclass
class DigestLine:
    name: str
    written: bool
    answered: bool
    flags: list[str]


@dataclass
class Digest:
    week: dt.date
    people: list[DigestLine]
    school: bool = False

    def text(self, link: str) -> str:
        word = "reflections" if self.school else "reviews"
        written = [p for p in self.people if p.written]
        lines = [
            f"Week of {self.week:%d %B}: {len(written)} of {len(self.people)} {word} written.",
            "",
        ]
        for p in self.people:
            state = (
                "answered"
                if p.answered
                else "written — waiting for your answer"
                if p.written
                else "not written yet"
            )
            lines.append(f"- {p.name}: {state}")
            lines.extend(f"    · {flag}" for flag in p.flags)
        lines += ["", f"Your team's {word}: {link}", ""]
        return "\n".join(lines)


def coaching(org: Organisation) -> tuple[dict[int, Person], dict[int, set[int]]]:
    """The organisation's active people, and for each of them who can sign in, everyone
    they coach (reports at any depth, members of teams they lead). Two queries."""
    active = {
        p.pk: p for p in Person.objects.filter(organisation=org, active=True).select_related("user")
    }
    below: dict[int, list[int]] = defaultdict(list)
    for pk, person in active.items():
        if person.manager_id:
            below[person.manager_id].append(pk)
    members: dict[int, set[int]] = defaultdict(set)
    leads: dict[int, set[int]] = defaultdict(set)
    for team_id, person_id, role in TeamMembership.objects.filter(organisation=org).values_list(
        "team_id", "person_id", "role"
    ):
        members[team_id].add(person_id)
        if role == TeamMembership.Role.LEAD:
            leads[person_id].add(team_id)
    coaches: dict[int, set[int]] = {}
    for pk in active:
        found: set[int] = set()
        stack = list(below.get(pk, []))
        while stack:
            x = stack.pop()
            if x not in found:
                found.add(x)
                stack.extend(below.get(x, []))
        for team_id in leads.get(pk, ()):
            found |= members[team_id]
        found = {x for x in found if x in active and x != pk}
        if found and active[pk].user_id:
            coaches[pk] = found
    return active, coaches


def digests(org: Organisation, week: dt.date) -> list[tuple[Person, Digest]]:
    """Each coach's digest for the week: their people's reviews (written, answered) and
    flags (Goldilocks, flow). A fixed number of queries for the whole organisation."""
    active, coaches = coaching(org)
    everyone = set().union(*coaches.values()) if coaches else set()
    written: dict[int, bool] = {}
    for pk, replies in (
        Review.objects.filter(person_id__in=everyone, week=week)
        .annotate(n=Count("replies"))
        .values_list("person_id", "n")
    ):
        written[pk] = replies > 0
    calibrated = calibrations(org, everyone)
    flow_maps = flows(everyone, week + dt.timedelta(days=6))
    out = []
    for pk, people in coaches.items():
        lines = []
        for x in sorted(people, key=lambda i: active[i].name):
            flags = [f"{f.label}: {f.evidence[0]}" for f in calibrated[x].flags]
            if flow_maps[x].recent in ("anxiety", "boredom", "apathy"):
                flags.append(f"flow map: mostly {flow_maps[x].recent} in recent weeks")
            lines.append(DigestLine(active[x].name, x in written, written.get(x, False), flags))
        out.append((active[pk], Digest(week, lines, org.is_school)))
    return out
