"""Writes of the guardians' view: what a class shares with families, and guardians'
invitations to sign in.

An invitation is a one-time link, emailed through the worker (``core.mail``), that expires
after ``INVITE_DAYS``; only the SHA-256 digest of its code is stored (as chat's one-time
links). Following it, a guardian without an account sets a password; an account that
already uses the guardian's email must sign in and accept — it is never attached silently.
A link works only for the address it was sent to (``GuardianInvite.email``) while a child of
the guardian is at the school; a new one waits ``INVITE_GAP`` after the last.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from ampwork.core import languages, mail
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.languages import organisation_language
from ampwork.core.models import Role, Team, User
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record

from . import family_selectors
from .models import FamilySharing, Guardian, GuardianInvite

INVITE_DAYS = 7  # an invitation's link works this long
INVITE_GAP = dt.timedelta(minutes=10)  # no new invitation while a younger one is pending


@transaction.atomic
def set_sharing(
    *, actor: Actor, team: Team, goals: bool, reflections: bool, feedback: bool
) -> FamilySharing:
    """What a class's families see of their child: a class's teacher or a head teacher."""
    if (
        not actor.organisation.is_school
        or team.organisation_id != actor.organisation.pk
        or team.kind == Team.Kind.SCHOOL  # the whole school is no class: nothing to share
    ):
        raise NotFound("no such class")
    require(actor, "families.share", team)
    row, _ = FamilySharing.objects.update_or_create(
        team=team,
        defaults={
            "organisation": actor.organisation,
            "goals": bool(goals),
            "reflections": bool(reflections),
            "feedback": bool(feedback),
            "set_by": actor.person,
            "set_at": timezone.now(),
        },
    )
    record(
        actor,
        actor.organisation,
        "families.sharing_set",
        team,
        goals=row.goals,
        reflections=row.reflections,
        feedback=row.feedback,
    )
    return row


@languages.keeps_language  # the email in the school's language
@transaction.atomic
def invite_guardian(*, actor: Actor, guardian_id: int) -> GuardianInvite:
    """Email a guardian a one-time link to sign in (a teacher of one of their children, or
    a head teacher). Earlier unused links of theirs stop working."""
    org = actor.organisation
    if not org.is_school:
        raise NotFound("guardians are for schools")
    guardian = (
        Guardian.objects.select_for_update()
        .filter(organisation=org, pk=guardian_id, active=True)
        .first()
        if 0 < guardian_id < 2**31
        else None
    )
    if guardian is None:
        raise NotFound("no such guardian")
    require(actor, "guardians.invite", guardian)
    email = guardian.email.strip().lower()
    if not email:
        raise ValidationFailed.single(
            "email", gettext("this guardian has no email address on record")
        )
    _check_email(email, "email")
    if not family_selectors.has_a_child(guardian):
        raise ValidationFailed.single(
            "guardian", gettext("this guardian has no student at the school")
        )
    now = timezone.now()
    recent = (
        GuardianInvite.objects.filter(
            guardian=guardian,
            used_at__isnull=True,
            expires_at__gt=now,
            created_at__gt=now - INVITE_GAP,
        )
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        wait = max(1, -(-int((recent.created_at + INVITE_GAP - now).total_seconds()) // 60))
        raise ValidationFailed.single(
            "guardian",
            ngettext(
                "%(name)s was invited less than %(gap)d minutes ago: wait %(wait)d minute "
                "before sending another invitation.",
                "%(name)s was invited less than %(gap)d minutes ago: wait %(wait)d minutes "
                "before sending another invitation.",
                wait,
            )
            % {"name": guardian.name, "gap": INVITE_GAP.seconds // 60, "wait": wait},
        )
    # an earlier link not used yet stops working ("not valid": ask for a new one)
    GuardianInvite.objects.filter(guardian=guardian, used_at__isnull=True).delete()
    code = secrets.token_urlsafe(24)
    invite = GuardianInvite.objects.create(
        organisation=org,
        guardian=guardian,
        digest=family_selectors.code_digest(code),
        email=email,  # the link works only while this is the guardian's email
        invited_by=actor.person,
        created_at=now,
        expires_at=now + dt.timedelta(days=INVITE_DAYS),
    )
    record(actor, org, "guardian.invited", guardian)
    # a guardian has no language of their own: the school's
    with translation.override(organisation_language(org)):
        children = ", ".join(c for c in _children_names(guardian)) or gettext("your child")
        values = {
            "name": guardian.name,
            "school": org.name,
            "children": children,
            "days": INVITE_DAYS,
            "link": f"{settings.BASE_URL}/classroom/join/{code}/",
        }
        message = EmailMessage(
            subject=gettext("%(school)s: see how %(children)s is doing") % values,
            body=gettext(
                "Hello %(name)s,\n\n%(school)s invites you to ampwork, where you can read "
                "what %(children)s's teachers share with families: goals, reflections and "
                "feedback. You can only read; nothing else of the school is shown.\n\n"
                "Open this link within %(days)s days (it works once):\n"
                "%(link)s\n\n"
                "If you were not expecting this, ignore this email.\n"
            )
            % values,
            to=[email],
        )
    mail.queue_on_commit([message], kind="classroom.guardian_invite", org_id=org.pk)
    return invite


def _check_email(email: str, field: str) -> None:
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationFailed.single(
            field,
            gettext(
                "'%(email)s' is not a valid email address: correct the guardian's email in the "
                "school's roster first"
            )
            % {"email": email},
        ) from None


def _children_names(guardian: Guardian) -> list[str]:
    return list(
        guardian.students.filter(student__active=True, student__role=Role.MEMBER)
        .order_by("student__name")
        .values_list("student__name", flat=True)
    )


def _claim(code: str) -> GuardianInvite:
    """The invitation, locked, or a clear refusal (nothing is written)."""
    digest = family_selectors.code_digest(code)
    row = (
        GuardianInvite.objects.select_for_update()
        .select_related("guardian", "organisation")
        .filter(digest=digest)
        .first()
    )
    state = family_selectors.invite_of(code) if row is not None else None
    if row is None or state is None or state.invite is None:
        problem = state.problem if state is not None else family_selectors.NOT_VALID
        raise ValidationFailed.single("code", problem)
    return row


def _attach(row: GuardianInvite, user: User) -> Guardian:
    guardian = row.guardian
    if guardian.user_id is not None and guardian.user_id != user.pk:
        raise ValidationFailed.single(
            "code", gettext("this guardian already signs in with another account")
        )
    now = timezone.now()
    row.used_at = now
    row.save(update_fields=["used_at"])
    guardian.user = user
    guardian.save(update_fields=["user"])
    record(None, row.organisation, "guardian.signed_up", guardian)
    return guardian


@transaction.atomic
def accept_with_password(*, code: str, password: str) -> User:
    """A guardian without an account: create their sign-in with this password."""
    row = _claim(code)  # the guardian's email on record is still the one it was sent to
    email = row.email
    _check_email(email, "code")
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationFailed.single(
            "code", gettext("an account already uses this email: sign in and accept instead")
        )
    try:
        validate_password(password)
    except ValidationError as exc:
        raise ValidationFailed.single("new_password1", " ".join(exc.messages)) from None
    user = User.objects.create_user(email=email, password=password, name=row.guardian.name)
    _attach(row, user)
    return user


@transaction.atomic
def accept_signed_in(*, code: str, user: User) -> Guardian:
    """A signed-in account accepts: only the account that uses the guardian's email."""
    row = _claim(code)  # the guardian's email on record is still the one it was sent to
    if user.email.strip().lower() != row.email:
        raise ValidationFailed.single(
            "code",
            gettext(
                "This invitation is for another email address, not %(email)s: sign out and "
                "open the link again."
            )
            % {"email": user.email},
        )
    return _attach(row, user)
