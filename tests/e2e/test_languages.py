"""The footer's language switcher by keyboard alone (issue 21): signed out, on the sign-in
page, a visitor picks German and the page comes back in German, each language still named
in its own language; the language page's choices are radio buttons one tabs to."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from ampwork.core.models import Organisation, Person, Role, User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def test_a_visitor_switches_to_german_by_keyboard(live_server: Any, page: Any) -> None:
    cache.clear()
    page.goto(f"{live_server.url}/sign-in/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    switch = page.get_by_label("Language")
    switch.focus()
    switch.select_option("de")  # what the arrow keys do in a focused select
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Change language")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    expect(page.get_by_label("Sprache")).to_have_value("de")
    expect(page.locator("#language-switch option[value='fr']")).to_have_text("Français")


def test_a_person_picks_their_language_on_the_language_page(
    live_server: Any, page: Any, sign_in: Any
) -> None:
    cache.clear()
    org = Organisation.objects.create(name="Acme Lang", slug="acme-lang")
    user = User.objects.create_user("lea@acme-lang.example", PASSWORD, name="Lea")
    Person.objects.create(
        organisation=org, user=user, name="Lea", email=user.email, role=Role.MEMBER
    )
    sign_in(page, "lea@acme-lang.example", PASSWORD)
    page.goto(f"{live_server.url}/settings/language/")
    page.get_by_role("radio", name="Español").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".message--success")).to_have_text("Tu idioma se ha guardado.")
    expect(page.get_by_role("radio", name="Español")).to_be_checked()
