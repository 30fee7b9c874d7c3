"""A small school for the students' goals and conference portfolio tests: a head teacher,
a teacher leading Year 9 Science with two students in it, a student of another class, and
Ann's goal (shared with the school), her private goal, purpose statement (private),
reflections and feedback (shared with her family and not)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership, User
from ampwork.mastery.models import Feedback, Review
from ampwork.okrs.models import CheckIn, Cycle, KeyResult, Milestone, Objective
from ampwork.okrs.services import derived
from ampwork.purpose.models import Statement

PASSWORD = "correct horse battery"
STATEMENT = "I am here to become a scientist who helps my town — and to read Ωmega books."
GOAL = "Read ten books this term"
PRIVATE_GOAL = "Worry less about reading aloud"
PRIVATE_KR = "Read aloud to my brother"
PRIVATE_NOTE = "My hands shook less this time"
TEACHER_CHECKIN_NOTE = "Keep going!"
SHARED_WINS = "I finished my first chapter book"
UNSHARED_WINS = "Secret worry about the maths test"
SHARED_FEEDBACK = "Ann explains her thinking clearly in class."
UNSHARED_FEEDBACK = "Private note: Ann seemed tired on Tuesday."


@dataclass
class School:
    org: Organisation
    head: Person
    teacher: Person
    ann: Person  # the student with a goal and a portfolio
    ben: Person  # in Ann's class, nothing written yet
    cat: Person  # a student of another class
    cycle: Cycle
    objective: Objective
    key_result: KeyResult
    private: Objective  # Ann's private goal


def _person(org: Organisation, name: str, role: str = Role.MEMBER) -> Person:
    email = f"{name.split()[0].lower()}@{org.slug}.example"
    user = User.objects.create_user(email, PASSWORD, name=name)
    return Person.objects.create(organisation=org, user=user, name=name, email=email, role=role)


def make_school(slug: str = "hillside-goals", *, ends_in: int = 7) -> School:
    org = Organisation.objects.create(
        name="Hillside Secondary School", slug=slug, kind=Organisation.Kind.SCHOOL
    )
    head = _person(org, "Hana Head", Role.ADMIN)
    teacher = _person(org, "Tara Teacher", Role.MANAGER)
    ann, ben, cat = (_person(org, name) for name in ("Ann Archer", "Ben Brook", "Cat Cole"))
    science = Team.objects.create(organisation=org, name="Year 9 Science")
    art = Team.objects.create(organisation=org, name="Year 9 Art")
    TeamMembership.objects.create(
        organisation=org, team=science, person=teacher, role=TeamMembership.Role.LEAD
    )
    for student in (ann, ben):
        TeamMembership.objects.create(organisation=org, team=science, person=student)
    TeamMembership.objects.create(organisation=org, team=art, person=cat)
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        organisation=org,
        name="Autumn term",
        start=today - dt.timedelta(days=60),
        end=today + dt.timedelta(days=ends_in),
    )
    objective = Objective.objects.create(
        organisation=org,
        cycle=cycle,
        owner_kind=Objective.OwnerKind.PERSON,
        owner_person=ann,
        author=ann,
        title=GOAL,
    )
    key_result = KeyResult.objects.create(
        organisation=org,
        objective=objective,
        title="Books read",
        start=2,
        target=10,
        current=6,
        unit="books",
        owner=ann,
    )
    Milestone.objects.create(key_result=key_result, title="Join the library", done=True)
    CheckIn.objects.create(
        organisation=org, key_result=key_result, value=6, note="Two more this week", author=ann
    )
    CheckIn.objects.create(
        organisation=org,
        key_result=key_result,
        value=6,
        note=TEACHER_CHECKIN_NOTE,
        author=teacher,
    )
    private = Objective.objects.create(
        organisation=org,
        cycle=cycle,
        owner_kind=Objective.OwnerKind.PERSON,
        owner_person=ann,
        author=ann,
        title=PRIVATE_GOAL,
        visibility=Objective.Visibility.PRIVATE,
    )
    private_kr = KeyResult.objects.create(
        organisation=org, objective=private, title=PRIVATE_KR, start=0, target=5, unit="times"
    )
    CheckIn.objects.create(
        organisation=org, key_result=private_kr, value=1, note=PRIVATE_NOTE, author=ann
    )
    with transaction.atomic():
        derived.refresh([objective.pk, private.pk])
    Statement.objects.create(
        organisation=org, person=ann, text=STATEMENT, visibility=Statement.Visibility.PRIVATE
    )
    monday = today - dt.timedelta(days=today.weekday())
    Review.objects.create(
        organisation=org,
        person=ann,
        week=monday - dt.timedelta(days=7),
        wins=SHARED_WINS,
        share_with_family=True,
    )
    Review.objects.create(organisation=org, person=ann, week=monday, wins=UNSHARED_WINS)
    Feedback.objects.create(
        organisation=org, giver=teacher, receiver=ann, body=SHARED_FEEDBACK, share_with_family=True
    )
    Feedback.objects.create(organisation=org, giver=teacher, receiver=ann, body=UNSHARED_FEEDBACK)
    objective.refresh_from_db()
    return School(org, head, teacher, ann, ben, cat, cycle, objective, key_result, private)
