"""Sign in, switch organisation, import people from CSV, see them in the org chart."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core.models import Person
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]

TEAMS = "name,parent,kind\nResearch,Brightwater Labs,department\nLab Crew,Research,team\n"
PEOPLE = (
    "name,email,job_title,manager_email,teams,lead_of\n"
    "Rosalind Franklin,rosalind@brightwater.example,Research Lead,,,Lab Crew\n"
    "Marie Curie,marie@brightwater.example,Scientist,rosalind@brightwater.example,"
    "Lab Crew,\n"
)


def test_sign_in_switch_import_and_org_chart(
    page: Any,
    live_server: Any,
    tmp_path: Path,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    ensure_demo()
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Brightwater Labs")

    # switch to the school and back, by keyboard
    page.locator(".menu summary").press("Enter")  # the account menu, by keyboard
    page.get_by_label("Organisation", exact=True).select_option(label="Hillside Academy")
    page.get_by_role("button", name="Switch").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hillside Academy")
    expect(page.get_by_role("link", name="Classes", exact=True)).to_be_visible()
    page.locator(".menu summary").click()
    page.get_by_label("Organisation", exact=True).select_option(label="Brightwater Labs")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Brightwater Labs")

    # import teams, then people, each through the preview step
    for kind, text in (("teams", TEAMS), ("people", PEOPLE)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        page.get_by_role("link", name="Import", exact=True).click()
        page.get_by_label("Kind").select_option(kind)
        page.get_by_label("CSV file").set_input_files(str(path))
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", name=re.compile("Preview"))).to_be_visible()
        shot(page, f"import-{kind}-preview")
        page.get_by_role("button", name=re.compile(f"Import \\d+ {kind}")).click()
        expect(page.locator(".message")).to_contain_text(f"Imported 2 {kind}")

    assert Person.objects.filter(
        email="marie@brightwater.example", manager__email="rosalind@brightwater.example"
    ).exists()
    # the import lands on People, where the people imported are listed (issue 18, item 13)
    expect(page).to_have_url(re.compile("/people/$"))
    expect(page.locator(".message")).to_have_text(
        "Imported 2 people from people.csv: Rosalind Franklin, Marie Curie."
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("People")
    expect(page.get_by_role("link", name="Marie Curie")).to_be_visible()
    expect(page.get_by_role("link", name="Rosalind Franklin").first).to_be_visible()
    shot(page, "people-after-import")
    # the org chart: open the tree down to the new team
    page.goto(f"{live_server.url}/org-chart/")
    page.locator("summary", has_text="Research").click()
    page.locator("summary", has_text="Lab Crew").click()
    crew = page.locator(".orgchart__people", has_text="Marie Curie")
    expect(crew).to_contain_text("Rosalind Franklin")
    expect(crew.locator(".person-chip--lead")).to_contain_text("Rosalind Franklin")
    shot(page, "org-chart-after-import")


def test_bad_import_shows_line_and_column(
    page: Any, live_server: Any, tmp_path: Path, sign_in: Callable[..., None]
) -> None:
    ensure_demo()
    before = Person.objects.count()
    sign_in(page, "people@brightwater.example", DEMO_PASSWORD)
    path = tmp_path / "people.csv"
    path.write_text("name,email,hire_date\nA,a@x.example,2024-13-01\n", encoding="utf-8")
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Line 2, column hire_date")
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    assert Person.objects.count() == before


def test_people_search_and_phone_layout(
    phone: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(phone, "member@brightwater.example", DEMO_PASSWORD)
    phone.get_by_role("link", name="People", exact=True).click()
    # a click waits only for the navigation to commit: let htmx wire up the form first
    phone.wait_for_url("**/people/")
    phone.wait_for_load_state("load")
    phone.get_by_label("Search").fill("Marco")
    expect(phone.locator("#people-results")).to_contain_text("1 person matching")
    expect(phone.get_by_role("link", name="Add a person")).to_have_count(0)  # a member
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the people page scrolls sideways on a phone"
    shot(phone, "people-phone")


def test_unknown_team_in_an_import_suggests_the_closest(
    page: Any,
    live_server: Any,
    tmp_path: Path,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    """Issue 18, item 13: a misspelt team gets a "did you mean", with line and column."""
    ensure_demo()
    before = Person.objects.count()
    sign_in(page, "people@brightwater.example", DEMO_PASSWORD)
    path = tmp_path / "people.csv"
    path.write_text(
        "name,email,teams,lead_of\n"
        "Ada Byron,ada@brightwater.example,Platfrom,\n"
        "Alan Turing,alan@brightwater.example,Mobile,Zzyzx\n",
        encoding="utf-8",
    )
    page.goto(f"{live_server.url}/import/")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="2. Preview of people.csv")).to_be_visible()
    problems = page.get_by_role("alert").locator("li")
    expect(problems).to_have_text(
        [
            "Line 2, column teams: unknown team 'Platfrom' — did you mean 'Platform'?",
            "Line 3, column lead_of: unknown team 'Zzyzx': no team has a similar name "
            "(import or add teams first)",
        ]
    )
    expect(page.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
    assert Person.objects.count() == before
    shot(page, "import-did-you-mean")
