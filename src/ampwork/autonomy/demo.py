"""Demo autonomy: Platform started with technique and grew; Mobile defaults to control
(levels at zero and objectives handed down); the class has scaffolded choice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ampwork.core.models import Organisation, Person, Team

from .models import LedgerEntry


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
