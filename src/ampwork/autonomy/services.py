"""Writes for the autonomy ledger: set a level (a new entry), decide on a suggestion."""

from __future__ import annotations

from django.db import transaction

from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Person, Team
from ampwork.core.permissions import Actor, require

from . import rules
from .models import Decision, LedgerEntry


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
