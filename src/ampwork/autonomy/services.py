"""Writes for autonomy: set a level (a new ledger entry), decide on a suggestion; the
self-directed time policy, projects and the hours logged on them."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import Organisation, Person, Team
from ampwork.core.permissions import Actor, require
from ampwork.okrs.models import Objective

from . import rules
from .models import Decision, LedgerEntry, Project, TimeLog, TimePolicy


def _check(t: str, level: int) -> None:
    if t not in rules.TS:
        raise ValidationFailed.single("t", f"must be one of {', '.join(rules.TS)}")
    if not 0 <= level <= rules.TOP:
        raise ValidationFailed.single("level", "is from 0 (directed) to 3 (self-directed)")


@transaction.atomic
def set_level(
    *,
    actor: Actor,
    person: Person | None = None,
    team: Team | None = None,
    t: str,
    level: int,
    why: str = "",
    guardrails: str = "",
) -> LedgerEntry:
    """Record a new level for a person, or a team's default. Never rewrites the past."""
    subject = person if person is not None else team
    require(actor, "autonomy.manage", subject)
    _check(t, level)
    return LedgerEntry.objects.create(
        organisation=actor.organisation,
        person=person,
        team=team,
        t=t,
        level=level,
        why=why.strip()[:500],
        guardrails=guardrails.strip()[:300],
        changed_by=actor.person,
    )


@transaction.atomic
def decide(
    *,
    actor: Actor,
    person: Person,
    t: str,
    level: int,
    outcome: str,
    note: str = "",
    guardrails: str = "",
) -> Decision:
    require(actor, "autonomy.manage", person)
    _check(t, level)
    if outcome not in Decision.Outcome.values:
        raise ValidationFailed.single("outcome", "grant, defer or decline")
    if outcome == Decision.Outcome.GRANTED:
        set_level(
            actor=actor,
            person=person,
            t=t,
            level=level,
            why=note or "suggested step granted",
            guardrails=guardrails,
        )
    return Decision.objects.create(
        organisation=actor.organisation,
        person=person,
        t=t,
        level=level,
        outcome=outcome,
        note=note.strip()[:500],
        decided_by=actor.person,
    )


def policy_of(organisation: Organisation) -> TimePolicy:
    found, _ = TimePolicy.objects.get_or_create(organisation=organisation)
    return found


@transaction.atomic
def set_policy(*, actor: Actor, share_percent: int, weekly_hours: float) -> TimePolicy:
    """The organisation's self-directed time (admins): e.g. 20% of a 40-hour week."""
    require(actor, "organisation.edit", actor.organisation)
    if not 0 <= share_percent <= 50:
        raise ValidationFailed.single("share_percent", "is from 0 to 50 (% of working time)")
    if not math.isfinite(weekly_hours) or not 1 <= weekly_hours <= 80:
        raise ValidationFailed.single("weekly_hours", "is from 1 to 80 hours a week")
    found = policy_of(actor.organisation)
    found.share_percent = share_percent
    found.weekly_hours = Decimal(str(weekly_hours)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    found.save(update_fields=["share_percent", "weekly_hours"])
    return found


def _text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed.single(field, "is required")
    if len(value) > limit:
        raise ValidationFailed.single(field, f"is at most {limit} characters")
    return value


def _mine(actor: Actor, project: Project | None = None) -> Person:
    if actor.person is None:
        raise NotAllowed("only people of the organisation have self-directed projects")
    if project is not None and project.person_id != actor.person.pk:
        raise NotAllowed("a self-directed project is changed only by its owner")
    return actor.person


def _objective(actor: Actor, objective_id: int | None) -> Objective | None:
    if objective_id is None:
        return None
    from ampwork.okrs import selectors as okr_selectors

    try:
        return okr_selectors.get_objective(actor, objective_id)
    except NotFound:
        raise ValidationFailed.single("objective_id", "no such objective") from None


@transaction.atomic
def add_project(
    *,
    actor: Actor,
    title: str,
    why: str = "",
    objective_id: int | None = None,
    serves_purpose: bool = False,
) -> Project:
    """Start a self-directed project: your own choice, so only for yourself."""
    person = _mine(actor)
    return Project.objects.create(
        organisation=actor.organisation,
        person=person,
        title=_text(title, "title", 200, required=True),
        why=_text(why, "why", 1000),
        objective=_objective(actor, objective_id),
        serves_purpose=serves_purpose,
    )


@transaction.atomic
def update_project(
    *, actor: Actor, project: Project, outcome: str | None = None, learned: str | None = None
) -> Project:
    """Record what came of it and what was learned."""
    _mine(actor, project)
    if outcome is not None:
        if outcome not in Project.Outcome.values:
            raise ValidationFailed.single(
                "outcome", f"must be one of {', '.join(Project.Outcome.values)}"
            )
        project.outcome = outcome
    if learned is not None:
        project.learned = _text(learned, "learned", 1000)
    project.save(update_fields=["outcome", "learned"])
    return project


@transaction.atomic
def log_time(*, actor: Actor, project: Project, day: dt.date, hours: float) -> TimeLog:
    """Hours spent on your own project on one day (not in the future, at most 24)."""
    person = _mine(actor, project)
    if day > timezone.localdate():
        raise ValidationFailed.single("day", "cannot be in the future")
    if not math.isfinite(hours):
        raise ValidationFailed.single("hours", "must be a number")
    rounded = Decimal(str(hours)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if not Decimal("0.1") <= rounded <= 24:
        raise ValidationFailed.single("hours", "is from 0.1 to 24")
    return TimeLog.objects.create(
        organisation=actor.organisation,
        project=project,
        person=person,
        day=day,
        hours=rounded,
    )
