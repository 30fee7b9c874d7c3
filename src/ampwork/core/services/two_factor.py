"""Two-factor sign-in, for the operator: someone who lost their phone and their recovery
codes gets back in only after the operator has checked who they are (out of band: a call,
in person) and removes their second factors (``ampwork two_factor reset``)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, User

from .audit import record

KINDS = {
    Authenticator.Type.TOTP: gettext_lazy("authenticator app"),
    Authenticator.Type.WEBAUTHN: gettext_lazy("passkey or security key"),
    Authenticator.Type.RECOVERY_CODES: gettext_lazy("recovery codes"),
}


def methods_of(user: User) -> list[str]:
    """What the account has set up, in people's words (a passkey by its name)."""
    return [
        f"{KINDS.get(a.type, a.type)}"
        + (f" “{a.wrap().name}”" if a.type == Authenticator.Type.WEBAUTHN else "")
        + _(", added %(day)s") % {"day": f"{a.created_at:%Y-%m-%d}"}
        for a in Authenticator.objects.filter(user=user).order_by("created_at", "pk")
    ]


@transaction.atomic
def reset_two_factor(*, user: User, reason: str) -> int:
    """Remove every second factor of the account (the password alone signs in again, and
    under a two-factor policy pay data and exports close until they set it up anew); each
    organisation of theirs records it, with the operator's reason. Returns how many."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed.single(
            "reason", _("is required: how was the person's identity checked?")
        )
    kinds = sorted(set(Authenticator.objects.filter(user=user).values_list("type", flat=True)))
    removed: int = Authenticator.objects.filter(user=user).delete()[0]
    for org in Organisation.objects.filter(people__user=user).distinct():
        record(None, org, "two_factor.reset", user, email=user.email, removed=kinds, reason=reason)
    return removed
