"""Single sign-on per organisation, with OpenID Connect through allauth.socialaccount.

Each organisation may have one identity provider: set by its admin on the settings page
(:class:`~ampwork.core.models.IdentityProvider`, written by
:mod:`ampwork.core.services.sso`), or by the operator through environment variables,
which win and show read-only on that page::

    AMPWORK_OIDC_<SLUG>_ISSUER         https://idp.example.com/realms/acme
    AMPWORK_OIDC_<SLUG>_CLIENT_ID      ampwork
    AMPWORK_OIDC_<SLUG>_CLIENT_SECRET  …
    AMPWORK_OIDC_<SLUG>_DOMAINS        acme.com acme.co.uk   (optional)
    AMPWORK_OIDC_<SLUG>_SSO_ONLY       1                     (optional)

``<SLUG>`` is the organisation's slug in capitals, ``-`` as ``_`` (``acme-corp``:
``ACME_CORP``).

:class:`SocialAccountAdapter` hands allauth one (unsaved) ``SocialApp`` per enabled
provider, ``provider_id`` ``org-<slug>``. People are matched on the provider's subject
(allauth's ``SocialAccount.uid``, per provider), never on the email alone: a first sign-in
whose email already has an ampwork account is not attached — its owner signs in with the
password once, in the same browser, and the two are connected then. A first sign-in
from an allowed domain joins as a member (just in time); other domains are refused.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from ampwork.core.errors import ValidationFailed
from ampwork.core.models import IdentityProvider, Organisation, Person, Role, User

logger = logging.getLogger(__name__)
PROVIDER = "openid_connect"
PREFIX = "org-"
PENDING_KEY = "ampwork_sso_pending_connect"


@dataclass(frozen=True)
class OrgProvider:
    """One organisation's provider, whichever way it was set."""

    organisation: Organisation
    issuer: str
    client_id: str
    client_secret: str
    domains: tuple[str, ...]
    sso_only: bool
    enabled: bool
    from_environment: bool

    @property
    def provider_id(self) -> str:
        return f"{PREFIX}{self.organisation.slug}"

    def allows(self, email: str) -> bool:
        return email.rpartition("@")[2].lower() in self.domains

    def social_app(self) -> SocialApp:
        return SocialApp(
            provider=PROVIDER,
            provider_id=self.provider_id,
            name=self.organisation.name,
            client_id=self.client_id,
            secret=self.client_secret,
            settings={"server_url": self.issuer, "oauth_pkce_enabled": True},
        )


def env_prefix(organisation: Organisation) -> str:
    return f"AMPWORK_OIDC_{organisation.slug.upper().replace('-', '_')}_"


def _from_environment(organisation: Organisation) -> OrgProvider | None:
    prefix = env_prefix(organisation)
    issuer = os.environ.get(f"{prefix}ISSUER", "").strip().rstrip("/")
    if not issuer:
        return None
    from ampwork.core.services.sso import clean_domains

    try:
        domains = clean_domains(os.environ.get(f"{prefix}DOMAINS", ""))
    except ValidationFailed:
        domains = []  # a wrong domain lets nobody join (the settings page says why)
    return OrgProvider(
        organisation=organisation,
        issuer=issuer,
        client_id=os.environ.get(f"{prefix}CLIENT_ID", "").strip(),
        client_secret=os.environ.get(f"{prefix}CLIENT_SECRET", "").strip(),
        domains=tuple(domains),
        sso_only=os.environ.get(f"{prefix}SSO_ONLY", "").strip().lower() in ("1", "true", "yes"),
        enabled=True,
        from_environment=True,
    )


def _from_row(row: IdentityProvider) -> OrgProvider:
    from ampwork.core.services.sso import unseal_secret

    return OrgProvider(
        organisation=row.organisation,
        issuer=row.issuer,
        client_id=row.client_id,
        client_secret=unseal_secret(row),
        domains=tuple(d for d in row.allowed_domains.split() if d),
        sso_only=row.sso_only,
        enabled=row.enabled,
        from_environment=False,
    )


def provider_of(organisation: Organisation) -> OrgProvider | None:
    """The organisation's provider (enabled or not); the environment's wins."""
    found = _from_environment(organisation)
    if found is not None:
        return found
    row = IdentityProvider.objects.filter(organisation=organisation).first()
    return _from_row(row) if row is not None else None


def enabled_providers() -> list[OrgProvider]:
    """Every organisation's enabled provider, by organisation name."""
    found: list[OrgProvider] = []
    rows = {
        row.organisation_id: row
        for row in IdentityProvider.objects.filter(enabled=True).select_related("organisation")
    }
    env_orgs = {
        key.removeprefix("AMPWORK_OIDC_").removesuffix("_ISSUER")
        for key in os.environ
        if key.startswith("AMPWORK_OIDC_") and key.endswith("_ISSUER")
    }
    orgs: list[Organisation] = [row.organisation for row in rows.values()]
    if env_orgs:
        orgs += list(Organisation.objects.exclude(pk__in=rows))
    for org in sorted(orgs, key=lambda o: o.name.lower()):
        env = _from_environment(org)
        if env is not None:
            found.append(env)
        elif org.pk in rows:
            found.append(_from_row(rows[org.pk]))
    return found


def provider_by_id(provider_id: str) -> OrgProvider | None:
    slug = provider_id.removeprefix(PREFIX)
    if not provider_id.startswith(PREFIX) or not slug:
        return None
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        return None
    found = provider_of(org)
    return found if found is not None and found.enabled else None


def sso_only_organisation(user: User) -> Organisation | None:
    """An organisation whose SSO-only policy refuses this account's password: one where it
    is an active member but not an admin (admins keep their password to fix a broken
    provider: break glass)."""
    for person in Person.objects.filter(user=user, active=True).select_related("organisation"):
        if person.role == Role.ADMIN:
            continue
        found = provider_of(person.organisation)
        if found is not None and found.enabled and found.sso_only:
            return person.organisation
    return None


def refuse(request: HttpRequest, title: str, message: str, status: int = 403) -> HttpResponse:
    """The page a refused single sign-on ends on (the sign-in page's buttons below it)."""
    return render(
        request, "account/sso_refused.html", {"title": title, "message": message}, status=status
    )


def connect_pending(request: HttpRequest, user: Any) -> bool:
    """After a password sign-in: connect the provider's account that the same browser
    brought just before, if it named this account's email. Whether it did."""
    from ampwork.core.services import sso as sso_services

    data = request.session.pop(PENDING_KEY, None)
    if not isinstance(data, dict):
        return False
    found = provider_by_id(str(data.get("provider", "")))
    uid = str(data.get("uid", ""))
    if found is None or not uid or str(data.get("email", "")).lower() != user.email.lower():
        return False
    if not Person.objects.filter(organisation=found.organisation, user=user, active=True).exists():
        return False
    if SocialAccount.objects.filter(provider=found.provider_id, uid=uid).exists():
        return False  # connected meanwhile (another browser): never moved
    SocialAccount.objects.create(
        user=user, provider=found.provider_id, uid=uid, extra_data=data.get("extra") or {}
    )
    sso_services.record_connected(organisation=found.organisation, user=user, subject=uid)
    messages.success(request, f"You can now sign in with {found.organisation.name}.")
    return True


def pending_allows(request: HttpRequest, user: Any) -> bool:
    data = request.session.get(PENDING_KEY) or {}
    return bool(data) and str(data.get("email", "")).lower() == user.email.lower()


class SocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]  # untyped
    """allauth's social sign-in, limited to the organisations' OpenID Connect providers."""

    def list_apps(
        self, request: HttpRequest | None, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        if provider not in (None, PROVIDER) and not str(provider).startswith(PREFIX):
            return []
        apps = [p.social_app() for p in enabled_providers() if p.enabled]
        if provider and provider != PROVIDER:
            apps = [a for a in apps if a.provider_id == provider]
        if client_id:
            apps = [a for a in apps if a.client_id == client_id]
        return apps

    def get_app(
        self, request: HttpRequest | None, provider: str, client_id: str | None = None
    ) -> SocialApp:
        found = provider_by_id(provider)
        if found is None or (client_id and client_id != found.client_id):
            raise SocialApp.DoesNotExist()
        return found.social_app()

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False  # a new account is made by pre_social_login, or not at all

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """Logged for the operator (the person sees a plain "failed" page): a forged or
        replayed callback, a provider that refused the code, a wrong client secret."""
        logger.warning(
            "single sign-on failed: provider=%s error=%s exception=%r",
            getattr(provider, "id", provider),
            error,
            exception,
        )

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Who this is: the subject's account, a member joining just in time, or nobody."""
        from ampwork.core.services import sso as sso_services

        found = provider_by_id(sociallogin.account.provider)
        if found is None:
            raise ImmediateHttpResponse(
                refuse(request, "Single sign-on is off", "This sign-in is not set up (any more).")
            )
        org = found.organisation
        if sociallogin.is_existing:
            user = sociallogin.user
            if not Person.objects.filter(organisation=org, user=user, active=True).exists():
                raise ImmediateHttpResponse(
                    refuse(
                        request,
                        "Not a member",
                        f"Your {org.name} account is not a member of {org.name} in ampwork "
                        "(any more). Ask its admin.",
                    )
                )
            return
        emails = [e.email for e in sociallogin.email_addresses if e.verified]
        if not emails:
            raise ImmediateHttpResponse(
                refuse(
                    request,
                    "No verified email",
                    f"{org.name}'s sign-in did not vouch for an email address, "
                    "so ampwork cannot tell who you are. Ask your admin.",
                )
            )
        email = emails[0].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            # someone's own account: never attached on the email alone
            request.session[PENDING_KEY] = {
                "provider": found.provider_id,
                "uid": sociallogin.account.uid,
                "email": email,
                "extra": sociallogin.account.extra_data,
            }
            messages.info(
                request,
                f"{email} already has an ampwork account. Sign in with its password once: "
                f"your {org.name} sign-in is connected to it then, and works on its own after.",
            )
            raise ImmediateHttpResponse(redirect("core:login"))
        if not found.allows(email):
            allowed = ", ".join(found.domains) or "none yet"
            raise ImmediateHttpResponse(
                refuse(
                    request,
                    "Not an allowed domain",
                    f"{email} may not join {org.name} through single sign-on: its domain is "
                    f"not one of {org.name}'s ({allowed}). Ask its admin to add you.",
                )
            )
        name = str(sociallogin.account.extra_data.get("userinfo", {}).get("name", "") or "")
        if not name:
            name = str(sociallogin.account.extra_data.get("id_token", {}).get("name", "") or "")
        try:
            user = sso_services.join_by_sso(
                organisation=org, email=email, name=name, subject=sociallogin.account.uid
            )
        except ValidationFailed as exc:
            raise ImmediateHttpResponse(
                refuse(request, "Cannot join", "; ".join(e.message for e in exc.errors))
            ) from None
        sociallogin.user = user
        sociallogin.account.user = user
        sociallogin.account.save()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def allow_provider_forms(response: HttpResponseBase) -> HttpResponseBase:
    """The Content-Security-Policy's form-action widened to the enabled providers' hosts: a
    "Sign in with …" form posts here and is redirected there, which the browser checks
    against form-action. (Each provider's authorization endpoint is on its issuer's host:
    Keycloak, Entra ID, Google, Okta and Authentik all do so.)"""
    origins = sorted({_origin(found.issuer) for found in enabled_providers()})
    if origins:
        response._csp_update = {"form-action": origins}  # type: ignore[attr-defined]
    return response


@login_not_required
def oidc_login(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    """allauth's OpenID Connect sign-in (its "continue" page on GET, the redirect to the
    provider on POST), allowed to send its form on to the provider."""
    return allow_provider_forms(oidc_views.login(request, provider_id))
