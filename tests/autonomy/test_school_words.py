"""Autonomy pages in a school's words (issue 21): a teacher's own row of a class grid says a
head teacher sets their levels, and a student with no ShipIt day is sent to their teacher;
a company's pages keep "your manager"."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from ampwork.core.models import Organisation, Person, Role
from tests.factories import MembershipFactory, TeamFactory
from tests.pages import page_as as _get

pytestmark = pytest.mark.django_db

COMPANY_WORDS = re.compile(r"\bmanagers?\b", re.I)


def _grid(where: Organisation, make_person: Callable[..., Person]) -> tuple[Person, str]:
    lead = make_person(where, Role.MANAGER, name="Lou Lead")
    team = TeamFactory(organisation=where, name="8C")
    MembershipFactory(team=team, person=lead, role="lead")
    MembershipFactory(team=team, person=make_person(where, name="Sid Student", manager=lead))
    return lead, f"/autonomy/teams/{team.pk}/"


def _own_row(html: str, person: Person) -> str:
    found = re.search(rf'<tr id="row-{person.pk}">.*?</tr>', html, re.S)
    assert found is not None
    return found.group()


def test_a_teachers_own_row_names_the_head_teacher(
    school: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    lead, url = _grid(school, make_person)
    row = _own_row(_get(client, lead, url), lead)
    assert "your own levels are set by your head teacher" in row
    assert not COMPANY_WORDS.search(row)
    german = _own_row(_get(client, lead, url, HTTP_ACCEPT_LANGUAGE="de"), lead)
    assert "Schulleitung" in german
    assert "Führungskraft" not in german


def test_a_managers_own_row_keeps_its_words(
    org: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    lead, url = _grid(org, make_person)
    row = _own_row(_get(client, lead, url), lead)
    assert "your own levels are set by your manager" in row
    assert "teacher" not in row


@pytest.mark.parametrize(
    ("kind", "words"), [("school", "your teacher"), ("company", "your manager")]
)
def test_no_shipit_day_yet_sends_people_to_whoever_runs_them(
    school: Organisation,
    org: Organisation,
    make_person: Callable[..., Person],
    client: Client,
    kind: str,
    words: str,
) -> None:
    html = _get(client, make_person(school if kind == "school" else org), "/autonomy/shipit/")
    assert f"Ask {words} to set one up." in html
    assert ("manager" in html) == (kind == "company")
