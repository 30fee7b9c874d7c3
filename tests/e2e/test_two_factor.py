"""Two-factor sign-in in the browser (issue 15): an admin sets up an authenticator app (the
test is the phone: it reads the secret off the page and computes codes with pyotp), signs
out and back in with password and code; a passkey is added and used through Chromium's
virtual authenticator; under the organisation's policy an admin without two-factor is
asked to set it up and is shown why pay data is closed."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from ampwork.core.models import Organisation, Person, Role

from ..factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def _admin(email: str = "ada@acme.example") -> Person:
    org = OrganisationFactory(name="Acme", slug="acme")
    user = UserFactory(email=email)
    return PersonFactory(organisation=org, user=user, email=email, name="Ada", role=Role.ADMIN)


def _menu(page: Any, item: str) -> None:
    page.locator("details.menu summary").click()
    page.locator(".menu__list").get_by_role("link", name=item).click()


def _confirm_password(page: Any) -> None:
    """allauth asks for the password again before a change to one's sign-in."""
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def _sign_out(page: Any) -> None:
    page.locator("details.menu summary").click()
    page.get_by_role("button", name="Sign out").click()


def _password(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_admin_sets_up_an_authenticator_app_and_signs_in_with_it(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    admin = _admin()
    base = live_server.url
    sign_in(page, admin.email, PASSWORD)
    _menu(page, "Two-factor sign-in")
    expect(page.get_by_role("heading", name="Two-factor sign-in", level=1)).to_be_visible()
    page.get_by_role("link", name="Set up an authenticator app").click()
    _confirm_password(page)

    # the QR code shows (the Content-Security-Policy lets its data: URL through)
    qr = page.locator("img.totp-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    secret = page.locator("#totp-secret").inner_text().strip()
    app = pyotp.TOTP(secret)
    page.get_by_label("Authenticator code").fill("000000" if app.now() != "000000" else "111111")
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator(".field__error")).to_contain_text("Incorrect code.")
    shot(page, "two-factor-setup-laptop")
    page.get_by_label("Authenticator code").fill(app.now())
    page.get_by_role("button", name="Turn on").click()

    # the recovery codes: shown once, with a download of the same codes
    expect(page.get_by_role("heading", name="Save these codes now")).to_be_visible()
    codes = page.locator("#recovery_codes").inner_text().split()
    assert len(codes) == 10
    shot(page, "two-factor-recovery-codes")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the codes").click()
    assert download.value.suggested_filename == "ampwork-recovery-codes.txt"
    assert Path(download.value.path()).read_text().split() == codes
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_text("10 unused codes left.")).to_be_visible()

    # sign out; the password alone no longer signs in
    _sign_out(page)
    _password(page, base, admin.email)
    expect(page).to_have_url(f"{base}/accounts/2fa/authenticate/")
    code = app.now()
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")

    # the same code again (an onlooker's replay) is refused; a recovery code works, once
    _sign_out(page)
    _password(page, base, admin.email)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".field__error")).to_contain_text("Incorrect code.")
    shot(page, "two-factor-sign-in-stage")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")
    _menu(page, "Two-factor sign-in")
    expect(page.get_by_text("9 unused codes left.")).to_be_visible()


def test_a_passkey_is_added_and_signs_in_through_the_virtual_authenticator(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    base = live_server.url
    assert base.startswith("http://localhost:"), "WebAuthn needs a secure context"
    admin = _admin("grace@acme.example")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]

    sign_in(page, admin.email, PASSWORD)
    page.goto(f"{base}/accounts/2fa/")
    page.get_by_role("link", name="Add a passkey").click()
    _confirm_password(page)
    page.get_by_label("Name").fill("Work laptop")
    page.get_by_role("button", name="Add", exact=True).click()
    # the first second factor brings recovery codes
    expect(page.get_by_role("heading", name="Save these codes now")).to_be_visible()
    key = Authenticator.objects.get(user=admin.user, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Work laptop"
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1
    page.goto(f"{base}/accounts/2fa/webauthn/")
    expect(page.get_by_role("cell", name="Work laptop")).to_be_visible()

    _sign_out(page)
    _password(page, base, admin.email)
    expect(page).to_have_url(f"{base}/accounts/2fa/authenticate/")
    page.get_by_role("button", name="Use a passkey or security key").click()
    expect(page).to_have_url(f"{base}/")
    key.refresh_from_db()
    assert key.last_used_at is not None
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert credentials["credentials"][0]["signCount"] >= 1


def test_the_set_up_page_fits_a_phone(
    phone: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    admin = _admin("hopper@acme.example")
    sign_in(phone, admin.email, PASSWORD)
    phone.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    _confirm_password(phone)
    expect(phone.locator("img.totp-qr")).to_be_visible()
    secret = phone.locator("#totp-secret")
    expect(secret).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    shot(phone, "two-factor-setup-phone")
    phone.goto(f"{live_server.url}/accounts/2fa/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "two-factor-index-phone")


def test_under_the_policy_an_admin_without_two_factor_is_asked_to_set_it_up(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    admin = _admin("lovelace@acme.example")
    org: Organisation = admin.organisation
    base = live_server.url
    sign_in(page, admin.email, PASSWORD)
    expect(page.locator(".two-factor-banner")).to_have_count(0)
    page.goto(f"{base}/settings/")
    page.get_by_label("Require two-factor sign-in for admins and people ops").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    org.refresh_from_db()
    assert org.require_two_factor

    banner = page.locator(".two-factor-banner")
    expect(banner).to_contain_text("Acme asks you to set up two-factor sign-in")
    page.goto(f"{base}/fairness/")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in first")).to_be_visible()
    shot(page, "two-factor-required")
    page.locator("main").get_by_role("link", name="Set up two-factor sign-in").first.click()
    expect(page).to_have_url(f"{base}/accounts/2fa/")
