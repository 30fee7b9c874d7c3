"""Accounts: sign-ins for people, the command line's admin, passwords and emails."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Role, User
from ampwork.core.permissions import Actor, account_setup_action, require

from .audit import record
from .invitations import existing_account, invite_existing_account


def clean_email(value: str, field: str = "email") -> str:
    """``value`` trimmed and lower-cased, or the field named when it is not an email address."""
    value = (value or "").strip().lower()
    try:
        validate_email(value)
    except DjangoValidationError:
        raise ValidationFailed.single(
            field, _("'%(email)s' is not a valid email address") % {"email": value}
        ) from None
    return value


def set_password(user: User, password: str, field: str) -> None:
    """Set a password that passes the configured validators, or name the field."""
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed.single(field, " ".join(exc.messages)) from None
    user.set_password(password)


def grant_login(*, actor: Actor, person: Person, password: str) -> User:
    """Let a person sign in: create the account for their email and set a password.

    An account that already uses the email is someone's own: it is never attached here nor
    its password set. Its owner is invited instead and joins by accepting."""
    require(actor, "people.edit", person)
    require(actor, account_setup_action(person), person)
    if person.user is not None and person.user.has_usable_password():
        require(actor, "people.reset_password", person)
    if existing_account(person) is not None:
        with transaction.atomic():
            invite_existing_account(actor, person)
        raise ValidationFailed.single(
            "password",
            _(
                "%(email)s already has an ampwork account: they join %(org)s "
                "when they accept the invitation waiting for them after signing in, "
                "and their password stays theirs"
            )
            % {"email": person.email, "org": actor.organisation.name},
        )
    return _grant_login(actor=actor, person=person, password=password)


def _never_mailed(email: str) -> bool:
    """An address that only names an account (RFC 6761 ``.invalid``: a roster's student
    without an email, a class-code student's account)."""
    return email.strip().lower().endswith(".invalid")


@transaction.atomic
def _grant_login(*, actor: Actor, person: Person, password: str) -> User:
    user = person.user
    if user is not None and user.people.exclude(pk=person.pk).exists():
        raise ValidationFailed.single(
            "password",
            _("%(email)s's account is also used elsewhere: its password is theirs")
            % {"email": person.email},
        )
    if user is None:
        user = User(email=person.email, name=person.name)
    elif _never_mailed(user.email) and (
        _never_mailed(person.email)
        or User.objects.filter(email__iexact=person.email).exclude(pk=user.pk).exists()
    ):
        # an account made for a class-code sign-in: a password is never set on its
        # made-up address (it would sign in with an address nobody can reset)
        raise ValidationFailed.single(
            "email",
            _("%(name)s signs in with a class code and has no email of their own here")
            % {"name": person.name}
            if _never_mailed(person.email)
            else _(
                "%(email)s already belongs to another account: give %(name)s "
                "an email of their own first"
            )
            % {"email": person.email, "name": person.name},
        )
    elif _never_mailed(user.email):
        # an account made for a class-code sign-in (classroom): it signs in with the
        # person's own email from now on
        user.email = person.email
    set_password(user, password, "password")
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    record(actor, actor.organisation, "person.login_granted", person)
    return user


@transaction.atomic
def create_admin(
    *, email: str, password: str, name: str = "", organisation: Organisation
) -> Person:
    """Create (or promote) an admin of an organisation, with a sign-in. For the CLI."""
    email = clean_email(email)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, name=name)
    set_password(user, password, "password")
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
        # active again: no day they left (a school's retention counts from it)
        person.user, person.role, person.active, person.left_at = user, Role.ADMIN, True, None
        person.save(update_fields=["user", "role", "active", "left_at"])
    record(None, organisation, "person.role_changed", person, role=[None, Role.ADMIN])
    return person


@transaction.atomic
def change_password(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationFailed.single("old_password", _("is not your current password"))
    set_password(user, new_password, "new_password")
    user.save(update_fields=["password"])
