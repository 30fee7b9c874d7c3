"""Pulses in the browser: answering on a phone by keyboard only; a manager of a small team
sees no results while the round is open, and "suppressed" with the reason once closed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import Actor
from ampwork.demo.services import DEMO_PASSWORD, ensure_demo
from ampwork.pulse import services
from ampwork.pulse.models import Invitation, Response, Round

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo"),  # copied in once built: ensure_demo() finds it
]


def _open_round(org: Organisation) -> Round:
    actor = Actor.system(org)
    today = timezone.localdate()
    pulse = services.create_round(
        actor=actor, name="November pulse", opens=today, closes=today + dt.timedelta(days=5)
    )
    services.open_round(actor=actor, round=pulse, send=False)
    return pulse


def test_member_answers_on_a_phone_by_keyboard(
    phone: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    pulse = _open_round(Organisation.objects.get(slug="brightwater"))
    sign_in(phone, "member@brightwater.example", DEMO_PASSWORD)
    phone.goto(f"{live_server.url}/pulse/")
    phone.get_by_role("link", name="Answer (2 minutes)").first.click()
    expect(phone.get_by_text("without your name")).to_be_visible()
    groups = phone.locator("fieldset.likert")
    count = groups.count()
    groups.nth(0).locator("input").first.focus()
    for i in range(count):
        if i:
            phone.keyboard.press("Tab")  # to the next question
        steps = 10 if i == count - 1 else 3  # agree (4); 10 on the 0–10 question
        for _ in range(steps):
            phone.keyboard.press("ArrowRight")
    phone.keyboard.press("Tab")
    phone.keyboard.type("Keyboard only, on a phone.")
    phone.keyboard.press("Tab")
    shot(phone, "pulse-answer-phone")
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name="Thank you")).to_be_visible()
    services.flush(pulse, force=True)  # the answer waits in the pool until a batch forms
    response = Response.objects.get(round=pulse)
    assert response.enps == 10
    assert response.comment == "Keyboard only, on a phone."
    assert len(response.answers) == count - 1
    assert set(response.answers.values()) == {4}
    sam = Person.objects.get(email="member@brightwater.example")
    assert Invitation.objects.get(round=pulse, person=sam).used
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_manager_of_a_small_team_sees_suppressed(
    page: Any, live_server: Any, sign_in: Callable[..., None], shot: Callable[..., None]
) -> None:
    ensure_demo()
    org = Organisation.objects.get(slug="brightwater")
    marco = Person.objects.get(email="manager@brightwater.example")
    tiny = Team.objects.create(
        organisation=org, name="Tiny", parent=Team.objects.get(organisation=org, name="Platform")
    )
    TeamMembership.objects.create(organisation=org, team=tiny, person=marco, role="lead")
    for person in Person.objects.filter(organisation=org, manager=marco)[:4]:
        TeamMembership.objects.filter(person=person).delete()
        TeamMembership.objects.create(organisation=org, team=tiny, person=person)
    pulse = _open_round(org)
    for invitation in Invitation.objects.filter(round=pulse):
        services.answer(round=pulse, invitation=invitation, answers={"mast1": 4})
    sign_in(page, "manager@brightwater.example", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/pulse/rounds/{pulse.pk}/")
    # open: only how many answered in all, no group at all
    expect(page.get_by_text("Results appear when the round closes on")).to_be_visible()
    expect(page.locator("tr", has_text="Tiny")).to_have_count(0)
    services.close_round(actor=Actor.system(org), round=pulse)
    page.goto(f"{live_server.url}/pulse/rounds/{pulse.pk}/")
    row = page.locator("tr", has_text="Tiny")
    expect(row).to_contain_text("suppressed — fewer than 5 responses")
    expect(page.locator("tr", has_text="Platform")).to_be_visible()
    assert marco.role == Role.MANAGER
    shot(page, "pulse-manager")
