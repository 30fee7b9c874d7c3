"""Class-code sign-in in the browser (issue 15, schools): a teacher turns it on for their
class and prints the sheet; a student on a phone types the code, taps their name, taps a
wrong picture (a plain message), then theirs, and lands on their home — with no email and
no password."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from ampwork.classroom import class_codes
from ampwork.classroom.models import ClassCode
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership, User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
MIN_TARGET = 44  # CSS pixels: the smallest comfortable touch target (WCAG 2.5.5)


def _school() -> dict[str, Any]:
    school = Organisation.objects.create(
        name="Hillside Primary", slug="hillside-codes", kind=Organisation.Kind.SCHOOL
    )
    user = User.objects.create_user("tara@hillside-codes.example", PASSWORD, name="Tara")
    tara = Person.objects.create(
        organisation=school, user=user, name="Tara Teacher", email=user.email, role=Role.MANAGER
    )
    team = Team.objects.create(organisation=school, name="Class 4B", kind=Team.Kind.CLASS)
    TeamMembership.objects.create(
        organisation=school, team=team, person=tara, role=TeamMembership.Role.LEAD
    )
    students = {}
    for n, name in enumerate(("Ann Archer", "Ben Brook", "Ann Ashby", "Dev Dutta"), 1):
        students[name] = Person.objects.create(
            organisation=school, name=name, email=f"s{n}@roster.invalid", role=Role.MEMBER
        )
        TeamMembership.objects.create(organisation=school, team=team, person=students[name])
    return {"school": school, "team": team, "students": students}


AXE_RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]},
    "resultTypes": ["violations"],
}


def _accessible(page: Any) -> None:
    """No critical or serious WCAG 2 A/AA violation (axe-core) on the page as it stands."""
    found = Axe().run(page, options=AXE_RULES).response["violations"]
    serious = [v["id"] for v in found if v["impact"] in {"critical", "serious"}]
    assert serious == [], page.url


def _big_enough(page: Any, locator: Any) -> None:
    for i in range(locator.count()):
        box = locator.nth(i).bounding_box()
        assert box is not None
        assert box["height"] >= MIN_TARGET, box
        assert box["width"] >= MIN_TARGET, box


def test_a_teacher_turns_it_on_and_a_student_signs_in_on_a_phone(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    world = _school()
    team = world["team"]
    sign_in(page, "tara@hillside-codes.example", PASSWORD)
    page.goto(f"{live_server.url}/teams/{team.pk}/")
    page.get_by_role("link", name="Class-code sign-in for Class 4B").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Class-code sign-in for Class 4B")
    page.get_by_label("a picture (sun, star, heart…)").check()
    page.get_by_role("button", name="Turn on class-code sign-in").click()

    # the sheet: one card per student, with the class code and their picture
    expect(page.get_by_role("heading", level=1)).to_have_text("Class 4B: how to sign in")
    code = ClassCode.objects.get(team=team).code
    cards = page.locator(".sheet__card")
    expect(cards).to_have_count(4)
    expect(page.get_by_role("button", name="Print this sheet")).to_be_visible()
    card = cards.filter(has_text="Ann Archer")
    expect(card).to_contain_text(code)
    expect(card).to_contain_text("Your name on the list: Ann Ar.")
    picture = card.locator(".sheet__word").inner_text().strip()
    assert class_codes.choice("pictures", picture) is not None
    shot(page, "class-code-sheet")
    _accessible(page)
    page.emulate_media(media="print")
    shot(page, "class-code-sheet-print")
    page.emulate_media(media="screen")

    # the teacher's page shows the code, big
    page.goto(f"{live_server.url}/classroom/classes/{team.pk}/sign-in/")
    expect(page.locator("#class-code")).to_have_text(code)
    expect(page.locator("main")).not_to_contain_text(picture.capitalize() + " ")
    shot(page, "class-code-teacher")
    _accessible(page)

    # a student on a phone
    phone.goto(f"{live_server.url}/sign-in/")
    phone.get_by_role("link", name="Sign in with a class code").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Sign in with a class code")
    phone.get_by_label("Class code").fill("NOTACODE")
    phone.get_by_role("button", name="Next").click()
    expect(phone.get_by_role("alert")).to_contain_text("We could not find that class code")
    phone.get_by_label("Class code").fill(code.lower())
    shot(phone, "class-code-phone-code")
    _accessible(phone)
    phone.get_by_role("button", name="Next").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Who are you?")
    names = phone.locator(".name-grid a")
    expect(names).to_have_count(4)
    expect(phone.locator("main")).not_to_contain_text("Tara")
    expect(phone.locator("main")).not_to_contain_text("Archer")  # first name and initials only
    _big_enough(phone, names)
    shot(phone, "class-code-phone-names")
    _accessible(phone)
    phone.get_by_role("link", name="Ann Ar.").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Hello, Ann Ar.!")
    picks = phone.locator("button.pick")
    expect(picks).to_have_count(9)
    _big_enough(phone, picks)
    wrong = next(c.label for c in class_codes.PICTURES if c.key != picture)
    phone.get_by_role("button", name=wrong, exact=True).click()
    expect(phone.get_by_role("alert")).to_contain_text("That is not your picture")
    expect(phone.get_by_role("alert")).to_contain_text("4 tries left")
    shot(phone, "class-code-phone-pictures")
    _accessible(phone)
    phone.get_by_role("button", name=picture, exact=True).click()

    phone.wait_for_url(f"{live_server.url}/")
    expect(phone.locator(".message")).to_contain_text("Hello, Ann! You are signed in.")
    expect(phone.locator("summary").first).to_contain_text("Ann Archer")
    shot(phone, "class-code-phone-home")
    user = Person.objects.get(pk=world["students"]["Ann Archer"].pk).user
    assert user is not None
    assert re.fullmatch(rf"student-\d+-[0-9a-f]{{8}}@{re.escape(class_codes.DOMAIN)}", user.email)


def test_a_students_menu_offers_no_token_and_a_new_picture_signs_them_out(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    """Review of issue 15 (s15G): a class-code session has no API tokens and no password
    change in its menu, and the teacher's new picture ends it at once."""
    from ampwork.classroom import class_code_services as services
    from ampwork.core.permissions import Actor

    world = _school()
    team = world["team"]
    tara = Person.objects.get(organisation=world["school"], name="Tara Teacher")
    actor = Actor(world["school"], Role.MANAGER, tara.user, tara)
    row, drawn = services.switch_on(actor=actor, team=team, kind="pictures")
    ann = world["students"]["Ann Archer"]

    phone.goto(f"{live_server.url}/classroom/sign-in/")
    phone.get_by_label("Class code").fill(row.code)
    phone.get_by_role("button", name="Next").click()
    phone.get_by_role("link", name="Ann Ar.").click()
    phone.get_by_role("button", name=drawn[ann.pk], exact=True).click()
    phone.wait_for_url(f"{live_server.url}/")
    phone.locator("summary").first.click()
    menu = phone.locator(".menu__list")
    expect(menu).to_contain_text("Sign out")
    expect(menu).not_to_contain_text("API tokens")
    expect(menu).not_to_contain_text("Change password")
    shot(phone, "class-code-student-menu")
    phone.goto(f"{live_server.url}/account/tokens/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Not allowed")

    # the teacher gives Ann a new picture: her phone is signed out
    sign_in(page, "tara@hillside-codes.example", PASSWORD)
    page.goto(f"{live_server.url}/classroom/classes/{team.pk}/sign-in/")
    page.get_by_role("button", name="New picture for Ann Archer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Class 4B: how to sign in")
    phone.goto(f"{live_server.url}/")
    expect(phone).to_have_url(re.compile(r"/sign-in/"))
    shot(phone, "class-code-student-signed-out")
