"""The skills page in a school's words (issue 21): the school grows the skills and a
student's teachers add their view; a company's page keeps its words."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from ampwork.mastery import services
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db

COMPANY_WORDS = re.compile(r"\bmanagers?\b|organisation|compan", re.I)


def _rated(
    where: Organisation, make_person: Callable[..., Person], actor_of: Callable[[Person], Actor]
) -> Person:
    """A person with their own rating and their lead's view of one skill."""
    lead = make_person(where, Role.MANAGER)
    person = make_person(where, manager=lead)
    team = TeamFactory(organisation=where)
    MembershipFactory(team=team, person=lead, role="lead")
    MembershipFactory(team=team, person=person)
    admin = make_person(where, Role.ADMIN)
    skill = services.create_skill(
        actor=actor_of(admin), name="Writing", levels=[f"level {n}" for n in range(1, 6)]
    )
    services.rate_skill(actor=actor_of(person), skill=skill, person=person, level=2)
    services.rate_skill(actor=actor_of(lead), skill=skill, person=person, level=3)
    return person


def _page(client: Client, person: Person, **headers: str) -> str:
    assert person.user is not None
    client.force_login(person.user)
    response = client.get("/mastery/skills/", **headers)
    assert response.status_code == 200
    html = response.content.decode()
    main = re.search(r"<h1>.*?</section>", html, re.S)  # the intro and the first skill
    assert main is not None
    return main.group()


def test_a_schools_skills_page_speaks_of_the_school_and_teachers(
    school: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
) -> None:
    student = _rated(school, make_person, actor_of)
    html = _page(client, student)
    assert "The skills this school grows" in html
    assert "Your teachers add their view beside yours" in html
    assert "teacher: level 3" in html
    assert not COMPANY_WORDS.search(html), COMPANY_WORDS.findall(html)
    for language, word, company in (
        ("de", "Lehrkräfte", "Führungskräfte"),
        ("fr", "enseignant·es", "managers"),
        ("es", "docentes", "responsables"),
    ):
        translated = _page(client, student, HTTP_ACCEPT_LANGUAGE=language)
        assert word in translated, language
        assert company not in translated, language


def test_a_companys_skills_page_keeps_its_words(
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
) -> None:
    html = _page(client, _rated(org, make_person, actor_of))
    assert "The skills this organisation grows" in html
    assert "Managers add their view beside yours" in html
    assert "manager: level 3" in html
    assert "teacher" not in html.lower()
