"""SCIM tokens: the bearer token an organisation's identity provider provisions with.

A kind of its own, apart from personal API tokens: its own prefix (``scim_``, so neither
is accepted where the other is expected), one active per organisation, created and
revoked by an admin, tied to no person's account (it keeps working when its creator
leaves), stored only as a SHA-256 digest and shown once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from ampwork.core.models import ScimToken
from ampwork.core.permissions import Actor, require

from .audit import record

SCIM_TOKEN_PREFIX = "scim_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_scim_token(*, actor: Actor) -> tuple[ScimToken, str]:
    """A new SCIM token for the actor's organisation, replacing (revoking) the active one.
    Returns (row, plaintext); the plaintext is never stored."""
    org = actor.organisation
    require(actor, "scim.manage", org)
    _revoke_active(actor)
    plaintext = SCIM_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ScimToken.objects.create(
        organisation=org,
        created_by=actor.user,
        prefix=plaintext[: len(SCIM_TOKEN_PREFIX) + 6],
        digest=_digest(plaintext),
    )
    record(actor, org, "scim.token_created", token, prefix=token.prefix)
    return token, plaintext


@transaction.atomic
def revoke_scim_token(*, actor: Actor) -> bool:
    """Revoke the organisation's active SCIM token; False when there was none."""
    require(actor, "scim.manage", actor.organisation)
    return _revoke_active(actor)


def _revoke_active(actor: Actor) -> bool:
    org = actor.organisation
    active = list(
        ScimToken.objects.select_for_update().filter(organisation=org, revoked_at__isnull=True)
    )
    now = timezone.now()
    for token in active:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        record(actor, org, "scim.token_revoked", token, prefix=token.prefix)
    return bool(active)


def authenticate_scim_token(plaintext: str) -> ScimToken | None:
    """The active SCIM token for this plaintext, with this request's time stamped (at most
    once a minute, as API tokens: a provisioning run does not write a row per request)."""
    if not plaintext.startswith(SCIM_TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    token = (
        ScimToken.objects.select_related("organisation")
        .filter(digest=_digest(plaintext), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
