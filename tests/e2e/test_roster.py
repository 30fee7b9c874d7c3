"""A head teacher uploads a OneRoster zip, sees the preview, confirms, and finds the new
class with its students (laptop and phone)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from ampwork.core.models import Organisation, Person, Role, User
from tests.classroom import bundle

PASSWORD = "correct horse battery"


def _school() -> str:
    school = Organisation.objects.create(
        name="Hillside Secondary School", slug="hillside-e2e", kind=Organisation.Kind.SCHOOL
    )
    user = User.objects.create_user("head@hillside-e2e.example", PASSWORD, name="Hana Head")
    Person.objects.create(
        organisation=school, user=user, name="Hana Head", email=user.email, role=Role.ADMIN
    )
    return user.email


def test_a_head_teacher_imports_a_roster_zip(
    page: Any,
    phone: Any,
    live_server: Any,
    tmp_path: Path,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    email = _school()
    archive = tmp_path / "roster.zip"
    archive.write_bytes(bundle.to_zip(bundle.files(bundle.rows(students=12, classes=2))))
    sign_in(page, email, PASSWORD)
    page.get_by_role("link", name="Import", exact=True).click()
    shot(page, "roster-import-page")
    page.get_by_role("link", name="import a roster zip").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Roster from your school information system"
    )
    page.get_by_label("OneRoster 1.2 CSV zip").set_input_files(str(archive))
    page.get_by_role("button", name="Check the roster").click()
    expect(page.get_by_role("heading", name="2. What this roster would change")).to_be_visible()
    students = page.get_by_role("row", name=re.compile("^Students"))
    expect(students).to_contain_text("12")
    expect(page.get_by_role("cell", name="Year 9 Science 1")).to_be_visible()
    expect(page.locator("#preview")).to_contain_text("demographics.csv: not read")
    shot(page, "roster-preview")
    assert not Person.objects.filter(email="student1@hillside.example").exists()

    page.get_by_role("button", name="Import this roster").click()
    expect(page.locator(".message")).to_contain_text("Imported the roster roster.zip")
    expect(page.locator(".message")).to_contain_text("students: 12 created")
    page.get_by_role("link", name="Year 9 Science 1").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Year 9 Science 1")
    expect(page.get_by_text("Student1 Pupil")).to_be_visible()
    expect(page.get_by_text("Ada Teacher").first).to_be_visible()
    shot(page, "roster-class")

    # the same preview on a phone, and a refused zip named by file, line and column
    sign_in(phone, email, PASSWORD)
    spoiled = bundle.rows()
    spoiled["roles.csv"][2]["role"] = "pupil"
    bad = tmp_path / "bad.zip"
    bad.write_bytes(bundle.to_zip(bundle.files(spoiled)))
    phone.goto(f"{live_server.url}/classroom/roster/")
    phone.get_by_label("OneRoster 1.2 CSV zip").set_input_files(str(bad))
    phone.get_by_role("button", name="Check the roster").click()
    expect(phone.get_by_role("alert")).to_contain_text("roles.csv, line 4, column role")
    expect(phone.get_by_role("button", name="Import this roster")).to_have_count(0)
    shot(phone, "roster-refused-phone")
    phone.get_by_label("OneRoster 1.2 CSV zip").set_input_files(str(archive))
    phone.get_by_role("button", name="Check the roster").click()
    expect(phone.get_by_role("heading", name="2. What this roster would change")).to_be_visible()
    shot(phone, "roster-preview-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"]
