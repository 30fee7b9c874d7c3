"""Pages that scrolled sideways on a 375 px phone (issue 21): /methods/ (a long `<code>`
and a wide table), the ShipIt form and the SCIM address on /settings/. Code wraps, a table
scrolls inside its own box, and the page itself never scrolls sideways; the ShipIt form
reads as one column on a phone and puts start and hours side by side on a laptop."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ampwork.core.models import Person
from ampwork.core.permissions import Actor
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.pulse import services as pulse_services

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
]

WIDTH = 375
SHOTS = Path(os.environ.get("AMPWORK_SCREENSHOTS", "screenshots"))
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# the elements wider than the window, to say which one pushed the page
WIDE = """() => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
    && !e.closest('.table-wrap') && e.getClientRects().length)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 60))"""


@pytest.fixture
def small(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 812}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _fits(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    scroll_width, inner_width = page.evaluate(OVERFLOW)
    assert inner_width == WIDTH
    assert scroll_width <= inner_width, (name, scroll_width, page.evaluate(WIDE))


def test_methods_shipit_and_settings_fit_a_phone(
    small: Any, page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(small, "admin@brightwater.example", DEMO_PASSWORD)

    small.goto(f"{live_server.url}/methods/")
    _fits(small, "phone-methods")
    # the wide table scrolls inside its own named, focusable box
    box = small.locator(".prose .table-wrap").first
    expect(box).to_have_attribute("role", "region")
    expect(box).to_have_attribute("tabindex", "0")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    assert box.evaluate("b => b.getBoundingClientRect().right") <= WIDTH
    box.scroll_into_view_if_needed()
    small.screenshot(path=str(SHOTS / "phone-methods-table.png"))
    # long code wraps inside the text column
    widest = small.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll('.prose code'))"
        ".filter(c => !c.closest('.table-wrap')).map(c => c.getBoundingClientRect().right))"
    )
    assert widest <= WIDTH

    small.goto(f"{live_server.url}/autonomy/shipit/")
    form = small.locator("form.shipit-form")
    expect(form).to_be_visible()
    _fits(small, "phone-shipit")
    # one column: every field as wide as the form, each label above its box
    form_box = form.bounding_box()
    for field in ("Title", "Theme (optional)", "Starts", "Hours"):
        box = small.get_by_label(field, exact=True).bounding_box()
        assert box["width"] >= form_box["width"] - 2, field
        assert box["x"] + box["width"] <= WIDTH
    starts = small.get_by_label("Starts", exact=True).bounding_box()
    hours = small.get_by_label("Hours", exact=True).bounding_box()
    assert hours["y"] > starts["y"] + starts["height"]

    small.goto(f"{live_server.url}/settings/")
    expect(small.get_by_text("Tenant URL (SCIM base URL)")).to_be_visible()
    _fits(small, "phone-settings")
    scim = small.locator("dd code").first
    assert scim.evaluate("c => c.getBoundingClientRect().right") <= WIDTH
    # a real server's address is longer than the test server's: it wraps, never widens
    scim.evaluate(
        "c => { c.textContent = 'https://people.' + 'a-long-school-district'.repeat(3)"
        " + '.example.org/scim/v2'; }"
    )
    _fits(small, "phone-settings-long-scim-url")
    assert scim.evaluate("c => c.getBoundingClientRect().right") <= WIDTH

    # on a laptop the ShipIt form puts start and hours side by side, each still readable
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/autonomy/shipit/")
    starts = page.get_by_label("Starts", exact=True).bounding_box()
    hours = page.get_by_label("Hours", exact=True).bounding_box()
    title = page.get_by_label("Title", exact=True).bounding_box()
    assert abs(starts["y"] - hours["y"]) < 2
    assert hours["x"] > starts["x"] + starts["width"]
    assert starts["width"] >= 200
    assert title["width"] > starts["width"] + hours["width"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("form.shipit-form").screenshot(path=str(SHOTS / "laptop-shipit.png"))


def test_a_pulse_answers_in_spanish_on_a_phone_one_per_line(
    small: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    """Five answers side by side need a fifth of 375 px for "Totalmente en desacuerdo":
    Spanish pushed the form sideways. On a phone each answer has its own line."""
    company = ensure_demo().company
    actor = Actor.system(company)
    today = timezone.localdate()
    pulse = pulse_services.create_round(
        actor=actor, name="Pulso", opens=today, closes=today + dt.timedelta(days=5)
    )
    pulse_services.open_round(actor=actor, round=pulse, send=False)
    Person.objects.filter(organisation=company, email="member@brightwater.example").update(
        language="es"
    )
    sign_in(small, "member@brightwater.example", DEMO_PASSWORD)
    small.goto(f"{live_server.url}/pulse/")
    small.locator("a[href*='/answer']").first.click()
    first = small.locator("fieldset.likert").first
    expect(first.locator("label").first).to_contain_text("Totalmente en desacuerdo")
    _fits(small, "phone-pulse-answer-es")
    boxes = [first.locator("label").nth(i).bounding_box() for i in range(5)]
    assert all(b["y"] > a["y"] + a["height"] - 1 for a, b in itertools.pairwise(boxes))
    assert all(b["x"] + b["width"] <= WIDTH for b in boxes)
    # the 0–10 question keeps its numbers in rows, each still a tap target
    scores = small.locator("fieldset.likert--enps label")
    for i in range(11):
        box = scores.nth(i).bounding_box()
        assert box["x"] + box["width"] <= WIDTH
        assert box["width"] >= 24
