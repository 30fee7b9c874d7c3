"""Writes for single sign-on (OpenID Connect, per organisation): the admin's settings, a
first sign-in that joins as a member (just in time), and connecting an existing account.

The provider's settings are checked before anything is written: its discovery document
(``<issuer>/.well-known/openid-configuration``) must answer within a few seconds and name
the same issuer. Reads (which provider an organisation has, the environment's override)
are :mod:`ampwork.core.sso`'s."""

from __future__ import annotations

import ipaddress
import logging
import re
from typing import Any
from urllib.parse import urlsplit

import requests
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ampwork.core import safe_http, sealing
from ampwork.core.errors import FieldError, ValidationFailed
from ampwork.core.models import IdentityProvider, Organisation, Person, Role, User
from ampwork.core.permissions import Actor, require

from .accounts import clean_email
from .audit import record

logger = logging.getLogger(__name__)
SEALING = "sso-client-secret"
DISCOVERY_TIMEOUT = 5  # seconds: a provider that does not answer by then is refused
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def seal_secret(organisation_id: int, secret: str) -> str:
    return sealing.seal(secret, purpose=SEALING, context=str(organisation_id))


def unseal_secret(provider: IdentityProvider) -> str:
    if not provider.client_secret_sealed:
        return ""
    secret: str = sealing.unseal(
        provider.client_secret_sealed, purpose=SEALING, context=str(provider.organisation_id)
    )
    return secret


def clean_domains(value: str, field: str = "allowed_domains") -> list[str]:
    """Domains from text (one a line, or separated by commas or spaces), lower-cased; a
    leading ``@`` is dropped. Names the first one that is not a domain."""
    domains: list[str] = []
    for word in re.split(r"[\s,;]+", (value or "").strip().lower()):
        word = word.removeprefix("@")
        if not word:
            continue
        if not _DOMAIN.match(word):
            raise ValidationFailed.single(
                field, _("'%(word)s' is not a domain (e.g. example.com)") % {"word": word}
            )
        if word not in domains:
            domains.append(word)
    return domains


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$")
_PATH = re.compile(r"^[A-Za-z0-9._~%/-]*$")


def issuer_parts(value: str) -> tuple[str, str, int | None, str]:
    """The issuer's checked scheme, IDNA-encoded host, port and path, or ValueError: no
    user-info, query or fragment; a host of letters, digits, ``-`` and ``.`` only; a port
    of digits; a path of URL-safe characters. (Its origin goes into a
    Content-Security-Policy, so nothing odd may pass.)"""
    raw = (value or "").strip()
    if any(c.isspace() or ord(c) < 32 for c in raw):
        raise ValueError(_("has spaces or control characters"))
    parts = urlsplit(raw)
    if parts.scheme not in ("https", "http"):
        raise ValueError(_("is not an https:// URL"))
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise ValueError(_("must not name a user (…@)"))
    if parts.query or parts.fragment or "?" in raw or "#" in raw:
        raise ValueError(_("must not have a query (?…) or fragment (#…)"))
    host_text, _colon, port_text = parts.netloc.partition(":")
    if port_text and not port_text.isdigit():
        raise ValueError(_("has a port that is not a number"))
    port = int(port_text) if port_text else None
    if port is not None and not 0 < port < 65536:
        raise ValueError(_("has a port out of range"))
    try:
        host = host_text.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise ValueError(_("has a host name that is not valid")) from None
    if not _HOST.match(host) or ".." in host:
        raise ValueError(_("has a host name that is not valid (letters, digits, '-' and '.')"))
    if not _PATH.match(parts.path):
        raise ValueError(_("has characters not allowed in its path"))
    return parts.scheme, host, port, parts.path.rstrip("/")


def clean_issuer(value: str, field: str = "issuer") -> str:
    """The issuer URL rebuilt from its checked parts, without a trailing slash: https, or
    http on this machine only."""
    if not (value or "").strip():
        raise ValidationFailed.single(field, _("is required"))
    try:
        scheme, host, port, path = issuer_parts(value)
    except ValueError as exc:
        raise ValidationFailed.single(field, str(exc)) from None
    if scheme == "http" and not _loopback(host):
        raise ValidationFailed.single(
            field, _("must be https:// (plain http only for a provider on this machine)")
        )
    return f"{scheme}://{host}{f':{port}' if port is not None else ''}{path}"


def origin_of(issuer: str) -> str | None:
    """The issuer's origin (scheme, host, port) rebuilt from checked parts; None if the
    issuer does not pass :func:`issuer_parts`."""
    try:
        scheme, host, port, _path = issuer_parts(issuer)
    except ValueError:
        return None
    return f"{scheme}://{host}{f':{port}' if port is not None else ''}"


NOT_A_PROVIDER = gettext_lazy("did not answer as an OpenID Connect provider: is the issuer right?")


def discover(issuer: str, field: str = "issuer") -> dict[str, Any]:
    """The provider's discovery document, or a ValidationFailed naming ``field``. The
    fetch is guarded (ampwork.core.safe_http: public addresses only, no redirects, capped
    size and time) and the message never echoes what came back."""
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        with safe_http.session() as http:
            response = http.get(url)
        document = response.json() if response.status_code == 200 else None
    except (requests.RequestException, ValueError) as exc:
        logger.info("discovery of %s refused: %s", url, exc)
        document = None
    if not isinstance(document, dict):
        raise ValidationFailed.single(field, f"{url} {NOT_A_PROVIDER}")  # the URL, then why
    named = str(document.get("issuer", "")).rstrip("/")
    if named != issuer:
        raise ValidationFailed.single(
            field,
            _(
                "the provider at %(issuer)s calls itself by another issuer: "
                "enter the issuer exactly as its discovery document names it"
            )
            % {"issuer": issuer},
        )
    missing = [
        key
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if not document.get(key)
    ]
    if missing:
        raise ValidationFailed.single(
            field, _("its discovery document lacks %(keys)s") % {"keys": ", ".join(missing)}
        )
    return document


@transaction.atomic
def save_identity_provider(
    *,
    actor: Actor,
    issuer: str,
    client_id: str,
    client_secret: str = "",
    allowed_domains: str = "",
    sso_only: bool = False,
    enabled: bool = True,
    trust_email: bool = False,
) -> IdentityProvider:
    """Set the organisation's OpenID Connect provider, after checking its discovery
    document. An empty ``client_secret`` keeps the one already sealed."""
    org = actor.organisation
    require(actor, "organisation.sso", org)
    errors: list[FieldError] = []
    try:
        issuer = clean_issuer(issuer)
    except ValidationFailed as exc:
        errors += exc.errors
    client_id = (client_id or "").strip()
    if not client_id:
        errors.append(FieldError("client_id", _("is required")))
    elif len(client_id) > 500:
        errors.append(FieldError("client_id", _("is longer than 500 characters")))
    try:
        domains = clean_domains(allowed_domains)
    except ValidationFailed as exc:
        errors += exc.errors
    existing = IdentityProvider.objects.filter(organisation=org).first()
    client_secret = (client_secret or "").strip()
    if not client_secret and (existing is None or not existing.client_secret_sealed):
        errors.append(FieldError("client_secret", _("is required")))
    if errors:
        raise ValidationFailed(errors)
    discover(issuer)
    provider = existing or IdentityProvider(organisation=org)
    before = (
        {
            "issuer": existing.issuer,
            "client_id": existing.client_id,
            "allowed_domains": existing.allowed_domains,
            "sso_only": existing.sso_only,
            "enabled": existing.enabled,
            "trust_email": existing.trust_email,
        }
        if existing
        else {}
    )
    provider.issuer = issuer
    provider.client_id = client_id
    provider.allowed_domains = "\n".join(domains)
    provider.sso_only = sso_only
    provider.enabled = enabled
    provider.trust_email = trust_email
    provider.updated_at = timezone.now()
    if client_secret:
        provider.client_secret_sealed = seal_secret(org.pk, client_secret)
    provider.save()
    after = {
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "allowed_domains": provider.allowed_domains,
        "sso_only": provider.sso_only,
        "enabled": provider.enabled,
        "trust_email": provider.trust_email,
    }
    changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    # the secret itself is never in the log, only that it changed
    record(actor, org, "sso.configured", provider, changes=changed, secret=bool(client_secret))
    if existing is not None and before["issuer"] != issuer:
        provider.unlinked = remove_links(organisation=org, actor=actor, reason="issuer changed")  # type: ignore[attr-defined]
    return provider


CLASS_CODE_DOMAIN = "@class-code.invalid"  # classroom.class_codes.DOMAIN


def _class_code_account(person: Person) -> bool:
    """The person's account was made by a class-code sign-in and is nobody else's: its
    made-up address, no password, no other person, not staff."""
    user = person.user
    return (
        user is not None
        and user.email.lower().endswith(CLASS_CODE_DOMAIN)
        and not user.has_usable_password()
        and not user.is_staff
        and not user.is_superuser
        and not user.people.exclude(pk=person.pk).exists()
    )


def remove_links(*, organisation: Organisation, actor: Actor | None, reason: str) -> int:
    """Delete every account's link to the organisation's provider (a subject names a person
    only within one issuer): each person connects again. How many, audited."""
    from allauth.socialaccount.models import SocialAccount

    links = SocialAccount.objects.filter(provider=f"org-{organisation.slug}")
    count: int = links.count()
    if count:
        links.delete()
    record(actor, organisation, "sso.links_removed", None, count=count, reason=reason)
    return count


@transaction.atomic
def join_by_sso(*, organisation: Organisation, email: str, name: str, subject: str) -> User:
    """A first sign-in through the organisation's provider, from an allowed domain, by an
    email that has no ampwork account yet: the account is made (no password: it signs in
    through the provider) and joins as a member — the person an admin already added with
    that email, or a new one. A person with that email whose account a class-code sign-in
    made (a school's student) keeps it: it takes the email and is connected (audited).
    The caller has checked the domain and the email's owner."""
    email = clean_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationFailed.single(
            "email", _("%(email)s already has an ampwork account") % {"email": email}
        )
    person = Person.objects.filter(organisation=organisation, email__iexact=email).first()
    if person is not None and person.active and _class_code_account(person):
        # a student who signed in by class code: the school's provider takes the account
        # over (its real email, connected by the caller), instead of refusing
        user = person.user
        assert user is not None
        user.email = email
        user.save(update_fields=["email"])
        record(None, organisation, "person.class_code_taken_over_by_sso", person, subject=subject)
        return user
    if person is not None and (not person.active or person.user_id is not None):
        raise ValidationFailed.single(
            "email",
            _("%(email)s may not sign in to %(org)s") % {"email": email, "org": organisation.name},
        )
    user = User(email=email, name=(name or "").strip()[:200])
    user.set_unusable_password()
    user.save()
    if person is None:
        person = Person.objects.create(
            organisation=organisation,
            user=user,
            email=email,
            name=user.name or email.split("@")[0],
            role=Role.MEMBER,
        )
        record(None, organisation, "person.created", person, email=email, role=Role.MEMBER)
    else:
        person.user = user
        person.save(update_fields=["user"])
    record(None, organisation, "person.joined_by_sso", person, subject=subject)
    return user


def record_connected(*, organisation: Organisation, user: User, subject: str) -> None:
    """An existing account was connected to the organisation's provider (its owner signed
    in with their password, then through the provider, in one browser)."""
    person = Person.objects.filter(organisation=organisation, user=user).first()
    record(None, organisation, "person.sso_connected", person, subject=subject)


def remove_link(*, organisation: Organisation, account: Any, issuer: str) -> None:
    """Delete one account's link made by another issuer than the organisation's current
    one (or before links named their issuer), audited; it is never used to sign in."""
    old = getattr(getattr(account, "ampwork_link", None), "issuer", "")
    person = Person.objects.filter(organisation=organisation, user_id=account.user_id).first()
    record(None, organisation, "sso.link_removed", person, old_issuer=old, issuer=issuer)
    account.delete()
