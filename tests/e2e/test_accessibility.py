"""axe-core over every page of every demo role (issue 18): no critical or serious violation.

Each demo role's pages are found by its walk (tests/crawl.py: every page that needs no
object, and every page its links lead to); one page of each kind is opened at laptop size
in Chromium, in one browser context per role, and checked with axe-core's WCAG 2 A and AA
rules (``axe-playwright-python`` ships axe.min.js). A failure lists page, rule and node.
The same walk checks that no lower-case Greek letter is set in capitals by CSS (α → Α).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from playwright.sync_api import expect

from ampwork.advisor import selectors as advisor_selectors
from ampwork.advisor import services as advisor_services
from ampwork.core.models import Person
from ampwork.core.permissions import Actor
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo

from ..crawl import CAPITALISED_GREEK, DEMO_ROLES, signed_in, walk

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
]

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}, "resultTypes": ["violations"]}
SERIOUS = {"critical", "serious"}


def violations(page: Any, axe: Any) -> list[dict[str, Any]]:
    """axe-core's critical and serious WCAG 2 A/AA violations of the page as it stands."""
    found = axe.run(page, options=RULES).response["violations"]
    return [v for v in found if v["impact"] in SERIOUS]


# The sweep checks markup (axe's rules, CSS capitals): the same on every database, so CI
# runs it on SQLite only; tests/core/test_dead_ends.py walks the same pages on PostgreSQL too.
@pytest.mark.same_on_every_database
@pytest.mark.parametrize("role", DEMO_ROLES)
def test_every_page_of_the_role_passes_axe(role: str, browser: Any, live_server: Any) -> None:
    ensure_demo()
    client = signed_in(role)
    pages = [url for url in walk(role, client).one_page_per_kind() if not url.startswith("/api/")]
    assert len(pages) > 10
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    axe = Axe()
    problems: list[str] = []
    counts: Counter[str] = Counter()
    try:
        for url in pages:
            page.goto(live_server.url + url)
            assert not page.url.startswith(live_server.url + "/sign-in/"), url
            for v in violations(page, axe):
                counts[f"{v['id']} ({v['impact']})"] += len(v["nodes"])
                problems += [
                    f"{url}: {v['id']} ({v['impact']}) at {' '.join(map(str, node['target']))}: "
                    + node.get("failureSummary", "").replace("\n", " ")[:300]
                    for node in v["nodes"]
                ]
            for text in page.evaluate(CAPITALISED_GREEK):  # α set in capitals reads Α, n N
                counts["symbol letter in capitals"] += 1
                problems.append(f"{url}: a symbol letter (α, n) set in capitals: {text}")
    finally:
        context.close()
    summary = ", ".join(f"{rule}: {n}" for rule, n in counts.most_common())
    assert problems == [], f"{role}: {summary}\n" + "\n".join(problems)


def test_an_acknowledged_finding_keeps_its_contrast(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    """The demo has no acknowledged finding, so the walk never sees one: acknowledge each,
    then check the lists that show them (it was faded to 4.25:1)."""
    ensure_demo()
    admin = Person.objects.get(email="admin@brightwater.example", organisation__slug="brightwater")
    actor = Actor(organisation=admin.organisation, role=admin.role, user=admin.user, person=admin)
    shown = advisor_selectors.findings(actor, advisor_selectors.snapshot(actor))
    assert shown
    for s in shown:
        advisor_services.acknowledge(actor=actor, key=s.finding.key, note="We are on it.")
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    axe = Axe()
    page.goto(live_server.url + "/advisor/")  # the home page lists only open ones
    seen = page.locator(".finding--seen")
    expect(seen).to_have_count(len(shown))
    expect(seen.first).to_have_css("opacity", "1")
    assert violations(page, axe) == []
    shot(page, "advisor-acknowledged-findings")


def test_org_chart_links_each_team_page_from_outside_its_summary(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    """A link inside a <summary> is a control inside a control (axe: nested-interactive)."""
    ensure_demo()
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/org-chart/")
    expect(page.locator("summary a")).to_have_count(0)
    page.locator("summary", has_text="Engineering").click()
    shot(page, "org-chart-team-links")
    page.get_by_role("link", name="Open Engineering's page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Engineering")
