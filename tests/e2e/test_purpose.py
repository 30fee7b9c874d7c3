"""A student writes a statement; the teacher sees the class's themes once enough wrote."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.purpose.models import Draft, Statement

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


def _draft_endorsements(draft: Any) -> str:
    return str(draft.locator(".draft__endorsements").inner_text())


def test_endorsing_a_draft_says_so_with_the_new_count(
    page: Any,
    browser: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    """Issue 18, item 13: endorsing gives feedback — in place with htmx, focus on the
    message; as a message on the page without JavaScript — and the count goes up."""
    ensure_demo()
    draft = Draft.objects.filter(organisation__slug="brightwater").order_by("-created_at").first()
    assert draft is not None
    before = draft.endorsements.count()
    sign_in(page, "member@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/purpose/")
    article = page.locator(f"#draft-{draft.pk}")
    assert _draft_endorsements(article) == f"{before} endorsements"
    article.get_by_role("button", name="Endorse").click()
    said = article.get_by_role("status")
    expect(said).to_have_text(f"You endorse this draft: it has {before + 1} endorsements now.")
    expect(said).to_be_focused()  # the button it replaced had the focus
    expect(article.locator(".draft__endorsements")).to_have_text(f"{before + 1} endorsements")
    expect(article).to_contain_text("✓ You endorse this draft")
    expect(article.get_by_role("button", name="Endorse")).to_have_count(0)
    assert page.url == f"{live_server.url}/purpose/"  # in place: no page load
    shot(page, "purpose-endorsed-htmx")
    page.reload()
    expect(page.locator(f"#draft-{draft.pk}")).to_contain_text("✓ You endorse this draft")
    assert draft.endorsements.count() == before + 1
    # without JavaScript: the form posts, the page comes back with the message and count
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        plain = context.new_page()
        sign_in(plain, "manager@brightwater.example", DEMO_PASSWORD)
        plain.goto(f"{live_server.url}/purpose/")
        plain.locator(f"#draft-{draft.pk}").get_by_role("button", name="Endorse").click()
        expect(plain.locator(".message")).to_have_text(
            f"You endorse this draft: it has {before + 2} endorsements now."
        )
        expect(plain.locator(f"#draft-{draft.pk} .draft__endorsements")).to_have_text(
            f"{before + 2} endorsements"
        )
        expect(plain.locator(f"#draft-{draft.pk}")).to_contain_text("✓ You endorse this draft")
        shot(plain, "purpose-endorsed-no-js-phone")
    finally:
        context.close()
