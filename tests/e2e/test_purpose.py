"""A student writes a statement; the teacher sees the class's themes once enough wrote."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.purpose.models import Statement

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]


def test_student_writes_and_teacher_sees_themes(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(page, "student@hillside.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Purpose").click()
    expect(page.get_by_role("heading", name="What is school for, for you?")).to_be_visible()
    page.get_by_label("Your answer").fill("To find out what I love and get good at it.")
    page.get_by_label("Counted in the themes, without my name").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".message")).to_contain_text("Your statement is saved")
    assert Statement.objects.filter(person__email="student@hillside.example").exists()
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "teacher@hillside.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/purpose/")
    themes = page.locator(".theme")
    expect(themes.first).to_be_visible()
    assert themes.count() >= 2
    expect(page.get_by_text("To find out what I love")).to_have_count(0)  # never by name
    shot(page, "class-themes")
