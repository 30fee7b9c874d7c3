"""The demo in the browser (issue 18, items 5 and 6): a pulse's invitations wait in the
outbox with links to the address served, one line on the terminal; and the README's
five-minute tour, step by step, as it is written."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.demo import outbox
from ampwork.demo.services import DEMO_PASSWORD

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def served(settings: Any, live_server: Any, tmp_path: Path) -> str:
    """What ``ampwork demo`` sets while serving, at the live server's address."""
    settings.BASE_URL = live_server.url
    settings.EMAIL_BACKEND = outbox.BACKEND
    settings.DEMO_OUTBOX_DIR = tmp_path / "outbox"
    return str(live_server.url)


def _sign_out(page: Any) -> None:
    page.locator("details.menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Email")).to_be_visible()


def _nav(page: Any, name: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=name, exact=True).first.click()


def _open_a_pulse(page: Any, url: str) -> None:
    page.goto(f"{url}/pulse/")
    page.get_by_role("link", name="New pulse").click()
    page.get_by_label("Name").fill("Spring pulse")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Open and send invitations").click()
    expect(page.get_by_text("Open: 59 invitations sent.")).to_be_visible()


def test_a_pulses_invitations_wait_in_the_outbox_with_links_here(
    page: Any,
    phone: Any,
    served: str,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    _open_a_pulse(page, served)
    lines = [line for line in capsys.readouterr().err.splitlines() if "ampwork: " in line]
    assert lines == [
        f"ampwork: 59 emails “Spring pulse: two minutes, anonymous” → outbox: {served}/demo/outbox/"
    ]
    # each person reads their own mail: the admin, one invitation of the 59
    page.goto(f"{served}/demo/outbox/")
    expect(page.get_by_text("1 message.")).to_be_visible()
    expect(page.locator(".outbox")).to_contain_text("to admin@brightwater.example")
    message = page.locator(".outbox details").first
    message.locator("summary").click()
    link = message.get_by_role("link")
    expect(link).to_have_attribute("href", re.compile(rf"^{re.escape(served)}/pulse/answer/"))
    shot(page, "demo-outbox")
    sign_in(phone, "member@brightwater.example", DEMO_PASSWORD)
    phone.goto(f"{served}/demo/outbox/")
    expect(phone.locator(".outbox")).to_contain_text("to member@brightwater.example")
    expect(phone.locator(".outbox")).not_to_contain_text("admin@brightwater.example")
    phone.locator(".outbox details summary").first.click()
    shot(phone, "demo-outbox-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    link.click()  # the person's one-time link, on this server
    expect(page.get_by_role("heading", name="Spring pulse")).to_be_visible()
    expect(page.get_by_text("without your name")).to_be_visible()


def test_a_member_reads_only_their_own_mail(
    page: Any, served: str, sign_in: Callable[..., None], live_server: Any
) -> None:
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    response = page.goto(f"{served}/demo/outbox/")
    assert response.status == 200
    expect(page.get_by_text("your mail only")).to_be_visible()


def test_the_readmes_tour_as_written(
    page: Any, served: str, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    for email in (
        "member@brightwater.example",
        "manager@brightwater.example",
        "admin@brightwater.example",
        "teacher@hillside.example",
    ):
        assert f"`{email}`" in README
    # 1. the engineer checks in and opens the weekly review
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    _nav(page, "Check-ins")
    row = page.locator("form", has_text="Deploys a week from 6 to 30").first
    row.get_by_label("Now").fill("24")
    row.get_by_label("Confidence").fill("7")
    row.get_by_label("Note").fill("Canary deploys on")
    row.get_by_role("button", name="Save").click()
    expect(row.get_by_text(re.compile(r"Saved"))).to_be_visible()
    _nav(page, "Progress")
    page.get_by_role("link", name="Write this week's review").first.click()
    expect(page.get_by_text("Small wins this week")).to_be_visible()
    _sign_out(page)
    # 2. the manager answers Sam Carter's review and opens the team's autonomy grid
    sign_in(page, "manager@brightwater.example", DEMO_PASSWORD)
    page.get_by_role("link", name=re.compile("reviews waiting for your answer")).click()
    page.get_by_role("link", name=re.compile("Sam Carter")).first.click()
    page.get_by_label("Your answer").fill("Pairing on a first deploy: that is how teams grow.")
    page.get_by_role("button", name="Send answer").click()
    expect(page.get_by_text("Pairing on a first deploy")).to_be_visible()
    _nav(page, "Autonomy")
    page.get_by_role("link", name="Platform: team grid").click()
    expect(page.get_by_role("heading", name=re.compile("four Ts"))).to_be_visible()
    _sign_out(page)
    # 3. the admin: the advisor's classic mistakes, the pay audit, a pulse and its mail
    sign_in(page, "admin@brightwater.example", DEMO_PASSWORD)
    _nav(page, "Advisor")
    for mistake in ("If-then reward on creative work", "Defaulting to control"):
        expect(page.get_by_role("link", name=mistake).first).to_be_visible()
    expect(page.get_by_role("link", name="Ignoring baseline fairness").first).to_be_visible()
    _nav(page, "Fairness")
    expect(page.get_by_text("Fairness gate: RED")).to_be_visible()
    _open_a_pulse(page, served)
    page.goto(f"{served}/demo/outbox/")
    expect(page.get_by_text("1 message.")).to_be_visible()  # their own invitation
    # 4. the school: the admin switches to Hillside Academy, where they are head teacher
    page.locator("details.menu summary").click()
    page.get_by_label("Organisation", exact=True).select_option(label="Hillside Academy")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_text("Your role here: head teacher.")).to_be_visible()
    _sign_out(page)
    sign_in(page, "teacher@hillside.example", DEMO_PASSWORD)
    expect(page.get_by_text("Year 9 Science").first).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("reflections waiting for your answer"))
    ).to_be_visible()
    shot(page, "demo-tour-teacher")
