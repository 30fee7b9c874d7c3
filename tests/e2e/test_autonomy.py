"""A manager grants a suggested technique step; the member's page shows the new level and
its history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.core.services import grant_login
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]


def test_manager_grants_and_member_sees(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    org = Organisation.objects.get(slug="brightwater")
    mobile = Team.objects.get(organisation=org, name="Mobile")
    lead = TeamMembership.objects.get(team=mobile, role="lead").person
    member = (
        Person.objects.filter(memberships__team=mobile).exclude(pk=lead.pk).order_by("name").first()
    )
    assert member is not None
    for person in (lead, member):
        grant_login(actor=Actor.system(org), person=person, password=DEMO_PASSWORD)
    lead.role = Role.MANAGER
    lead.save(update_fields=["role"])
    sign_in(page, lead.email, DEMO_PASSWORD)
    page.get_by_role("link", name="Autonomy", exact=True).click()
    page.get_by_role("link", name="Mobile: team grid").click()
    expect(page.get_by_role("heading", name="Defaulting to control?")).to_be_visible()
    shot(page, "autonomy-grid")
    page.get_by_role("button", name=f"Grant {member.name} technique level 1").click()
    expect(page.locator(".message")).to_contain_text(f"Recorded for {member.name}")
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, member.email, DEMO_PASSWORD)
    page.get_by_role("link", name="Autonomy", exact=True).click()
    technique = page.locator(".t-card", has_text="Technique")
    expect(technique).to_contain_text("(1 of 3)")
    expect(page.locator(".timeline")).to_contain_text("Technique → 1")
    shot(page, "my-autonomy")
    # self-directed time: the member starts a project of their own and logs time on it
    own = page.locator("#self-directed")
    own.get_by_label("Title").fill("Offline mode spike")
    own.get_by_label("Why it matters").fill("Riders lose signal in tunnels")
    own.get_by_role("button", name="Start").click()
    expect(page.locator(".message")).to_contain_text("Project started")
    project = page.locator(".project", has_text="Offline mode spike")
    project.locator("summary").click()
    project.get_by_label("Hours").fill("3.5")
    project.get_by_role("button", name="Log time").click()
    expect(page.locator(".message")).to_contain_text("Time logged")
    expect(page.locator("#self-directed")).to_contain_text("3.5 h")
    shot(page, "self-directed-time")


def test_shipit_day_kudos_and_a_new_idea(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "manager@brightwater.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Autonomy", exact=True).click()
    page.get_by_role("link", name="ShipIt days").click()
    page.get_by_role("link", name="ShipIt 12").click()
    expect(page.locator(".outcomes")).to_contain_text("1 became an objective")
    shot(page, "shipit-day")
    # a new ShipIt day, an idea pitched for it
    page.get_by_role("link", name="ShipIt days").click()
    page.get_by_label("Title").fill("ShipIt 13")
    page.get_by_label("Starts").fill("2030-03-05T09:00")
    page.get_by_role("button", name="Create").click()
    expect(page.locator(".message")).to_contain_text("ShipIt day created")
    expect(page.locator(".page-head .badge")).to_have_text("Upcoming")
    page.get_by_label("Idea").fill("Offline maps")
    page.get_by_role("button", name="Propose").click()
    expect(page.locator(".shipit-project")).to_contain_text("Offline maps")
    expect(page.get_by_role("button", name="Leave this team")).to_be_visible()
