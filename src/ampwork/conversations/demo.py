"""Demo 1:1s: the Platform team's manager meets each of their reports weekly — a week of
1:1s, Monday to Friday — with two meetings held already, talking points and action items
carried over from the last one, shared notes, and the manager's own private notes (which
nobody else will see). In the school, the Year 9 Science teacher meets two students
fortnightly.

360 and upward feedback: Sam (the Platform engineer) closed a 360 with three colleagues'
answers and shared one of them with their manager, keeping the rest to themselves; the
Platform manager's upward request is still open with two answers, below the minimum, and
says so."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ampwork.core.models import Organisation, Person, Team, TeamMembership
from ampwork.mastery import selectors as mastery_selectors
from ampwork.okrs import selectors as okr_selectors

from . import feedback_services, links
from .models import (
    ActionItem,
    FeedbackAnswer,
    FeedbackAsked,
    FeedbackRequest360,
    Meeting,
    OneOnOne,
    PrivateNote,
    TalkingPoint,
)

POINTS = [
    ("How the on-call rotation is going", True),
    ("Career: what you want to learn next quarter", False),
    ("Feedback on the design review", True),
]
ACTIONS = [
    ("Write up the incident timeline", "person", True),
    ("Ask the data team about the ingest budget", "lead", False),
]
# the school's 1:1s speak of lessons and homework, not on-call and incidents (issue 21)
SCHOOL_POINTS = [
    ("How the science project is going", True),
    ("What you want to learn next term", False),
    ("Feedback on the lab write-up", True),
]
SCHOOL_ACTIONS = [
    ("Write up the experiment's results", "person", True),
    ("Ask the library about books on plants", "lead", False),
]


def _team(org: Organisation, name: str) -> tuple[Person, list[Person]]:
    team = Team.objects.get(organisation=org, name=name)
    rows = list(
        TeamMembership.objects.filter(team=team).select_related("person").order_by("person__name")
    )
    lead = next(m.person for m in rows if m.role == TeamMembership.Role.LEAD)
    return lead, [m.person for m in rows if m.role != TeamMembership.Role.LEAD]


def _series(
    org: Organisation, lead: Person, person: Person, cadence: str, next_day: dt.date, step: int
) -> None:
    series = OneOnOne.objects.create(
        organisation=org,
        person=person,
        lead=lead,
        kind=OneOnOne.Kind.MANAGER,
        cadence=cadence,
        started_by=lead,
    )
    now = timezone.now()
    days = [next_day - dt.timedelta(days=step * 2), next_day - dt.timedelta(days=step)]
    previous: Meeting | None = None
    for i, day in enumerate(days):
        held = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
        meeting = Meeting.objects.create(
            organisation=org,
            one_on_one=series,
            date=day,
            held_at=held if held < now else now,
            shared_notes="Agreed to keep Fridays free of meetings." if i else "",
        )
        previous = meeting
    assert previous is not None
    last = previous
    following = Meeting.objects.create(organisation=org, one_on_one=series, date=next_day)
    school = org.is_school
    for text, discussed in SCHOOL_POINTS if school else POINTS:
        point = TalkingPoint.objects.create(
            organisation=org,
            meeting=last,
            author=person if discussed else lead,
            text=text,
            discussed=discussed,
        )
        if not discussed:
            TalkingPoint.objects.create(
                organisation=org,
                meeting=following,
                author=point.author,
                text=text,
                carried_from=point,
            )
    TalkingPoint.objects.create(
        organisation=org, meeting=following, author=person, text="Time for the ShipIt day idea?"
    )
    # a point about one of the person's key results, linked where both may open it
    refs = [("key_result", f.id) for f in okr_selectors.my_key_results(person.pk, next_day)]
    linkable = links.both_may_open(series, refs[:3])
    if ref := next((r for r in refs if r in linkable), None):
        TalkingPoint.objects.create(
            organisation=org,
            meeting=following,
            author=lead,
            text="Your key result: what would help it move?",
            link_kind=ref[0],
            link_id=ref[1],
        )
    for text, who, done in SCHOOL_ACTIONS if school else ACTIONS:
        owner = person if who == "person" else lead
        item = ActionItem.objects.create(
            organisation=org,
            meeting=last,
            owner=owner,
            text=text,
            due=last.date + dt.timedelta(days=5),
            done_at=now if done else None,
        )
        if not done:
            ActionItem.objects.create(
                organisation=org,
                meeting=following,
                owner=owner,
                text=text,
                due=item.due,
                carried_from=item,
            )
    PrivateNote.objects.create(
        organisation=org,
        meeting=last,
        author=lead,
        text=f"{person.name.split()[0]} seemed tired: ask about workload next time.",
    )


def seed(company: Organisation, school: Organisation) -> None:
    today = timezone.localdate()
    # a week of 1:1s: one each working day from today on
    workdays = [d for d in (today + dt.timedelta(days=i) for i in range(7)) if d.weekday() < 5]
    manager, reports = _team(company, "Platform")
    for day, person in zip(workdays, _signing_in_first(reports)[:5], strict=False):
        _series(company, manager, person, "weekly", day, 7)
    teacher, students = _team(school, "Year 9 Science")
    for day, student in zip(workdays[1:], _signing_in_first(students)[:2], strict=False):
        _series(school, teacher, student, "fortnightly", day, 14)
    _feedback(company, manager, _signing_in_first(reports))


PEER_ANSWERS = [
    # (question, text, shared with the manager)
    ("strengths", "You make incident reviews calm: nobody feels blamed, so we learn more.", True),
    ("start", "Start pairing with newer people on the deploy tooling.", False),
    ("stop", "Stop taking every on-call swap yourself; let us help.", False),
    ("skill", "Lead one design review a month, and ask for feedback on it.", False),
]
UPWARD_ANSWERS = [
    ("strengths", "Shields the team from scope churn."),
    ("start", "Share the quarter's priorities earlier."),
    ("strengths", "Makes time for 1:1s even in busy weeks."),
    ("stop", "Stop rescheduling planning at short notice."),
]


def _feedback(org: Organisation, manager: Person, reports: list[Person]) -> None:
    today = timezone.localdate()
    sam, colleagues = reports[0], reports[1:4]
    skills = mastery_selectors.skill_names(org)
    peer = FeedbackRequest360.objects.create(
        organisation=org,
        receiver=sam,
        requested_by=sam,
        kind=FeedbackRequest360.Kind.PEER,
        status=FeedbackRequest360.Status.CLOSED,
        skill_id=next(iter(skills), None),
        note="Before my growth conversation in January",
        due=today - dt.timedelta(days=3),
    )
    for i, colleague in enumerate(colleagues):
        FeedbackAsked.objects.create(
            organisation=org, request=peer, person=colleague, answered=True
        )
        question, text, shared = PEER_ANSWERS[i]
        FeedbackAnswer.objects.create(
            organisation=org,
            request=peer,
            author=colleague,
            question=question,
            text=text,
            shared=shared,
        )
        if i == 0 and peer.skill_id is not None:
            question, text, _ = PEER_ANSWERS[3]
            FeedbackAnswer.objects.create(
                organisation=org, request=peer, author=colleague, question=question, text=text
            )
    direct = [p for p in reports if p.manager_id == manager.pk]
    upward = FeedbackRequest360.objects.create(
        organisation=org,
        receiver=manager,
        requested_by=manager,
        kind=FeedbackRequest360.Kind.UPWARD,
        status=FeedbackRequest360.Status.OPEN,
        due=today + dt.timedelta(days=10),
        minimum=org.anonymity_min_group,
    )
    for i, person in enumerate(direct):
        FeedbackAsked.objects.create(
            organisation=org, request=upward, person=person, answered=0 < i < 3
        )
    # two answered (not Sam, who still has it to answer): pooled, sealed, without them
    half = len(UPWARD_ANSWERS) // 2
    for part in (UPWARD_ANSWERS[:half], UPWARD_ANSWERS[half:]):
        feedback_services.pool_upward(upward, list(part))


def _signing_in_first(people: list[Person]) -> list[Person]:
    """The demo's sign-ins (Sam, Lily) first, so they find their own 1:1."""
    return sorted(people, key=lambda p: (p.user_id is None, p.name))
