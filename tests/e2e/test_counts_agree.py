"""A newcomer's first hour (issue 18, item 11): each figure counts the same thing wherever
it appears — one class is "1 class"; the review grid's columns say what they lack; the
whole company is one row of a pulse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core.models import Team
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.pulse.models import Round

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]


def test_one_class_is_one_class(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "teacher@hillside.example", DEMO_PASSWORD)
    stat = page.locator(".stat", has=page.locator("a[href='/org-chart/']"))
    expect(stat.locator(".stat__n")).to_have_text("1")
    expect(stat.locator(".stat__l")).to_contain_text("class ·")
    # the same one class the home page lists as the teacher's
    expect(page.get_by_role("heading", name="Your classes")).to_be_visible()
    shot(page, "school-home-one-class")


def test_review_grid_says_what_each_column_lacks(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    result = ensure_demo()
    platform = Team.objects.get(organisation=result.company, name="Platform")
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/mastery/teams/{platform.pk}/")
    headers = page.locator(".review-grid thead th")
    expect(headers.last).to_contain_text("from key results")
    grid = page.locator(".review-grid")
    expect(grid).not_to_contain_text("too little data")
    # Chloe rated several weeks but owns no key result: the flag column says that
    chloe = grid.locator("tbody tr", has=page.get_by_role("link", name="Chloe Moreau"))
    expect(chloe.locator("td").last).to_have_text("no key results yet")
    expect(chloe.locator("td").nth(-2)).not_to_contain_text("/4 weeks")
    # Marco rated no week: the flow column counts rated weeks as its rule does
    marco = grid.locator("tbody tr", has=page.get_by_role("link", name="Marco Bianchi"))
    expect(marco.locator("td").nth(-2)).to_have_text("0/4 weeks rated")
    shot(page, "review-grid-words")


def test_pulse_lists_the_company_once(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    result = ensure_demo()
    october = Round.objects.get(organisation=result.company, name="AMP Pulse October 2026")
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/pulse/rounds/{october.pk}/")
    rows = page.locator("table tbody tr th[scope='row'], table tbody tr td:first-child")
    first_cells = [t.strip() for t in rows.all_inner_texts()]
    assert "Everyone (Brightwater Labs)" in first_cells
    assert "Brightwater Labs" not in first_cells
    assert "Engineering" in first_cells
    shot(page, "pulse-everyone-once")
    sign_in(phone, "admin@brightwater.example", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/pulse/rounds/{october.pk}/")
    expect(phone.get_by_text("Everyone (Brightwater Labs)")).to_have_count(1)
    shot(phone, "pulse-everyone-once-phone")
