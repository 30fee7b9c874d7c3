"""The demo school's students' goals: two students' objectives filled in as goal sheets
(where they start, their plan, check-ins with their teacher), so the demo shows the
worksheet's shape. Reads the objectives through OKRs' front door; writes only classroom's rows."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ampwork.core.models import Organisation, Person, Role
from ampwork.okrs import selectors as okr_selectors

from .models import Goal, GoalCheckIn

SHEETS = [
    (
        Goal.Kind.MASTERY,
        "I can name the parts of a plant but not say what each one does.",
        "Two practice sessions a week: explain one part to a friend, then check the textbook.",
        [
            ("student", "Explained the roots and the stem to Sam.", 30),
            ("teacher", "Good plan. Try drawing it as well as saying it.", None),
        ],
    ),
    (
        Goal.Kind.PURPOSE,
        "I get nervous speaking in front of more than three people.",
        "Present to my table first, then to half the class, then to everyone before December.",
        [],
    ),
]


def seed(company: Organisation, school: Organisation) -> None:
    teacher = Person.objects.filter(organisation=school, email="teacher@hillside.example").first()
    students = Person.objects.filter(organisation=school, role=Role.MEMBER).order_by("name")[:6]
    sheets = iter(SHEETS)
    for student in students:
        found = okr_selectors.open_objective_titles(school, student.pk)
        if not found:
            continue
        sheet = next(sheets, None)
        if sheet is None:
            return
        kind, starting_point, action_plan, talks = sheet
        goal, made = Goal.objects.get_or_create(
            objective_id=found[0][0],
            defaults={
                "organisation": school,
                "student": student,
                "kind": kind,
                "starting_point": starting_point,
                "action_plan": action_plan,
            },
        )
        if not made:
            continue
        now = timezone.now()
        GoalCheckIn.objects.bulk_create(
            GoalCheckIn(
                organisation=school,
                goal=goal,
                by=by,
                author=student if by == "student" else teacher,
                written_at=now - dt.timedelta(days=7 * (len(talks) - number)),
                text=text,
                progress=progress,
            )
            for number, (by, text, progress) in enumerate(talks)
        )
