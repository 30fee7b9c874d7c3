"""Demo autonomy: Platform started with technique and grew; Mobile defaults to control
(levels at zero and objectives handed down); the class has scaffolded choice. Sam has two
self-directed projects with hours logged this quarter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from ampwork.core.models import Organisation, Person, Team

from . import rules
from .models import LedgerEntry, Project, TimeLog


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
