"""A member writes a weekly review with check-ins by keyboard; the manager answers it
from the team's review page; the member sees the answer on their timeline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.core.models import Person
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.mastery.models import Reply, Review
from ampwork.okrs.models import CheckIn

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]


def test_weekly_review_answered_and_on_the_timeline(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sam = Person.objects.get(email="member@brightwater.example")
    before = CheckIn.objects.filter(author=sam).count()
    sign_in(page, sam.email, DEMO_PASSWORD)
    page.get_by_role("link", name="Progress", exact=True).click()
    expect(page.get_by_role("heading", name="My progress")).to_be_visible()
    page.get_by_role("link", name="Write this week's review").click()
    page.wait_for_load_state("load")
    # wins, setbacks, next steps — by keyboard
    page.get_by_label("1. Small wins this week").focus()
    page.keyboard.type("Ingest retries are live; no pages overnight")
    page.keyboard.press("Tab")
    page.keyboard.type("Two days waiting on a review")
    page.keyboard.press("Tab")
    page.keyboard.type("Write the runbook for the new alerts")
    # the week's check-ins inline: typed into the rows, saved with the review
    rows = page.locator(".checkin-row")
    expect(rows).to_have_count(3)
    expect(page.get_by_text("saved with the review")).to_be_visible()
    for i, value in enumerate(("20", "4")):
        rows.nth(i).locator("input[name$='-value']").focus()
        page.keyboard.press("Control+A")
        page.keyboard.type(value)
        page.keyboard.press("Tab")
        page.keyboard.press("Control+A")
        page.keyboard.type("7")
        page.keyboard.press("Tab")
        page.keyboard.type("from my weekly review")
    assert CheckIn.objects.filter(author=sam).count() == before  # nothing saved per row
    # the two ratings: radio buttons, chosen with the keyboard
    page.locator("input[name=challenge][value='5']").focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")  # → 6
    page.locator("input[name=skill][value='4']").focus()
    page.keyboard.press("Space")
    shot(page, "weekly-review-form")
    page.get_by_role("button", name="Save review").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".message")).to_contain_text("Review saved with 2 check-ins")
    review = Review.objects.get(person=sam, wins__startswith="Ingest retries")
    assert (review.challenge, review.skill) == (6, 4)
    assert review.next_steps == "Write the runbook for the new alerts"
    assert CheckIn.objects.filter(author=sam, note="from my weekly review").count() == 2
    assert CheckIn.objects.filter(author=sam).count() == before + 2  # the third row: untouched
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Sign out").click()

    # the manager answers from the team's review page
    sign_in(page, "manager@brightwater.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Progress", exact=True).click()
    page.get_by_role("link", name="Platform: reviews").click()
    expect(page.get_by_role("heading", name="Platform: weekly reviews")).to_be_visible()
    shot(page, "team-reviews")
    waiting = page.locator(
        "section", has=page.get_by_role("heading", name="Waiting for your answer")
    )
    waiting.get_by_role("link", name=f"Sam Carter — week of {review.week:%-d %b}").click()
    expect(page.locator(".review")).to_contain_text("Ingest retries are live")
    page.get_by_label("Your answer").fill(
        "Getting the retries live without a single page is exactly the kind of safe change we want."
    )
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".message")).to_contain_text("timeline")
    assert Reply.objects.filter(review=review).count() == 1
    page.locator(".menu summary").click()
    page.get_by_role("button", name="Sign out").click()

    # the member sees it on their timeline
    sign_in(page, sam.email, DEMO_PASSWORD)
    page.get_by_role("link", name="Progress", exact=True).click()
    timeline = page.locator(".events")
    expect(timeline).to_contain_text("without a single page is exactly the kind of safe change")
    expect(timeline).to_contain_text("Marco Bianchi")
    shot(page, "my-progress")


def test_manager_and_teacher_tour_without_errors(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    ensure_demo()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sam = Person.objects.get(email="member@brightwater.example")
    platform = sam.memberships.get().team
    sign_in(page, "manager@brightwater.example", DEMO_PASSWORD)
    pages = {
        f"/mastery/teams/{platform.pk}/": "Platform: weekly reviews",
        f"/mastery/teams/{platform.pk}/skills/": "Platform: skills matrix",
        f"/mastery/people/{sam.pk}/": "Progress · Sam Carter",
        "/mastery/skills/": "Skills",
        "/mastery/feedback/": "Feedback",
        "/mastery/recognition/": "Recognition",
    }
    for path, heading in pages.items():
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    # the manager adds their view of Sam's skill beside Sam's own
    page.goto(f"{live_server.url}/mastery/people/{sam.pk}/")
    page.locator(".chart").first.scroll_into_view_if_needed()  # charts are drawn when seen
    expect(page.locator(".chart .plotly").first).to_be_visible()
    page.get_by_label("Your view of Sam Carter:").select_option(label="Writing")
    page.get_by_label("level", exact=True).select_option("5")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".message")).to_contain_text("Saved for Writing")
    shot(page, "progress-for-manager")
    # recognition from the keyboard-friendly form lands in the feed
    page.goto(f"{live_server.url}/mastery/recognition/")
    who = page.get_by_role("combobox", name="Who")  # type, then Enter picks the first match
    who.fill("Sam Carter")
    who.press("Enter")
    page.get_by_label("What they did").fill("Now that the runbook exists, on-call is calmer.")
    page.get_by_role("button", name="Post").click()
    expect(page.locator(".recognition").first).to_contain_text("on-call is calmer")
    assert errors == []
    # the teacher reads the class's reflections; the phone layout does not scroll sideways
    sign_in(phone, "teacher@hillside.example", DEMO_PASSWORD)
    phone.get_by_role("link", name="Progress", exact=True).click()
    phone.get_by_role("link", name="Year 9 Science: reflections").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("weekly reflections")
    expect(phone.locator(".review-grid tbody tr")).to_have_count(24)
    shot(phone, "class-reflections-phone")
    phone.context.clear_cookies()
    sign_in(phone, "member@brightwater.example", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/mastery/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width


def test_a_wrong_row_keeps_everything_typed_and_saves_nothing(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sam = Person.objects.get(email="member@brightwater.example")
    before = (CheckIn.objects.count(), Review.objects.filter(person=sam).count())
    sign_in(page, sam.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/mastery/review/")
    page.get_by_label("1. Small wins this week").fill("Paired on the alert rules")
    rows = page.locator(".checkin-row")
    rows.nth(0).locator("input[name$='-value']").fill("lots")
    rows.nth(1).locator("input[name$='-note']").fill("no change: waiting on the vendor")
    page.get_by_role("button", name="Save review").click()
    # the error sits beside its row; nothing was written; what was typed is still there
    expect(page.locator(".message")).to_contain_text("Nothing was saved")
    error = rows.nth(0).get_by_role("alert")
    expect(error).to_contain_text("value: 'lots' is not a number")
    expect(rows.nth(0).locator("input[name$='-value']")).to_have_value("lots")
    expect(rows.nth(0).locator("input[name$='-value']")).to_have_attribute("aria-invalid", "true")
    expect(rows.nth(1).locator("input[name$='-note']")).to_have_value(
        "no change: waiting on the vendor"
    )
    expect(page.get_by_label("1. Small wins this week")).to_have_value("Paired on the alert rules")
    shot(page, "weekly-review-row-error")
    assert (CheckIn.objects.count(), Review.objects.filter(person=sam).count()) == before
    # put right, saved: the review and the one check-in typed (a note alone is one)
    rows.nth(0).locator("input[name$='-value']").fill("21")
    page.get_by_role("button", name="Save review").click()
    expect(page.locator(".message")).to_contain_text("Review saved with 2 check-ins")
    assert CheckIn.objects.count() == before[0] + 2
    assert CheckIn.objects.filter(note="no change: waiting on the vendor").exists()


def test_the_rating_scale_fits_a_phone(
    phone: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    sign_in(phone, "member@brightwater.example", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/mastery/review/")
    for name in ("challenge", "skill"):
        tops = [
            round(box["y"])
            for box in (
                phone.locator(f"input[name={name}][value='{n}']").bounding_box()
                for n in range(1, 8)
            )
            if box is not None
        ]
        assert len(tops) == 7, tops
        assert len(set(tops)) == 1, tops  # 1 to 7 on one line
        # each number under its own button, not beside the next one (a phone rule meant for
        # the pulse's answers once turned these labels into rows)
        label = phone.locator(f"label:has(input[name={name}][value='4'])")
        assert label.evaluate("l => getComputedStyle(l).flexDirection") == "column"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    phone.locator(".ratings").scroll_into_view_if_needed()
    shot(phone, "weekly-review-phone")
