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
    assert "calls itself" in text
    assert oidc_provider.issuer in text
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
