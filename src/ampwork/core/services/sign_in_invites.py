"""Invitations to sign in for the first time: a new person sets their own password.

Adding a person (a page, the API, a CSV import) can email them a one-time link that expires
after ``INVITE_DAYS``; only the SHA-256 digest of its code is stored, with the address it was
sent to. Following it, the person chooses a password (Django's validators) once and is signed
in. Sending again replaces the earlier link. An email that already has an account is never
given such a link: its owner is asked to accept (:mod:`.invitations`), as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ampwork.core import languages, mail
from ampwork.core.errors import ValidationFailed
from ampwork.core.languages import speaking_to
from ampwork.core.models import AuditEvent, Invitation, Person, SignInInvite, User
from ampwork.core.permissions import Actor, account_setup_action, require

from .audit import record
from .invitations import existing_account, invite_existing_account

INVITE_DAYS = 7  # a link works this long after it was sent
RESEND_MINUTES = 10  # at most one invitation per person this often (no mail bombing)

NOT_VALID = gettext_lazy("This link is not valid: ask whoever added you for a new invitation.")
USED = gettext_lazy("This invitation has been used already: sign in, or ask for a new one.")
EXPIRED = gettext_lazy("This invitation has expired: ask whoever added you for a new one.")
EMAIL_CHANGED = gettext_lazy(
    "This invitation was sent to an email address your organisation no longer has for you: "
    "ask for a new invitation."
)
HAS_ACCOUNT = gettext_lazy(
    "You can sign in already: use your email and password, or reset your password."
)


def code_digest(code: str) -> str:
    """How a link's code is stored: its SHA-256, never the code."""
    return hashlib.sha256(code.encode()).hexdigest()


def problem_of(row: SignInInvite | None, now: dt.datetime | None = None) -> str:
    """Why a link cannot be used, or "" when it can (reading it uses nothing up)."""
    now = now or timezone.now()
    if row is None or not row.person.active:
        return str(NOT_VALID)
    if row.used_at is not None:
        return str(USED)
    if row.expires_at <= now:
        return str(EXPIRED)
    if row.email != row.person.email.strip().lower():
        return str(EMAIL_CHANGED)
    if row.person.user_id is not None:
        return str(HAS_ACCOUNT)
    return ""


def find_invite(code: str) -> SignInInvite | None:
    """The link a code names (any state), with its person and organisation."""
    if not code or len(code) > 100:
        return None
    return (
        SignInInvite.objects.select_related("person", "organisation")
        .filter(digest=code_digest(code))
        .first()
    )


@languages.keeps_language
@transaction.atomic
def send_sign_in_invite(*, actor: Actor, person: Person) -> SignInInvite | Invitation:
    """Email ``person`` a link to set their first password (earlier links stop working).

    Someone whose email already has an account is asked to accept instead (an
    :class:`Invitation`); someone who can sign in already is refused."""
    require(actor, "people.invite", person)
    require(actor, account_setup_action(person), person)
    org = actor.organisation
    if person.organisation_id != org.pk:
        raise ValidationFailed.single("person", _("no such person in this organisation"))
    if not person.active:
        raise ValidationFailed.single(
            "invite", _("%(name)s is deactivated: reactivate first") % {"name": person.name}
        )
    if person.user_id is not None:
        raise ValidationFailed.single(
            "invite", _("%(name)s can sign in already") % {"name": person.name}
        )
    if existing_account(person) is not None:
        pending = invite_existing_account(actor, person)
        assert pending is not None
        return pending
    email = person.email.strip().lower()
    if not email or email.endswith(".invalid"):
        raise ValidationFailed.single(
            "email",
            _("%(name)s has no email address to send an invitation to") % {"name": person.name},
        )
    now = timezone.now()
    recent = now - dt.timedelta(minutes=RESEND_MINUTES)
    if AuditEvent.objects.filter(
        organisation=org,
        action="person.sign_in_invited",
        target_type="Person",
        target_id=str(person.pk),
        created_at__gt=recent,
    ).exists():
        raise ValidationFailed.single(
            "invite",
            _(
                "%(name)s was sent an invitation less than %(minutes)d minutes ago: "
                "wait before sending another"
            )
            % {"name": person.name, "minutes": RESEND_MINUTES},
        )
    # an earlier link not used yet stops working ("not valid": ask for a new one)
    SignInInvite.objects.filter(person=person, used_at__isnull=True).delete()
    code = secrets.token_urlsafe(24)
    invite = SignInInvite.objects.create(
        organisation=org,
        person=person,
        digest=code_digest(code),
        email=email,
        invited_by=actor.person,
        created_at=now,
        expires_at=now + dt.timedelta(days=INVITE_DAYS),
    )
    record(actor, org, "person.sign_in_invited", person, email=email)
    with speaking_to(person):  # in the language they will read ampwork in
        message = EmailMessage(
            subject=_("%(org)s invites you to ampwork") % {"org": org.name},
            body=ngettext(
                "Hello %(name)s,\n\n%(org)s added you to ampwork as %(email)s.\n\n"
                "Choose your password with this link within %(days)d day (it works once):\n"
                "%(url)s\n\n"
                "If you were not expecting this, ignore this email.\n",
                "Hello %(name)s,\n\n%(org)s added you to ampwork as %(email)s.\n\n"
                "Choose your password with this link within %(days)d days (it works once):\n"
                "%(url)s\n\n"
                "If you were not expecting this, ignore this email.\n",
                INVITE_DAYS,
            )
            % {
                "name": person.name,
                "org": org.name,
                "email": email,
                "days": INVITE_DAYS,
                "url": f"{settings.BASE_URL}/join/{code}/",
            },
            to=[email],
        )
    mail.queue_on_commit([message], kind="core.sign_in_invite", org_id=org.pk)
    return invite


def void_pending(person: Person) -> int:
    """The person's email changed: links not used yet stop working for good (changing the
    email back does not revive them). Returns how many were voided."""
    deleted, _by_kind = SignInInvite.objects.filter(person=person, used_at__isnull=True).delete()
    return deleted


@transaction.atomic
def accept_sign_in_invite(*, code: str, password: str) -> User:
    """The invited person chooses a password: their account is created and the link used.

    A used, expired, replaced or forged link, or a password the validators refuse, writes
    nothing."""
    found = find_invite(code)
    row = (
        SignInInvite.objects.select_for_update(of=("self",))
        .select_related("person", "organisation")
        .filter(pk=found.pk)
        .first()
        if found is not None
        else None
    )
    problem = problem_of(row)
    if problem or row is None:
        raise ValidationFailed.single("code", problem or str(NOT_VALID))
    person = Person.objects.select_for_update().get(pk=row.person_id)
    if person.user_id is not None:
        raise ValidationFailed.single("code", str(HAS_ACCOUNT))
    from ampwork.core import sso

    if sso.sso_only_provider(row.organisation, person.role) is not None:
        # the organisation signs its members in through its provider only: no password
        raise ValidationFailed.single(
            "code",
            _("%(org)s signs in through its own provider only") % {"org": row.organisation.name},
        )
    if User.objects.filter(email__iexact=row.email).exists():
        raise ValidationFailed.single(
            "code", _("an account already uses this email: sign in and accept the invitation")
        )
    user = User(email=row.email, name=person.name)
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed.single("new_password1", " ".join(exc.messages)) from None
    user.set_password(password)
    user.save()
    person.user = user
    person.save(update_fields=["user"])
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    who = Actor(organisation=row.organisation, role=person.role, user=user, person=person)
    record(who, row.organisation, "person.sign_in_accepted", person)
    return user
