"""Demo autonomy: Platform started with technique and grew; Mobile defaults to control
(levels at zero and objectives handed down); the class has scaffolded choice. Sam has two
self-directed projects with hours logged this quarter. A ShipIt day six weeks ago has demos,
kudos and its month-later outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from ampwork.core.models import Organisation, Person, Team

from . import rules
from .models import Kudos, LedgerEntry, Project, Proposal, ShipItEvent, TimeLog


def seed(company: Organisation, school: Organisation) -> None:
    now = timezone.now()
    platform = Team.objects.get(organisation=company, name="Platform")
    marco = Person.objects.get(organisation=company, email="manager@brightwater.example")
    sam = Person.objects.get(organisation=company, email="member@brightwater.example")
    steps = [
        (120, "technique", 1, "how we build is the team's call", "within the security policy"),
        (80, "time", 1, "core hours 11–15, the rest is yours", "on-call rota stays"),
        (45, "technique", 2, "reviews show good judgement", "within the security policy"),
        (12, "task", 1, "the team proposes half of its quarter's work", ""),
    ]
    for days, t, level, why, guardrails in steps:
        LedgerEntry.objects.create(
            organisation=company,
            team=platform,
            t=t,
            level=level,
            why=why,
            guardrails=guardrails,
            changed_by=marco,
            created_at=now - dt.timedelta(days=days),
        )
    LedgerEntry.objects.create(
        organisation=company,
        person=sam,
        t="technique",
        level=3,
        why="owns the ingest service end to end",
        guardrails="architecture reviews for breaking changes",
        changed_by=marco,
        created_at=now - dt.timedelta(days=20),
    )
    science = Team.objects.get(organisation=school, name="Year 9 Science")
    teacher = Person.objects.get(organisation=school, email="teacher@hillside.example")
    for days, t, level, why in (
        (60, "technique", 1, "choose how to present the project"),
        (30, "task", 1, "choose the project topic from a list"),
        (10, "team", 1, "choose a partner within your table"),
    ):
        LedgerEntry.objects.create(
            organisation=school,
            team=science,
            t=t,
            level=level,
            why=why,
            changed_by=teacher,
            created_at=now - dt.timedelta(days=days),
        )
    _projects(company, sam)
    _shipit(company, marco, sam)


def _projects(company: Organisation, sam: Person) -> None:
    today = timezone.localdate()
    start = rules.quarter_start(today)
    projects = [
        (
            "Flame graphs in the ingest dashboard",
            "on-call spends hours guessing where time goes",
            Project.Outcome.SHIPPED,
            "py-spy output maps straight onto the existing plots",
            [(3, "3"), (10, "4.5"), (17, "6")],
        ),
        (
            "Open data for river levels",
            "the public should see what our sensors see",
            Project.Outcome.ACTIVE,
            "",
            [(1, "2"), (8, "3.5")],
        ),
    ]
    for title, why, outcome, learned, logs in projects:
        project = Project.objects.create(
            organisation=company,
            person=sam,
            title=title,
            why=why,
            outcome=outcome,
            learned=learned,
            serves_purpose=True,
            created_at=timezone.now() - dt.timedelta(days=20),
        )
        for days, hours in logs:
            day = today - dt.timedelta(days=days)
            if day >= start:
                TimeLog.objects.create(
                    organisation=company,
                    project=project,
                    person=sam,
                    day=day,
                    hours=Decimal(hours),
                )


def _shipit(company: Organisation, marco: Person, sam: Person) -> None:
    start = (timezone.now() - dt.timedelta(days=42)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    event = ShipItEvent.objects.create(
        organisation=company,
        title="ShipIt 12",
        theme="Anything that helps a river keeper",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=24),
        created_by=marco,
    )
    people = list(
        Person.objects.filter(organisation=company, active=True)
        .exclude(pk__in=[marco.pk, sam.pk])
        .order_by("name")[:9]
    )
    ideas = [
        (
            "Flood alerts by SMS",
            "River keepers without smartphones miss our alerts",
            [sam, *people[:2]],
            (
                "SMS alerts in 40 lines",
                "A webhook from the alerting service to an SMS gateway.",
                "the webhook, behind a feature flag",
            ),
            ("objective", "now a key result in Platform's next quarter"),
        ),
        (
            "Sensor battery forecast",
            "Field visits are planned by guesswork",
            people[2:5],
            ("When will the battery die?", "A linear fit of voltage per sensor, on the map.", ""),
            ("shipped", "in the field app since last month"),
        ),
        (
            "Dark mode for the dashboard",
            "Night shifts read it at 3 am",
            people[5:7],
            ("Dark mode", "Half of the dashboard themed; charts still light.", ""),
            ("dropped", "the dashboard is being replaced"),
        ),
    ]
    made = []
    for title, pitch, team, (d_title, summary, shipped), (outcome, note) in ideas:
        proposal = Proposal.objects.create(
            organisation=company,
            event=event,
            author=team[0],
            title=title,
            pitch=pitch,
            demo_title=d_title,
            demo_summary=summary,
            shipped=shipped,
            demoed_at=event.ends_at - dt.timedelta(hours=1),
            follow_up=outcome,
            follow_up_note=note,
            followed_up_at=event.ends_at + dt.timedelta(days=31),
            created_at=start - dt.timedelta(days=3),
        )
        proposal.members.set(team)
        made.append((proposal, team))
    for proposal, team in made:
        for person in [p for p in [marco, sam, *people] if p not in team][:5]:
            Kudos.objects.create(organisation=company, proposal=proposal, person=person)
