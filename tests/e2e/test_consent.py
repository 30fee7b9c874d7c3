"""Consent for student pulses in the browser (issue 20): a head teacher makes a pulse with a
question on a protected area, is told it cannot open without a consent policy, sets
"written consent required", records one guardian's consent, shows families the questions,
and opens the round — which invites that student (and the teacher), no other student."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from ampwork.classroom.models import ConsentPolicy, PulseConsent
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership, User
from ampwork.pulse.models import Invitation, Round

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
QUESTION = "I often feel anxious before tests."


def _school() -> dict[str, Person]:
    school = Organisation.objects.create(
        name="Hillside Secondary School", slug="hillside-consent", kind=Organisation.Kind.SCHOOL
    )
    user = User.objects.create_user("head@hillside-consent.example", PASSWORD, name="Hana Head")
    head = Person.objects.create(
        organisation=school, user=user, name="Hana Head", email=user.email, role=Role.ADMIN
    )
    science = Team.objects.create(organisation=school, name="Year 9 Science")
    teacher = Person.objects.create(
        organisation=school, name="Tara Teacher", email="tara@hillside.example", role=Role.MANAGER
    )
    TeamMembership.objects.create(
        organisation=school, team=science, person=teacher, role=TeamMembership.Role.LEAD
    )
    people = {"head": head, "teacher": teacher}
    for name in ("Ann Archer", "Ben Brook", "Cat Cole"):
        student = Person.objects.create(
            organisation=school, name=name, email=f"{name.split()[0].lower()}@hillside.example"
        )
        TeamMembership.objects.create(organisation=school, team=science, person=student)
        people[name] = student
    return people


def test_a_head_teacher_sets_the_policy_records_consent_and_opens_the_round(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    people = _school()
    sign_in(page, "head@hillside-consent.example", PASSWORD)
    page.goto(f"{live_server.url}/pulse/new/")
    page.get_by_label("Name").fill("Before the tests")
    page.get_by_label("Only these classes").select_option(label="Year 9 Science")
    page.get_by_label("Invited: one link per person, used once").check()
    page.get_by_label("Add a question of your own (1–5 agreement)").fill(QUESTION)
    page.get_by_label("Mental or psychological problems of the student").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="Before the tests")).to_be_visible()

    # no policy yet: the round does not open, and the page says what to do
    page.get_by_role("button", name="Open and send invitations").click()
    expect(page.locator(".message")).to_contain_text("the school has no consent policy yet")
    round = Round.objects.get(name="Before the tests")
    assert round.status == Round.Status.DRAFT
    assert not Invitation.objects.filter(round=round).exists()

    page.goto(f"{live_server.url}/pulse/")
    page.get_by_role("link", name="Consent for pulses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consent for student pulses")
    page.get_by_label("Written consent required").check()
    page.get_by_label("The school's own sensitive topics").fill("Bullying: bully, picked on")
    shot(page, "consent-policy")
    page.get_by_role("button", name="Save the policy").click()
    expect(page.locator(".message")).to_contain_text("Consent policy saved.")
    assert ConsentPolicy.objects.get().rule == "consent"

    page.goto(f"{live_server.url}/pulse/rounds/{round.pk}/")
    page.get_by_role("link", name="Consent and families").click()
    expect(page.locator("#touches")).to_contain_text("Mental or psychological problems")
    expect(page.locator("#touches")).to_contain_text("Written consent required")
    page.get_by_role("button", name="Consent given for Ann Archer").click()
    expect(page.locator(".message")).to_contain_text("Recorded.")
    expect(page.locator(f"#student-{people['Ann Archer'].pk}")).to_contain_text("Consent given")
    expect(page.locator(f"#student-{people['Ann Archer'].pk}")).to_contain_text("Hana Head")
    expect(page.locator(f"#student-{people['Ben Brook'].pk}")).to_contain_text("nothing yet")
    shot(page, "consent-round")
    families = page.locator("#families-link").inner_text()

    # the families' page: the questions, no sign-in, nothing else
    phone.goto(families)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Before the tests: the questions")
    expect(phone.get_by_text(QUESTION)).to_be_visible()
    expect(phone.locator("main")).to_contain_text("written consent")
    assert "Ann Archer" not in phone.content()
    shot(phone, "consent-families-phone")

    page.get_by_role("link", name="Before the tests").click()
    page.get_by_role("button", name="Open and send invitations").click()
    expect(page.locator(".message")).to_contain_text("Open: 2 invitations sent.")
    invited = set(Invitation.objects.filter(round=round).values_list("person_id", flat=True))
    assert invited == {people["Ann Archer"].pk, people["teacher"].pk}
    assert PulseConsent.objects.get().recorded_by == people["head"]
    shot(page, "consent-round-open")

    phone.goto(f"{live_server.url}/sign-in/")
    sign_in(phone, "head@hillside-consent.example", PASSWORD)
    phone.goto(f"{live_server.url}/classroom/consent/rounds/{round.pk}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Consent and families")
    shot(phone, "consent-round-phone")
