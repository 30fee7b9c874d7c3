"""Issue 18 ("a newcomer's first hour"), the OKR pages in a real browser: deleting asks
first; the alignment tree shows what opens; close-and-score names owners; a new objective
is 'not started'; the figures agree; focus after the last check-in row."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core.models import Person, Team
from ampwork.core.permissions import Actor
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.okrs import selectors, services
from ampwork.okrs.models import Objective

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
]

ADMIN = "admin@brightwater.example"


def _admin_actor() -> Actor:
    company = ensure_demo().company
    admin = Person.objects.get(organisation=company, email=ADMIN)
    return Actor(organisation=company, role=admin.role, person=admin, user=admin.user)


def test_delete_asks_first_and_a_double_click_deletes_once(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    actor = _admin_actor()
    cycle = selectors.current_cycle(actor.organisation)
    assert cycle is not None
    doomed = services.create_objective(
        actor=actor, cycle=cycle, title="A draft to throw away", owner_kind="organisation"
    )
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, ADMIN, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/okrs/objectives/{doomed.pk}/")
    page.get_by_role("link", name="Delete this objective…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete “A draft to throw away”?")
    expect(page.get_by_role("link", name="Keep it")).to_be_focused()  # the safe choice first
    assert Objective.objects.filter(pk=doomed.pk).exists()  # asking deleted nothing
    shot(page, "okr-delete-confirm")
    sign_in(phone, ADMIN, DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/okrs/objectives/{doomed.pk}/delete/")
    expect(phone.get_by_role("button", name="Delete this objective")).to_be_visible()
    shot(phone, "okr-delete-confirm-phone")
    # Keep it goes back, untouched
    page.get_by_role("link", name="Keep it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A draft to throw away")
    page.get_by_role("link", name="Delete this objective…").click()
    page.get_by_role("button", name="Delete this objective").dblclick()
    expect(page.locator(".message").first).to_contain_text(re.compile("deleted"))
    assert not Objective.objects.filter(pk=doomed.pk).exists()
    # the same form sent again (a resent page, a second click that got through)
    phone.get_by_role("button", name="Delete this objective").click()
    expect(phone.locator(".message").first).to_contain_text("already deleted")
    assert errors == []


def test_the_alignment_tree_shows_what_opens_and_opens_by_keyboard(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    sign_in(page, ADMIN, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/okrs/")
    company = ensure_demo().company
    total = Objective.objects.filter(cycle=selectors.current_cycle(company)).count()
    # the organisation once: its own team holds every objective, no second "Brightwater Labs"
    expect(page.locator(".branch__name", has_text=company.name)).to_have_count(1)
    expect(page.locator("section.card h2", has_text=company.name)).to_have_count(0)
    root = page.locator("details.branch").first
    expect(root.locator(".branch__count").first).to_have_text(f"{total} objectives")
    summary = page.locator(
        "details.branch > summary",
        has=page.locator(".branch__name", has_text=re.compile("^Mobile$")),
    )
    mobile = summary.locator("xpath=..")
    marker = summary.locator(".branch__marker")
    content = marker.evaluate("el => getComputedStyle(el, '::before').content")
    assert "▸" in content  # a visible disclosure marker
    assert _closed(mobile)
    summary.focus()
    page.keyboard.press("Enter")
    expect(mobile.locator(".branch__person-name").first).to_be_visible()
    assert not _closed(mobile)
    angle = marker.evaluate("el => getComputedStyle(el, '::before').transform")
    assert angle != "none"  # turned to point down when open
    expect(mobile.locator(".branch__body ul.objectives li")).to_have_count(10)
    expect(summary).to_contain_text("10 objectives")
    shot(page, "okr-tree")
    sign_in(phone, ADMIN, DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/okrs/")
    expect(phone.locator(".branch__marker").first).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    shot(phone, "okr-tree-phone")


def _closed(details: Any) -> bool:
    return bool(details.evaluate("el => !el.open"))


def test_close_and_score_tells_alike_objectives_apart(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    sign_in(page, ADMIN, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/okrs/")
    page.get_by_role("link", name="Cycle dashboard").click()
    page.get_by_role("link", name="Close and score the cycle").click()
    alike = page.locator("section.card h2", has_text="Crash-free sessions stay above 99.5%")
    # a click does not wait for the next page: reading the owners at once once read the old one
    expect(alike).to_have_count(9)
    owners = [o.strip(" ·") for o in alike.locator(".close__owner").all_inner_texts()]
    assert len(owners) == 9
    assert len(set(owners)) == 9  # each told apart by its owner
    assert owners == sorted(owners)  # side by side, in the owners' order
    expect(
        page.get_by_label(
            f"Override score of Crash-free sessions from 99.1% to 99.6% ({owners[0]})"
        )
    ).to_be_visible()
    shot(page, "okr-close")
    sign_in(phone, ADMIN, DEMO_PASSWORD)
    phone.goto(page.url)
    expect(phone.locator(".close__owner").first).to_be_visible()
    shot(phone, "okr-close-phone")


def test_a_new_objective_is_not_started_and_leaves_its_team_alone(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    actor = _admin_actor()
    cycle = selectors.current_cycle(actor.organisation)
    assert cycle is not None
    platform = Team.objects.get(organisation=actor.organisation, name="Platform")
    before = selectors.alignment(actor, cycle, platform.pk).branches[0].status
    fresh = services.create_objective(
        actor=actor,
        cycle=cycle,
        title="Customers never wait for a deploy",
        owner_kind="team",
        owner_team_id=platform.pk,
    )
    services.create_key_result(
        actor=actor, objective=fresh, title="Deploy queue from 5 h to 0 h", start=5, target=0
    )
    sign_in(page, ADMIN, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/okrs/?team={platform.pk}")
    row = page.locator("ul.objectives li", has_text="Customers never wait for a deploy")
    expect(row.locator(".status")).to_have_text("not started")
    branch = page.locator("details.branch").first
    expect(branch.locator("summary .status").first).to_have_text(before)
    page.get_by_role("link", name="Customers never wait for a deploy").click()
    expect(page.locator(".summary-grid")).to_contain_text("not started")
    expect(page.locator(".summary-grid")).to_contain_text("no check-in yet")
    shot(page, "okr-not-started")


def test_the_owner_list_and_the_home_page_agree_with_the_okr_pages(
    page: Any, live_server: Any, sign_in: Callable[..., None]
) -> None:
    company = ensure_demo().company
    sign_in(page, ADMIN, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/okrs/objectives/new/")
    options = page.get_by_label("Owner").locator("option").all_inner_texts()
    assert options.count(f"The organisation ({company.name})") == 1
    assert f"Team: {company.name}" not in options
    page.goto(f"{live_server.url}/")
    whole = page.locator("#health-h").locator("xpath=..").locator(".stat").nth(1)
    figures = re.findall(r"\d+", whole.locator(".stat__n").inner_text())
    line = page.locator("tr", has=page.locator("th", has_text=company.name))
    cells = line.locator("td").nth(1).inner_text()
    assert re.findall(r"\d+", cells) == figures[:3]
    assert sum(int(n) for n in figures[:3]) > 0


def test_focus_moves_to_the_summary_after_the_last_row(
    page: Any, phone: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/okrs/check-in/")
    rows = page.locator("form.checkin-row")
    expect(page.get_by_role("heading", name="Objectives you own (1)")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Your key results in others' objectives (1)")
    ).to_be_visible()
    last = rows.last
    last.locator("input[name=value]").fill("20")
    last.locator("input[name=note]").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".checkin-row--saved")).to_have_count(1)
    done = page.locator("#checkin-done")
    expect(done).to_be_focused()
    expect(done).to_contain_text("That was the last one")
    assert page.evaluate("document.activeElement.tagName") != "BODY"
    shot(page, "okr-check-in-done")
    sign_in(phone, "member@brightwater.example", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/okrs/check-in/")
    expect(phone.get_by_role("heading", name="Objectives you own (1)")).to_be_visible()
    shot(phone, "okr-check-in-phone")
