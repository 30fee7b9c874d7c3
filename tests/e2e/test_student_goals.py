"""A student's goal in the worksheet's shape, and their conference portfolio (issue 20): Ann
fills in where she is now, her action plan and what she is proud of, then downloads her
conference PDF — whose text holds her purpose, her goal and its percentage, and what was
shared with her family, never what was not. On a laptop and on a phone."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ampwork.classroom.models import Goal

from ..classroom.goals import (
    GOAL,
    PASSWORD,
    SHARED_FEEDBACK,
    SHARED_WINS,
    UNSHARED_FEEDBACK,
    UNSHARED_WINS,
    make_school,
)
from .conftest import SHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_student_fills_in_a_goal_and_downloads_the_conference_pdf(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    school = make_school("hillside-goals-e2e")
    sign_in(page, "ann@hillside-goals-e2e.example", PASSWORD)
    page.get_by_role("link", name="Goals", exact=True).click()
    expect(page.get_by_role("heading", name="My goals")).to_be_visible()
    expect(page.get_by_text("50%").first).to_be_visible()
    page.get_by_role("link", name=f"Fill in {GOAL}").click()
    page.get_by_label("Where I am now").fill("I read two books last term.")
    page.get_by_label("My action plan").fill(
        "Twenty minutes every evening; the library on Fridays."
    )
    page.get_by_label("What I am proud of").fill("I finished six books — my best term!")
    page.get_by_role("button", name="Save my goal").click()
    expect(page.get_by_text("Goal saved.")).to_be_visible()
    goal = Goal.objects.get(objective=school.objective)
    assert goal.action_plan == "Twenty minutes every evening; the library on Fridays."
    page.get_by_role("link", name="My goals").click()
    expect(page.get_by_text("the library on Fridays")).to_be_visible()
    shot(page, "student-goals-laptop")

    with page.expect_download() as caught:
        page.get_by_role("link", name="Download my conference portfolio (PDF)").click()
    download = caught.value
    assert download.suggested_filename == "conference-portfolio-ann-archer.pdf"
    SHOTS.mkdir(parents=True, exist_ok=True)
    saved = SHOTS / "student-conference-portfolio.pdf"
    download.save_as(saved)
    text = _text(saved)
    assert GOAL in text
    assert "50% of the way there" in text
    assert "I read two books last term." in text
    assert "the library on Fridays" in text
    assert "I finished six books — my best term!" in text
    assert SHARED_WINS in text
    assert SHARED_FEEDBACK in text
    assert UNSHARED_WINS not in text
    assert UNSHARED_FEEDBACK not in text

    # Ben, in the same class, changes the id in the address: refused
    sign_in(phone, "ben@hillside-goals-e2e.example", PASSWORD)
    response = phone.request.get(
        f"{live_server.url}/classroom/students/{school.ann.pk}/conference.pdf"
    )
    assert response.status == 403
    # his own page on a phone: nothing yet, and what to do
    phone.goto(f"{live_server.url}/classroom/goals/")
    expect(phone.get_by_text("No goals this term yet")).to_be_visible()
    shot(phone, "student-goals-empty-phone")
    # Ann's goal on a phone
    phone.context.clear_cookies()
    sign_in(phone, "ann@hillside-goals-e2e.example", PASSWORD)
    phone.goto(f"{live_server.url}/classroom/goals/{school.objective.pk}/")
    expect(phone.get_by_role("button", name="Save my goal")).to_be_visible()
    shot(phone, "student-goal-phone")
