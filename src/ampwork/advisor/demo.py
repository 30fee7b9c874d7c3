"""Demo advisor: a launch bonus promised if-then on a creative objective (the first classic
mistake, and an OKR tied to a bonus), a calls bonus for a role assessed as routine work (a
near miss the advisor leaves alone), a thank-you after the fact; Mobile defaults to control
(autonomy's demo) and the pay audit's gate is red (fairness's demo). A few items ticked by
hand; the class's teacher ticks one for Year 9 Science."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from ampwork.core.models import Organisation, Person, Team
from ampwork.okrs import selectors as okr_selectors

from .models import Incentive, StyleAssessment, Tick


def seed(company: Organisation, school: Organisation) -> None:
    now = timezone.now()
    people = {p.email: p for p in Person.objects.filter(organisation=company)}
    admin = people["admin@brightwater.example"]
    ops = people["people@brightwater.example"]
    launch = next(
        (
            pk
            for pk, title in okr_selectors.open_objective_titles(company)
            if title == "New customers find value in their first week"
        ),
        None,
    )
    Incentive.objects.create(
        organisation=company,
        what="Launch bonus",
        outcome="Week-one activation reaches 50% by the end of the quarter",
        amount=Decimal("2000.00"),
        currency="EUR",
        style=Incentive.Style.IF_THEN,
        objective_id=launch,
        created_by=admin,
        created_at=now - dt.timedelta(days=40),
    )
    StyleAssessment.objects.create(
        organisation=company,
        job_role="Customer Success Specialist",
        answers={
            "known_procedure": True,
            "countable": True,
            "quality_judged": False,
            "novel": False,
        },
        work_style="algorithmic",
        by=ops,
        at=now - dt.timedelta(days=30),
    )
    Incentive.objects.create(
        organisation=company,
        what="Renewal-call bonus",
        outcome="Every renewal call in the queue made within two days",
        amount=Decimal("150.00"),
        currency="EUR",
        style=Incentive.Style.IF_THEN,
        job_role="Customer Success Specialist",
        created_by=ops,
        created_at=now - dt.timedelta(days=29),
    )
    Incentive.objects.create(
        organisation=company,
        what="Team dinner",
        outcome="Thanks to Platform after the ingest migration went out without an incident",
        reward_kind="dinner for the team",
        style=Incentive.Style.NOW_THAT,
        created_by=admin,
        created_at=now - dt.timedelta(days=12),
    )
    Tick.objects.create(
        organisation=company,
        item="pay-visible",
        done=True,
        note="My pay shows everyone their range since the spring",
        by=ops,
        at=now - dt.timedelta(days=50),
    )
    Tick.objects.create(
        organisation=company,
        item="own-time",
        team=Team.objects.get(organisation=company, name="Platform"),
        done=True,
        note="Fridays after 14:00",
        by=people["manager@brightwater.example"],
        at=now - dt.timedelta(days=20),
    )
    teacher = Person.objects.get(organisation=school, email="teacher@hillside.example")
    Tick.objects.create(
        organisation=school,
        item="feedback",
        team=Team.objects.get(organisation=school, name="Year 9 Science"),
        done=True,
        note="Every reflection gets a written answer by Monday",
        by=teacher,
        at=now - dt.timedelta(days=10),
    )
