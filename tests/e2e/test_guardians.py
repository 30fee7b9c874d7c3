"""Guardians in the browser (issue 20): a teacher chooses what their class shares with
families and invites a student's guardian; the guardian follows the emailed link, sets a
password, and sees their child's goal and shared reflection — not the reflection the child
kept, not feedback (the class does not share it), not a classmate, and no other page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from ampwork.classroom.models import Guardian, GuardianOf
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership, User
from ampwork.mastery.models import Feedback, Review
from ampwork.okrs.models import Cycle, Objective

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
GUARDIAN_PASSWORD = "a lantern by the river 2026"


def _school() -> dict[str, Any]:
    school = Organisation.objects.create(
        name="Hillside Primary", slug="hillside-families", kind=Organisation.Kind.SCHOOL
    )
    user = User.objects.create_user("tara@hillside-families.example", PASSWORD, name="Tara")
    tara = Person.objects.create(
        organisation=school, user=user, name="Tara Teacher", email=user.email, role=Role.MANAGER
    )
    team = Team.objects.create(organisation=school, name="Class 4B", kind=Team.Kind.CLASS)
    TeamMembership.objects.create(
        organisation=school, team=team, person=tara, role=TeamMembership.Role.LEAD
    )
    students = {}
    for name in ("Ann Archer", "Ben Brook"):
        students[name] = Person.objects.create(
            organisation=school, name=name, email=f"{name.split()[0].lower()}@hillside.example"
        )
        TeamMembership.objects.create(organisation=school, team=team, person=students[name])
    ann, ben = students["Ann Archer"], students["Ben Brook"]
    today = timezone.localdate()
    cycle = Cycle.objects.create(
        organisation=school,
        name="Spring term",
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=60),
        status=Cycle.Status.OPEN,
    )
    Objective.objects.create(
        organisation=school,
        cycle=cycle,
        owner_kind="person",
        owner_person=ann,
        author=ann,
        title="Read ten books this term",
        progress=0.4,
    )
    week = today - dt.timedelta(days=today.weekday())
    Review.objects.create(
        organisation=school,
        person=ann,
        week=week,
        wins="I finished my first chapter book",
        share_with_family=True,
    )
    Review.objects.create(
        organisation=school,
        person=ann,
        week=week - dt.timedelta(days=7),
        wins="Something I keep to myself",
    )
    Review.objects.create(
        organisation=school, person=ben, week=week, wins="Ben's own win", share_with_family=True
    )
    Feedback.objects.create(
        organisation=school,
        giver=tara,
        receiver=ann,
        body="Your reading log is careful",
        share_with_family=True,
    )
    gina = Guardian.objects.create(
        organisation=school, sourced_id="g-ann", name="Gina Archer", email="gina@family.example"
    )
    GuardianOf.objects.create(organisation=school, guardian=gina, student=ann)
    return {"school": school, "ann": ann, "ben": ben, "gina": gina, "team": team}


def test_a_teacher_invites_a_guardian_who_sees_only_what_is_shared(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    world = _school()
    sign_in(page, "tara@hillside-families.example", PASSWORD)
    page.goto(f"{live_server.url}/org-chart/")
    page.get_by_role("link", name="Families").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Families")

    # the class shares goals and reflections, not feedback
    page.get_by_role("link", name="Change").click()
    page.get_by_label("Goals — the student's own goals").check()
    page.get_by_label("Reflections — only those").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".message")).to_contain_text("Saved what Class 4B's families see")

    page.get_by_role("link", name="Families").click()
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".message")).to_contain_text("Invitation emailed")
    shot(page, "guardians-teacher")

    (letter,) = [m for m in mail.outbox if m.to == ["gina@family.example"]]
    found = re.search(r"(/classroom/join/[\w-]+/)", letter.body)
    assert found is not None
    link = f"{live_server.url}{found.group(1)}"

    # the guardian, on a phone: sets a password and lands on the family page
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Welcome, Gina Archer")
    phone.get_by_label("New password", exact=True).fill(GUARDIAN_PASSWORD)
    phone.get_by_label("New password confirmation").fill(GUARDIAN_PASSWORD)
    shot(phone, "guardians-join-phone")
    phone.get_by_role("button", name="Set password and continue").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your family page")
    phone.get_by_role("link", name="Ann Archer").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Ann Archer")
    body = phone.locator("main")
    expect(body).to_contain_text("Read ten books this term")
    expect(body).to_contain_text("40%")
    expect(body).to_contain_text("I finished my first chapter book")
    for hidden in ("Something I keep to myself", "Your reading log", "Ben", "Feedback"):
        expect(body).not_to_contain_text(hidden)
    shot(phone, "guardians-child-phone")

    # the link worked once
    phone.goto(link)
    expect(phone.get_by_role("alert")).to_contain_text("has been used already")

    # on a laptop: signing in lands on the family page; every other page is refused
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email").fill("gina@family.example")
    page.get_by_label("Password").fill(GUARDIAN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/classroom/family/")
    page.get_by_role("link", name="Ann Archer").click()
    expect(page.locator("main")).to_contain_text("I finished my first chapter book")
    shot(page, "guardians-child-laptop")
    for path in ("/okrs/", "/people/", "/pulse/", f"/people/{world['ben'].pk}/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None, path
        assert response.status == 403, path
    expect(page.get_by_role("link", name="Go to your family page")).to_be_visible()
    response = page.goto(f"{live_server.url}/classroom/family/children/{world['ben'].pk}/")
    assert response is not None
    assert response.status == 404
    assert Guardian.objects.get(pk=world["gina"].pk).user is not None


def test_a_link_for_an_old_email_is_refused_and_a_detached_account_reads_nothing(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    """The review's attack in the browser: the invitation went to the old address, then the
    school's records gave the guardian another email — the link says so and creates no
    account; an account that signed in as the guardian reads nothing once its email is not
    the one on record."""
    world = _school()
    sign_in(page, "tara@hillside-families.example", PASSWORD)
    page.goto(f"{live_server.url}/classroom/guardians/")
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".message")).to_contain_text("Invitation emailed")
    # a second one at once: refused with the reason
    page.get_by_role("button", name="Invite").click()
    expect(page.locator(".message")).to_contain_text("less than 10 minutes ago")
    shot(page, "guardians-invite-wait")
    (letter,) = [m for m in mail.outbox if m.to == ["gina@family.example"]]
    found = re.search(r"(/classroom/join/[\w-]+/)", letter.body)
    assert found is not None
    Guardian.objects.filter(pk=world["gina"].pk).update(email="new.carer@family.example")

    phone.goto(f"{live_server.url}{found.group(1)}")
    expect(phone.get_by_role("alert")).to_contain_text("no longer has for you")
    expect(phone.get_by_label("New password", exact=True)).to_have_count(0)
    shot(phone, "guardians-join-old-email-phone")
    assert not User.objects.filter(email__in=["gina@family.example", "new.carer@family.example"])

    # an account attached before the change reads nothing after it
    account = User.objects.create_user("hugo@family.example", GUARDIAN_PASSWORD, name="Hugo")
    Guardian.objects.filter(pk=world["gina"].pk).update(user=account, email=account.email)
    phone.goto(f"{live_server.url}/sign-in/")
    phone.get_by_label("Email").fill(account.email)
    phone.get_by_label("Password").fill(GUARDIAN_PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(f"{live_server.url}/classroom/family/")
    Guardian.objects.filter(pk=world["gina"].pk).update(email="someone.else@family.example")
    response = phone.goto(f"{live_server.url}/classroom/family/children/{world['ann'].pk}/")
    assert response is not None
    assert response.status == 404
    expect(phone.locator("main")).not_to_contain_text("I finished my first chapter book")
