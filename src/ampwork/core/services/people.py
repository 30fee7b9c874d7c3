"""Writes for people: adding someone to the organisation and changing their profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core.errors import ValidationFailed, only
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import Actor, require

from .accounts import clean_email
from .audit import record
from .invitations import existing_account, invite_existing_account, withdraw_invitations
from .memberships import record_membership
from .self_grants import refuse_self_lead, refuse_self_manager
from .sessions import end_sessions_of
from .sign_in_invites import send_sign_in_invite, void_pending
from .trees import walks_into

# what a person's own row holds (and an import sets); a service may also change these two
PROFILE_FIELDS = (
    "name",
    "email",
    "job_title",
    "job_role",
    "job_family",
    "level",
    "location",
    "hire_date",
    "role",
)
PERSON_FIELDS = (*PROFILE_FIELDS, "manager_id", "active", "external_id")


def _check_role(org: Organisation, role: str) -> None:
    if role not in Role.values:
        raise ValidationFailed.single(
            "role", _("must be one of %(allowed)s") % {"allowed": ", ".join(Role.values)}
        )
    if org.is_school and role == Role.PEOPLE_OPS:
        raise ValidationFailed.single("role", _("a school has no people-ops role"))


def _check_manager(org: Organisation, person: Person | None, manager_id: int | None) -> None:
    if manager_id is None:
        return
    loop = walks_into(Person, org, manager_id, "manager_id", person.pk if person else None)
    if loop is None:
        raise ValidationFailed.single("manager_id", _("no such person in this organisation"))
    if loop:
        raise ValidationFailed.single("manager_id", _("would make a reporting loop"))


@transaction.atomic
def create_person(
    *,
    actor: Actor,
    name: str,
    email: str,
    job_title: str = "",
    job_role: str = "",
    job_family: str = "",
    level: str = "",
    location: str = "",
    hire_date: dt.date | None = None,
    role: str = Role.MEMBER,
    manager_id: int | None = None,
    active: bool = True,
    team_ids: Iterable[int] = (),
    external_id: str = "",
    invite: bool = False,
) -> Person:
    """Add a person. ``invite``: email them a link to set their first password (or, when
    their email already has an account, ask its owner to accept)."""
    org = actor.organisation
    require(actor, "people.edit", org)
    name = name.strip()
    if not name:
        raise ValidationFailed.single("name", _("is required"))
    email = clean_email(email)
    _check_role(org, role)
    if role != Role.MEMBER:
        require(actor, "people.change_role", org)
    if Person.objects.filter(organisation=org, email__iexact=email).exists():
        raise ValidationFailed.single(
            "email", _("%(email)s is already someone in this organisation") % {"email": email}
        )
    _check_manager(org, None, manager_id)
    refuse_self_manager(actor, None, manager_id)
    team_ids = list(team_ids)
    teams = list(Team.objects.filter(organisation=org, pk__in=team_ids))
    if len(teams) != len(set(team_ids)):
        raise ValidationFailed.single("team_ids", _("no such team in this organisation"))
    for team in teams:
        refuse_self_lead(actor, team, None)
    person = Person(
        organisation=org,
        name=name,
        email=email,
        job_title=job_title.strip(),
        job_role=job_role.strip(),
        job_family=job_family.strip(),
        level=level.strip(),
        location=location.strip(),
        hire_date=hire_date,
        role=role,
        manager_id=manager_id,
        active=active,
        external_id=external_id,
    )
    person.save()
    record(actor, org, "person.created", person, email=email, role=role, manager=manager_id)
    invite_existing_account(actor, person)
    for team in teams:
        membership = TeamMembership.objects.create(organisation=org, team=team, person=person)
        record_membership(actor, "membership.added", membership)
    if role != Role.MEMBER:
        record(actor, org, "person.role_changed", person, role=[None, role])
    if invite:
        if not active:
            raise ValidationFailed.single("invite", _("a deactivated person cannot be invited"))
        if person.user_id is None and existing_account(person) is None:
            send_sign_in_invite(actor=actor, person=person)
    return person


@transaction.atomic
def update_person(*, actor: Actor, person: Person, **changes: Any) -> Person:
    org = actor.organisation
    require(actor, "people.edit", person)
    only(changes, PERSON_FIELDS)
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
        if not changes["name"]:
            raise ValidationFailed.single("name", _("is required"))
    if "email" in changes:
        changes["email"] = clean_email(changes["email"])
        clash = Person.objects.filter(organisation=org, email__iexact=changes["email"])
        if clash.exclude(pk=person.pk).exists():
            raise ValidationFailed.single(
                "email", _("%(email)s is already someone here") % {"email": changes["email"]}
            )
    old_role = person.role
    if "role" in changes and changes["role"] != old_role:
        _check_role(org, changes["role"])
        require(actor, "people.change_role", person)
        if old_role == Role.ADMIN and not _other_admins(org, person):
            raise ValidationFailed.single(
                "role", _("the organisation's last admin keeps that role")
            )
    if "manager_id" in changes and changes["manager_id"] != person.manager_id:
        _check_manager(org, person, changes["manager_id"])
        refuse_self_manager(actor, person, changes["manager_id"])
    if (
        changes.get("active") is False
        and person.role == Role.ADMIN
        and not _other_admins(org, person)
    ):
        raise ValidationFailed.single(
            "active", _("the organisation's last admin cannot be deactivated")
        )
    before = {f: getattr(person, f) for f in changes}
    for field, value in changes.items():
        setattr(person, field, value)
    fields = list(changes)
    if "active" in changes and changes["active"] != before["active"]:
        # when they left: a school's retention policy counts from it (None: back again)
        person.left_at = None if person.active else timezone.now()
        fields.append("left_at")
    if changes:
        person.save(update_fields=fields)
    changed = {
        f: [_plain(before[f]), _plain(changes[f])] for f in changes if before[f] != changes[f]
    }
    if changed:
        record(actor, org, "person.updated", person, changes=changed)
    if "manager_id" in changed:
        record(actor, org, "person.manager_changed", person, manager=changed["manager_id"])
    if "email" in changed:
        void_pending(person)  # a link sent to the old address never works again
    if "email" in changed and person.user_id is None:
        withdraw_invitations(actor, person)
        invite_existing_account(actor, person)
    if person.role != old_role:
        record(actor, org, "person.role_changed", person, role=[old_role, person.role])
    if "active" in changes:
        record(actor, org, "person.activated" if person.active else "person.deactivated", person)
    if "active" in changes and not person.active and person.user_id is not None:
        # signed out of every browser at once (their API tokens stop working too: a token
        # acts only for an active person)
        ended = end_sessions_of([person.user_id])
        record(actor, org, "person.sessions_ended", person, sessions=ended)
    return person


def _plain(value: Any) -> Any:
    """A value as the audit log's JSON keeps it."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _other_admins(org: Organisation, person: Person) -> int:
    """How many active admins other than ``person`` can sign in (an admin seat nobody has
    claimed yet does not keep the organisation administered). The organisation's row is
    locked first, so two concurrent demotions or deactivations of its last two admins on
    PostgreSQL run one after the other and the second sees the first."""
    Organisation.objects.select_for_update().filter(pk=org.pk).values_list("pk").first()
    admins = Person.objects.filter(
        organisation=org, role=Role.ADMIN, active=True, user__isnull=False
    )
    return admins.exclude(pk=person.pk).count()
