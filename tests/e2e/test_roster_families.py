"""Issue 20 as one story in the browser: a head teacher imports the school's OneRoster zip
(a class with its teacher, two students, and a guardian of one of them) with the preview and
"Invite the guardians" ticked; the guardian follows the emailed link and sets a password;
the teacher shares goals with the class's families; the guardian reads their own child's
goal — made in the term the roster brought — and nothing of the other student; then the
student downloads their conference PDF, whose text is checked."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from ampwork.classroom.models import Guardian, RosterRecord
from ampwork.core.models import Person, User
from ampwork.okrs.models import KeyResult, Objective
from ampwork.okrs.services import derived
from tests.classroom import bundle

from . import test_roster
from .conftest import SHOTS
from .test_student_goals import _text

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = test_roster.PASSWORD
GUARDIAN = "pat.parent@home.example"
GUARDIAN_PASSWORD = "a lantern by the river 2026"
GOAL = "Read ten books this term"
OTHER_GOAL = "Beat my own 100 m time"


def _roster(tmp_path: Any) -> Any:
    """One class (Year 9 Science 1): Ada teaches Student1 and Student2; Pat is Student1's
    guardian; the term runs around today."""
    records = bundle.rows(students=2, classes=1)
    today = timezone.localdate()
    year, term = records["academicSessions.csv"]
    year.update(
        startDate=str(today - dt.timedelta(days=90)), endDate=str(today + dt.timedelta(days=200))
    )
    term.update(
        title="Winter term",
        startDate=str(today - dt.timedelta(days=30)),
        endDate=str(today + dt.timedelta(days=60)),
    )
    archive = tmp_path / "hillside-roster.zip"
    archive.write_bytes(bundle.to_zip(bundle.files(records)))
    return archive


def _account(email: str) -> None:
    """A sign-in for someone the roster brought (a roster makes none: the school's own
    sign-in, class codes or an invitation do, each tested on its own)."""
    person = Person.objects.get(email=email)
    person.user = User.objects.create_user(email, PASSWORD, name=person.name)
    person.save(update_fields=["user"])


def _goal(email: str, title: str, current: float) -> None:
    student = Person.objects.get(email=email)
    term = RosterRecord.objects.get(kind="session", sourced_id="term-1").cycle
    assert term is not None
    assert term.name == "Winter term"
    objective = Objective.objects.create(
        organisation=student.organisation,
        cycle=term,
        owner_kind=Objective.OwnerKind.PERSON,
        owner_person=student,
        author=student,
        title=title,
    )
    KeyResult.objects.create(
        organisation=student.organisation,
        objective=objective,
        title="Books read",
        start=0,
        target=10,
        current=current,
        owner=student,
    )
    with transaction.atomic():
        derived.refresh([objective.pk])


def test_a_roster_brings_a_guardian_who_reads_only_their_childs_shared_goal(
    page: Any,
    phone: Any,
    live_server: Any,
    tmp_path: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    head = test_roster._school()
    archive = _roster(tmp_path)

    # the head teacher: upload, preview (a term becomes a cycle), invite the guardians
    sign_in(page, head, PASSWORD)
    page.goto(f"{live_server.url}/classroom/roster/")
    page.get_by_label("OneRoster 1.2 CSV zip").set_input_files(str(archive))
    page.get_by_role("button", name="Check the roster").click()
    expect(page.get_by_role("heading", name="2. What this roster would change")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Terms"))).to_contain_text("1")
    expect(page.get_by_role("row", name=re.compile("^Guardians"))).to_contain_text("1")
    invite = page.get_by_label("Invite the guardians")
    expect(invite).not_to_be_checked()
    invite.check()
    shot(page, "roster-families-preview")
    assert mail.outbox == []
    page.get_by_role("button", name="Import this roster").click()
    expect(page.locator(".message")).to_contain_text("1 guardian invited by email")
    guardian = Guardian.objects.get(sourced_id="g-1")
    assert guardian.email == GUARDIAN

    # the teacher shares goals with the class's families; the students have goals
    _account("ada.teacher@hillside.example")
    _goal("student1@hillside.example", GOAL, 4)
    _goal("student2@hillside.example", OTHER_GOAL, 7)
    page.context.clear_cookies()
    sign_in(page, "ada.teacher@hillside.example", PASSWORD)
    page.goto(f"{live_server.url}/classroom/guardians/")
    page.get_by_role("link", name="Change").click()
    page.get_by_label("Goals — the student's own goals").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".message")).to_contain_text("Saved what Year 9 Science 1's families see")

    # the guardian: the emailed link, a password, their child's goal and nothing else
    (letter,) = [m for m in mail.outbox if m.to == [GUARDIAN]]
    found = re.search(r"(/classroom/join/[\w-]+/)", letter.body)
    assert found is not None
    phone.goto(f"{live_server.url}{found.group(1)}")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome, Pat Parent")
    phone.get_by_label("New password", exact=True).fill(GUARDIAN_PASSWORD)
    phone.get_by_label("New password confirmation").fill(GUARDIAN_PASSWORD)
    phone.get_by_role("button", name="Set password and continue").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your family page")
    expect(phone.locator("main")).not_to_contain_text("Student2")
    phone.get_by_role("link", name="Student1 Pupil").click()
    body = phone.locator("main")
    expect(body).to_contain_text(GOAL)
    expect(body).to_contain_text("40%")
    for hidden in (OTHER_GOAL, "Student2"):
        expect(body).not_to_contain_text(hidden)
    shot(phone, "roster-families-guardian-phone")
    other = Person.objects.get(email="student2@hillside.example")
    response = phone.goto(f"{live_server.url}/classroom/family/children/{other.pk}/")
    assert response is not None
    assert response.status == 404

    # the student downloads their conference portfolio
    _account("student1@hillside.example")
    page.context.clear_cookies()
    sign_in(page, "student1@hillside.example", PASSWORD)
    page.goto(f"{live_server.url}/classroom/goals/")
    with page.expect_download() as caught:
        page.get_by_role("link", name="Download my conference portfolio (PDF)").click()
    SHOTS.mkdir(parents=True, exist_ok=True)
    saved = SHOTS / "roster-families-conference-portfolio.pdf"
    caught.value.save_as(saved)
    text = _text(saved)
    assert "Student1 Pupil" in text
    assert GOAL in text
    assert "40% of the way there" in text
    assert "Winter term" in text
    assert OTHER_GOAL not in text
