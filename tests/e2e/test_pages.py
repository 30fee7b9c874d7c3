"""Every page a user of the foundation touches, in a real browser, by keyboard where it counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core.models import ApiToken, Organisation, Person, Team, User
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]


def _no_errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def test_admin_tour_of_every_page(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    errors = _no_errors(page)
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.locator(".chart").first.scroll_into_view_if_needed()  # charts are drawn when seen
    expect(page.locator(".chart .plotly").first).to_be_visible()  # plotly.js served locally
    marco = Person.objects.get(email="manager@brightwater.example")
    platform = marco.memberships.get().team
    pages = {
        "/people/": "People",
        f"/people/{marco.pk}/": "Marco Bianchi",
        f"/people/{marco.pk}/edit/": "Edit Marco Bianchi",
        "/people/new/": "Add a person",
        "/teams/": "Teams",
        f"/teams/{platform.pk}/": "Platform",
        f"/teams/{platform.pk}/edit/": "Edit Platform",
        "/teams/new/": "Add a team",
        "/org-chart/": "Org chart",
        "/import/": "Import from CSV",
        "/settings/": "Settings of Brightwater Labs",
        "/audit-log/": "Audit log",
        "/account/tokens/": "API tokens",
        "/account/password/": "Change your password",
        "/methods/": "How ampwork computes what it shows",
    }
    for path, heading in pages.items():
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert errors == []


def test_keyboard_only_add_edit_and_deactivate(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "people@brightwater.example", DEMO_PASSWORD)
    # the skip link is the first thing the keyboard reaches
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    page.goto(f"{live_server.url}/people/new/")
    page.get_by_label("Name").focus()
    page.keyboard.type("Nell Harper")
    page.keyboard.press("Tab")
    page.keyboard.type("nell@brightwater.example")
    page.get_by_label("Job title").fill("Analyst")
    page.get_by_label("Manager's email").fill("nobody@brightwater.example")
    data = Team.objects.get(name="Data")
    page.get_by_label("Add to team").select_option(value=str(data.pk))
    page.get_by_label("Manager's email").press("Enter")
    # a wrong field is named beside the field, and nothing is saved
    expect(page.locator(".field__error")).to_contain_text("nobody here has the email")
    assert not Person.objects.filter(email="nell@brightwater.example").exists()
    page.get_by_label("Manager's email").fill("manager@brightwater.example")
    page.get_by_label("Manager's email").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nell Harper")
    expect(page.locator(".facts")).to_contain_text("Marco Bianchi")
    # people ops may not change access roles: the field is shown but disabled
    page.get_by_role("link", name="Edit", exact=True).click()
    expect(page.get_by_label("Access role")).to_be_disabled()
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("button", name="Deactivate Nell Harper").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".message")).to_contain_text("deactivated")
    assert not Person.objects.get(email="nell@brightwater.example").active
    shot(page, "person-deactivated")


def test_token_is_shown_once_and_works(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.locator(".menu summary").click()  # the account menu
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("metrics sync")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("code.token").inner_text()
    assert token.startswith("amp_")
    response = page.request.get(
        f"{live_server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.json()["role"] == "member"
    page.reload()
    expect(page.locator("code.token")).to_have_count(0)  # never shown again
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator(".message")).to_contain_text("revoked")
    assert ApiToken.objects.get(name="metrics sync").revoked_at is not None


def test_settings_refuse_a_low_anonymity_minimum(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/settings/")
    page.get_by_label("Anonymity minimum (people per group)").fill("2")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".field__error")).to_be_visible()
    assert Organisation.objects.get(slug="brightwater").anonymity_min_group == 5
    page.get_by_label("Anonymity minimum (people per group)").fill("7")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".message")).to_contain_text("Settings saved")
    assert Organisation.objects.get(slug="brightwater").anonymity_min_group == 7


def test_password_change_and_sign_out(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "teacher@hillside.example", DEMO_PASSWORD)
    expect(page.get_by_role("link", name="Classes", exact=True)).to_be_visible()
    page.goto(f"{live_server.url}/account/password/")
    page.get_by_label("Old password").fill(DEMO_PASSWORD)
    page.get_by_label("New password", exact=True).fill("a brand new passphrase")
    page.get_by_label("New password confirmation").fill("a brand new passphrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator(".message")).to_contain_text("password has been changed")
    assert User.objects.get(email="teacher@hillside.example").check_password(
        "a brand new passphrase"
    )
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
