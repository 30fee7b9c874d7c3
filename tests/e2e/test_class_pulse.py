"""A class answers its pulse, in the browser (issue 18, item 1): a teacher creates and opens
a pulse for their class and finds its link, QR code and copy button on the round page —
and on the board; the demo's Year 9 pulse is answered through that link by a student in
another browser; a student signed in never sees the link; the page fits a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core.models import Organisation, Team
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.pulse import services
from ampwork.pulse.models import Round

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]

TEACHER = "teacher@hillside.example"
STUDENT = "student@hillside.example"
YEAR_9 = "How is Year 9 Science going?"


def test_a_teacher_creates_and_opens_a_class_pulse_and_shares_it(
    browser: Any,
    page: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    ensure_demo()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, TEACHER, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/pulse/")
    page.get_by_role("link", name="New pulse").click()
    page.get_by_label("Name").fill("Friday check-in, Year 9")
    classes = page.get_by_label("Your class")
    expect(classes.locator("option")).to_have_text(["Year 9 Science"])  # only the class he leads
    classes.select_option(label="Year 9 Science")
    page.get_by_label("Unattributed: one shared link, no identities at all").check()
    page.get_by_label("Shared link: a class code (optional)").fill("Otter")
    shot(page, "class-pulse-create")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="Friday check-in, Year 9")).to_be_visible()
    page.get_by_role("button", name="Open and show the link").click()
    expect(page.get_by_text("Open: share the link below.")).to_be_visible()

    round = Round.objects.get(name="Friday check-in, Year 9")
    token = services.open_link(round)
    assert token
    link = page.locator("#shared-link")
    expect(link).to_have_text(f"{live_server.url}/pulse/answer/{token}/")
    expect(page.get_by_role("img", name="QR code of the link to answer this pulse")).to_be_visible()
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#copy-status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == link.inner_text()
    shot(page, "class-pulse-teacher")

    # after leaving and coming back, the link is still there (it used to be shown once)
    page.goto(f"{live_server.url}/pulse/")
    page.get_by_role("link", name="Friday check-in, Year 9").click()
    expect(page.locator("#shared-link")).to_have_text(f"{live_server.url}/pulse/answer/{token}/")

    page.get_by_role("link", name="Show on the board").click()
    qr = page.get_by_role("img", name="QR code of the link to answer this pulse")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 500  # large enough to scan from the back of a classroom
    expect(page.get_by_text("your teacher will say the class code")).to_be_visible()
    expect(page.get_by_text("Otter")).to_have_count(0)  # said in class, never shown
    shot(page, "class-pulse-board")


def test_the_demo_year_9_pulse_is_answered_through_its_link(
    browser: Any,
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    ensure_demo()
    school = Organisation.objects.get(slug="hillside")
    round = Round.objects.get(organisation=school, name=YEAR_9)
    before = services.answer_count(round)

    # the teacher finds the link on the round page
    sign_in(page, TEACHER, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/pulse/")
    page.get_by_role("link", name=YEAR_9).click()
    link = page.locator("#shared-link").inner_text()
    assert link.startswith(f"{live_server.url}/pulse/answer/")

    # a student, in a browser of their own and not signed in, opens it and answers
    phone.goto(link)
    expect(phone.get_by_role("heading", name=YEAR_9)).to_be_visible()
    for group in phone.locator("fieldset.likert").all()[:5]:
        group.locator("input").nth(3).check()  # agree
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_role("heading", name="Thank you")).to_be_visible()
    shot(phone, "class-pulse-answered-phone")
    assert services.answer_count(round) == before + 1
    phone.goto(link)  # once per browser
    expect(phone.get_by_text("Already answered from this browser")).to_be_visible()

    # a student signed in sees the pulse but never its link
    student = browser.new_context(viewport={"width": 1280, "height": 900})
    student_page = student.new_page()
    sign_in(student_page, STUDENT, DEMO_PASSWORD)
    student_page.goto(f"{live_server.url}/pulse/rounds/{round.pk}/")
    expect(student_page.get_by_role("heading", name=YEAR_9)).to_be_visible()
    content = student_page.content()
    assert link not in content
    assert "/pulse/answer/" not in content
    expect(student_page.get_by_role("button", name="Copy link")).to_have_count(0)
    assert student_page.goto(f"{live_server.url}/pulse/rounds/{round.pk}/board/").status == 403
    student.close()


def test_the_round_page_with_its_link_fits_a_phone(
    phone: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    school = Organisation.objects.get(slug="hillside")
    science = Team.objects.get(organisation=school, name="Year 9 Science")
    round = Round.objects.get(organisation=school, name=YEAR_9, teams=science)
    sign_in(phone, TEACHER, DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/pulse/rounds/{round.pk}/")
    expect(phone.get_by_role("button", name="Copy link")).to_be_visible()
    expect(
        phone.get_by_role("img", name="QR code of the link to answer this pulse")
    ).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "class-pulse-teacher-phone")
    phone.get_by_role("link", name="Show on the board").click()
    expect(
        phone.get_by_role("img", name="QR code of the link to answer this pulse")
    ).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "class-pulse-board-phone")
