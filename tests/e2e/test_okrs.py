"""The 30-second weekly check-in, by keyboard; the objective page; the cycle dashboard."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core.models import Person
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.okrs.models import CheckIn, KeyResult

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]


def _width(locator: Any) -> float:
    return float(locator.evaluate("el => el.getBoundingClientRect().width"))


def test_weekly_check_in_by_keyboard(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sam = Person.objects.get(email="member@brightwater.example")
    before = CheckIn.objects.filter(author=sam).count()
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Check-ins").click()
    rows = page.locator("form.checkin-row")
    expect(rows).to_have_count(3)
    fills = []
    for i in range(3):
        kr = KeyResult.objects.get(pk=int(rows.nth(i).get_attribute("id").removeprefix("kr-")))
        fills.append((kr, kr.target))  # reach the target: the bar fills up
    widths = [_width(rows.nth(i).locator(".bar__fill")) for i in range(3)]
    objective_bars = page.locator(".objective-card__progress .bar__fill")
    objective_widths = [_width(objective_bars.nth(i)) for i in range(objective_bars.count())]
    rows.nth(0).locator("input[name=value]").focus()
    for i, (kr, value) in enumerate(fills):
        page.keyboard.press("Control+A")
        page.keyboard.type(f"{value:g}")
        page.keyboard.press("Tab")  # confidence
        page.keyboard.press("Control+A")
        page.keyboard.type("8")
        page.keyboard.press("Tab")  # note
        page.keyboard.type(f"week {i + 1}: done")
        page.keyboard.press("Enter")
        row = page.locator(f"#kr-{kr.pk}")
        expect(row.get_by_role("status")).to_contain_text("Saved")
        if i < 2:  # the next row's first field has the focus
            expect(rows.nth(i + 1).locator("input[name=value]")).to_be_focused()
    for i in range(3):
        assert _width(rows.nth(i).locator(".bar__fill")) > widths[i]
        expect(rows.nth(i)).to_contain_text("100%")
    # the objectives' own bars moved too (out-of-band swap), not only the rows'
    for i, width in enumerate(objective_widths):
        assert _width(objective_bars.nth(i)) > width
    shot(page, "weekly-check-in")
    assert CheckIn.objects.filter(author=sam).count() == before + 3
    assert CheckIn.objects.filter(author=sam, note="week 3: done", confidence=8).exists()


def test_objective_page_and_dashboard(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.get_by_role("link", name="OKRs", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("OKRs ·")
    page.locator(".branch summary", has_text="Platform").click()  # open the team
    page.get_by_role("link", name="Shipping is boring: small, safe, frequent").click()
    page.locator(".chart").first.scroll_into_view_if_needed()  # charts are drawn when seen
    expect(page.locator(".chart .plotly").first).to_be_visible()
    page.get_by_text("how", exact=True).first.click()
    shot(page, "objective")
    page.get_by_role("link", name="OKRs", exact=True).click()
    page.get_by_role("link", name="Cycle dashboard").click()
    expect(page.get_by_role("heading", name=re.compile("Stale key results"))).to_be_visible()
    page.locator(".chart").first.scroll_into_view_if_needed()  # charts are drawn when seen
    expect(page.locator(".chart .plotly").first).to_be_visible()
    shot(page, "cycle-dashboard")
    assert errors == []


def test_member_writes_an_objective_with_guidance(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/okrs/objectives/new/")
    page.get_by_label("Title").fill("Write the ingest runbook")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".message--warning").first).to_contain_text("reads like a task")
    page.get_by_role("link", name="Add a key result").first.click()
    page.get_by_label("Title").fill("On-call questions answered by the runbook from 0 to 10")
    page.get_by_label("Target").fill("10")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".kr")).to_contain_text("On-call questions answered")
