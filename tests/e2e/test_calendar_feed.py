"""A member turns on their calendar feed from the menu, copies the address shown once, and
a calendar fetches it (parsed with icalendar); resetting ends the old address; on a phone
the page reads well; turning it off ends the feed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import icalendar
import pytest
from playwright.sync_api import expect

from ampwork.demo.services import DEMO_PASSWORD, ensure_demo

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
]


def _path(address: str) -> str:
    return "/" + address.split("://", 1)[1].split("/", 1)[1]


def test_a_member_subscribes_their_calendar(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    ensure_demo()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.locator(".menu summary").click()
    page.get_by_role("link", name="Calendar feed").click()
    expect(page.get_by_role("heading", name="Calendar feed", exact=True)).to_be_visible()
    holds = page.locator("section", has=page.get_by_role("heading", name="What it holds"))
    expect(holds).to_contain_text("Weekly review and key-result check-in")
    expect(holds).to_contain_text("1:1 with")  # the demo's 1:1s with the Platform manager
    page.get_by_role("button", name="Turn the feed on").click()
    expect(page.get_by_role("heading", name="Copy your calendar address now")).to_be_visible()
    address = page.get_by_label("Your address").input_value()
    assert "/calendar/cal_" in address
    shot(page, "calendar-feed-laptop")

    # a calendar application fetches it, with no session
    fetched = page.context.request.get(f"{live_server.url}{_path(address)}")
    assert fetched.status == 200
    assert fetched.headers["content-type"] == "text/calendar; charset=utf-8"
    summaries = [
        str(e["summary"]) for e in icalendar.Calendar.from_ical(fetched.body()).walk("VEVENT")
    ]
    assert "Weekly review and key-result check-in" in summaries
    assert any(s.startswith("1:1 with ") for s in summaries)

    page.reload()
    expect(page.get_by_label("Your address")).to_have_count(0)  # shown once
    page.get_by_role("button", name="Reset the address").click()
    expect(page.locator(".message")).to_contain_text("the old one no longer works")
    new = page.get_by_label("Your address").input_value()
    assert new != address
    assert page.context.request.get(f"{live_server.url}{_path(address)}").status == 404
    assert page.context.request.get(f"{live_server.url}{_path(new)}").status == 200

    # on a phone
    sign_in(phone, "member@brightwater.example", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/calendar/")
    expect(phone.get_by_role("button", name="Reset the address")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"]
    shot(phone, "calendar-feed-phone")
    phone.get_by_role("button", name="Turn the feed off").click()
    expect(phone.locator(".message")).to_contain_text("Your calendar feed is off")
    assert phone.context.request.get(f"{live_server.url}{_path(new)}").status == 404
    assert problems == []
