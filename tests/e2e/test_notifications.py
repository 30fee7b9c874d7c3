"""A person gets feedback, sees the bell's count (htmx), opens their notifications, marks
one read (the count goes), and turns an email off in their choices — on a laptop and a
phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ampwork.core.models import Role
from ampwork.core.permissions import Actor
from ampwork.mastery import services as mastery
from ampwork.notifications import selectors

from ..factories import OrganisationFactory, PersonFactory, UserFactory
from .test_accessibility import violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def test_a_person_sees_feedback_in_the_bell_reads_it_and_changes_a_choice(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    acme = OrganisationFactory(name="Acme", slug="acme")
    people = {}
    for name in ("Ada", "Bob"):
        user = UserFactory(email=f"{name.lower()}@acme.example")
        people[name] = PersonFactory(
            organisation=acme, user=user, email=user.email, name=name, role=Role.MEMBER
        )
    ada, bob = people["Ada"], people["Bob"]
    sign_in(page, ada.email, PASSWORD)
    expect(page.locator(".bell .bell__count")).to_have_count(0)
    page.goto(f"{live_server.url}/notifications/")
    expect(page.get_by_role("heading", name="Nothing yet")).to_be_visible()
    shot(page, "notifications-empty")

    bob_actor = Actor(organisation=acme, role=bob.role, user=bob.user, person=bob)
    mastery.give_feedback(actor=bob_actor, receiver_id=ada.pk, body="Your demo was clear.")
    mastery.recognise(actor=bob_actor, recipient_ids=[ada.pk], body="now that you wrote docs")

    page.goto(f"{live_server.url}/")
    bell = page.locator(".bell")
    expect(bell.locator(".bell__count")).to_have_text("2 unread")  # htmx loaded it
    shot(page, "notifications-bell")
    bell.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_role("link", name="Bob gave you feedback")).to_be_visible()
    assert "Your demo was clear" not in page.content()
    page.get_by_role("button", name="Mark read: Bob gave you feedback").click()
    expect(page.get_by_role("button", name="Mark read: Bob gave you feedback")).to_have_count(0)
    expect(bell.locator(".bell__count")).to_have_text("1 unread")  # told by HX-Trigger
    assert selectors.unread_count(ada) == 1
    shot(page, "notifications-page")
    assert violations(page, Axe()) == []

    page.get_by_role("link", name="Choose what you are told, and how").click()
    box = page.get_by_label("Feedback received: Email")
    expect(box).to_be_checked()
    box.focus()
    page.keyboard.press("Space")  # keyboard usable
    expect(box).not_to_be_checked()
    page.get_by_label("From").fill("22:00")
    page.get_by_label("until").fill("07:00")
    page.get_by_role("button", name="Save choices").click()
    expect(page.locator(".message")).to_contain_text("saved")
    expect(page.get_by_label("Feedback received: Email")).not_to_be_checked()
    shot(page, "notifications-preferences")
    assert violations(page, Axe()) == []

    sign_in(phone, ada.email, PASSWORD)
    phone.goto(f"{live_server.url}/notifications/")
    expect(phone.locator(".bell .bell__count")).to_have_text("1 unread")
    shot(phone, "notifications-page-phone")
    phone.goto(f"{live_server.url}/notifications/preferences/")
    expect(phone.get_by_label("Recognition: In the app")).to_be_checked()
    shot(phone, "notifications-preferences-phone")


@pytest.mark.usefixtures("demo")
def test_the_demo_shows_a_manager_their_notifications(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    from ampwork.demo.services import DEMO_PASSWORD

    sign_in(page, "manager@brightwater.example", DEMO_PASSWORD)
    expect(page.locator(".bell .bell__count")).to_contain_text("unread")
    page.locator(".bell").get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("link", name="The advisor has open findings for you")).to_be_visible()
    shot(page, "notifications-demo-manager")
    page.get_by_role("link", name="The advisor has open findings for you").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/advisor/" in page.url


@pytest.mark.usefixtures("demo")
def test_the_demo_shows_sam_the_feedback_the_demo_holds(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    from ampwork.demo.services import DEMO_PASSWORD

    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/notifications/")
    link = page.get_by_role("link", name="Marco Bianchi gave you feedback")
    expect(link).to_be_visible()
    shot(page, "notifications-demo-member")
    link.click()
    expect(page.get_by_text("Your write-up of the ingest outage", exact=False)).to_be_visible()
