"""A manager and their report prepare a 1:1 on a shared agenda, each keeping a private
note; the report ticks an action item and holds the meeting; the manager finds the next
one with what was left carried over — and neither ever sees the other's private note."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ampwork.conversations.models import Meeting, OneOnOne
from ampwork.core.models import Person
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]

MANAGER_SECRET = "Ask Sam about the reorg rumour"
SAM_SECRET = "I want to move to the data team"


def _watch(page: Any) -> list[str]:
    """Console errors, page errors and Content-Security-Policy reports of a page."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console: {msg.text}")
            if msg.type == "error" or "Content Security Policy" in msg.text
            else None
        ),
    )
    return problems


def test_a_one_on_one_prepared_held_and_carried_over(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    ensure_demo()
    sam = Person.objects.get(email="member@brightwater.example")
    marco = Person.objects.get(email="manager@brightwater.example")
    series = OneOnOne.objects.get(person=sam, lead=marco)
    on_laptop, on_phone = _watch(page), _watch(phone)

    # the manager, on a laptop: the week's 1:1s, then Sam's agenda
    sign_in(page, marco.email, DEMO_PASSWORD)
    page.get_by_role("link", name="1:1s", exact=True).click()
    expect(page.get_by_role("heading", name="Your 1:1s")).to_be_visible()
    expect(page.locator(".one-on-ones li")).to_have_count(5)
    shot(page, "one-on-ones-week-laptop")
    page.get_by_role("link", name=sam.name).click()
    expect(page.get_by_role("heading", name=f"1:1 with {sam.name}")).to_be_visible()
    agenda = page.locator("#agenda")
    # carried over from the last meeting: the point not discussed, the action not done
    expect(agenda).to_contain_text("Career: what you want to learn next quarter")
    expect(agenda).to_contain_text("Ask the data team about the ingest budget")
    expect(agenda).not_to_contain_text("Write up the incident timeline")  # done last time
    page.get_by_label("Add a talking point").fill("Your conference talk proposal")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(agenda).to_contain_text("Your conference talk proposal")  # in place (htmx)
    # a point about one of Sam's key results: the picker offers only what both may open
    choice = page.locator("#point-link optgroup[label='Key result'] option").first
    kr_title, kr_value = choice.inner_text(), choice.get_attribute("value")
    page.get_by_label("Add a talking point").fill("What would move this key result?")
    page.get_by_label("Link it to").select_option(kr_value)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(agenda).to_contain_text("What would move this key result?")  # in place (htmx)
    # the demo's own linked point and this one
    expect(agenda.get_by_role("link", name=kr_title)).to_have_count(2)
    page.get_by_label("Add an action item").fill("Send the talk abstract")
    page.get_by_label("Who", exact=True).select_option(label=sam.name)
    page.get_by_role("button", name="Add action item").click()
    expect(agenda).to_contain_text("Send the talk abstract")
    page.get_by_role("textbox", name="Your private note").fill(MANAGER_SECRET)
    page.get_by_role("button", name="Save private note").click()
    expect(page.locator(".message")).to_contain_text("only you will ever read it")
    shot(page, "one-on-one-manager-laptop")

    # the report, on a phone: the same agenda, never the manager's note
    sign_in(phone, sam.email, DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/one-on-ones/")
    expect(phone.locator(".one-on-ones li")).to_have_count(1)
    shot(phone, "one-on-ones-phone")
    phone.get_by_role("link", name=marco.name).click()
    agenda = phone.locator("#agenda")
    expect(agenda).to_contain_text("Your conference talk proposal")
    expect(agenda.get_by_role("link", name=kr_title).last).to_have_attribute(
        "href", re.compile(r"^/okrs/objectives/\d+/#kr-h-\d+$")
    )
    expect(phone.locator("main")).not_to_contain_text(MANAGER_SECRET)
    expect(phone.locator("main")).not_to_contain_text("seemed tired")  # the demo's own note
    phone.get_by_label("Add a talking point").fill("Can I pair with the data team?")
    phone.get_by_role("button", name="Add", exact=True).click()
    expect(agenda).to_contain_text("Can I pair with the data team?")
    phone.get_by_role("button", name="Mark discussed: Your conference talk proposal").click()
    expect(
        phone.get_by_role("button", name="Not discussed after all: Your conference talk proposal")
    ).to_be_visible()
    phone.get_by_role("button", name="Done: Ask the data team about the ingest budget").click()
    expect(
        phone.get_by_role(
            "button", name="Not done after all: Ask the data team about the ingest budget"
        )
    ).to_be_visible()
    phone.get_by_role("textbox", name="Your private note").fill(SAM_SECRET)
    phone.get_by_role("button", name="Save private note").click()
    expect(phone.locator(".message")).to_contain_text("only you will ever read it")
    shot(phone, "one-on-one-report-phone")
    phone.get_by_role("button", name="Hold the meeting").click()
    expect(phone.locator(".message")).to_contain_text("Meeting held")
    held = Meeting.objects.filter(one_on_one=series).exclude(held_at=None).order_by("-held_at")[0]
    following = Meeting.objects.get(one_on_one=series, held_at=None)
    assert held.date < following.date
    agenda = phone.locator("#agenda")
    expect(agenda).to_contain_text("Can I pair with the data team?")  # not discussed: carried
    expect(agenda).to_contain_text("Career: what you want to learn next quarter")
    expect(agenda).not_to_contain_text("Your conference talk proposal")  # discussed
    expect(agenda).to_contain_text("Send the talk abstract")  # not done: carried
    expect(agenda).not_to_contain_text("Ask the data team about the ingest budget")  # done
    shot(phone, "one-on-one-next-phone")

    # the manager finds the next meeting; Sam's note is nowhere, their own stays theirs
    page.goto(f"{live_server.url}/one-on-ones/meetings/{following.pk}/")
    expect(page.locator("#agenda")).to_contain_text("Can I pair with the data team?")
    expect(page.locator("main")).not_to_contain_text(SAM_SECRET)
    page.goto(f"{live_server.url}/one-on-ones/meetings/{held.pk}/")
    expect(page.get_by_role("textbox", name="Your private note")).to_have_value(MANAGER_SECRET)
    expect(page.locator("main")).not_to_contain_text(SAM_SECRET)
    expect(page.locator(".message")).to_contain_text("This meeting was held")
    shot(page, "one-on-one-held-laptop")
    assert on_laptop == []
    assert on_phone == []
    # and an admin has no way in at all
    phone.locator(".menu summary").click()
    phone.get_by_role("button", name="Sign out").click()
    sign_in(phone, "admin@brightwater.example", DEMO_PASSWORD)
    response = phone.goto(f"{live_server.url}/one-on-ones/meetings/{held.pk}/")
    assert response.status == 404
    expect(phone.locator("main")).not_to_contain_text(MANAGER_SECRET)


def test_sam_shares_a_summary_with_the_next_manager(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    """Sam switches sharing on (in place); once Sam's manager changes, the new one reads
    the earlier 1:1s — the shared agenda, never Marco's private note; switched off, gone."""
    ensure_demo()
    sam = Person.objects.get(email="member@brightwater.example")
    marco = Person.objects.get(email="manager@brightwater.example")
    series = OneOnOne.objects.get(person=sam, lead=marco)
    on_laptop, on_phone = _watch(page), _watch(phone)
    sign_in(phone, sam.email, DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/one-on-ones/")
    phone.get_by_role("link", name=marco.name).click()
    phone.get_by_role("button", name="Share a summary of this 1:1 with my next manager").click()
    switch = phone.locator("#share-summary")
    expect(switch).to_contain_text("Shared with my next manager")  # in place (htmx)
    shot(phone, "one-on-one-share-summary-phone")
    series.refresh_from_db()
    assert series.share_summary

    # the reporting line changes; the new manager starts a 1:1 with Sam
    nina = Person.objects.get(email="people@brightwater.example")
    Person.objects.filter(pk=sam.pk).update(manager=nina)
    OneOnOne.objects.create(organisation=sam.organisation, person=sam, lead=nina)
    Meeting.objects.create(
        organisation=sam.organisation,
        one_on_one=OneOnOne.objects.get(person=sam, lead=nina),
        date=timezone.localdate(),
    )
    sign_in(page, nina.email, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/one-on-ones/")
    page.get_by_role("link", name=f"Earlier 1:1s of {sam.name}").click()
    expect(page.get_by_role("heading", name=f"Earlier 1:1s of {sam.name}")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text(f"With {marco.name}")
    expect(main).to_contain_text("Write up the incident timeline")  # a done action item
    expect(main).not_to_contain_text("seemed tired")  # Marco's private note in the demo
    shot(page, "one-on-one-earlier-laptop")

    # Sam switches it off: the page is gone (its 404 is the one console error expected)
    phone.get_by_role("button", name="Stop sharing the summary").click()
    expect(switch).to_contain_text("Not shared")
    assert on_laptop == []
    assert on_phone == []
    response = page.reload()
    assert response is not None
    assert response.status == 404
