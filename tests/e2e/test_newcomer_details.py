"""Issue 18 — things a newcomer trips over in the first hour, in a real browser. Item 13: the
home trend chart is drawn inside its column, a p-value is never "p = 0.000", a Greek letter
in a heading set in capitals stays itself (α, never Α), the settings form speaks people's
words. Item 4: no link leads its reader to a page they may not open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core.models import Organisation
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.pulse.models import Response, Round

from ..crawl import CAPITALISED_GREEK

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
]

# each chart's drawn width the moment plotly.js has drawn it, before anything resizes it
RECORD_FIRST_DRAW = """
window.__firstDraw = [];
new MutationObserver(function (changes) {
  changes.forEach(function (c) {
    var el = c.target;
    if (c.attributeName === "data-drawn" && el.getAttribute("data-drawn") === "1") {
      var svg = el.querySelector(".main-svg");
      var column = el.closest(".grid-2 > *") || el.parentElement;
      window.__firstDraw.push({
        svg: svg ? svg.getBoundingClientRect().right : null,
        column: column.getBoundingClientRect().right,
        width: svg ? svg.getBoundingClientRect().width : null,
      });
    }
  });
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-drawn"]});
"""


@pytest.mark.parametrize("width", [1280, 1024, 700])
def test_home_trend_chart_is_drawn_inside_its_column(
    width: int,
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    ensure_demo()
    page.set_viewport_size({"width": width, "height": 900})
    page.add_init_script(RECORD_FIRST_DRAW)
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    chart = page.locator(".dashboard .chart .js-chart")
    expect(chart).to_have_attribute("data-drawn", "1", timeout=30_000)  # plotly.js is 4.8 MB
    first = page.evaluate("window.__firstDraw")
    print(first)
    shot(page, f"home-trend-chart-{width}")
    assert first
    for drawn in first:
        assert drawn["svg"] <= drawn["column"] + 1, drawn


def test_a_p_value_below_one_in_a_thousand_reads_p_below_0_001(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    before, after = Round.objects.filter(
        organisation__slug="brightwater", status=Round.Status.CLOSED, teams__isnull=True
    ).order_by("-closes")[:2][::-1]
    for round, value in ((before, 1), (after, 5)):  # everyone unhappy, then everyone happy
        for response in Response.objects.filter(round=round):
            response.answers = {code: value for code in response.answers}
            response.save(update_fields=["answers"])
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/pulse/rounds/{after.pk}/")
    changes = page.locator("section", has=page.get_by_role("heading", name="Change since"))
    expect(changes.first).to_contain_text("p < 0.001")
    expect(page.locator("main")).not_to_contain_text("p = 0.000")
    shot(page, "pulse-change-p-below-0.001")


def test_greek_letters_in_capitalised_headings_stay_lower_case(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    round = Round.objects.filter(
        organisation__slug="brightwater", status=Round.Status.CLOSED, teams__isnull=True
    ).latest("closes")
    page.goto(f"{live_server.url}/pulse/rounds/{round.pk}/")
    header = page.locator("table", has_text="Item-total").locator("thead th").nth(1)
    expect(header).to_have_css("text-transform", "uppercase")
    assert header.inner_text() == "α"  # innerText is the text as shown, after the transform
    respondents = page.locator("table", has_text="Item-total").locator("thead th").nth(3)
    assert respondents.inner_text() == "n"  # the respondents; N would be the population
    for url in ("/methods/", f"/pulse/rounds/{round.pk}/"):
        page.goto(live_server.url + url)
        assert page.evaluate(CAPITALISED_GREEK) == [], url


def test_settings_speak_peoples_words(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/settings/")
    for label in (
        "Name of the organisation",
        "Anonymity minimum (people per group)",
        "Autonomy policy",
        "OKR cadence",
    ):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Okr cadence")
    expect(page.locator("main")).not_to_contain_text("Anonymity min group")
    page.get_by_label("OKR cadence").select_option("yearly")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".message")).to_contain_text("Settings saved")
    assert Organisation.objects.get(slug="brightwater").okr_cadence == "yearly"
    shot(page, "settings-labels")


def test_people_ops_are_not_sent_to_a_page_they_may_not_open(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    """Item 4: following a finding's "Open the evidence" gave people ops a 403."""
    ensure_demo()
    sign_in(page, "people@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/advisor/")
    page.get_by_role("link", name="Defaulting to control").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Defaulting to control")
    expect(page.get_by_role("link", name="Open the evidence")).to_have_count(0)
    expect(page.locator(".evidence")).to_contain_text("autonomy")
    expect(page.get_by_text("not open to your role")).to_be_visible()
    shot(page, "finding-evidence-not-for-people-ops")
    finding = page.url
    # an admin gets the link, and it opens
    page.context.clear_cookies()
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.goto(finding)
    page.get_by_role("link", name="Open the evidence").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/autonomy/teams/" in page.url


def test_a_member_on_the_reward_style_page_is_not_offered_the_advisor(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/advisor/reward-style/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Which rewards fit this work?")
    expect(page.get_by_role("link", name="Advisor", exact=True)).to_have_count(0)
    assert page.request.get(f"{live_server.url}/advisor/").status == 403
