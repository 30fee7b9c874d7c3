"""Writes for organisations, people, teams, memberships, accounts and tokens.

Every function is keyword-only, checks permission through :mod:`.permissions`, validates
with field-level :class:`~.errors.ValidationFailed`, and runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from . import selectors
from .errors import NotAllowed, NotFound, ValidationFailed, only
from .models import (
    MIN_ANONYMITY,
    ApiToken,
    AuditEvent,
    Invitation,
    Organisation,
    Person,
    Role,
    Team,
    TeamMembership,
    User,
)
from .permissions import Actor, can, require

TOKEN_PREFIX = "amp_"


# ---------------------------------------------------------------- audit log


def record(
    actor: Actor | None, organisation: Organisation, action: str, target: Any = None, **detail: Any
) -> AuditEvent:
    """Append an audit event. ``detail`` must never hold survey answers."""
    user = actor.user if actor else None
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=user,
        actor_email=actor.label if actor else "system",
        action=action,
        target_type=type(target).__name__ if target is not None else "",
        target_id=str(getattr(target, "pk", "") or ""),
        detail=detail,
    )


# ---------------------------------------------------------------- organisations


# Apps that rely on the anonymity minimum say here when it may not change (an open pulse).
ANONYMITY_LOCKS: list[Callable[[Organisation], str | None]] = []


def _check_anonymity(value: int) -> None:
    if value < MIN_ANONYMITY:
        raise ValidationFailed.single(
            "anonymity_min_group", f"must be at least {MIN_ANONYMITY} to keep answers anonymous"
        )


@transaction.atomic
def create_organisation(
    *,
    name: str,
    kind: str = Organisation.Kind.COMPANY,
    slug: str = "",
    anonymity_min_group: int = 5,
    autonomy_policy: str = Organisation.AutonomyPolicy.TOGETHER,
    okr_cadence: str = Organisation.Cadence.QUARTERLY,
) -> Organisation:
    name = name.strip()
    if not name:
        raise ValidationFailed.single("name", "is required")
    if kind not in Organisation.Kind.values:
        raise ValidationFailed.single(
            "kind", f"must be one of {', '.join(Organisation.Kind.values)}"
        )
    _check_anonymity(anonymity_min_group)
    slug = slugify(slug or name)[:60] or "organisation"
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationFailed.single("slug", f"'{slug}' is already taken")
    return Organisation.objects.create(
        name=name,
        slug=slug,
        kind=kind,
        anonymity_min_group=anonymity_min_group,
        autonomy_policy=autonomy_policy,
        okr_cadence=okr_cadence,
    )


ORGANISATION_FIELDS = ("name", "anonymity_min_group", "autonomy_policy", "okr_cadence")


@transaction.atomic
def update_organisation(*, actor: Actor, **changes: Any) -> Organisation:
    org = actor.organisation
    require(actor, "organisation.edit", org)
    only(changes, ORGANISATION_FIELDS)
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationFailed.single("name", "is required")
    if "anonymity_min_group" in changes:
        _check_anonymity(int(changes["anonymity_min_group"]))
        if int(changes["anonymity_min_group"]) != org.anonymity_min_group:
            for lock in ANONYMITY_LOCKS:
                if reason := lock(org):
                    raise ValidationFailed.single("anonymity_min_group", reason)
    if "autonomy_policy" in changes and (
        changes["autonomy_policy"] not in Organisation.AutonomyPolicy.values
    ):
        raise ValidationFailed.single("autonomy_policy", "is not a known policy")
    if "okr_cadence" in changes and changes["okr_cadence"] not in Organisation.Cadence.values:
        raise ValidationFailed.single("okr_cadence", "is not a known cadence")
    before = {f: getattr(org, f) for f in changes}
    for field, value in changes.items():
        setattr(org, field, value)
    org.save(update_fields=list(changes))
    record(
        actor,
        org,
        "organisation.updated",
        org,
        changes={f: [before[f], changes[f]] for f in changes if before[f] != changes[f]},
    )
    return org


# ---------------------------------------------------------------- people

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
PERSON_FIELDS = (*PROFILE_FIELDS, "manager_id", "active")


def _clean_email(value: str, field: str = "email") -> str:
    value = (value or "").strip().lower()
    try:
        validate_email(value)
    except DjangoValidationError:
        raise ValidationFailed.single(field, f"'{value}' is not a valid email address") from None
    return value


def _check_role(org: Organisation, role: str) -> None:
    if role not in Role.values:
        raise ValidationFailed.single("role", f"must be one of {', '.join(Role.values)}")
    if org.is_school and role == Role.PEOPLE_OPS:
        raise ValidationFailed.single("role", "a school has no people-ops role")


def _walks_into(
    model: Any, org: Organisation, start_id: int, field: str, target: int | None
) -> bool | None:
    """Walk up ``field`` links from ``start_id``. None when ``start_id`` is not in ``org``;
    otherwise whether the walk meets ``target`` (a loop)."""
    first = model.objects.filter(organisation=org, pk=start_id).values_list(field, flat=True)
    if not first.exists():
        return None
    current: int | None = start_id
    seen: set[int] = set()
    while current is not None and current not in seen:
        if current == target:
            return True
        seen.add(current)
        current = model.objects.filter(pk=current).values_list(field, flat=True).first()
    return False


def _check_manager(org: Organisation, person: Person | None, manager_id: int | None) -> None:
    if manager_id is None:
        return
    loop = _walks_into(Person, org, manager_id, "manager_id", person.pk if person else None)
    if loop is None:
        raise ValidationFailed.single("manager_id", "no such person in this organisation")
    if loop:
        raise ValidationFailed.single("manager_id", "would make a reporting loop")


# ---------------------------------------------------------------- self-grants

NEEDS_ADMIN = "an admin must make this change"


def _grantor(actor: Actor) -> Person | None:
    """The person whose own access a change could widen: None for admins and the command
    line, who may see everything anyway."""
    if actor.person is None or can(actor, "reporting_lines.grant_self"):
        return None
    return actor.person


def refuse_self_manager(actor: Actor, person: Person | None, manager_id: int | None) -> None:
    """Refuse a non-admin putting themselves above ``person`` in the reporting lines:
    as their manager, or as the manager of their new manager (at any depth). Someone
    already above the person gains nothing by rearranging below themselves."""
    me = _grantor(actor)
    if me is None or manager_id is None:
        return
    if person is not None and (person.pk == me.pk or selectors.manages(me, person.pk)):
        return
    if manager_id == me.pk or selectors.manages(me, manager_id):
        who = person.name if person is not None else "a new person"
        raise NotAllowed(
            f"You cannot make yourself the manager of {who}, directly or through someone "
            f"who reports to you: it would let you read their reviews and private "
            f"objectives; {NEEDS_ADMIN}."
        )


def refuse_self_lead(
    actor: Actor, team: Team, person: Person | None, role: str = TeamMembership.Role.MEMBER
) -> None:
    """Refuse a non-admin making themselves a team's lead, or putting someone they do not
    already coach into a team they lead (either would make them that person's coach)."""
    me = _grantor(actor)
    if me is None:
        return
    if person is not None and person.pk == me.pk:
        if role == TeamMembership.Role.LEAD:
            raise NotAllowed(f"You cannot make yourself lead of {team.name}; {NEEDS_ADMIN}.")
        return
    if team.pk in selectors.led_teams(me) and (
        person is None or not selectors.coaches(me, person.pk)
    ):
        who = person.name if person is not None else "a new person"
        raise NotAllowed(
            f"You lead {team.name}: adding {who} to it would make you their coach; {NEEDS_ADMIN}."
        )


# ---------------------------------------------------------------- invitations


def _existing_account(person: Person) -> User | None:
    if person.user_id is not None:
        return None
    return User.objects.filter(email__iexact=person.email).first()


def invite_existing_account(actor: Actor | None, person: Person) -> Invitation | None:
    """When a login already uses the person's email, ask its owner to join instead of
    attaching it. Returns the pending invitation (new or already waiting), else None."""
    user = _existing_account(person)
    if user is None:
        return None
    pending = Invitation.objects.filter(
        person=person, user=user, status=Invitation.Status.PENDING
    ).first()
    if pending is not None:
        return pending
    org = person.organisation
    invitation = Invitation.objects.create(
        organisation=org, person=person, user=user, invited_by=actor.user if actor else None
    )
    record(actor, org, "person.invited", person, email=user.email)
    message = EmailMessage(
        subject=f"{org.name} invites you to ampwork",
        body=(
            f"{org.name} added you as {person.name} ({person.email}). You already have an "
            f"ampwork account, so nothing changes until you accept.\n\n"
            f"Sign in and accept or decline: {settings.BASE_URL}/invitations/\n"
        ),
        to=[user.email],
    )
    transaction.on_commit(lambda: message.send(fail_silently=True))
    return invitation


def _withdraw_invitations(actor: Actor, person: Person) -> None:
    for invitation in Invitation.objects.filter(person=person, status=Invitation.Status.PENDING):
        invitation.status = Invitation.Status.WITHDRAWN
        invitation.decided_at = timezone.now()
        invitation.save(update_fields=["status", "decided_at"])
        record(actor, person.organisation, "invitation.withdrawn", person, email=person.email)


def _mine(user: User, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("person", "organisation")
        .filter(pk=invitation_id, user=user, status=Invitation.Status.PENDING)
        .first()
    )
    if invitation is None:
        raise NotFound("no such invitation waiting for you")
    return invitation


@transaction.atomic
def accept_invitation(*, user: User, invitation_id: int) -> Person:
    """The account's owner, signed in, joins the organisation as the invited person."""
    invitation = _mine(user, invitation_id)
    person = invitation.person
    org = invitation.organisation
    if person.user_id is not None or person.email.lower() != user.email.lower():
        raise ValidationFailed.single("invitation", "is out of date: ask for a new one")
    if Person.objects.filter(organisation=org, user=user).exists():
        raise ValidationFailed.single("invitation", f"you are already in {org.name}")
    person.user = user
    person.save(update_fields=["user"])
    invitation.status, invitation.decided_at = Invitation.Status.ACCEPTED, timezone.now()
    invitation.save(update_fields=["status", "decided_at"])
    who = Actor(organisation=org, role=person.role, user=user, person=person)
    record(who, org, "invitation.accepted", person)
    return person


@transaction.atomic
def decline_invitation(*, user: User, invitation_id: int) -> None:
    invitation = _mine(user, invitation_id)
    invitation.status, invitation.decided_at = Invitation.Status.DECLINED, timezone.now()
    invitation.save(update_fields=["status", "decided_at"])
    # the account's owner, who is not (and will not be) one of the organisation's people
    who = Actor(organisation=invitation.organisation, role=Role.MEMBER, user=user)
    record(who, invitation.organisation, "invitation.declined", invitation.person)


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
) -> Person:
    org = actor.organisation
    require(actor, "people.edit", org)
    name = name.strip()
    if not name:
        raise ValidationFailed.single("name", "is required")
    email = _clean_email(email)
    _check_role(org, role)
    if role != Role.MEMBER:
        require(actor, "people.change_role", org)
    if Person.objects.filter(organisation=org, email__iexact=email).exists():
        raise ValidationFailed.single("email", f"{email} is already someone in this organisation")
    _check_manager(org, None, manager_id)
    refuse_self_manager(actor, None, manager_id)
    team_ids = list(team_ids)
    teams = list(Team.objects.filter(organisation=org, pk__in=team_ids))
    if len(teams) != len(set(team_ids)):
        raise ValidationFailed.single("team_ids", "no such team in this organisation")
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
    )
    person.save()
    record(actor, org, "person.created", person, email=email, role=role, manager=manager_id)
    invite_existing_account(actor, person)
    for team in teams:
        membership = TeamMembership.objects.create(organisation=org, team=team, person=person)
        _record_membership(actor, "membership.added", membership)
    if role != Role.MEMBER:
        record(actor, org, "person.role_changed", person, role=[None, role])
    return person


@transaction.atomic
def update_person(*, actor: Actor, person: Person, **changes: Any) -> Person:
    org = actor.organisation
    require(actor, "people.edit", person)
    only(changes, PERSON_FIELDS)
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
        if not changes["name"]:
            raise ValidationFailed.single("name", "is required")
    if "email" in changes:
        changes["email"] = _clean_email(changes["email"])
        clash = Person.objects.filter(organisation=org, email__iexact=changes["email"])
        if clash.exclude(pk=person.pk).exists():
            raise ValidationFailed.single("email", f"{changes['email']} is already someone here")
    old_role = person.role
    if "role" in changes and changes["role"] != old_role:
        _check_role(org, changes["role"])
        require(actor, "people.change_role", person)
        if old_role == Role.ADMIN and _admin_count(org) <= 1:
            raise ValidationFailed.single("role", "the organisation's last admin keeps that role")
    if "manager_id" in changes and changes["manager_id"] != person.manager_id:
        _check_manager(org, person, changes["manager_id"])
        refuse_self_manager(actor, person, changes["manager_id"])
    if changes.get("active") is False and person.role == Role.ADMIN and _admin_count(org) <= 1:
        raise ValidationFailed.single(
            "active", "the organisation's last admin cannot be deactivated"
        )
    before = {f: getattr(person, f) for f in changes}
    for field, value in changes.items():
        setattr(person, field, value)
    if changes:
        person.save(update_fields=list(changes))
    changed = {
        f: [_plain(before[f]), _plain(changes[f])] for f in changes if before[f] != changes[f]
    }
    if changed:
        record(actor, org, "person.updated", person, changes=changed)
    if "manager_id" in changed:
        record(actor, org, "person.manager_changed", person, manager=changed["manager_id"])
    if "email" in changed and person.user_id is None:
        _withdraw_invitations(actor, person)
        invite_existing_account(actor, person)
    if person.role != old_role:
        record(actor, org, "person.role_changed", person, role=[old_role, person.role])
    if "active" in changes:
        record(actor, org, "person.activated" if person.active else "person.deactivated", person)
    return person


def _plain(value: Any) -> Any:
    """A value as the audit log's JSON keeps it."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _admin_count(org: Organisation) -> int:
    return Person.objects.filter(organisation=org, role=Role.ADMIN, active=True).count()


def grant_login(*, actor: Actor, person: Person, password: str) -> User:
    """Let a person sign in: create the account for their email and set a password.

    An account that already uses the email is someone's own: it is never attached here nor
    its password set. Its owner is invited instead and joins by accepting."""
    require(actor, "people.edit", person)
    if person.user is not None and person.user.has_usable_password():
        require(actor, "people.reset_password", person)
    if _existing_account(person) is not None:
        with transaction.atomic():
            invite_existing_account(actor, person)
        raise ValidationFailed.single(
            "password",
            f"{person.email} already has an ampwork account: they join {actor.organisation.name} "
            "when they accept the invitation waiting for them after signing in, "
            "and their password stays theirs",
        )
    return _grant_login(actor=actor, person=person, password=password)


@transaction.atomic
def _grant_login(*, actor: Actor, person: Person, password: str) -> User:
    user = person.user
    if user is not None and user.people.exclude(pk=person.pk).exists():
        raise ValidationFailed.single(
            "password", f"{person.email}'s account is also used elsewhere: its password is theirs"
        )
    if user is None:
        user = User(email=person.email, name=person.name)
    _set_password(user, password, "password")
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    record(actor, actor.organisation, "person.login_granted", person)
    return user


# ---------------------------------------------------------------- teams

TEAM_FIELDS = ("name", "kind", "parent_id", "description")


def _check_team_name(org: Organisation, name: str, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed.single("name", "is required")
    clash = Team.objects.filter(organisation=org, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise ValidationFailed.single("name", f"a team called '{name}' already exists")
    return name


def _check_parent(org: Organisation, team: Team | None, parent_id: int | None) -> None:
    if parent_id is None:
        return
    loop = _walks_into(Team, org, parent_id, "parent_id", team.pk if team else None)
    if loop is None:
        raise ValidationFailed.single("parent_id", "no such team in this organisation")
    if loop:
        raise ValidationFailed.single("parent_id", "a team cannot sit inside itself")


@transaction.atomic
def create_team(
    *,
    actor: Actor,
    name: str,
    kind: str = Team.Kind.TEAM,
    parent_id: int | None = None,
    description: str = "",
) -> Team:
    org = actor.organisation
    require(actor, "teams.edit", org)
    name = _check_team_name(org, name)
    if kind not in Team.Kind.values:
        raise ValidationFailed.single("kind", f"must be one of {', '.join(Team.Kind.values)}")
    _check_parent(org, None, parent_id)
    team = Team.objects.create(
        organisation=org, name=name, kind=kind, parent_id=parent_id, description=description
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
        raise ValidationFailed.single("kind", f"must be one of {', '.join(Team.Kind.values)}")
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
        raise ValidationFailed.single("team", "move or delete its sub-teams first")
    record(
        actor,
        actor.organisation,
        "team.deleted",
        team,
        name=team.name,
        parent=team.parent_id,
        members=sorted(team.memberships.values_list("person_id", flat=True)),
    )
    team.delete()


# ---------------------------------------------------------------- memberships


def _get(model: Any, org: Organisation, pk: int | None, field: str) -> Any:
    obj = model.objects.filter(organisation=org, pk=pk).first() if pk is not None else None
    if obj is None:
        raise ValidationFailed.single(field, "no such object in this organisation")
    return obj


def _record_membership(actor: Actor, action: str, membership: TeamMembership, **extra: Any) -> None:
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
        raise ValidationFailed.single("role", "must be member or lead")
    if TeamMembership.objects.filter(team=team, person=person).exists():
        raise ValidationFailed.single("person_id", f"{person.name} is already in {team.name}")
    refuse_self_lead(actor, team, person, role)
    membership = TeamMembership.objects.create(
        organisation=org, team=team, person=person, role=role
    )
    _record_membership(actor, "membership.added", membership)
    return membership


@transaction.atomic
def update_membership(*, actor: Actor, membership: TeamMembership, role: str) -> TeamMembership:
    require(actor, "memberships.edit", membership)
    if role not in TeamMembership.Role.values:
        raise ValidationFailed.single("role", "must be member or lead")
    old = membership.role
    if role == old:
        return membership
    refuse_self_lead(actor, membership.team, membership.person, role)
    membership.role = role
    membership.save(update_fields=["role"])
    _record_membership(actor, "membership.role_changed", membership, role=[old, role])
    return membership


@transaction.atomic
def remove_membership(*, actor: Actor, membership: TeamMembership) -> None:
    require(actor, "memberships.edit", membership)
    _record_membership(actor, "membership.removed", membership)
    membership.delete()


# ---------------------------------------------------------------- accounts


def _set_password(user: User, password: str, field: str) -> None:
    """Set a password that passes the configured validators, or name the field."""
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed.single(field, " ".join(exc.messages)) from None
    user.set_password(password)


@transaction.atomic
def create_admin(
    *, email: str, password: str, name: str = "", organisation: Organisation
) -> Person:
    """Create (or promote) an admin of an organisation, with a sign-in. For the CLI."""
    email = _clean_email(email)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, name=name)
    _set_password(user, password, "password")
    user.save()
    person = Person.objects.filter(organisation=organisation, email__iexact=email).first()
    if person is None:
        person = Person.objects.create(
            organisation=organisation,
            user=user,
            email=email,
            name=name or email.split("@")[0],
            role=Role.ADMIN,
        )
    else:
        person.user, person.role, person.active = user, Role.ADMIN, True
        person.save(update_fields=["user", "role", "active"])
    record(None, organisation, "person.role_changed", person, role=[None, Role.ADMIN])
    return person


@transaction.atomic
def change_password(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationFailed.single("old_password", "is not your current password")
    _set_password(user, new_password, "new_password")
    user.save(update_fields=["password"])


# ---------------------------------------------------------------- API tokens


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Create a personal token for the actor's own account. Returns (row, plaintext)."""
    if actor.user is None:
        raise ValidationFailed.single("email", "a token belongs to a person's account")
    name = (name or "").strip() or "API token"
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=actor.organisation,
        user=actor.user,
        name=name[:100],
        prefix=plaintext[: len(TOKEN_PREFIX) + 6],
        digest=_digest(plaintext),
    )
    record(actor, actor.organisation, "token.created", token, name=token.name)
    return token, plaintext


@transaction.atomic
def revoke_token(*, actor: Actor, token: ApiToken) -> None:
    if actor.user is None or token.user_id != actor.user.pk:
        raise NotFound("no such token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, actor.organisation, "token.revoked", token, name=token.name)


def authenticate_token(plaintext: str) -> ApiToken | None:
    """The active token for this plaintext, with its last use stamped (at most once a minute)."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(digest=_digest(plaintext), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
