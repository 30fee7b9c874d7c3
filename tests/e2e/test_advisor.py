"""An admin opens the home dashboard, follows a finding to its evidence, and acknowledges
it; a teacher sees their class's readiness."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.advisor.models import Acknowledgement
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]


def test_admin_follows_a_finding_to_its_evidence_and_acknowledges_it(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    health = page.locator("section", has=page.get_by_role("heading", name="Organisation health"))
    expect(health).to_be_visible()
    expect(health.locator(".gate-n")).to_have_text("red")
    health.locator(".chart").scroll_into_view_if_needed()  # charts are drawn when seen
    expect(health.locator(".chart .plotly")).to_be_visible()  # the pulse trend
    shot(page, "home-admin")
    health.get_by_role("link", name="If-then reward on creative work").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("If-then reward on creative work")
    evidence = page.locator(".evidence")
    expect(evidence).to_contain_text("Launch bonus")
    expect(evidence).to_contain_text("heuristic")
    shot(page, "finding")
    page.get_by_role("link", name="Open the evidence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Incentives")
    expect(page.locator("table")).to_contain_text("Launch bonus")
    page.go_back()
    page.get_by_label("What you will do about it").fill(
        "We end the launch bonus at the close of the quarter; recognition instead."
    )
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(".message")).to_contain_text("Acknowledged")
    expect(page.locator("#ack-h ~ p").first).to_contain_text("We end the launch bonus")
    assert Acknowledgement.objects.filter(key__startswith="if-then-creative.").count() == 1
    # home lists open findings only; the advisor keeps it, marked as seen
    page.get_by_role("link", name="Home", exact=True).click()
    health = page.locator("section", has=page.get_by_role("heading", name="Organisation health"))
    expect(health.locator(".finding", has_text="If-then reward on creative work")).to_have_count(0)
    expect(health.locator(".finding", has_text="OKRs tied to a bonus")).to_have_count(1)
    page.get_by_role("link", name="Advisor", exact=True).click()
    seen = page.locator(".finding", has_text="If-then reward on creative work")
    expect(seen).to_contain_text("acknowledged by Helen Marsh")
    assert errors == []


def test_teacher_sees_the_class_readiness(
    phone: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(phone, "teacher@hillside.example", DEMO_PASSWORD)
    expect(phone.get_by_role("heading", name="Your classes", exact=True)).to_be_visible()
    phone.goto(f"{live_server.url}/advisor/")
    card = phone.locator("section.card", has=phone.get_by_role("heading", name="Year 9 Science"))
    expect(card).to_contain_text("Next sensible step")
    expect(card).to_contain_text("ticked by Daniel Osei")
    shot(phone, "teacher-readiness-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
