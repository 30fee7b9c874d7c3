"""A manager grants a suggested technique step; the member's page shows the new level and
its history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.autonomy.models import LedgerEntry
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
    # Grant asks the person page's guardrail question before it records anything
    row = page.locator(f"#row-{member.pk}")
    row.locator("summary", has_text="Grant technique → 1").click()
    assert not LedgerEntry.objects.filter(person=member).exists()
    row.get_by_label("Guardrails").fill("decides how, within the security policy")
    confirm = row.get_by_role("button", name=f"Grant technique → 1 to {member.name}")
    # in view before measuring: the box is in viewport coordinates, and the double click
    # would scroll a button below the fold first
    confirm.scroll_into_view_if_needed()
    height = row.bounding_box()["height"]
    box = confirm.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    shot(page, "autonomy-grid-grant-open")
    confirm.dblclick()  # a double click records one step
    expect(row.get_by_role("status")).to_contain_text(f"Granted: technique → 1 for {member.name}")
    entries = LedgerEntry.objects.filter(person=member)
    assert [(e.t, e.level, e.guardrails) for e in entries] == [
        ("technique", 1, "decides how, within the security policy")
    ]
    # the row keeps its height; where the grant button was, no control waits for a click
    assert abs(row.bounding_box()["height"] - height) < 2
    under = page.evaluate(
        "([x, y]) => { const e = document.elementFromPoint(x, y);"
        " return e.closest('button, summary, a, input') ? e.outerHTML : ''; }",
        [x, y],
    )
    assert under == ""
    shot(page, "autonomy-grid-granted")
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
    # leaving a team asks first
    page.locator("summary", has_text="Leave this team").click()
    expect(page.get_by_role("button", name="Leave “Offline maps”")).to_be_visible()
    page.get_by_role("button", name="Leave “Offline maps”").click()
    expect(page.locator(".message")).to_contain_text("You left the team")
    expect(page.get_by_role("button", name="Join Offline maps")).to_be_visible()
    shot(page, "shipit-left-team")
    # on another team, joining this one (which takes you off yours) asks first
    page.get_by_label("Idea").fill("Quiet hours")
    page.get_by_role("button", name="Propose").click()
    maps = page.locator(".shipit-project", has_text="Offline maps")
    maps.locator("summary", has_text="Join…").click()
    expect(maps).to_contain_text("takes you off your current team")
    shot(page, "shipit-join-confirm")
    maps.get_by_role("button", name="Join “Offline maps”").click()
    expect(page.locator(".message")).to_contain_text("You joined the team")


def _mobile_lead_and(order_by_name: int) -> tuple[Team, Person, Person]:
    """The demo's Mobile team, its lead (signing in, as a manager) and one member: the
    first (0) or the last (-1) by name."""
    ensure_demo()
    org = Organisation.objects.get(slug="brightwater")
    mobile = Team.objects.get(organisation=org, name="Mobile")
    lead = TeamMembership.objects.get(team=mobile, role="lead").person
    members = list(
        Person.objects.filter(memberships__team=mobile).exclude(pk=lead.pk).order_by("name")
    )
    assert members
    grant_login(actor=Actor.system(org), person=lead, password=DEMO_PASSWORD)
    lead.role = Role.MANAGER
    lead.save(update_fields=["role"])
    return mobile, lead, members[order_by_name]


def test_grid_grant_by_keyboard_on_a_phone(
    phone: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    mobile, lead, member = _mobile_lead_and(order_by_name=-1)
    sign_in(phone, lead.email, DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/autonomy/teams/{mobile.pk}/")
    row = phone.locator(f"#row-{member.pk}")
    summary = row.locator("summary", has_text="Grant technique → 1")
    # accessible names hold the visible text, then whom it is for (no aria-label over it)
    assert phone.locator(".autonomy-grid [aria-label]").count() == 0
    expect(summary).to_have_accessible_name(f"Grant technique → 1… to {member.name}")
    summary.focus()
    phone.keyboard.press("Enter")  # opens the questions; records nothing
    guardrails = row.get_by_label("Guardrails")
    expect(guardrails).to_be_visible()
    assert not LedgerEntry.objects.filter(person=member).exists()
    guardrails.focus()
    phone.keyboard.type("pairs on anything touching payments")
    phone.keyboard.press("Enter")  # Enter in the form grants, once
    expect(row.get_by_role("status")).to_contain_text("Granted: technique → 1")
    guardrails_kept = LedgerEntry.objects.get(person=member).guardrails
    assert guardrails_kept == "pairs on anything touching payments"
    # the page itself does not scroll sideways (the table scrolls in its own frame)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    row.scroll_into_view_if_needed()
    shot(phone, "autonomy-grid-granted-phone")


def test_person_page_grant_double_clicked_records_one_step(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    _, lead, member = _mobile_lead_and(order_by_name=0)
    sign_in(page, lead.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/autonomy/people/{member.pk}/")
    page.get_by_label("Guardrails").fill("ships behind a flag")
    page.get_by_role("button", name="Grant", exact=True).dblclick()
    expect(page.locator(".timeline")).to_contain_text("Technique → 1")
    expect(page.locator(".message")).to_be_visible()
    shot(page, "autonomy-person-granted")
    entries = list(LedgerEntry.objects.filter(person=member))
    assert [(e.t, e.level, e.guardrails) for e in entries] == [
        ("technique", 1, "ships behind a flag")
    ]
