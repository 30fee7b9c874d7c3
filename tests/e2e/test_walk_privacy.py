"""A walk through the pages that show privacy-bound numbers, as an admin, on a laptop and on
a phone: the pulse results (reliability with its 95% interval, change flags, hidden groups
that say "fewer than 5" and never an exact count) and the fairness overview and EU report
(who was left out of the comparison, robust standard errors, a chart that draws). No page
may log a console error or a Content-Security-Policy violation."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core.models import Organisation
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.fairness.models import PayAttribute
from ampwork.pulse.models import Round

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]

ADMIN = "admin@brightwater.example"

# Collects what Chromium reports as a CSP violation, from before any page script runs.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


# The right edge of the text of the first matching cell, and of the scrolling box around it.
TEXT_EXTENT = """
(selector) => {
  const cell = document.querySelector(selector);
  const range = document.createRange();
  range.selectNodeContents(cell);
  const wrap = cell.closest(".table-wrap").getBoundingClientRect();
  return [range.getBoundingClientRect().right, wrap.right];
}
"""


def _watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.add_init_script(WATCH)
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console: {msg.text}")
            if msg.type == "error" or "Content Security Policy" in msg.text
            else None
        ),
    )
    return problems


def _visit(page: Any, url: str, problems: list[str]) -> None:
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, (url, response.status)
    page.wait_for_load_state("networkidle")
    problems.extend(f"csp: {v}" for v in page.evaluate("window.__csp || []"))


def _setup() -> tuple[Round, int]:
    """The demo, with two people's gender blanked: they must be counted as left out."""
    ensure_demo()
    org = Organisation.objects.get(slug="brightwater")
    blanked = list(
        PayAttribute.objects.filter(organisation=org)
        .exclude(gender="")
        .values_list("pk", flat=True)[:2]
    )
    PayAttribute.objects.filter(pk__in=blanked).update(gender="")
    latest = Round.objects.filter(organisation=org, status="closed").order_by("-opens").first()
    assert latest is not None
    return latest, len(blanked)


def test_admin_walks_pulse_results_and_fairness(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    pulse, blanked = _setup()
    assert blanked == 2
    problems = _watch(page)
    sign_in(page, ADMIN, DEMO_PASSWORD)

    # Pulse results: reliability with its confidence interval, only for groups at the minimum
    _visit(page, f"{live_server.url}/pulse/rounds/{pulse.pk}/", problems)
    expect(page.get_by_role("heading", level=1)).to_have_text(pulse.name)
    reliability = page.locator("section.card", has=page.get_by_role("heading", name="Reliability"))
    headers = reliability.locator("thead th")
    # what one reads (innerText applies the headers' text-transform): α, not a capital Α
    assert headers.nth(1).inner_text() == "α"
    expect(headers.nth(2)).to_have_text(re.compile("95% CI", re.I))
    first = reliability.locator("tbody tr").first.locator("td")
    expect(first.nth(2)).to_have_text(re.compile(r"^0\.\d\d to (0\.\d\d|1\.00)$"))
    low, high = (float(x) for x in first.nth(2).inner_text().split(" to "))
    assert low <= float(first.nth(1).inner_text()) <= high  # α sits inside its own interval
    expect(page.get_by_role("heading", name=re.compile("^Change since"))).to_be_visible()
    # a hidden group says why, and never how many answered
    hidden = page.locator(".heatmap .suppressed")
    assert hidden.count() >= 1
    expect(hidden.filter(has_text="fewer than 5 responses").first).to_be_visible()
    for reason in hidden.all_inner_texts():
        assert not re.search(r"\(\d+\)|\b[1-4] (response|people|person)", reason), reason
    shot(page, "walk-pulse-results")

    # Fairness overview: the people left out are counted, robust SEs beside the classical one
    _visit(page, f"{live_server.url}/fairness/", problems)
    people = page.locator(".facts dd").first
    expect(people).to_contain_text(
        f"{blanked} left out of the comparison: {blanked} with no gender recorded"
    )
    expect(page.locator(".facts")).to_contain_text("HC1")
    expect(page.locator(".facts")).to_contain_text("HC3")
    page.locator(".chart").first.scroll_into_view_if_needed()  # charts draw when seen
    expect(page.locator(".chart .plotly")).to_be_visible()
    assert page.locator(".chart .plotly .point").count() > 0  # the chart drew its dots
    shot(page, "walk-fairness-overview")

    # EU report: the same people left out, basic and total pay per category
    _visit(page, f"{live_server.url}/fairness/reports/eu/", problems)
    expect(page.get_by_text(f"{blanked} left out of the comparison")).to_be_visible()
    categories = page.locator(
        "section.card", has=page.get_by_role("heading", name=re.compile("Categories"))
    )
    expect(categories.locator("thead")).to_contain_text(re.compile("Basic pay", re.I))
    expect(categories.locator("thead")).to_contain_text(re.compile("Total pay", re.I))

    # On a phone, a hidden group's reason stays inside the part of the table one can see
    phone_problems = _watch(phone)
    sign_in(phone, ADMIN, DEMO_PASSWORD)
    _visit(phone, f"{live_server.url}/pulse/rounds/{pulse.pk}/", phone_problems)
    text_right, visible_right = phone.evaluate(TEXT_EXTENT, ".heatmap .suppressed")
    assert text_right <= visible_right + 1, (text_right, visible_right)
    shot(phone, "walk-pulse-results-phone")

    assert problems == []
    assert phone_problems == []
