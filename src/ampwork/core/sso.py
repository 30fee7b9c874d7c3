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
import time
from dataclasses import dataclass
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialLogin
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ampwork.core import safe_http
from ampwork.core.errors import ValidationFailed
from ampwork.core.l10n import list_separator
from ampwork.core.models import IdentityProvider, Organisation, Person, Role, SSOLink, User

logger = logging.getLogger(__name__)
PROVIDER = "openid_connect"
PREFIX = "org-"
PENDING_KEY = "ampwork_sso_pending_connect"
PENDING_SECONDS = 600  # a connection waits 10 minutes for the password sign-in
# the organisation whose provider signed this session in: the only one it opens
SESSION_ORG_KEY = "ampwork_sso_organisation"


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
    trust_email: bool = False

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
    from ampwork.core.services.sso import clean_domains, clean_issuer

    try:
        issuer = clean_issuer(issuer)
        checked = True
    except ValidationFailed:
        checked = False  # shown on the settings page, never enabled
    client_id = os.environ.get(f"{prefix}CLIENT_ID", "").strip()

    try:
        domains = clean_domains(os.environ.get(f"{prefix}DOMAINS", ""))
    except ValidationFailed:
        domains = []  # a wrong domain lets nobody join (the settings page says why)
    return OrgProvider(
        organisation=organisation,
        issuer=issuer,
        client_id=client_id,
        client_secret=os.environ.get(f"{prefix}CLIENT_SECRET", "").strip(),
        domains=tuple(domains),
        sso_only=os.environ.get(f"{prefix}SSO_ONLY", "").strip().lower() in ("1", "true", "yes"),
        # an issuer that fails the checks, or no client id: not a usable provider
        enabled=checked and bool(client_id),
        from_environment=True,
        trust_email=os.environ.get(f"{prefix}TRUST_EMAIL", "").strip().lower()
        in ("1", "true", "yes"),
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
        trust_email=row.trust_email,
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
            if env.enabled:
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


def sso_only_provider(organisation: Organisation, role: str) -> OrgProvider | None:
    """The organisation's provider if its SSO-only policy refuses a password to someone of
    this role (everyone but admins: break glass)."""
    if role == Role.ADMIN:
        return None
    found = provider_of(organisation)
    return found if found is not None and found.enabled and found.sso_only else None


def refuse(request: HttpRequest, title: str, message: str, status: int = 403) -> HttpResponse:
    """The page a refused single sign-on ends on (the sign-in page's buttons below it)."""
    return render(
        request, "account/sso_refused.html", {"title": title, "message": message}, status=status
    )


def _pending(request: HttpRequest) -> tuple[OrgProvider, dict[str, Any]] | None:
    """The connection this browser brought back from a provider, while it is fresh (10
    minutes) and its provider is still enabled."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    try:
        at = float(data.get("at", 0))
    except (TypeError, ValueError):
        at = 0.0
    if not 0 <= time.time() - at <= PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    found = provider_by_id(str(data.get("provider", "")))
    if found is None:
        return None
    return found, data


def connect_pending(request: HttpRequest, user: Any) -> bool:
    """After a password sign-in: connect the provider's account that the same browser
    brought just before, if it named this account's email. Whether it did."""
    from ampwork.core.services import sso as sso_services

    pending = _pending(request)
    request.session.pop(PENDING_KEY, None)
    if pending is None:
        return False
    found, data = pending
    uid = str(data.get("uid", ""))
    if not uid or str(data.get("email", "")).lower() != user.email.lower():
        return False
    if not Person.objects.filter(organisation=found.organisation, user=user, active=True).exists():
        return False
    if SocialAccount.objects.filter(provider=found.provider_id, uid=uid).exists():
        return False  # connected meanwhile (another browser): never moved
    account = SocialAccount.objects.create(
        user=user, provider=found.provider_id, uid=uid, extra_data=data.get("extra") or {}
    )
    SSOLink.objects.create(account=account, issuer=found.issuer)
    sso_services.record_connected(organisation=found.organisation, user=user, subject=uid)
    messages.success(
        request, _("You can now sign in with %(org)s.") % {"org": found.organisation.name}
    )
    return True


def pending_allows(request: HttpRequest, user: Any, organisation: Organisation) -> bool:
    """Whether a password sign-in refused by ``organisation``'s SSO-only policy may pass
    once: this browser came back, within 10 minutes, from that organisation's own provider
    naming this account's email, and the account is an active member there."""
    pending = _pending(request)
    if pending is None:
        return False
    found, data = pending
    return (
        found.organisation.pk == organisation.pk
        and found.sso_only
        and str(data.get("email", "")).lower() == user.email.lower()
        and Person.objects.filter(organisation=organisation, user=user, active=True).exists()
    )


def session_organisation_id(request: HttpRequest) -> int | None:
    """The organisation whose provider signed this session in (None: a password sign-in)."""
    value = request.session.get(SESSION_ORG_KEY)
    return value if isinstance(value, int) else None


def record_sign_in(request: HttpRequest, sociallogin: Any | None) -> None:
    """After a sign-in: a provider's opens only its organisation; a password's every one."""
    found = provider_by_id(sociallogin.account.provider) if sociallogin is not None else None
    if found is not None:
        request.session[SESSION_ORG_KEY] = found.organisation.pk
    else:
        request.session.pop(SESSION_ORG_KEY, None)


def _refuse_generic(request: HttpRequest, org: Organisation, email: str) -> HttpResponse:
    """One answer for every email that may not join through the provider (another domain,
    or an ampwork account that is not one of the organisation's people): it tells nobody
    whether an address has an account."""
    return refuse(
        request,
        _("Cannot sign in"),
        _("%(email)s may not sign in to %(org)s through single sign-on. Ask its admin to add you.")
        % {"email": email, "org": org.name},
    )


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

    def get_requests_session(self) -> Any:
        """Every request allauth makes to a provider (discovery, token, user info, keys):
        public addresses only, no redirects, capped size and time (ampwork.core.safe_http)."""
        return safe_http.session()

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
                refuse(
                    request,
                    _("Single sign-on is off"),
                    _("This sign-in is not set up (any more)."),
                )
            )
        org = found.organisation
        if sociallogin.is_existing:
            link = SSOLink.objects.filter(account_id=sociallogin.account.pk).first()
            if link is None or link.issuer != found.issuer:
                # made by another issuer (the organisation changed its provider): a subject
                # is only unique within its issuer, so the link is dropped, never used
                sso_services.remove_link(
                    organisation=org, account=sociallogin.account, issuer=found.issuer
                )
                raise ImmediateHttpResponse(
                    refuse(
                        request,
                        _("Connect again"),
                        _(
                            "%(org)s changed its sign-in provider: sign in with your "
                            "password once and then with this button to connect again, or ask "
                            "your admin."
                        )
                        % {"org": org.name},
                    )
                )
            user = sociallogin.user
            if not Person.objects.filter(organisation=org, user=user, active=True).exists():
                raise ImmediateHttpResponse(
                    refuse(
                        request,
                        _("Not a member"),
                        _(
                            "Your %(org)s account is not a member of %(org)s in ampwork "
                            "(any more). Ask its admin."
                        )
                        % {"org": org.name},
                    )
                )
            return
        emails = [e.email for e in sociallogin.email_addresses if e.verified or found.trust_email]
        if not emails:
            raise ImmediateHttpResponse(
                refuse(
                    request,
                    _("No verified email"),
                    _(
                        "%(org)s's sign-in did not vouch for an email address, "
                        "so ampwork cannot tell who you are. Ask your admin."
                    )
                    % {"org": org.name},
                )
            )
        email = emails[0].strip().lower()
        owner = User.objects.filter(email__iexact=email).first()
        if owner is not None:
            if not Person.objects.filter(organisation=org, user=owner, active=True).exists():
                # an account, but not one of this organisation's people: the same answer as
                # an unknown domain (no telling whether the address has an account)
                raise ImmediateHttpResponse(_refuse_generic(request, org, email))
            # someone's own account: never attached on the email alone
            request.session[PENDING_KEY] = {
                "provider": found.provider_id,
                "uid": sociallogin.account.uid,
                "email": email,
                "extra": sociallogin.account.extra_data,
                "at": time.time(),
            }
            messages.info(
                request,
                _(
                    "%(email)s already has an ampwork account. Sign in with its password once: "
                    "your %(org)s sign-in is connected to it then, and works on its own after."
                )
                % {"email": email, "org": org.name},
            )
            raise ImmediateHttpResponse(redirect("core:login"))
        # an allowed domain, or someone the admin added (an invitation, a roster) who has
        # no account yet: that person is who the provider vouched for
        added = Person.objects.filter(
            organisation=org, email__iexact=email, active=True, user__isnull=True
        ).exists()
        if not found.allows(email) and not added:
            raise ImmediateHttpResponse(_refuse_generic(request, org, email))
        name = str(sociallogin.account.extra_data.get("userinfo", {}).get("name", "") or "")
        if not name:
            name = str(sociallogin.account.extra_data.get("id_token", {}).get("name", "") or "")
        try:
            user = sso_services.join_by_sso(
                organisation=org, email=email, name=name, subject=sociallogin.account.uid
            )
        except ValidationFailed as exc:
            raise ImmediateHttpResponse(
                refuse(
                    request, _("Cannot join"), list_separator().join(e.message for e in exc.errors)
                )
            ) from None
        sociallogin.user = user
        sociallogin.account.user = user
        sociallogin.account.save()
        SSOLink.objects.create(account=sociallogin.account, issuer=found.issuer)


def allow_provider_form(response: HttpResponseBase, found: OrgProvider) -> HttpResponseBase:
    """The Content-Security-Policy's form-action widened to this one provider's origin,
    rebuilt from its checked issuer: the continue page's form posts here and is redirected
    there, which the browser checks against form-action. (Each provider's authorization
    endpoint is on its issuer's host: Keycloak, Entra ID, Google, Okta and Authentik all do
    so.) No other page is widened."""
    from ampwork.core.services.sso import origin_of

    origin = origin_of(found.issuer)
    if origin is not None:
        response._csp_update = {"form-action": [origin]}  # type: ignore[attr-defined]
    return response


@login_not_required
def oidc_login(request: HttpRequest, provider_id: str) -> HttpResponseBase:
    """allauth's OpenID Connect sign-in (its "continue" page on GET, the redirect to the
    provider on POST), allowed to send its form on to that provider only."""
    response = oidc_views.login(request, provider_id)
    found = provider_by_id(provider_id)
    return allow_provider_form(response, found) if found is not None else response
