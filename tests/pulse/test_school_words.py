"""The new-pulse form (issue 21): a class code is a school's (a teacher says it in class),
so a company's form has no class code field — and a company posting one writes none; a
school's form offers it and names classes, not teams."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from ampwork.core.models import Organisation, Person, Role
from ampwork.pulse.models import Round
from tests.factories import TeamFactory
from tests.pages import main_of, page_as

pytestmark = pytest.mark.django_db


def _form(client: Client, person: Person, **headers: str) -> str:
    return main_of(page_as(client, person, "/pulse/new/", **headers))


def _words(form: str) -> str:
    return re.sub(r"<[^>]+>", " ", form)


def test_a_schools_form_has_the_class_code_and_names_classes(
    school: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    form = _form(client, make_person(school, Role.ADMIN))
    assert 'name="class_code"' in form
    assert "Shared link: a class code (optional)" in form
    assert "Only these classes" in form
    assert "Leave empty for the whole school." in form
    words = _words(form)
    assert not re.search(r"\bteams?\b|organisation", words, re.I), words
    german = _form(client, make_person(school, Role.ADMIN), HTTP_ACCEPT_LANGUAGE="de")
    assert "Nur diese Klassen" in german


def test_a_companys_form_has_no_class_code(
    org: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    admin = make_person(org, Role.ADMIN)
    form = _form(client, admin)
    assert 'name="class_code"' not in form
    assert "class code" not in form.lower()
    assert "Only these teams" in form
    assert "Leave empty for the whole organisation." in form
    team = TeamFactory(organisation=org)
    today = timezone.localdate()
    made = client.post(
        "/pulse/new/",
        {
            "name": "Shared",
            "opens": today.isoformat(),
            "closes": (today + dt.timedelta(days=3)).isoformat(),
            "mode": "unattributed",
            "teams": [str(team.pk)],
            "class_code": "Otter",  # no such field here: ignored
        },
    )
    assert made.status_code == 302
    assert Round.objects.get(organisation=org).class_code == ""
