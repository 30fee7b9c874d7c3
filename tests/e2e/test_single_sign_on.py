"""Single sign-on end to end, against a real OpenID Connect provider running beside the
live server (tests/oidc_provider: django-allauth's own provider in a second process).

The admin sets the provider up on the settings page (its discovery document is checked),
a newcomer clicks "Sign in with Acme", signs in at the provider, comes back through the
code flow with PKCE and lands on ampwork's home as a member made just in time."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from ampwork.core.models import AuditEvent, IdentityProvider, Organisation, Person, Role

from ..factories import OrganisationFactory, PersonFactory, UserFactory
from ..oidc_provider.fixture import Provider, oidc_provider  # noqa: F401  # the fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"
IDP_PASSWORD = "provider pass 4821"
CLIENT_ID = "ampwork-acme"
CLIENT_SECRET = "acme-client-secret-0123456789"


def _callback(live_server: Any) -> str:
    return f"{live_server.url}/accounts/oidc/org-acme/login/callback/"


def _acme_with_admin() -> Organisation:
    acme: Organisation = OrganisationFactory(name="Acme", slug="acme")
    admin = UserFactory(email="admin@acme.example")
    PersonFactory(organisation=acme, user=admin, email=admin.email, name="Ada", role=Role.ADMIN)
    return acme


def _configure(page: Any, live_server: Any, provider: Provider, *, sso_only: bool = False) -> None:
    """The admin fills the settings page in, as a newcomer following the docs would."""
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("link", name="Single sign-on").click()
    expect(page.locator(".callback-uri")).to_have_text(_callback(live_server))
    page.get_by_label("Issuer URL").fill(provider.issuer)
    page.get_by_label("Client ID").fill(CLIENT_ID)
    page.get_by_label("Client secret").fill(CLIENT_SECRET)
    page.get_by_label("Allowed email domains").fill("acme.example")
    if sso_only:
        page.get_by_label(re.compile("Single sign-on only")).check()
    page.get_by_role("button", name="Check and save").click()
    expect(page.locator(".message")).to_contain_text("Single sign-on saved")


def _sign_out(page: Any) -> None:
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in/"))


def _sign_in_at_provider(page: Any, live_server: Any, email: str) -> None:
    # whoever signed in at the provider before is gone: this is someone at their own desk
    page.context.clear_cookies(domain="127.0.0.1")
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("link", name="Sign in with Acme").click()
    # the organisation's continue page (the only page whose form may go to its provider)
    page.get_by_role("button", name="Continue").click()
    # the provider's own sign-in page, on its own host
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/accounts/login/"))
    page.get_by_label(re.compile("^Email")).fill(email)
    page.get_by_label("Password").fill(IDP_PASSWORD)
    page.get_by_role("button", name=re.compile("Sign In", re.I)).click()


@pytest.fixture
def acme_sso(
    oidc_provider: Provider,  # noqa: F811
    live_server: Any,
) -> Provider:
    oidc_provider.register(CLIENT_ID, CLIENT_SECRET, _callback(live_server))
    return oidc_provider


def test_a_newcomer_signs_in_through_the_provider_and_joins(
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
    acme_sso: Provider,
) -> None:
    acme = _acme_with_admin()
    subject = acme_sso.add_user("nina@acme.example", IDP_PASSWORD)
    sign_in(page, "admin@acme.example", PASSWORD)
    _configure(page, live_server, acme_sso)
    shot(page, "sso-settings")
    row = IdentityProvider.objects.get(organisation=acme)
    assert row.issuer == acme_sso.issuer
    assert CLIENT_SECRET not in row.client_secret_sealed  # sealed, not stored as typed
    _sign_out(page)

    page.goto(f"{live_server.url}/sign-in/")
    shot(page, "sso-sign-in")
    # the authorisation request carries a PKCE challenge (S256)
    with page.expect_request(re.compile(r"/identity/o/authorize")) as asked:
        _sign_in_at_provider(page, live_server, "nina@acme.example")
    assert "code_challenge=" in asked.value.url
    assert "code_challenge_method=S256" in asked.value.url
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme")
    shot(page, "sso-home")

    nina = Person.objects.get(organisation=acme, email="nina@acme.example")
    assert nina.role == Role.MEMBER
    assert nina.user is not None
    assert not nina.user.has_usable_password()
    account = SocialAccount.objects.get(user=nina.user)
    assert (account.provider, account.uid) == ("org-acme", subject)
    assert AuditEvent.objects.filter(action="person.joined_by_sso", target_id=str(nina.pk))

    _sign_out(page)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))


def test_matched_on_the_subject_not_the_email(
    page: Any, live_server: Any, sign_in: Callable[..., None], acme_sso: Provider
) -> None:
    acme = _acme_with_admin()
    acme_sso.add_user("omar@acme.example", IDP_PASSWORD)
    sign_in(page, "admin@acme.example", PASSWORD)
    _configure(page, live_server, acme_sso)
    _sign_out(page)
    _sign_in_at_provider(page, live_server, "omar@acme.example")
    page.wait_for_url(f"{live_server.url}/")
    omar = Person.objects.get(organisation=acme, email="omar@acme.example")
    _sign_out(page)

    # the identity team changes his email: the same subject is still the same member
    acme_sso.change_email("omar@acme.example", "omar.k@acme.example")
    _sign_in_at_provider(page, live_server, "omar.k@acme.example")
    page.wait_for_url(f"{live_server.url}/")
    assert Person.objects.filter(organisation=acme).count() == 2
    assert SocialAccount.objects.get(provider="org-acme").user_id == omar.user_id
    _sign_out(page)

    # another subject with omar's old email is not omar: not attached, asked for the password
    acme_sso.add_user("omar@acme.example", IDP_PASSWORD)
    _sign_in_at_provider(page, live_server, "omar@acme.example")
    page.wait_for_url(re.compile(r"/sign-in/"))
    expect(page.locator(".message")).to_contain_text("already has an ampwork account")
    assert SocialAccount.objects.filter(provider="org-acme").count() == 1
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))


def test_an_existing_account_connects_with_its_password_once(
    page: Any, live_server: Any, sign_in: Callable[..., None], acme_sso: Provider
) -> None:
    acme = _acme_with_admin()
    pia = UserFactory(email="pia@acme.example")
    PersonFactory(organisation=acme, user=pia, email=pia.email, name="Pia")
    subject = acme_sso.add_user("pia@acme.example", IDP_PASSWORD)
    sign_in(page, "admin@acme.example", PASSWORD)
    _configure(page, live_server, acme_sso, sso_only=True)
    _sign_out(page)

    # SSO only: her password alone is refused, pointing at the button
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email").fill(pia.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator(".message")).to_contain_text("Sign in with Acme")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))

    # through the provider first: not attached on the email, asked for the password once
    _sign_in_at_provider(page, live_server, pia.email)
    page.wait_for_url(re.compile(r"/sign-in/"))
    expect(page.locator(".message")).to_contain_text("Sign in with its password once")
    assert not SocialAccount.objects.exists()
    page.get_by_label("Email").fill(pia.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.locator(".message", has_text="You can now sign in with Acme")).to_be_visible()
    assert SocialAccount.objects.get(provider="org-acme").user_id == pia.pk
    assert SocialAccount.objects.get(provider="org-acme").uid == subject
    _sign_out(page)

    # from now on the provider alone signs her in
    _sign_in_at_provider(page, live_server, pia.email)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme")


def test_a_domain_not_allowed_is_refused(
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
    acme_sso: Provider,
) -> None:
    acme = _acme_with_admin()
    acme_sso.add_user("mallory@elsewhere.example", IDP_PASSWORD)
    sign_in(page, "admin@acme.example", PASSWORD)
    _configure(page, live_server, acme_sso)
    _sign_out(page)
    _sign_in_at_provider(page, live_server, "mallory@elsewhere.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cannot sign in")
    # one answer for every refusal: the allowed domains are not listed to a stranger
    expect(page.get_by_role("alert")).to_contain_text("may not sign in to Acme")
    expect(page.get_by_role("alert")).not_to_contain_text("acme.example,")
    shot(page, "sso-domain-refused")
    assert not Person.objects.filter(organisation=acme, email__startswith="mallory").exists()
    assert not SocialAccount.objects.exists()
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))


def test_a_forged_or_replayed_callback_is_refused(
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
    acme_sso: Provider,
) -> None:
    _acme_with_admin()
    acme_sso.add_user("rita@acme.example", IDP_PASSWORD)
    sign_in(page, "admin@acme.example", PASSWORD)
    _configure(page, live_server, acme_sso)
    _sign_out(page)

    # a callback nobody asked for (forged state and code): a clear page, not a 500
    forged = requests.get(
        f"{_callback(live_server)}?code=forged&state=forged", timeout=10, allow_redirects=False
    )
    assert forged.status_code < 500
    page.goto(f"{_callback(live_server)}?code=forged&state=forged")
    expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on failed")
    shot(page, "sso-forged")

    # a real callback, captured, then replayed after it was used
    callbacks: list[str] = []
    page.on(
        "request",
        lambda r: callbacks.append(r.url) if "/login/callback/" in r.url else None,
    )
    _sign_in_at_provider(page, live_server, "rita@acme.example")
    page.wait_for_url(f"{live_server.url}/")
    _sign_out(page)
    assert callbacks
    page.goto(callbacks[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Single sign-on failed")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/sign-in/"))
    assert Person.objects.filter(email="rita@acme.example").count() == 1


def test_the_sign_in_buttons_on_a_phone(
    phone: Any, live_server: Any, shot: Callable[..., None]
) -> None:
    acme = _acme_with_admin()
    IdentityProvider.objects.create(
        organisation=acme, issuer="https://sso.acme.example", client_id="ampwork"
    )
    globex = OrganisationFactory(name="Globex Corporation", slug="globex")
    IdentityProvider.objects.create(
        organisation=globex, issuer="https://login.globex.example", client_id="ampwork"
    )
    off = OrganisationFactory(name="Initech", slug="initech")
    IdentityProvider.objects.create(
        organisation=off, issuer="https://sso.initech.example", client_id="x", enabled=False
    )
    response = phone.goto(f"{live_server.url}/sign-in/")
    expect(phone.get_by_role("link", name="Sign in with Acme")).to_be_visible()
    expect(phone.get_by_role("link", name="Sign in with Globex Corporation")).to_be_visible()
    expect(phone.get_by_role("link", name="Sign in with Initech")).to_have_count(0)
    # the shared sign-in page lets forms go nowhere but ampwork
    policy = response.headers["content-security-policy"]
    form_action = next(p for p in policy.split(";") if "form-action" in p)
    assert "example" not in form_action
    shot(phone, "sso-sign-in-phone")
    # Acme's continue page lets its form go to Acme's provider, and only there
    with phone.expect_response(re.compile(r"/accounts/oidc/org-acme/login/")) as answered:
        phone.get_by_role("link", name="Sign in with Acme").click()
    expect(phone.get_by_role("button", name="Continue")).to_be_visible()
    policy = answered.value.headers["content-security-policy"]
    form_action = next(p for p in policy.split(";") if "form-action" in p)
    assert "https://sso.acme.example" in form_action
    assert "globex" not in form_action
    shot(phone, "sso-continue-phone")


def test_a_provider_sign_in_opens_only_its_own_organisation(
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
    acme_sso: Provider,
) -> None:
    """Acme's provider (whoever runs it) signs Ivy in: that opens Acme, never Globex, the
    other organisation her account belongs to; her password sign-in opens both."""
    acme = _acme_with_admin()
    globex = OrganisationFactory(name="Globex", slug="globex")
    ivy = UserFactory(email="ivy@acme.example")
    PersonFactory(organisation=acme, user=ivy, email=ivy.email, name="Ivy")
    PersonFactory(organisation=globex, user=ivy, email=ivy.email, name="Ivy", role=Role.ADMIN)
    acme_sso.add_user(ivy.email, IDP_PASSWORD)
    sign_in(page, "admin@acme.example", PASSWORD)
    _configure(page, live_server, acme_sso)
    _sign_out(page)
    # connected once with her password (that session opens both)
    _sign_in_at_provider(page, live_server, ivy.email)
    page.wait_for_url(re.compile(r"/sign-in/"))
    page.get_by_label("Email").fill(ivy.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
    page.locator(".menu summary").click()
    expect(page.locator("#org-switch option")).to_have_count(2)
    page.locator(".menu summary").click()  # closed again
    _sign_out(page)

    # through Acme's provider: Acme only, however she asks for Globex
    _sign_in_at_provider(page, live_server, ivy.email)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme")
    expect(page.locator("#org-switch")).to_have_count(0)
    page.goto(f"{live_server.url}/?org=globex")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    page.request.post(
        f"{live_server.url}/switch/",
        form={"organisation": str(globex.pk), "csrfmiddlewaretoken": token or ""},
        headers={"Referer": f"{live_server.url}/"},
    )
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme")
    shot(page, "sso-own-organisation-only")
