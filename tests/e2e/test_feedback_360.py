"""360 feedback in a browser: Sam asks a colleague for feedback, the colleague answers on
a phone, Sam reads the answers with who wrote them and shares one with their manager —
who then sees only that one, without the writer's name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.conversations.models import FeedbackAnswer, FeedbackRequest360
from ampwork.core.models import Person
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),
]

STRENGTH = "Your incident write-ups are the clearest in the company."
STOP = "Stop answering pages on your day off."


def test_ask_answer_share_and_the_manager_sees_only_the_shared_answer(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    ensure_demo()
    sam = Person.objects.get(email="member@brightwater.example")
    priya = Person.objects.get(email="people@brightwater.example")
    marco = Person.objects.get(email="manager@brightwater.example")
    assert sam.manager_id == marco.pk

    # Sam, on a laptop: Progress › Feedback › 360 and upward feedback, asks Priya
    sign_in(page, sam.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/mastery/feedback/")
    page.get_by_role("link", name="360 and upward feedback").click()
    expect(page.get_by_role("heading", name="360 and upward feedback", level=1)).to_be_visible()
    combobox = page.get_by_role("combobox", name="Ask")
    combobox.press_sequentially(priya.name)
    expect(page.get_by_role("listbox")).to_be_visible()
    combobox.press("Enter")
    expect(page.get_by_role("button", name=f"Remove {priya.name}")).to_be_visible()
    shot(page, "feedback-360-ask-laptop")
    page.get_by_role("button", name="Ask for feedback").click()
    expect(page.get_by_text("0 of 1 answered")).to_be_visible()
    request = FeedbackRequest360.objects.get(receiver=sam, status="open", kind="360")

    # Priya, on a phone: asked of her, answers two questions
    sign_in(phone, priya.email, DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/feedback-360/")
    phone.get_by_role("link", name=f"Feedback for {sam.name}").click()
    phone.get_by_label("What are my strengths").fill(STRENGTH)
    phone.get_by_label("One thing I could stop doing").fill(STOP)
    shot(phone, "feedback-360-answer-phone")
    phone.get_by_role("button", name="Send answers").click()
    expect(phone.get_by_text(f"your answers are sent to {sam.name}")).to_be_visible()

    # Sam reads both answers, with Priya's name, and shares the first with Marco
    page.reload()
    expect(page.get_by_text("1 of 1 answered")).to_be_visible()
    results = page.locator("#results")
    expect(results).to_contain_text(STRENGTH)
    expect(results).to_contain_text(STOP)
    expect(results).to_contain_text(f"— {priya.name}")
    results.locator("li", has_text=STRENGTH).get_by_role("checkbox").check()
    page.get_by_role("button", name=f"Save what {marco.name} sees").click()
    expect(results.locator("li", has_text=STRENGTH).locator(".badge")).to_have_text("shared")
    expect(results.locator("li", has_text=STOP).locator(".badge")).to_have_count(0)
    shot(page, "feedback-360-results-laptop")
    shared = FeedbackAnswer.objects.filter(request=request, shared=True)
    assert [a.text for a in shared] == [STRENGTH]

    # Marco, on the phone: shared with him, he sees only that answer, without its writer
    phone.context.clear_cookies()
    sign_in(phone, marco.email, DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/feedback-360/")
    phone.get_by_role("region", name="Shared with you").get_by_role(
        "link", name=f"360 feedback for {sam.name}"
    ).first.click()
    card = phone.locator("#results")
    expect(card).to_contain_text(STRENGTH)
    expect(card).not_to_contain_text(STOP)
    expect(card).not_to_contain_text(priya.name)
    shot(phone, "feedback-360-manager-phone")
    # and on a laptop
    page.context.clear_cookies()
    sign_in(page, marco.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/feedback-360/{request.pk}/")
    expect(page.locator("#results")).to_contain_text(STRENGTH)
    expect(page.locator("body")).not_to_contain_text(STOP)
    shot(page, "feedback-360-manager-laptop")


def test_upward_below_the_minimum_says_so(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    """The demo's upward request: two answers, below the minimum of five — hidden, and the
    manager's page says so on a laptop and a phone."""
    ensure_demo()
    upward = FeedbackRequest360.objects.get(
        kind="upward", receiver__email="manager@brightwater.example"
    )
    for device, name in ((page, "laptop"), (phone, "phone")):
        sign_in(device, "manager@brightwater.example", DEMO_PASSWORD)
        device.goto(f"{live_server.url}/feedback-360/")
        expect(device.get_by_text("below the minimum of 5: hidden until 5 answers")).to_be_visible()
        shot(device, f"feedback-360-upward-index-{name}")
        device.goto(f"{live_server.url}/feedback-360/{upward.pk}/")
        expect(device.locator("#results")).to_contain_text("hidden until 5 answers")
        expect(device.locator("body")).not_to_contain_text("Shields the team")
        shot(device, f"feedback-360-upward-{name}")
