"""The Content-Security-Policy in a real browser: charts, htmx and the API docs still work,
and Chromium reports no violation; a script injected inline is refused. Sign-in throttling
as a person sees it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.okrs.models import Cycle

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]

# Collects what Chromium reports as a CSP violation, from before any page script runs.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _watch(page: Any) -> list[str]:
    console: list[str] = []
    page.add_init_script(WATCH)
    page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            console.append(msg.text)
            if msg.type == "error" or "Content Security Policy" in msg.text
            else None
        ),
    )
    return console


def _violations(page: Any) -> list[str]:
    return list(page.evaluate("window.__csp || []"))


def test_charts_htmx_and_api_docs_work_under_the_policy(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    console = _watch(page)
    response = page.goto(f"{live_server.url}/sign-in/")
    policy = dict(
        (part.split()[0], part.split()[1:])
        for part in response.headers["content-security-policy"].split(";")
    )
    assert policy["script-src"] == ["'self'"]  # no inline scripts, no eval: plotly needs neither
    assert "camera=()" in response.headers["permissions-policy"]
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    # plotly draws from the data attributes (the home page's chart) once it is in view
    page.locator(".chart").first.scroll_into_view_if_needed()
    expect(page.locator(".chart .plotly svg.main-svg").first).to_be_visible()
    assert _violations(page) == []
    # a chart page of another app, and the cycle dashboard
    cycle = Cycle.objects.filter(organisation__slug="brightwater").order_by("-start").first()
    assert cycle is not None
    page.goto(f"{live_server.url}/okrs/cycles/{cycle.pk}/")
    page.locator(".chart").first.scroll_into_view_if_needed()
    expect(page.locator(".chart .plotly svg.main-svg").first).to_be_visible()
    assert _violations(page) == []
    # the OKR tree opens a team's branch through htmx
    page.goto(f"{live_server.url}/okrs/")
    page.locator(".branch summary", has_text="Platform").click()
    link = page.get_by_role("link", name="Shipping is boring: small, safe, frequent")
    expect(link).to_be_visible()
    assert _violations(page) == []
    # the API docs (Swagger UI, served locally)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    assert _violations(page) == []
    assert [m for m in console if "Content Security Policy" in m] == []


def test_the_weekly_check_in_saves_through_htmx_under_the_policy(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    console = _watch(page)
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Check-ins").click()
    row = page.locator("form.checkin-row").first
    row.locator("input[name=value]").fill("1")
    row.locator("input[name=value]").press("Enter")
    expect(row.get_by_role("status")).to_contain_text("Saved")
    assert _violations(page) == []
    assert [m for m in console if "Content Security Policy" in m] == []


def test_an_injected_inline_script_is_refused(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    """The policy does bite: a script that got into a page as markup does not run."""
    ensure_demo()
    _watch(page)
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.evaluate(
        """() => {
        const s = document.createElement("script");
        s.textContent = "window.__pwned = true";
        document.body.appendChild(s);
        const img = document.createElement("img");
        img.setAttribute("onerror", "window.__pwned2 = true");
        img.src = "/nope.png";
        document.body.appendChild(img);
    }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned === undefined && window.__pwned2 === undefined")
    assert any(v.startswith("script-src") for v in _violations(page))


def test_a_locked_out_sign_in_says_so_plainly(
    page: Any, live_server: Any, sign_in: Callable[[Any, str, str], None]
) -> None:
    ensure_demo()
    for _ in range(5):
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Email").fill("member@brightwater.example")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Too many failed sign-ins; try again in 15 minutes."
    )
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("Too many failed sign-ins")
    assert page.url.endswith("/sign-in/")
    # someone else at the same address (one school, one connection) still signs in
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    assert page.url == f"{live_server.url}/"
