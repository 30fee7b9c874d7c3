"""API tokens: personal bearer tokens, stored only as a digest."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core.errors import NotFound, ValidationFailed
from ampwork.core.models import ApiToken
from ampwork.core.permissions import Actor, require

from .audit import record

TOKEN_PREFIX = "amp_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(*, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """Create a personal token for the actor's own account. Returns (row, plaintext)."""
    if actor.user is None:
        raise ValidationFailed.single("email", _("a token belongs to a person's account"))
    require(actor, "tokens.create")
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
        raise NotFound(_("no such token"))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, actor.organisation, "token.revoked", token, name=token.name)


def revoke_tokens_of(user_ids: list[int]) -> int:
    """Revoke every active token of these accounts (their sign-in was ended: a class's
    code changed, a student's picture was reset). Returns how many."""
    return ApiToken.objects.filter(user_id__in=user_ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


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
