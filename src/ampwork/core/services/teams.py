"""Writes for teams: creating, renaming, moving inside another team, deleting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ampwork.core.errors import ValidationFailed, only
from ampwork.core.models import Organisation, Team, TeamMembership
from ampwork.core.permissions import Actor, require

from .audit import record
from .memberships import record_membership
from .trees import walks_into

TEAM_FIELDS = ("name", "kind", "parent_id", "description", "external_id")

# What other apps own for a team, removed through their own services (which keep their
# derived numbers right) before the team is deleted: see register_team_owned
TEAM_OWNED: list[Callable[[Team], None]] = []
# Whether another app keeps rows for a team (OKRs: objectives it owns): see register_team_owned
TEAM_HOLDS: list[Callable[[Team], bool]] = []


def register_team_owned(
    remove: Callable[[Team], None], holds: Callable[[Team], bool] | None = None
) -> None:
    """An app that owns rows for a team (OKRs: the team's objectives) removes them itself
    when the team is deleted, rather than leaving it to the database's cascade; ``holds``
    tells whether it has any (SCIM never deletes a team that has: team_holds_rows)."""
    if remove not in TEAM_OWNED:
        TEAM_OWNED.append(remove)
    if holds is not None and holds not in TEAM_HOLDS:
        TEAM_HOLDS.append(holds)


def team_holds_rows(team: Team) -> bool:
    """Whether another app keeps rows for the team (its objectives, …)."""
    return any(holds(team) for holds in TEAM_HOLDS)


def _check_team_name(org: Organisation, name: str, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.single("name", _("is required"))
    clash = Team.objects.filter(organisation=org, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationFailed.single(
            "name", _("a team called '%(name)s' already exists") % {"name": name}
        )
    return name


def _check_parent(org: Organisation, team: Team | None, parent_id: int | None) -> None:
    if parent_id is None:
        return
    loop = walks_into(Team, org, parent_id, "parent_id", team.pk if team else None)
    if loop is None:
        raise ValidationFailed.single("parent_id", _("no such team in this organisation"))
    if loop:
        raise ValidationFailed.single("parent_id", _("a team cannot sit inside itself"))


@transaction.atomic
def create_team(
    *,
    actor: Actor,
    name: str,
    kind: str = Team.Kind.TEAM,
    parent_id: int | None = None,
    description: str = "",
    external_id: str = "",
    scim_managed: bool = False,
) -> Team:
    org = actor.organisation
    require(actor, "teams.edit", org)
    name = _check_team_name(org, name)
    if kind not in Team.Kind.values:
        raise ValidationFailed.single(
            "kind", _("must be one of %(allowed)s") % {"allowed": ", ".join(Team.Kind.values)}
        )
    _check_parent(org, None, parent_id)
    team = Team.objects.create(
        organisation=org,
        name=name,
        kind=kind,
        parent_id=parent_id,
        description=description,
        external_id=external_id,
        scim_managed=scim_managed,
    )
    record(actor, org, "team.created", team, name=name, kind=kind, parent=parent_id)
    return team


@transaction.atomic
def update_team(*, actor: Actor, team: Team, **changes: Any) -> Team:
    org = actor.organisation
    require(actor, "teams.edit", team)
    only(changes, TEAM_FIELDS)
    if "name" in changes:
        changes["name"] = _check_team_name(org, changes["name"], exclude=team.pk)
    if "kind" in changes and changes["kind"] not in Team.Kind.values:
        raise ValidationFailed.single(
            "kind", _("must be one of %(allowed)s") % {"allowed": ", ".join(Team.Kind.values)}
        )
    if "parent_id" in changes:
        _check_parent(org, team, changes["parent_id"])
    before = {f: getattr(team, f) for f in changes}
    for field, value in changes.items():
        setattr(team, field, value)
    if changes:
        team.save(update_fields=list(changes))
    changed = {f: [before[f], changes[f]] for f in changes if before[f] != changes[f]}
    if changed:
        record(actor, org, "team.updated", team, changes=changed)
    if "parent_id" in changed:
        record(actor, org, "team.moved", team, parent=changed["parent_id"])
    return team


@transaction.atomic
def delete_team(*, actor: Actor, team: Team) -> None:
    require(actor, "teams.edit", team)
    if team.children.exists():
        raise ValidationFailed.single("team", _("move or delete its sub-teams first"))
    record(
        actor,
        actor.organisation,
        "team.deleted",
        team,
        name=team.name,
        parent=team.parent_id,
        members=sorted(team.memberships.values_list("person_id", flat=True)),
    )
    for remove in TEAM_OWNED:
        remove(team)
    team.delete()


@transaction.atomic
def release_scim_team(*, actor: Actor, team: Team) -> None:
    """The identity provider deleted a group whose team keeps rows of other apps (its
    OKRs): the team stays, without the provider's id and members (its leads stay), and
    becomes an ampwork team that SCIM may no longer change."""
    require(actor, "teams.edit", team)
    for membership in team.memberships.exclude(role=TeamMembership.Role.LEAD):
        record_membership(actor, "membership.removed", membership)
        membership.delete()
    before = [team.external_id, team.scim_managed]
    team.external_id, team.scim_managed = "", False
    team.save(update_fields=["external_id", "scim_managed"])
    record(actor, actor.organisation, "team.scim_released", team, was=before)
