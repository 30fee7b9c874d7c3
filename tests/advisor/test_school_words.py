"""The advisor in a school's words (issue 21): its incentive examples are a school's
(no bonuses, perks or days off), and its readiness speaks of weekly reflections, not weekly
reviews. A company's pages keep their words."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from ampwork.advisor import readiness, services, traps
from ampwork.advisor.readiness import Signals
from ampwork.core.models import Organisation, Person, Role
from tests.factories import MembershipFactory, TeamFactory
from tests.pages import main_of as _main
from tests.pages import page_as as _get

pytestmark = pytest.mark.django_db

COMPANY_EXAMPLES = re.compile(
    r"bonus|perks|day off|Account Executive|onboarding|weekly review", re.I
)


def test_a_schools_incentives_page_gives_a_schools_examples(
    school: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    html = _main(_get(client, make_person(school, Role.ADMIN), "/advisor/incentives/"))
    for example in (
        "e.g. class trip",
        "e.g. every student reading five books by June",
        "e.g. a certificate at assembly",
        "e.g. class representative",
        "Record the prizes, certificates and treats the school promises",
    ):
        assert example in html, example
    assert not COMPANY_EXAMPLES.search(html), COMPANY_EXAMPLES.findall(html)
    german = _main(
        _get(
            client,
            make_person(school, Role.ADMIN),
            "/advisor/incentives/",
            HTTP_ACCEPT_LANGUAGE="de",
        )
    )
    assert "Klassenausflug" in german
    assert "Bonus" not in german


def test_a_companys_incentives_page_keeps_its_examples(
    org: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    html = _main(_get(client, make_person(org, Role.ADMIN), "/advisor/incentives/"))
    for example in (
        "e.g. launch bonus",
        "e.g. shipping the new onboarding by June",
        "e.g. an extra day off",
        "e.g. Account Executive",
        "Record the bonuses, prizes and perks you promise",
    ):
        assert example in html, example
    assert "class trip" not in html


def test_a_schools_readiness_speaks_of_weekly_reflections() -> None:
    school = readiness.assess(
        Signals(is_school=True, published_purpose=True, statement_share=0.6, review_share=0.0)
    )
    company = readiness.assess(
        Signals(published_purpose=True, statement_share=0.6, review_share=0.0)
    )
    assert school.focus == company.focus == "mastery"
    (mastery,) = [s for s in school.stages if s.name == "mastery"]
    assert mastery.reasons[0] == "0% wrote a weekly reflection in the last two weeks"
    assert school.next_step.startswith("Start weekly reflections — wins first")
    (mastery,) = [s for s in company.stages if s.name == "mastery"]
    assert mastery.reasons[0] == "0% wrote a weekly review in the last two weeks"
    assert company.next_step.startswith("Start weekly reviews — wins first")
    with translation.override("fr"):
        assert (
            "réflexions hebdomadaires"
            in readiness.assess(
                Signals(is_school=True, published_purpose=True, statement_share=0.6)
            ).next_step
        )
    autonomy = Signals(
        is_school=True, published_purpose=True, statement_share=0.6, review_share=0.6
    )
    assert "how students work" in readiness.assess(autonomy).next_step


def test_a_schools_advisor_page_has_no_weekly_review(
    school: Organisation, org: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    for where in (school, org):
        team = TeamFactory(organisation=where)
        MembershipFactory(team=team, person=make_person(where))
    school_page = _main(_get(client, make_person(school, Role.ADMIN), "/advisor/"))
    assert "weekly reflection" in school_page
    assert "weekly review" not in school_page.lower()
    company_page = _main(_get(client, make_person(org, Role.ADMIN), "/advisor/"))
    assert "weekly review" in company_page


def test_a_schools_weekly_digest_counts_reflections(
    school: Organisation, org: Organisation, make_person: Callable[..., Person], settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.BASE_URL = "http://testserver"
    for where in (school, org):
        team = TeamFactory(organisation=where, name="7B")
        teacher = make_person(where, Role.MANAGER, name="Tia Teacher")
        MembershipFactory(team=team, person=teacher, role="lead")
        student = make_person(where, name="Sam Student", manager=teacher)
        MembershipFactory(team=team, person=student)
        german = make_person(where, Role.MANAGER, name="Gerd German", language="de")
        MembershipFactory(team=team, person=german, role="lead")
        services.send_digests(org=where)
    body = {m.to[0]: m.body for m in mail.outbox}
    at_school = body[Person.objects.get(organisation=school, name="Tia Teacher").email]
    assert "weekly reflections written this week: 0" in at_school
    assert "reflections waiting for your answer: 0" in at_school
    assert "people in your classes with a challenge flag: 0" in at_school
    assert not re.search(r"review|manager", at_school, re.I), at_school
    german_school = body[Person.objects.get(organisation=school, name="Gerd German").email]
    assert "wöchentliche Reflexionen" in german_school
    assert "Rückblick" not in german_school
    at_work = body[Person.objects.get(organisation=org, name="Tia Teacher").email]
    assert "weekly reviews written this week: 0" in at_work
    assert "reviews waiting for your answer: 0" in at_work
    assert "people with a challenge flag: 0" in at_work
    assert "reflection" not in at_work


def test_a_schools_findings_speak_of_prizes_students_and_reflections() -> None:
    incentive = traps.IncentiveFact(
        id=1,
        what="class trip",
        style="if_then",
        objective_id=7,
        objective_title="Read",
        work_style="heuristic",
    )
    team = traps.TeamFact(id=3, name="7B", control=("no step granted",))
    tired = {"reviews_before": 0.8, "reviews_recent": 0.3, "teams": (team,)}
    school = traps.detect(traps.Facts(is_school=True, incentives=(incentive,), **tired))
    company = traps.detect(traps.Facts(incentives=(incentive,), **tired))
    said = " ".join(f"{f.title} {f.next_step} {' '.join(f.evidence)}" for f in school.findings)
    assert "Goals tied to a prize" in said
    assert "weekly reflections written fell" in said
    assert "how students do their work" in said
    assert not re.search(r"bonus|\bpay\b|colleague|weekly review", said), said
    at_work = " ".join(f"{f.title} {f.next_step}" for f in company.findings)
    assert "OKRs tied to a bonus" in at_work
    assert "fair base pay" in at_work
