"""The person form in a school's words (issue 21): no job architecture, location or hire
date (they feed the pay audit and pay comparisons, which a school has none of), and the
person's teacher or head teacher where a company names their manager. A company's form is
unchanged — and what it is given for the job family is kept."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ampwork.core.models import Organisation, Person, Role

pytestmark = pytest.mark.django_db

JOB_FIELDS = ("job_role", "job_family", "level", "location", "hire_date")
COMPANY_WORDS = re.compile(
    r"\bmanager\b|job architecture|job family|hire date|pay among peers|\bteam\b", re.I
)


def _form(html: str) -> str:
    found = re.search(r"<form method=\"post\" novalidate>.*?</form>", html, re.S)
    assert found is not None
    return found.group()


def _words(form: str) -> str:
    """What people read in the form: its text, labels and help, without its markup."""
    return re.sub(r"<[^>]+>", " ", form)


def _as(client: Client, person: Person) -> Client:
    assert person.user is not None
    client.force_login(person.user)
    return client


@pytest.mark.parametrize("page", ["new", "edit"])
def test_a_schools_person_form_has_no_job_architecture_and_names_the_teacher(
    school: Organisation, make_person: Callable[..., Person], client: Client, page: str
) -> None:
    head = make_person(school, Role.ADMIN, name="Hana Head")
    student = make_person(school, name="Sam Student")
    url = (
        reverse("core:person_create")
        if page == "new"
        else reverse("core:person_edit", args=[student.pk])
    )
    form = _form(_as(client, head).get(url).content.decode())
    for field in JOB_FIELDS:
        assert f'name="{field}"' not in form, field
    assert "Teacher&#x27;s or head teacher&#x27;s email" in form
    assert "A student&#x27;s teacher; a teacher&#x27;s head teacher." in form
    if page == "new":
        assert "Add to class" in form
    assert not COMPANY_WORDS.search(_words(form)), COMPANY_WORDS.findall(_words(form))
    german = _form(client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode())
    assert "Lehrkraft oder Schulleitung" in german
    assert "Führungskraft" not in german


def test_a_school_adds_and_edits_a_student_with_their_teacher(
    school: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    head = make_person(school, Role.ADMIN)
    teacher = make_person(school, Role.MANAGER)
    web = _as(client, head)
    response = web.post(
        reverse("core:person_create"),
        {
            "name": "Sol Student",
            "email": "sol@hill.example",
            "role": Role.MEMBER,
            "manager_email": teacher.email,
            "job_family": "ignored",
        },
    )
    assert response.status_code == 302
    sol = Person.objects.get(organisation=school, email="sol@hill.example")
    assert sol.manager == teacher
    assert (sol.job_role, sol.job_family, sol.level, sol.location, sol.hire_date) == (
        "",
        "",
        "",
        "",
        None,
    )
    # editing keeps what an import wrote into the hidden fields
    Person.objects.filter(pk=sol.pk).update(level="Year 8")
    response = web.post(
        reverse("core:person_edit", args=[sol.pk]),
        {
            "name": "Sol Student",
            "email": "sol@hill.example",
            "role": Role.MEMBER,
            "manager_email": "",
        },
    )
    assert response.status_code == 302
    sol.refresh_from_db()
    assert (sol.manager, sol.level) == (None, "Year 8")
    # an unknown teacher's email: named on the field, nothing written
    response = web.post(
        reverse("core:person_edit", args=[sol.pk]),
        {
            "name": "Sol Student",
            "email": "sol@hill.example",
            "role": Role.MEMBER,
            "manager_email": "nobody@hill.example",
        },
    )
    assert response.status_code == 200
    assert "nobody here has the email nobody@hill.example" in response.content.decode()


def test_a_companys_person_form_is_unchanged_and_keeps_the_job_family(
    org: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    admin = make_person(org, Role.ADMIN)
    boss = make_person(org, Role.MANAGER)
    web = _as(client, admin)
    form = _form(web.get(reverse("core:person_create")).content.decode())
    for field in JOB_FIELDS:
        assert f'name="{field}"' in form, field
    assert "Manager&#x27;s email" in form
    assert "Leave empty for no manager." in form
    assert "Add to team" in form
    assert "teacher" not in form.lower()
    response = web.post(
        reverse("core:person_create"),
        {
            "name": "Eve Engineer",
            "email": "eve@acme.example",
            "role": Role.MEMBER,
            "manager_email": boss.email,
            "job_role": "Engineer",
            "job_family": "Engineering",
            "level": "L3",
            "location": "Berlin",
            "hire_date": "2024-03-01",
        },
    )
    assert response.status_code == 302
    eve = Person.objects.get(organisation=org, email="eve@acme.example")
    assert (eve.manager, eve.job_role, eve.job_family, eve.level, eve.location) == (
        boss,
        "Engineer",
        "Engineering",
        "L3",
        "Berlin",
    )
