"""Home dashboards per role run a fixed number of queries at two organisation sizes; the
weekly digest goes to managers and admins once a week and says what changed."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ampwork.advisor import services
from ampwork.advisor.data import gather
from ampwork.advisor.models import DigestSent, Incentive
from ampwork.core.models import Organisation, Person, Role, TeamMembership
from ampwork.demo.services import generate
from ampwork.fairness.models import AuditRun
from ampwork.mastery.models import Reply, Review
from ampwork.mastery.selectors import week_of
from ampwork.okrs import selectors as okr_selectors
from ampwork.okrs.generate import generate_okrs
from ampwork.okrs.models import KeyResult, Objective
from ampwork.okrs.services import derived
from ampwork.pulse.models import Response, Round
from tests.budgets import counted, same_start
from tests.factories import (
    CycleFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)
from tests.pages import CSRF_TOKEN

SIZES = [60, 400]
SNAPSHOT_QUERIES = 23  # advisor.data.gather(), at 60 people and at 400


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


# who, the first visit's limit, the next visit's limit
HOMES = [("member", 17, 17), ("lead", 67, 18), ("admin", 73, 18)]


def test_home_dashboards_are_bounded(sized: dict[str, Any]) -> None:
    """The first visit computes the organisation-wide sections (one more query: the data
    versions); the next one reads them as they were, unless the data changed. Each role's
    home from the organisation as built (tests/budgets.py: built once per size); then the
    snapshot, from the same start."""
    over = []
    for who, limit, again in HOMES:
        with same_start() as prepare:
            get = prepare("/", sized[who])
            first, count = counted(get)
            response, count_again = counted(get)
        if count > limit:
            over.append(f"{who}'s home, first visit: {count} queries, over its limit of {limit}")
        if count_again > again:
            over.append(
                f"{who}'s home, next visit: {count_again} queries, over its limit of {again}"
            )
        token = re.compile(CSRF_TOKEN.pattern.encode())  # the CSRF token is new on each page
        assert token.sub(b"", response.content) == token.sub(b"", first.content), who
        assert response.status_code == 200, who
        page = response.content.decode()
        assert "Your week" in page, who
        if who != "member":
            assert "Your teams" in page, who
        if who == "admin":
            assert "Organisation health" in page
            assert "If-then reward on creative work" in page
            assert "Findings about your teams" not in page  # once is enough for an admin
    # gather() reads every other app through its front door: the same queries at 60 and at
    # 400 people (an open cycle, reviews, an incentive on an objective, a fairness run)
    with same_start():
        data, count = counted(lambda: gather(sized["org"]))
        if count > SNAPSHOT_QUERIES:
            over.append(f"the snapshot: {count} queries, over its limit of {SNAPSHOT_QUERIES}")
        assert data.cycle is not None
        assert data.key_results
        assert data.incentives
        assert data.people
        assert data.reviews
        assert data.gate is not None
    assert not over, "\n".join(over)


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
    assert response.status_code == 200
    assert "Your classes" in page
    assert "Reflections this week" in page


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
    with django_assert_max_num_queries(30):  # computed: the snapshot, and the data versions
        response = get()
    assert response.status_code == 200
    with django_assert_max_num_queries(
        5
    ):  # read as computed: the data versions, and the request's own
        again = get()
    assert again.status_code == 200


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
    assert services.send_digests(org=org) == []
    assert mail.outbox == []
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


# ---------------------------------------------------------------- one rule for "stale"


def _key_result_checked_in(owner: Person, cycle: Any, days_ago: int) -> KeyResult:
    """An active objective of ``owner`` in ``cycle`` with one key result, created long ago
    and last checked in ``days_ago`` days ago."""
    today = timezone.localdate()
    objective = ObjectiveFactory(cycle=cycle, owner_person=owner, author=owner)
    kr = KeyResultFactory(objective=objective, owner=owner, current=3)
    KeyResult.objects.filter(pk=kr.pk).update(
        last_check_in=today - dt.timedelta(days=days_ago),
        created_at=timezone.now() - dt.timedelta(days=120),
    )
    derived.refresh([objective.pk])  # the stored numbers, as the services keep them
    return kr


def test_stale_on_the_home_page_is_the_okr_pages_stale(
    org: Organisation, make_person: Callable[..., Person], web: Callable[[Person], Any]
) -> None:
    """A cycle that has ended but is not closed yet: its key results are no longer stale on
    the OKR pages (nobody checks in after the end), so not on the home page either. One
    running cycle beside it keeps a key result stale on both."""
    today = timezone.localdate()
    ended = CycleFactory(
        organisation=org, start=today - dt.timedelta(days=100), end=today - dt.timedelta(days=5)
    )
    running = CycleFactory(
        organisation=org, start=today - dt.timedelta(days=30), end=today + dt.timedelta(days=60)
    )
    ann = make_person(org, name="Ann Owner")
    done = _key_result_checked_in(ann, ended, days_ago=20)
    late = _key_result_checked_in(ann, running, days_ago=20)
    client = web(ann)
    # the OKR pages: the running cycle's key result is stale, the ended cycle's is not
    check_in = client.get("/okrs/check-in/").content.decode()
    assert re.findall(r'status--stale">\s*(stale)\s*<', check_in) == ["stale"]
    late_page = client.get(f"/okrs/objectives/{late.objective_id}/").content.decode()
    done_page = client.get(f"/okrs/objectives/{done.objective_id}/").content.decode()
    assert "stale: no check-in" in late_page
    assert "stale: no check-in" not in done_page
    # the home page counts the same one (the old rule counted both)
    home = client.get("/").content.decode()
    assert re.findall(r'status--stale">\s*(\d+) stale\s*<', home) == ["1"]


def test_the_advisor_snapshot_counts_stale_as_the_cycle_dashboard(
    org: Organisation, make_person: Callable[..., Person], admin_actor: Any
) -> None:
    """The advisor's checklist and readiness read the snapshot's stale share; the cycle
    dashboard counts stale key results. For a cycle past its end (not closed yet) both say
    none is stale; for the same key results in a running cycle both say all are."""
    today = timezone.localdate()
    cycle = CycleFactory(
        organisation=org, start=today - dt.timedelta(days=100), end=today - dt.timedelta(days=5)
    )
    people = [make_person(org, name=f"Owner {i}") for i in range(3)]
    for person in people:
        _key_result_checked_in(person, cycle, days_ago=20)
    board = okr_selectors.dashboard(admin_actor, cycle)
    data = gather(org)
    assert data.cycle is not None
    assert data.cycle.id == cycle.pk
    assert (board.stale_count, data.stale_share()) == (0, 0.0)
    cycle.end = today + dt.timedelta(days=10)
    cycle.save(update_fields=["end"])
    board = okr_selectors.dashboard(admin_actor, cycle)
    assert (board.stale_count, gather(org).stale_share()) == (3, 1.0)


def test_a_team_row_counts_reviews_of_everyone_its_objectives_count(db: Any) -> None:
    """The organisation's team has no members of its own: its row counted '0 of 0' reviews
    beside the whole organisation's objectives. It counts the people of every team inside."""
    from ampwork.advisor.dashboards import manager_section
    from ampwork.core.permissions import Actor

    root = TeamFactory(name="Whole org")
    org = root.organisation
    ceo = PersonFactory(organisation=org, role=Role.ADMIN)
    MembershipFactory(team=root, person=ceo, role="lead")
    inner = TeamFactory(organisation=org, name="Inner", parent=root)
    deeper = TeamFactory(organisation=org, name="Deeper", parent=inner)
    a = MembershipFactory(team=inner).person
    MembershipFactory(team=deeper)  # b, one team further in
    gone = MembershipFactory(team=deeper, person__active=False).person
    PersonFactory(organisation=org)  # in no team: not in the organisation team's row either
    this = week_of(timezone.localdate())
    for p in (a, gone):
        Review.objects.create(organisation=org, person=p, week=this, wins="w", challenge=4, skill=4)
    actor = Actor(organisation=org, role=Role.ADMIN, user=None, person=ceo)
    section = manager_section(actor, gather(org))
    assert section is not None
    row = next(line for line in section.teams if line.id == root.pk)
    assert row.people == 2  # a and b; not the lead, not the inactive one, not the teamless
    assert row.written == 1
