"""Invitations: a login that already uses a person's email is asked to join, never attached."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core import languages, mail
from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.languages import speaking_to
from ampwork.core.models import Invitation, Person, Role, User
from ampwork.core.permissions import Actor

from .audit import record


def existing_account(person: Person) -> User | None:
    """The login that already uses the email of ``person`` (who has none of their own)."""
    if person.user_id is not None:
        return None
    return User.objects.filter(email__iexact=person.email).first()


@languages.keeps_language
def invite_existing_account(actor: Actor | None, person: Person) -> Invitation | None:
    """When a login already uses the person's email, ask its owner to join instead of
    attaching it. Returns the pending invitation (new or already waiting), else None."""
    user = existing_account(person)
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
    with speaking_to(person):  # in the language they read ampwork in
        message = EmailMessage(
            subject=_("%(org)s invites you to ampwork") % {"org": org.name},
            body=_(
                "%(org)s added you as %(name)s (%(email)s). You already have an "
                "ampwork account, so nothing changes until you accept.\n\n"
                "Sign in and accept or decline: %(url)s\n"
            )
            % {
                "org": org.name,
                "name": person.name,
                "email": person.email,
                "url": f"{settings.BASE_URL}/invitations/",
            },
            to=[user.email],
        )
    mail.queue_on_commit([message], kind="core.invitation", org_id=org.pk)
    return invitation


def withdraw_invitations(actor: Actor, person: Person) -> None:
    """Withdraw the invitations waiting for ``person`` (their email changed)."""
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
        raise NotFound(_("no such invitation waiting for you"))
    return invitation


@transaction.atomic
def accept_invitation(*, user: User, invitation_id: int) -> Person:
    """The account's owner, signed in, joins the organisation as the invited person."""
    invitation = _mine(user, invitation_id)
    person = invitation.person
    org = invitation.organisation
    if person.user_id is not None or person.email.lower() != user.email.lower():
        raise ValidationFailed.single("invitation", _("is out of date: ask for a new one"))
    if Person.objects.filter(organisation=org, user=user).exists():
        raise ValidationFailed.single(
            "invitation", _("you are already in %(org)s") % {"org": org.name}
        )
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
