"""Writes for memberships: who is in which team, as a member or a lead."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Team, TeamMembership
from ampwork.core.permissions import Actor, require

from .audit import record
from .self_grants import refuse_self_lead


def _get(model: Any, org: Organisation, pk: int | None, field: str) -> Any:
    obj = model.objects.filter(organisation=org, pk=pk).first() if pk is not None else None
    if obj is None:
        raise ValidationFailed.single(field, _("no such object in this organisation"))
    return obj


def record_membership(actor: Actor, action: str, membership: TeamMembership, **extra: Any) -> None:
    """Put a membership's change in the audit log, with its team, person and role."""
    record(
        actor,
        membership.organisation,
        action,
        membership,
        team=membership.team_id,
        person=membership.person_id,
        role=extra.pop("role", membership.role),
        **extra,
    )


@transaction.atomic
def add_membership(
    *, actor: Actor, team_id: int, person_id: int, role: str = TeamMembership.Role.MEMBER
) -> TeamMembership:
    org = actor.organisation
    require(actor, "memberships.edit", org)
    team = _get(Team, org, team_id, "team_id")
    person = _get(Person, org, person_id, "person_id")
    if role not in TeamMembership.Role.values:
        raise ValidationFailed.single("role", _("must be member or lead"))
    if TeamMembership.objects.filter(team=team, person=person).exists():
        raise ValidationFailed.single(
            "person_id",
            _("%(name)s is already in %(team)s") % {"name": person.name, "team": team.name},
        )
    refuse_self_lead(actor, team, person, role)
    membership = TeamMembership.objects.create(
        organisation=org, team=team, person=person, role=role
    )
    record_membership(actor, "membership.added", membership)
    return membership


@transaction.atomic
def update_membership(*, actor: Actor, membership: TeamMembership, role: str) -> TeamMembership:
    require(actor, "memberships.edit", membership)
    if role not in TeamMembership.Role.values:
        raise ValidationFailed.single("role", _("must be member or lead"))
    old = membership.role
    if role == old:
        return membership
    refuse_self_lead(actor, membership.team, membership.person, role)
    membership.role = role
    membership.save(update_fields=["role"])
    record_membership(actor, "membership.role_changed", membership, role=[old, role])
    return membership


@transaction.atomic
def remove_membership(*, actor: Actor, membership: TeamMembership) -> None:
    require(actor, "memberships.edit", membership)
    record_membership(actor, "membership.removed", membership)
    membership.delete()
