"""An organisation that adds an existing account only invites it: the account's owner
accepts in the browser, and only then can the organisation be switched to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core import services
from ampwork.core.models import Role
from ampwork.core.permissions import Actor

from ..factories import OrganisationFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def test_accepting_an_invitation_is_the_only_way_in(
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    acme = OrganisationFactory(name="Acme", slug="acme")
    globex = OrganisationFactory(name="Globex", slug="globex")
    alice = UserFactory(email="alice@acme.example")
    PersonFactory(organisation=acme, user=alice, email=alice.email, name="Alice", role=Role.ADMIN)
    boss = UserFactory(email="boss@globex.example")
    b_admin = PersonFactory(organisation=globex, user=boss, email=boss.email, role=Role.ADMIN)
    services.create_person(
        actor=Actor(organisation=globex, role=Role.ADMIN, user=boss, person=b_admin),
        name="Alice Example",
        email=alice.email,
    )

    sign_in(page, alice.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme")
    # an emailed ?org= link cannot take her into Globex before she accepts
    page.goto(f"{live_server.url}/?org=globex")
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme")
    expect(page.get_by_label("Organisation", exact=True)).to_have_count(0)  # no switcher

    page.locator(".menu summary").click()
    page.get_by_role("link", name="Invitations").click()
    expect(page.get_by_role("heading", name="Globex")).to_be_visible()
    expect(page.get_by_text("As Alice Example")).to_be_visible()
    shot(page, "invitations")
    page.get_by_role("button", name="Accept and join Globex").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Globex")
    expect(page.locator(".message")).to_contain_text("You joined Globex")

    # now she can switch between the two
    page.locator(".menu summary").click()
    page.get_by_label("Organisation", exact=True).select_option(label="Acme")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Acme")
    page.goto(f"{live_server.url}/?org=globex")
    expect(page.get_by_role("heading", level=1)).to_have_text("Globex")
    page.goto(f"{live_server.url}/invitations/")
    expect(page.get_by_text("No invitations are waiting for you.")).to_be_visible()
