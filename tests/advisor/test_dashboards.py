"""Home dashboards per role run a fixed number of queries at two organisation sizes; the
weekly digest goes to managers and admins once a week and says what changed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ampwork.advisor import services
from ampwork.advisor.models import DigestSent, Incentive
from ampwork.core.models import Organisation, Person, Role, TeamMembership
from ampwork.demo.services import generate
from ampwork.fairness.models import AuditRun
from ampwork.mastery.models import Reply, Review
from ampwork.mastery.selectors import week_of
from ampwork.okrs.generate import generate_okrs
from ampwork.okrs.models import Objective
from ampwork.surveys.models import Response, Round
from tests.factories import CycleFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory

SIZES = [60, 400]


def _signable(person: Person) -> Person:
    user = UserFactory()
    person.user = user
    person.save(update_fields=["user"])
    return person


@pytest.fixture(params=SIZES, ids=[f"{n}-people" for n in SIZES])
def sized(request: pytest.FixtureRequest, db: Any) -> dict[str, Any]:
    result = generate(people=request.param, slug=f"dash-{request.param}")
    org = result.organisation
    generate_okrs(
        org, objectives_per_person=1, key_results_per_objective=2, check_ins_per_key_result=3
    )
    admin = Person.objects.get(organisation=org, email=result.admin_email)
    lead_membership = (
        TeamMembership.objects.filter(
            organisation=org, role="lead", team__parent__parent__isnull=False
        )
        .select_related("person")
        .first()
    )
    assert lead_membership is not None
    lead = _signable(lead_membership.person)
    member = _signable(
        TeamMembership.objects.filter(team=lead_membership.team, role="member").first().person
    )
    this = week_of(timezone.localdate())
    people = list(Person.objects.filter(organisation=org).values_list("id", flat=True))
    reviews = [
        Review(
            organisation=org,
            person_id=p,
            week=this - dt.timedelta(weeks=w),
            wins="w",
            challenge=4,
            skill=4,
        )
        for p in people[::3]
        for w in range(3)
    ]
    Review.objects.bulk_create(reviews)
    Reply.objects.bulk_create(
        [
            Reply(organisation=org, review=r, author=lead, body="b")
            for r in Review.objects.filter(organisation=org)[::2]
        ]
    )
    objective = Objective.objects.filter(organisation=org).first()
    Incentive.objects.create(
        organisation=org, what="Bonus", outcome="x", style="if_then", objective=objective
    )
    AuditRun.objects.create(organisation=org, status="red", reasons=["a gap"])
    pulse = Round.objects.create(
        organisation=org,
        name="Pulse",
        instrument="amp-pulse-1",
        status="closed",
        opens=this - dt.timedelta(days=30),
        closes=this - dt.timedelta(days=20),
    )
    Response.objects.bulk_create(
        [
            Response(round=pulse, group=lead_membership.team, answers={"mast1": 4, "purp1": 5})
            for _ in range(6)
        ]
    )
    return {"org": org, "admin": admin, "lead": lead, "member": member}


@pytest.mark.parametrize(("who", "limit"), [("member", 17), ("lead", 66), ("admin", 72)])
def test_home_dashboards_are_bounded(
    who: str,
    limit: int,
    sized: dict[str, Any],
    prepared_get: Callable[[str, Person], Callable[[], Any]],
    django_assert_max_num_queries: Any,
) -> None:
    get = prepared_get("/", sized[who])
    with django_assert_max_num_queries(limit):
        response = get()
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your week" in page
    if who != "member":
        assert "Your teams" in page
    if who == "admin":
        assert "Organisation health" in page and "If-then reward on creative work" in page
        assert "Findings about your teams" not in page  # once is enough for an admin


@pytest.mark.parametrize("size", [12, 48])
def test_teacher_home_is_bounded(
    size: int,
    school: Organisation,
    make_person: Callable[..., Person],
    prepared_get: Callable[[str, Person], Callable[[], Any]],
    django_assert_max_num_queries: Any,
) -> None:
    teacher = make_person(school, Role.MANAGER)
    for c in range(2):
        team = TeamFactory(organisation=school, name=f"Class {c}")
        MembershipFactory(team=team, person=teacher, role="lead")
        for _ in range(size // 2):
            student = PersonFactory(organisation=school, manager=teacher)
            MembershipFactory(team=team, person=student)
            Review.objects.create(
                organisation=school, person=student, week=week_of(timezone.localdate()), wins="w"
            )
    get = prepared_get("/", teacher)
    with django_assert_max_num_queries(46):
        response = get()
    page = response.content.decode()
    assert (
        response.status_code == 200 and "Your classes" in page and "Reflections this week" in page
    )


@pytest.mark.parametrize("size", [60, 400])
def test_advisor_overview_is_bounded(
    size: int,
    db: Any,
    prepared_get: Callable[[str, Person], Callable[[], Any]],
    django_assert_max_num_queries: Any,
) -> None:
    result = generate(people=size, slug=f"adv-{size}")
    admin = Person.objects.get(organisation=result.organisation, email=result.admin_email)
    get = prepared_get("/advisor/", admin)
    with django_assert_max_num_queries(28):
        response = get()
    assert response.status_code == 200


def test_the_digest_goes_once_a_week_and_says_what_changed(
    crew: dict[str, Any], org: Organisation, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.BASE_URL = "http://testserver"
    sent = services.send_digests(org=org)
    assert sorted(sent) == sorted([crew["admin"].email, crew["lead"].email])
    admin_mail = next(m for m in mail.outbox if m.to == [crew["admin"].email])
    assert "fairness gate: red" in admin_mail.body
    assert "Ignoring baseline fairness" not in admin_mail.body  # nothing under way yet
    lead_mail = next(m for m in mail.outbox if m.to == [crew["lead"].email])
    assert "weekly reviews written this week: 0" in lead_mail.body
    assert "http://testserver/?org=acme" in lead_mail.body
    mail.outbox.clear()
    assert services.send_digests(org=org) == [] and mail.outbox == []
    # a week later, with a review written, the digest says what changed
    DigestSent.objects.update(week=week_of(timezone.localdate()) - dt.timedelta(weeks=1))
    Review.objects.create(
        organisation=org, person=crew["ann"], week=week_of(timezone.localdate()), wins="w"
    )
    services.send_digests(org=org)
    lead_mail = next(m for m in mail.outbox if m.to == [crew["lead"].email])
    assert "weekly reviews written this week: 1 (was 0 last week)" in lead_mail.body


def test_the_commands(crew: dict[str, Any], org: Organisation, settings: Any, capsys: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("digest", "send", "--dry-run")
    assert "acme: would send 2 digests" in capsys.readouterr().out
    assert mail.outbox == []
    objective = Objective.objects.create(
        organisation=org,
        cycle=CycleFactory(organisation=org),
        owner_kind="person",
        owner_person=crew["ann"],
        author=crew["ann"],
        title="Make onboarding delightful",
    )
    Incentive.objects.create(
        organisation=org, what="Bonus", outcome="x", style="if_then", objective=objective
    )
    call_command("advisor", "findings", "--org", "acme", "--format", "json")
    found = json.loads(capsys.readouterr().out)
    assert {f["rule"] for f in found["findings"]} == {"if-then-creative", "okrs-tied-to-bonuses"}
    call_command("advisor", "findings", "--org", "acme")
    assert "If-then reward on creative work" in capsys.readouterr().out
