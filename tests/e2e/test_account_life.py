"""An account's life in the browser (issue 15): an admin adds a person with "send an
invitation", the person follows the emailed link and sets a password, landing signed in;
a person resets a forgotten password from the sign-in page through the emailed link; a
person signed in on two browsers sees both and signs the other out."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from ampwork.core.models import Organisation, Person, Role, User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a lantern by the river 2026"


def _acme() -> tuple[Organisation, User]:
    cache.clear()  # allauth's rate limits count in the cache
    org = Organisation.objects.create(name="Acme Life", slug="acme-life")
    user = User.objects.create_user("ada@acme-life.example", PASSWORD, name="Ada")
    Person.objects.create(
        organisation=org, user=user, name="Ada Admin", email=user.email, role=Role.ADMIN
    )
    return org, user


def _path_in_mail(to: str, pattern: str) -> str:
    letters = [m for m in mail.outbox if m.to == [to]]
    assert letters, f"no email to {to}"
    found = re.search(pattern, letters[-1].body)
    assert found is not None, letters[-1].body
    return found.group(1)


def test_an_admin_invites_a_new_person_who_sets_a_password_and_is_signed_in(
    live_server: Any,
    page: Any,
    phone: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    _acme()
    sign_in(page, "ada@acme-life.example", PASSWORD)
    page.goto(f"{live_server.url}/people/new/")
    page.get_by_label("Name", exact=True).fill("Noor Newcomer")
    page.get_by_label("Email", exact=True).fill("noor@acme-life.example")
    page.get_by_label("Send an invitation email").check()
    shot(page, "account-life-add-person")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".message")).to_contain_text("invitation to choose a password was emailed")
    expect(page.get_by_role("button", name="Send a new invitation")).to_be_visible()
    shot(page, "account-life-person-invited")

    link = _path_in_mail("noor@acme-life.example", r"(/join/[\w-]+/)")
    phone.goto(f"{live_server.url}{link}")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome, Noor Newcomer")
    phone.get_by_label("New password", exact=True).fill("short")
    phone.get_by_label("New password confirmation").fill("short")
    phone.get_by_role("button", name="Set password and sign in").click()
    expect(phone.locator(".field__error").first).to_be_visible()  # the validators say why
    assert not User.objects.filter(email="noor@acme-life.example").exists()
    phone.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    phone.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    shot(phone, "account-life-join-phone")
    phone.get_by_role("button", name="Set password and sign in").click()
    phone.wait_for_url(f"{live_server.url}/")
    expect(phone.locator(".message")).to_contain_text("Welcome to Acme Life")
    shot(phone, "account-life-joined-phone")

    # the link works once: opened again, it says so and changes nothing
    phone.goto(f"{live_server.url}{link}")
    expect(phone.get_by_role("heading", level=1)).to_have_text("This invitation cannot be used")
    expect(phone.get_by_role("alert")).to_contain_text("used already")
    shot(phone, "account-life-join-used-phone")


def test_a_person_resets_a_forgotten_password_from_the_sign_in_page(
    live_server: Any, page: Any, phone: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    _acme()
    phone.goto(f"{live_server.url}/sign-in/")
    phone.get_by_role("link", name="Forgot your password?").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Reset your password")
    phone.get_by_label("Email").fill("ada@acme-life.example")
    shot(phone, "account-life-reset-phone")
    phone.get_by_role("button", name="Email me a link").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Check your email")
    shot(phone, "account-life-reset-sent-phone")

    link = _path_in_mail("ada@acme-life.example", r"(/accounts/password/reset/key/\S+/)")
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New Password (again)").fill(NEW_PASSWORD)
    shot(page, "account-life-reset-choose")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    shot(page, "account-life-reset-done")
    sign_in(page, "ada@acme-life.example", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_person_sees_two_sessions_and_signs_the_other_out(
    live_server: Any,
    browser: Any,
    page: Any,
    phone: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    _acme()
    sign_in(page, "ada@acme-life.example", PASSWORD)
    sign_in(phone, "ada@acme-life.example", PASSWORD)
    page.locator("details.menu summary").click()
    page.get_by_role("link", name="Where you're signed in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where you're signed in")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("tbody tr[aria-current='true']")).to_contain_text("this session")
    shot(page, "account-life-sessions")
    phone.goto(f"{live_server.url}/accounts/sessions/")
    expect(phone.locator("tbody tr")).to_have_count(2)
    shot(phone, "account-life-sessions-phone")

    page.get_by_role("button", name="Sign out of the other 1 session").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.get_by_text("This is the only browser signed in")).to_be_visible()
    phone.goto(f"{live_server.url}/")
    phone.wait_for_url(re.compile(r"/sign-in/"))
    expect(phone.get_by_role("heading", level=1)).to_have_text("Sign in")
