"""SCIM Groups: ampwork's teams (``Team``, kind team) as RFC 7643 §4.2 resources.

``displayName`` is the team's name, ``externalId`` the identity provider's id and
``members`` its people (``TeamMembership``; a member the provider adds joins as a member,
a lead stays lead while the provider lists them, and a lead ampwork assigned stays when
the provider replaces or clears the members: only a remove naming them removes them).
SCIM changes only teams it created (``scim_managed``); the school, the departments, the
classes OneRoster rosters and the teams made in ampwork are read-only here. A DELETE
never removes a team's OKRs: a team that owns objectives loses the provider's members
and id and stays, as an ampwork team. Every write goes through core's
services (``create_team``, ``update_team``, ``add_membership``, ``remove_membership``,
``delete_team``, ``release_scim_team``), so the audit log records each change.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from ampwork.core import services
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Team, TeamMembership
from ampwork.core.permissions import Actor

from .protocol import GROUP, ScimError, base_url, invalid, resource_id, text
from .users import ID_LIMIT, NAME_LIMIT, refuse_in_school
from .users import location as user_location

MEMBER_FILTER = re.compile(r'^members\[\s*value\s+eq\s+"([^"]*)"\s*\]$', re.IGNORECASE)


def location(team_id: int) -> str:
    return f"{base_url()}/Groups/{team_id}"


def teams(org: Organisation) -> QuerySet[Team]:
    return (
        Team.objects.filter(organisation=org)
        .prefetch_related(
            Prefetch("memberships", queryset=TeamMembership.objects.select_related("person"))
        )
        .order_by("pk")
    )


def get(org: Organisation, raw_id: str) -> Team:
    pk = resource_id(raw_id, "id")
    team = teams(org).filter(pk=pk).first() if pk is not None else None
    if team is None:
        raise ScimError(404, f"Group {raw_id[:40]} not found")
    return team


def resource(team: Team, with_members: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"schemas": [GROUP], "id": str(team.pk)}
    if team.external_id:
        out["externalId"] = team.external_id
    out["displayName"] = team.name
    if with_members:
        out["members"] = [
            {
                "value": str(m.person_id),
                "display": m.person.name,
                "type": "User",
                "$ref": user_location(m.person_id),
            }
            for m in team.memberships.all()
        ]
    out["meta"] = {
        "resourceType": "Group",
        "created": team.created_at.isoformat(),
        "lastModified": team.created_at.isoformat(),
        "location": location(team.pk),
    }
    return out


def _member_ids(org: Organisation, value: Any, attribute: str, strict: bool = True) -> list[int]:
    """The people a ``members`` value names (each must be a User of this organisation;
    not ``strict``, for a remove: a value that is no User here is no member, and skipped)."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise invalid(f"{attribute}: must be a list of {{value}}")
    ids: list[int] = []
    for item in value:
        raw = item.get("value") if isinstance(item, dict) else None
        pk = resource_id(raw, attribute)
        if pk is None and strict:
            raise invalid(f"{attribute}: each member needs the value of a User")
        if pk is not None:
            ids.append(pk)
    if not strict:
        return list(dict.fromkeys(ids))
    found = set(Person.objects.filter(organisation=org, pk__in=ids).values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise invalid(f"{attribute}: no such User {missing[0]} in this organisation")
    return list(dict.fromkeys(ids))


def _name(org: Organisation, value: Any, team: Team | None) -> str:
    name = text(value, "displayName", NAME_LIMIT)
    if not name:
        raise invalid("displayName: is required")
    clash = Team.objects.filter(organisation=org, name__iexact=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise ScimError(409, f"displayName: a Group called {name!r} already exists", "uniqueness")
    return name


def _scim_error(exc: ValidationFailed) -> ScimError:
    first = exc.errors[0]
    attribute = {"name": "displayName", "person_id": "members", "team": "id"}.get(
        first.field, first.field
    )
    return invalid(f"{attribute}: {first.message}")


def _set_members(actor: Actor, team: Team, wanted: list[int]) -> None:
    """The members become ``wanted``; the team's leads (assigned in ampwork) stay."""
    current = {m.person_id: m for m in TeamMembership.objects.filter(team=team)}
    for pk, membership in current.items():
        if pk not in wanted and membership.role != TeamMembership.Role.LEAD:
            services.remove_membership(actor=actor, membership=membership)
    for pk in wanted:
        if pk not in current:
            services.add_membership(actor=actor, team_id=team.pk, person_id=pk)


def _add_members(actor: Actor, team: Team, ids: list[int]) -> None:
    current = set(TeamMembership.objects.filter(team=team).values_list("person_id", flat=True))
    for pk in ids:
        if pk not in current:
            services.add_membership(actor=actor, team_id=team.pk, person_id=pk)


def _remove_members(actor: Actor, team: Team, ids: list[int] | None) -> None:
    """Remove the people ``ids`` names (someone not in the team: nothing to do), or, with
    None, every member but the team's leads."""
    rows = TeamMembership.objects.filter(team=team)
    if ids is not None:
        rows = rows.filter(person_id__in=ids)
    else:
        rows = rows.exclude(role=TeamMembership.Role.LEAD)
    for membership in rows:
        services.remove_membership(actor=actor, membership=membership)


def _refuse_unless_scim_team(team: Team) -> None:
    if not team.scim_managed:
        raise ScimError(
            403,
            f"Group {team.pk} ({team.name}) was not created over SCIM: it is read-only "
            "here, and changes in ampwork",
            "mutability",
        )


@transaction.atomic
def create(actor: Actor, body: dict[str, Any]) -> Team:
    org = actor.organisation
    refuse_in_school(org)
    name = _name(org, body.get("displayName"), None)
    external_id = text(body.get("externalId"), "externalId", ID_LIMIT)
    members = _member_ids(org, body.get("members") or [], "members")
    try:
        team = services.create_team(
            actor=actor, name=name, external_id=external_id, scim_managed=True
        )
        _add_members(actor, team, members)
    except ValidationFailed as exc:
        raise _scim_error(exc) from None
    return team


@transaction.atomic
def replace(actor: Actor, team: Team, body: dict[str, Any]) -> Team:
    org = actor.organisation
    _refuse_unless_scim_team(team)
    name = _name(org, body.get("displayName"), team)
    external_id = text(body.get("externalId"), "externalId", ID_LIMIT)
    members = _member_ids(org, body.get("members") or [], "members")
    try:
        services.update_team(actor=actor, team=team, name=name, external_id=external_id)
        _set_members(actor, team, members)
    except ValidationFailed as exc:
        raise _scim_error(exc) from None
    return team


@transaction.atomic
def patch(actor: Actor, team: Team, ops: list[tuple[str, str | None, Any]]) -> Team:
    """PATCH members (add, remove by filter or by value, replace) and the name, as Entra
    ID and Okta send them."""
    _refuse_unless_scim_team(team)
    try:
        for n, (op, path, value) in enumerate(ops):
            if path is None:
                if not isinstance(value, dict):
                    raise invalid(f"Operations[{n}].value: must be an object when there is no path")
                for key, item in value.items():
                    _patch_path(actor, team, op, key, item, n)
            else:
                _patch_path(actor, team, op, path, value, n)
    except ValidationFailed as exc:
        raise _scim_error(exc) from None
    return team


def _patch_path(actor: Actor, team: Team, op: str, path: str, value: Any, n: int) -> None:
    org = actor.organisation
    lower = path.lower()
    if lower.startswith(GROUP.lower() + ":"):
        path = path[len(GROUP) + 1 :]
        lower = path.lower()
    one = MEMBER_FILTER.match(path)
    if lower == "members":
        if op == "remove":
            ids = None if value is None else _member_ids(org, value, "members", strict=False)
            _remove_members(actor, team, ids)
        elif op == "add":
            _add_members(actor, team, _member_ids(org, value, "members"))
        else:
            _set_members(actor, team, _member_ids(org, value, "members"))
    elif one is not None:
        pk = resource_id(one.group(1), "members")
        if op != "remove":
            raise invalid(f"{path}: only remove takes a filtered members path", "invalidPath")
        if pk is not None:
            _remove_members(actor, team, [pk])
    elif lower == "displayname":
        if op == "remove":
            raise invalid("displayName: is required", "mutability")
        services.update_team(actor=actor, team=team, name=_name(org, value, team))
    elif lower == "externalid":
        external_id = "" if op == "remove" else text(value, "externalId", ID_LIMIT)
        services.update_team(actor=actor, team=team, external_id=external_id)
    elif lower in ("id", "schemas", "meta"):
        if lower == "id" and op != "remove" and str(value) != str(team.pk):
            raise invalid(f"Operations[{n}].id: cannot be changed", "mutability")
    else:
        raise invalid(f"{path}: no such attribute", "invalidPath")


@transaction.atomic
def delete(actor: Actor, team: Team) -> None:
    """Delete a team SCIM created — unless it owns objectives (or sub-teams): then it
    stays, released (services.release_scim_team). SCIM never deletes OKRs."""
    _refuse_unless_scim_team(team)
    try:
        if services.team_holds_rows(team) or team.children.exists():
            services.release_scim_team(actor=actor, team=team)
        else:
            services.delete_team(actor=actor, team=team)
    except ValidationFailed as exc:
        raise _scim_error(exc) from None
