"""Students' privacy in the browser (issue 20): a head teacher sets a class's age band and
opens its recognition feed, sets a twelve-month retention policy and reads the dry run
(nothing removed); a teacher on a phone sees only the class they lead; a student of that
class then reads the pulse's page in the 8–11 wording. One class opened is not the school:
its students read nothing about a closed class's, whose students cannot post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ampwork.classroom.models import ClassSetting, SchoolPrivacy
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership, User
from ampwork.mastery.models import Review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


def _school() -> dict[str, Any]:
    school = Organisation.objects.create(
        name="Brookside Primary", slug="brookside-privacy", kind=Organisation.Kind.SCHOOL
    )
    people: dict[str, Any] = {"school": school}
    for key, name, role in (
        ("head", "Hana Head", Role.ADMIN),
        ("teacher", "Tara Teacher", Role.MANAGER),
    ):
        user = User.objects.create_user(f"{key}@brookside.example", PASSWORD, name=name)
        people[key] = Person.objects.create(
            organisation=school, user=user, name=name, email=user.email, role=role
        )
    four = Team.objects.create(organisation=school, name="Year 4 Robins")
    nine = Team.objects.create(organisation=school, name="Year 9 Falcons")
    TeamMembership.objects.create(
        organisation=school, team=four, person=people["teacher"], role=TeamMembership.Role.LEAD
    )
    left = timezone.now() - dt.timedelta(days=400)
    for n in range(3):
        gone = Person.objects.create(
            organisation=school,
            name=f"Leaver {n}",
            email=f"leaver{n}@brookside.example",
            active=False,
            left_at=left,
        )
        Review.objects.create(organisation=school, person=gone, week=dt.date(2025, 9, 1))
    people["4"], people["9"] = four, nine
    return people


def test_a_head_teacher_sets_bands_recognition_and_retention_and_reads_the_dry_run(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    people = _school()
    four = people["4"]
    sign_in(page, "head@brookside.example", PASSWORD)
    page.goto(f"{live_server.url}/pulse/")
    page.get_by_role("link", name="Students' privacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Students' privacy")
    expect(page.get_by_role("row", name="Year 9 Falcons")).to_be_visible()

    page.get_by_label("Age band of Year 4 Robins").select_option(label="Ages 8–11")
    page.get_by_label("Recognition feed open to Year 4 Robins").check()
    page.get_by_role("button", name="Save Year 4 Robins").click()
    expect(page.locator(".message")).to_contain_text("Saved the settings of Year 4 Robins")
    setting = ClassSetting.objects.get(team=four)
    assert setting.age_band == "8-11"
    assert setting.recognition

    # no policy yet: the dry run says nothing is purged
    dry = page.get_by_role("region", name="Retention: what a purge would remove today")
    expect(page.locator("#dry-title + p")).to_contain_text("No retention policy yet")
    page.get_by_label("Purge a student's reflections").fill("12")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".message")).to_contain_text("privacy settings are saved")
    assert SchoolPrivacy.objects.get(organisation=people["school"]).retention_months == 12
    dry = page.get_by_role("region", name="Retention: what a purge would remove today")
    expect(dry.get_by_role("row", name="Reflections")).to_contain_text("3")
    expect(page.get_by_text("This is a dry run: nothing has been removed.")).to_be_visible()
    assert Review.objects.count() == 3  # the page removed nothing
    shot(page, "student-privacy-head")

    # just above the limit: refused by field, nothing saved
    page.get_by_label("Purge a student's reflections").fill("121")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("must be between 1 and 120 months")).to_be_visible()
    assert SchoolPrivacy.objects.get(organisation=people["school"]).retention_months == 12

    # a teacher, on a phone: only the class they lead, no school settings, no dry run
    sign_in(phone, "teacher@brookside.example", PASSWORD)
    phone.goto(f"{live_server.url}/classroom/privacy/")
    expect(phone.get_by_role("heading", name="Your classes")).to_be_visible()
    expect(phone.get_by_role("row", name="Year 4 Robins")).to_be_visible()
    expect(phone.get_by_text("Year 9 Falcons")).to_have_count(0)
    expect(phone.get_by_text("Retention: what a purge would remove today")).to_have_count(0)
    expect(phone.get_by_label("Age band of Year 4 Robins")).to_have_value("8-11")
    shot(phone, "student-privacy-teacher-phone")


def test_an_opened_class_reads_nothing_about_a_closed_one_and_a_closed_class_cannot_post(
    page: Any,
    phone: Any,
    live_server: Any,
    sign_in: Callable[..., None],
    shot: Callable[..., None],
) -> None:
    """Year 4 is opened, Year 9 is not: a Year 4 student reads the post about a classmate,
    not the one about a Year 9 student, and may name only people whose feed is open; a
    Year 9 student, on a phone, has no feed and no form to post with."""
    from ampwork.mastery.models import Recognition

    people = _school()
    school, four, nine = people["school"], people["4"], people["9"]
    students: dict[str, Person] = {}
    for key, name, team in (("robin", "Rosa Robin", four), ("falcon", "Finn Falcon", nine)):
        user = User.objects.create_user(f"{key}@brookside.example", PASSWORD, name=name)
        students[key] = Person.objects.create(
            organisation=school, user=user, name=name, email=user.email
        )
        TeamMembership.objects.create(organisation=school, team=team, person=students[key])
    ClassSetting.objects.create(organisation=school, team=four, recognition=True)
    for body, who in (
        ("Now that you fed the class rabbit", students["robin"]),
        ("Now that you won the chess match", students["falcon"]),
    ):
        post = Recognition.objects.create(organisation=school, author=people["teacher"], body=body)
        post.recipients.set([who])

    sign_in(page, "robin@brookside.example", PASSWORD)
    page.goto(f"{live_server.url}/mastery/recognition/")
    feed = page.get_by_role("region", name="Feed")
    expect(feed.get_by_text("Now that you fed the class rabbit")).to_be_visible()
    expect(page.get_by_text("chess match")).to_have_count(0)
    expect(page.get_by_text("Finn Falcon")).to_have_count(0)  # not even in the picker
    assert f'<option value="{people["teacher"].pk}">Tara Teacher</option>' in page.content()
    shot(page, "recognition-opened-class")

    sign_in(phone, "falcon@brookside.example", PASSWORD)
    phone.goto(f"{live_server.url}/mastery/recognition/")
    expect(phone.get_by_text("chess match")).to_have_count(0)
    expect(phone.get_by_role("button", name="Post")).to_have_count(0)
    expect(phone.get_by_text("until a teacher opens it to your class").first).to_be_visible()
    shot(phone, "recognition-closed-class-phone")
