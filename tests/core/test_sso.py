"""Single sign-on's settings and rules (ampwork.core.sso, ampwork.core.services.sso): the
provider's discovery document checked on save against the real test provider
(tests/oidc_provider), the environment's override, the SSO-only policy, domains."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ampwork.core import sso
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import AuditEvent, IdentityProvider, Organisation, Person, Role, User
from ampwork.core.permissions import Actor
from ampwork.core.services import sso as sso_services

from ..factories import OrganisationFactory, PersonFactory, UserFactory
from ..oidc_provider.fixture import Provider, _free_port, oidc_provider  # noqa: F401

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"
SECRET = "a-client-secret-123"


def _acme() -> tuple[Organisation, Actor]:
    acme: Organisation = OrganisationFactory(name="Acme", slug="acme")
    user = UserFactory(email="admin@acme.example")
    admin = PersonFactory(organisation=acme, user=user, email=user.email, role=Role.ADMIN)
    return acme, Actor(organisation=acme, role=Role.ADMIN, user=user, person=admin)


def _form(issuer: str, **extra: Any) -> dict[str, Any]:
    return {
        "issuer": issuer,
        "client_id": "ampwork",
        "client_secret": SECRET,
        "allowed_domains": "acme.example",
        "enabled": "on",
        **extra,
    }


def test_a_wrong_issuer_is_refused_and_nothing_is_written(
    client: Client,
    oidc_provider: Provider,  # noqa: F811
) -> None:
    _acme()
    client.force_login(User.objects.get(email="admin@acme.example"))
    # the same server under another name: its discovery document names 127.0.0.1
    wrong = oidc_provider.issuer.replace("127.0.0.1", "localhost")
    response = client.post("/settings/sign-in/", _form(wrong))
    assert response.status_code == 400
    text = response.content.decode()
    assert "calls itself by another issuer" in text
    assert oidc_provider.issuer not in text  # what came back is never echoed
    assert 'id="id_issuer_error"' in text  # beside the issuer field
    assert not IdentityProvider.objects.exists()
    assert not AuditEvent.objects.filter(action="sso.configured").exists()

    # a provider that does not answer at all
    closed = f"http://127.0.0.1:{_free_port()}"
    response = client.post("/settings/sign-in/", _form(closed))
    assert response.status_code == 400
    assert "did not answer" in response.content.decode()
    # plain http to another machine
    response = client.post("/settings/sign-in/", _form("http://idp.example.com/realms/a"))
    assert response.status_code == 400
    assert "must be https" in response.content.decode()
    assert not IdentityProvider.objects.exists()

    # the right one is saved; the secret sealed, and kept when left empty
    response = client.post("/settings/sign-in/", _form(oidc_provider.issuer + "/"))
    assert response.status_code == 302
    row = IdentityProvider.objects.get()
    assert row.issuer == oidc_provider.issuer
    assert SECRET not in row.client_secret_sealed
    assert sso_services.unseal_secret(row) == SECRET
    client.post("/settings/sign-in/", _form(oidc_provider.issuer, client_secret=""))
    row.refresh_from_db()
    assert sso_services.unseal_secret(row) == SECRET
    event = AuditEvent.objects.filter(action="sso.configured").first()
    assert event is not None
    assert SECRET not in str(event.detail)


def test_the_secret_is_required_the_first_time(oidc_provider: Provider) -> None:  # noqa: F811
    _, actor = _acme()
    with pytest.raises(ValidationFailed) as caught:
        sso_services.save_identity_provider(
            actor=actor, issuer=oidc_provider.issuer, client_id="", client_secret=""
        )
    assert {e.field for e in caught.value.errors} == {"client_id", "client_secret"}
    assert not IdentityProvider.objects.exists()


def test_only_admins_configure_it(client: Client) -> None:
    acme, _ = _acme()
    ops = UserFactory(email="ops@acme.example")
    PersonFactory(organisation=acme, user=ops, email=ops.email, role=Role.PEOPLE_OPS)
    client.force_login(ops)
    assert client.get("/settings/sign-in/").status_code == 403
    assert client.post("/settings/sign-in/", _form("https://x.example")).status_code == 403


@pytest.mark.parametrize(
    ("text", "domains"),
    [
        ("acme.example", ["acme.example"]),
        ("@Acme.Example, acme.co.uk\nacme.example", ["acme.example", "acme.co.uk"]),
        ("", []),
    ],
)
def test_domains_are_cleaned(text: str, domains: list[str]) -> None:
    assert sso_services.clean_domains(text) == domains


@pytest.mark.parametrize("text", ["acme", "acme..example", "-acme.example", "a b@c.example"])
def test_a_wrong_domain_is_named(text: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        sso_services.clean_domains(text)
    assert caught.value.errors[0].field == "allowed_domains"


def test_the_environment_wins_and_shows_read_only(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme, _ = _acme()
    IdentityProvider.objects.create(
        organisation=acme, issuer="https://db.example", client_id="db", enabled=True
    )
    monkeypatch.setenv("AMPWORK_OIDC_ACME_ISSUER", "https://env.example/realms/acme/")
    monkeypatch.setenv("AMPWORK_OIDC_ACME_CLIENT_ID", "from-env")
    monkeypatch.setenv("AMPWORK_OIDC_ACME_CLIENT_SECRET", "env-secret")
    monkeypatch.setenv("AMPWORK_OIDC_ACME_DOMAINS", "acme.example acme.co.uk")
    found = sso.provider_of(acme)
    assert found is not None
    assert found.from_environment
    assert (found.issuer, found.client_id, found.domains) == (
        "https://env.example/realms/acme",
        "from-env",
        ("acme.example", "acme.co.uk"),
    )
    app = sso.SocialAccountAdapter().get_app(None, "org-acme")
    assert app.provider == "openid_connect"
    assert app.provider_id == "org-acme"
    assert app.settings == {
        "server_url": "https://env.example/realms/acme",
        "oauth_pkce_enabled": True,
    }
    client.force_login(User.objects.get(email="admin@acme.example"))
    page = client.get("/settings/sign-in/").content.decode()
    assert "read-only" in page
    assert "from-env" in page
    assert "env-secret" not in page
    assert 'name="issuer"' not in page
    client.post("/settings/sign-in/", _form("https://other.example"))
    assert IdentityProvider.objects.get().issuer == "https://db.example"  # untouched


def test_the_adapter_lists_enabled_providers_only() -> None:
    acme, _ = _acme()
    globex = OrganisationFactory(name="Globex", slug="globex")
    for org, enabled in ((acme, True), (globex, False)):
        IdentityProvider.objects.create(
            organisation=org,
            issuer=f"https://{org.slug}.example",
            client_id=org.slug,
            client_secret_sealed=sso_services.seal_secret(org.pk, "s"),
            enabled=enabled,
        )
    adapter = sso.SocialAccountAdapter()
    assert [a.provider_id for a in adapter.list_apps(None)] == ["org-acme"]
    assert adapter.get_app(None, "org-acme").secret == "s"
    from allauth.socialaccount.models import SocialApp

    for missing in ("org-globex", "org-nobody", "google"):
        with pytest.raises(SocialApp.DoesNotExist):
            adapter.get_app(None, missing)


def _sign_in(client: Client, email: str) -> Any:
    return client.post("/sign-in/", {"login": email, "password": PASSWORD}, follow=True)


@pytest.mark.parametrize(
    ("sso_only", "enabled", "role", "signed_in"),
    [
        (True, True, Role.MEMBER, False),  # the policy refuses the password
        (True, True, Role.MANAGER, False),
        (True, True, Role.ADMIN, True),  # break glass: admins keep theirs
        (False, True, Role.MEMBER, True),  # SSO offered, passwords still fine
        (True, False, Role.MEMBER, True),  # SSO switched off: the policy with it
    ],
)
def test_sso_only_refuses_the_password_of_members(
    client: Client, sso_only: bool, enabled: bool, role: str, signed_in: bool
) -> None:
    acme, _ = _acme()
    IdentityProvider.objects.create(
        organisation=acme,
        issuer="https://idp.acme.example",
        client_id="ampwork",
        sso_only=sso_only,
        enabled=enabled,
    )
    user = UserFactory(email="mo@acme.example")
    PersonFactory(organisation=acme, user=user, email=user.email, role=role)
    response = _sign_in(client, user.email)
    assert ("_auth_user_id" in client.session) is signed_in
    if not signed_in:
        assert "Sign in with Acme" in response.content.decode()
        assert response.redirect_chain[-1][0].endswith("/sign-in/")


def test_join_by_sso_uses_the_person_an_admin_added() -> None:
    acme, _ = _acme()
    added = PersonFactory(organisation=acme, user=None, email="kim@acme.example", name="Kim")
    user = sso_services.join_by_sso(
        organisation=acme, email="Kim@Acme.example", name="Kim K", subject="42"
    )
    added.refresh_from_db()
    assert added.user_id == user.pk
    assert not user.has_usable_password()
    assert Person.objects.filter(organisation=acme).count() == 2
    with pytest.raises(ValidationFailed):  # never a second account for the email
        sso_services.join_by_sso(organisation=acme, email="kim@acme.example", name="", subject="43")
    assert User.objects.filter(email="kim@acme.example").count() == 1


def test_join_by_sso_refuses_a_deactivated_person() -> None:
    acme, _ = _acme()
    PersonFactory(organisation=acme, user=None, email="gone@acme.example", active=False)
    with pytest.raises(ValidationFailed):
        sso_services.join_by_sso(organisation=acme, email="gone@acme.example", name="", subject="1")
    assert not User.objects.filter(email="gone@acme.example").exists()


def test_the_continue_page_and_the_cancelled_page(client: Client) -> None:
    acme, _ = _acme()
    IdentityProvider.objects.create(
        organisation=acme, issuer="https://sso.acme.example", client_id="ampwork"
    )
    page = client.get("/accounts/oidc/org-acme/login/")
    assert page.status_code == 200
    assert "Sign in with Acme" in page.content.decode()
    assert "https://sso.acme.example" in page.headers["Content-Security-Policy"]
    assert client.get("/accounts/oidc/org-nobody/login/").status_code == 404
    cancelled = client.get("/accounts/social/login/cancelled/")
    assert cancelled.status_code == 200
    assert "Nothing was changed" in cancelled.content.decode()


# ---------------------------------------------------------------- review fixes (issue 15)
# Each test below performs the attack the review found.


def _sso_row(org: Organisation, issuer: str = "https://idp.acme.example", **extra: Any) -> Any:
    return IdentityProvider.objects.create(
        organisation=org,
        issuer=issuer,
        client_id="ampwork",
        client_secret_sealed=sso_services.seal_secret(org.pk, "s"),
        **extra,
    )


@pytest.mark.parametrize(
    "issuer",
    [
        # a policy smuggled in through user-info: "form-action … 'unsafe-inline' …@host"
        "https://x;script-src 'unsafe-inline' https:@idp.acme.example",
        "https://user:pw@idp.acme.example",
        "https://idp.acme.example/realms/a?x=1",
        "https://idp.acme.example/realms/a#x",
        "https://idp.acme.example;script-src *",
        "https://idp.acme.example/re alms",
        "https://idp.acme.example/a;b",
        "https://idp_acme.example",
        "https://idp.acme.example:44x",
        "https://idp.acme.example:99999",
        "https://[::1]:8443",
        "https://idp..acme.example",
    ],
)
def test_an_issuer_with_odd_characters_is_refused(
    client: Client, issuer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValidationFailed):
        sso_services.clean_issuer(issuer)
    assert sso_services.origin_of(issuer) is None

    def never(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("refused before anything is fetched")

    monkeypatch.setattr(sso_services, "discover", never)
    _acme()
    client.force_login(User.objects.get(email="admin@acme.example"))
    response = client.post("/settings/sign-in/", _form(issuer))
    assert response.status_code == 400
    assert 'id="id_issuer_error"' in response.content.decode()
    assert not IdentityProvider.objects.exists()


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("https://IDP.Acme.example/realms/acme/", "https://idp.acme.example/realms/acme"),
        ("https://bücher.example:8443/r", "https://xn--bcher-kva.example:8443/r"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_an_issuer_is_rebuilt_from_its_checked_parts(typed: str, clean: str) -> None:
    assert sso_services.clean_issuer(typed) == clean


def _directive(policy: str, name: str) -> str:
    return next(p.strip() for p in policy.split(";") if p.strip().startswith(name + " "))


def _alert(response: Any) -> str:
    import re

    found = re.search(r'role="alert">(.*?)</', response.content.decode(), re.S)
    assert found is not None
    return found.group(1)


def test_the_sign_in_page_widens_no_policy_and_the_continue_page_one_origin(
    client: Client,
) -> None:
    acme, _ = _acme()
    globex = OrganisationFactory(name="Globex", slug="globex")
    _sso_row(acme, "https://idp.acme.example:8443/realms/acme")
    # a row written before the checks, carrying a policy in its user-info: never copied
    _sso_row(globex, "https://a;script-src 'unsafe-inline' https:@idp.globex.example")
    page = client.get("/sign-in/")
    policy = page.headers["Content-Security-Policy"]
    assert "idp." not in policy
    assert _directive(policy, "form-action") == "form-action 'self'"
    assert "unsafe-inline" not in _directive(policy, "script-src")
    text = page.content.decode()
    assert 'href="/accounts/oidc/org-acme/login/"' in text  # a link, not a form
    assert 'action="/accounts/oidc/' not in text
    acme_page = client.get("/accounts/oidc/org-acme/login/")
    form_action = _directive(acme_page.headers["Content-Security-Policy"], "form-action")
    assert "https://idp.acme.example:8443" in form_action
    assert "globex" not in form_action
    globex_page = client.get("/accounts/oidc/org-globex/login/")
    assert "globex" not in globex_page.headers.get("Content-Security-Policy", "")
    globex_policy = globex_page.headers["Content-Security-Policy"]
    assert _directive(globex_policy, "form-action") == "form-action 'self'"
    assert "unsafe-inline" not in _directive(globex_policy, "script-src")


def test_an_environment_issuer_that_fails_the_checks_or_lacks_a_client_id_is_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _acme()
    monkeypatch.setenv("AMPWORK_OIDC_ACME_ISSUER", "https://u@idp.acme.example")
    monkeypatch.setenv("AMPWORK_OIDC_ACME_CLIENT_ID", "ampwork")
    assert sso.enabled_providers() == []
    monkeypatch.setenv("AMPWORK_OIDC_ACME_ISSUER", "https://idp.acme.example")
    monkeypatch.setenv("AMPWORK_OIDC_ACME_CLIENT_ID", "")
    assert sso.enabled_providers() == []
    assert sso.provider_by_id("org-acme") is None
    monkeypatch.setenv("AMPWORK_OIDC_ACME_CLIENT_ID", "ampwork")
    assert [p.provider_id for p in sso.enabled_providers()] == ["org-acme"]


def _request(user: Any = None) -> Any:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    request = RequestFactory().get("/accounts/oidc/org-acme/login/callback/")
    request.session = SessionStore()
    request.user = user or AnonymousUser()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _social(email: str, uid: str, *, verified: bool = True, user: Any = None) -> Any:
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount, SocialLogin

    account = SocialAccount(provider="org-acme", uid=uid, extra_data={})
    if user is not None:
        account = SocialAccount.objects.create(
            provider="org-acme", uid=uid, user=user, extra_data={}
        )
    return SocialLogin(
        user=user or User(email=email),
        account=account,
        email_addresses=[EmailAddress(email=email, verified=verified, primary=True)],
    )


def _pre_social_login(request: Any, sociallogin: Any) -> Any:
    from allauth.core.exceptions import ImmediateHttpResponse

    try:
        sso.SocialAccountAdapter().pre_social_login(request, sociallogin)
    except ImmediateHttpResponse as exc:
        return exc.response
    return None


def test_an_account_of_another_organisation_gets_the_unknown_domain_answer() -> None:
    acme, _ = _acme()
    _sso_row(acme, allowed_domains="acme.example")
    globex = OrganisationFactory(name="Globex", slug="globex")
    # an ampwork account at an allowed domain, but one of Globex's people only
    outsider = UserFactory(email="eve@acme.example")
    PersonFactory(organisation=globex, user=outsider, email=outsider.email)
    request = _request()
    account_answer = _pre_social_login(request, _social("eve@acme.example", "s-eve"))
    assert account_answer.status_code == 403
    assert sso.PENDING_KEY not in request.session  # no connection waits for her password
    stranger = _pre_social_login(_request(), _social("nobody@elsewhere.example", "s-x"))
    # the same words (bar the address): nothing tells the two apart
    assert _alert(account_answer).replace("eve@acme.example", "E") == (
        _alert(stranger).replace("nobody@elsewhere.example", "E")
    )
    assert "acme.example" not in _alert(stranger)
    assert not Person.objects.filter(organisation=acme, email="eve@acme.example").exists()


def test_a_member_with_an_account_is_asked_for_the_password_once() -> None:
    acme, _ = _acme()
    _sso_row(acme, allowed_domains="acme.example")
    pia = UserFactory(email="pia@acme.example")
    PersonFactory(organisation=acme, user=pia, email=pia.email)
    request = _request()
    answer = _pre_social_login(request, _social("pia@acme.example", "s-pia"))
    assert answer.status_code == 302
    assert request.session[sso.PENDING_KEY]["provider"] == "org-acme"


def test_a_link_made_by_another_issuer_is_dropped_not_used() -> None:
    from allauth.socialaccount.models import SocialAccount

    from ampwork.core.models import SSOLink

    acme, _ = _acme()
    row = _sso_row(acme, "https://new-idp.acme.example")
    victim = UserFactory(email="vic@acme.example")
    PersonFactory(organisation=acme, user=victim, email=victim.email)
    # the link was made by the old issuer; the new one sends the same subject
    sociallogin = _social("vic@acme.example", "same-subject", user=victim)
    SSOLink.objects.create(account=sociallogin.account, issuer="https://old-idp.acme.example")
    answer = _pre_social_login(_request(), sociallogin)
    assert answer.status_code == 403
    assert "Connect again" in answer.content.decode()
    assert not SocialAccount.objects.filter(uid="same-subject").exists()
    assert AuditEvent.objects.filter(action="sso.link_removed").count() == 1
    # a link of the current issuer is used
    sociallogin = _social("vic@acme.example", "other-subject", user=victim)
    SSOLink.objects.create(account=sociallogin.account, issuer=row.issuer)
    assert _pre_social_login(_request(), sociallogin) is None


def test_saving_another_issuer_removes_the_links(
    client: Client,
    oidc_provider: Provider,  # noqa: F811
) -> None:
    from allauth.socialaccount.models import SocialAccount

    acme, _ = _acme()
    _sso_row(acme, "https://old-idp.acme.example")
    for n in range(3):
        user = UserFactory(email=f"p{n}@acme.example")
        SocialAccount.objects.create(provider="org-acme", uid=f"s{n}", user=user)
    SocialAccount.objects.create(provider="org-globex", uid="g", user=UserFactory())
    client.force_login(User.objects.get(email="admin@acme.example"))
    # the same issuer again changes nothing
    response = client.post("/settings/sign-in/", _form(oidc_provider.issuer), follow=True)
    assert "3 account link(s)" in response.content.decode()
    assert not SocialAccount.objects.filter(provider="org-acme").exists()
    assert SocialAccount.objects.filter(provider="org-globex").count() == 1
    event = AuditEvent.objects.get(action="sso.links_removed")
    assert event.detail["count"] == 3
    response = client.post("/settings/sign-in/", _form(oidc_provider.issuer), follow=True)
    assert "account link" not in response.content.decode()
    assert AuditEvent.objects.filter(action="sso.links_removed").count() == 1


def _pending(client: Client, provider: str, email: str, age: float) -> None:
    import time

    session = client.session
    session[sso.PENDING_KEY] = {
        "provider": provider,
        "uid": "sub-1",
        "email": email,
        "extra": {},
        "at": time.time() - age,
    }
    session.save()


@pytest.mark.parametrize(
    ("provider", "age", "signed_in"),
    [
        ("org-acme", 9 * 60, True),  # Acme's own provider, fresh: the one pass
        ("org-acme", 10 * 60 - 5, True),  # just below ten minutes
        ("org-acme", 10 * 60 + 5, False),  # just above: expired
        ("org-globex", 60, False),  # another organisation's provider opens nothing here
    ],
)
def test_the_password_passes_sso_only_once_for_its_own_provider_only(
    client: Client, provider: str, age: float, signed_in: bool
) -> None:
    acme, _ = _acme()
    _sso_row(acme, sso_only=True)
    globex = OrganisationFactory(name="Globex", slug="globex")
    _sso_row(globex, "https://idp.globex.example")
    user = UserFactory(email="mo@acme.example")
    PersonFactory(organisation=acme, user=user, email=user.email)
    PersonFactory(organisation=globex, user=user, email=user.email)
    _pending(client, provider, user.email, age)
    _sign_in(client, user.email)
    assert ("_auth_user_id" in client.session) is signed_in


def test_a_provider_session_opens_only_its_organisation(client: Client) -> None:
    acme, _ = _acme()
    _sso_row(acme)
    globex = OrganisationFactory(name="Globex", slug="globex")
    user = User.objects.get(email="admin@acme.example")
    PersonFactory(organisation=globex, user=user, email=user.email, role=Role.ADMIN)
    request = _request(user)
    sociallogin = _social(user.email, "sub", user=user)
    sso.record_sign_in(request, sociallogin)
    assert request.session[sso.SESSION_ORG_KEY] == acme.pk
    client.force_login(user)
    session = client.session
    session[sso.SESSION_ORG_KEY] = acme.pk
    session.save()
    home: Any = client.get("/").wsgi_request
    assert [o.pk for o in home.organisations] == [acme.pk]
    client.post("/switch/", {"organisation": str(globex.pk)})
    after: Any = client.get("/").wsgi_request
    assert after.actor.organisation == acme
    asked: Any = client.get(f"/?org={globex.slug}").wsgi_request
    assert asked.actor.organisation == acme
    # a password sign-in (no sociallogin) opens every organisation again
    sso.record_sign_in(request, None)
    assert sso.SESSION_ORG_KEY not in request.session


def test_an_unverified_email_is_taken_only_from_a_trusted_provider() -> None:
    acme, _ = _acme()
    row = _sso_row(acme, allowed_domains="acme.example")
    answer = _pre_social_login(_request(), _social("una@acme.example", "s-una", verified=False))
    assert answer.status_code == 403
    assert "No verified email" in answer.content.decode()
    assert not User.objects.filter(email="una@acme.example").exists()
    row.trust_email = True
    row.save()
    assert (
        _pre_social_login(_request(), _social("una@acme.example", "s-una", verified=False)) is None
    )
    assert Person.objects.filter(organisation=acme, email="una@acme.example").exists()


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.0.0.5", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # the cloud's metadata service
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:127.0.0.1", False),
        ("224.0.0.1", False),
        ("93.184.215.14", True),
        ("2606:4700::1111", True),
    ],
)
def test_guarded_requests_reach_public_addresses_only(
    monkeypatch: pytest.MonkeyPatch, address: str, public: bool
) -> None:
    from ampwork.core import safe_http

    monkeypatch.delenv(safe_http.ALLOW_PRIVATE_ENV, raising=False)
    monkeypatch.setattr(
        "ampwork.core.safe_http.socket.getaddrinfo",
        lambda *a, **k: [(0, 0, 0, "", (address, 443))],
    )
    if public:
        safe_http.check_url("https://idp.example/x")
    else:
        with pytest.raises(safe_http.Refused):
            safe_http.check_url("https://idp.example/x")
    assert isinstance(sso.SocialAccountAdapter().get_requests_session(), safe_http.GuardedSession)


def test_saving_refuses_a_provider_on_a_private_address(
    client: Client,
    oidc_provider: Provider,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ampwork.core import safe_http

    _acme()
    client.force_login(User.objects.get(email="admin@acme.example"))
    # a real provider answers there, but 127.0.0.1 is this machine: not without the operator
    monkeypatch.delenv(safe_http.ALLOW_PRIVATE_ENV, raising=False)
    response = client.post("/settings/sign-in/", _form(oidc_provider.issuer))
    assert response.status_code == 400
    assert "did not answer as an OpenID Connect provider" in response.content.decode()
    assert not IdentityProvider.objects.exists()
    monkeypatch.setenv(safe_http.ALLOW_PRIVATE_ENV, "1")
    assert client.post("/settings/sign-in/", _form(oidc_provider.issuer)).status_code == 302


def _serve(status: int, body: bytes, headers: dict[str, str] | None = None) -> Any:
    """A tiny server on 127.0.0.1 that answers what a test asks."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's name
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize(
    ("status", "body", "headers"),
    [
        (500, b"Traceback: db password hunter2", {}),  # an internal page: not echoed
        (200, b"x" * 1_000_001, {}),  # just above the cap
        (302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}),  # no redirects
        (200, b"<html>internal admin</html>", {}),
    ],
)
def test_a_discovery_answer_is_capped_and_never_echoed(
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    body: bytes,
    headers: dict[str, str],
) -> None:
    from ampwork.core import safe_http

    monkeypatch.setenv(safe_http.ALLOW_PRIVATE_ENV, "1")
    server = _serve(status, body, headers)
    try:
        _acme()
        client.force_login(User.objects.get(email="admin@acme.example"))
        issuer = f"http://127.0.0.1:{server.server_address[1]}"
        response = client.post("/settings/sign-in/", _form(issuer))
    finally:
        server.shutdown()
    text = _alert(response)
    assert response.status_code == 400
    assert "did not answer as an OpenID Connect provider" in text
    for leaked in ("hunter2", "internal admin", "169.254", str(status)):
        assert leaked not in text.replace(issuer, "")
    assert not IdentityProvider.objects.exists()


def test_the_size_cap_lets_an_answer_just_below_it_through(monkeypatch: pytest.MonkeyPatch) -> None:
    from ampwork.core import safe_http

    monkeypatch.setenv(safe_http.ALLOW_PRIVATE_ENV, "1")
    server = _serve(200, b"y" * safe_http.MAX_BYTES)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        with safe_http.session() as http:
            assert len(http.get(url).content) == safe_http.MAX_BYTES
    finally:
        server.shutdown()


def _join_code(email: str) -> str:
    import re

    from django.core import mail

    letters = [m for m in mail.outbox if m.to == [email]]
    found = re.search(r"/join/([\w-]+)/", letters[-1].body)
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(("role", "password_offered"), [(Role.MEMBER, False), (Role.ADMIN, True)])
def test_an_invitation_to_an_sso_only_organisation_offers_no_password(
    client: Client,
    django_capture_on_commit_callbacks: Any,
    role: str,
    password_offered: bool,
) -> None:
    from ampwork.core import services

    acme, admin = _acme()
    _sso_row(acme, sso_only=True, allowed_domains="acme.example")
    with django_capture_on_commit_callbacks(execute=True):
        services.create_person(
            actor=admin, name="Nia", email="nia@elsewhere.example", invite=True, role=role
        )
    code = _join_code("nia@elsewhere.example")
    page = client.get(f"/join/{code}/")
    text = page.content.decode()
    assert ('name="new_password1"' in text) is password_offered
    assert ('href="/accounts/oidc/org-acme/login/"' in text) is not password_offered
    # posting a password anyway (the attacker's way round the page)
    client.post(f"/join/{code}/", {"new_password1": PASSWORD * 2, "new_password2": PASSWORD * 2})
    assert User.objects.filter(email="nia@elsewhere.example").exists() is password_offered
    assert ("_auth_user_id" in client.session) is password_offered


def test_the_person_an_admin_added_joins_through_the_provider_from_any_domain() -> None:
    acme, _ = _acme()
    _sso_row(acme, sso_only=True, allowed_domains="acme.example")
    PersonFactory(organisation=acme, user=None, email="nia@elsewhere.example", name="Nia")
    assert _pre_social_login(_request(), _social("nia@elsewhere.example", "s-nia")) is None
    assert Person.objects.get(email="nia@elsewhere.example").user is not None
    # anyone else from that domain is still refused
    answer = _pre_social_login(_request(), _social("max@elsewhere.example", "s-max"))
    assert answer.status_code == 403
