"""A 1:1's summary for the next manager, in a school's words (issue 21): a student shares it
with their next teacher, a teacher with their next head teacher; the private note is kept
from the head teachers (a school has no people ops). A company's page keeps its words."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ampwork.conversations import services
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor
from tests.pages import page_as

pytestmark = pytest.mark.django_db

COMPANY_WORDS = re.compile(r"\bmanagers?\b|\bHR\b|people ops", re.I)


def _series(
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    lead_role: str,
    report_role: str,
) -> dict[str, Any]:
    lead = make_person(org, lead_role, name="Lee Lead")
    report = make_person(org, report_role, name="Rae Report", manager=lead)
    series = services.start(
        actor=actor_of(report), with_id=lead.pk, relationship="manager", cadence="weekly"
    )
    return {"lead": lead, "report": report, "series": series}


def _page(client: Client, person: Person, series: Any, **headers: str) -> str:
    url = reverse("conversations:meeting", kwargs={"pk": services.open_meeting_of(series).pk})
    return page_as(client, person, url, **headers)


def _share_box(html: str) -> str:
    found = re.search(r'<section class="card" id="share-summary".*?</section>', html, re.S)
    assert found is not None
    return found.group()


def _private_note(html: str) -> str:
    found = re.search(r'<h2 id="private-h">.*?</p>', html, re.S)
    assert found is not None
    return found.group()


@pytest.mark.parametrize(
    ("lead_role", "report_role", "next_one"),
    [(Role.MANAGER, Role.MEMBER, "teacher"), (Role.ADMIN, Role.MANAGER, "head teacher")],
)
def test_a_schools_summary_goes_to_the_next_teacher_or_head_teacher(
    school: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
    lead_role: str,
    report_role: str,
    next_one: str,
) -> None:
    s = _series(school, make_person, actor_of, lead_role, report_role)
    html = _page(client, s["report"], s["series"])
    box = _share_box(html)
    assert f"When your {next_one} changes" in box
    assert f"for your next {next_one}, once you have a new one" in box
    assert f"Share a summary of this 1:1 with my next {next_one}" in box
    assert not COMPANY_WORDS.search(box), box
    note = _private_note(html)
    assert "not the head teachers" in note
    assert not COMPANY_WORDS.search(note), note
    # switched on, in place (htmx) and with a message (a plain post)
    switch = reverse("conversations:share_summary", kwargs={"pk": s["series"].pk})
    answer = client.post(switch, {"share": "on"}, HTTP_HX_REQUEST="true").content.decode()
    assert f"Shared with my next {next_one}" in answer
    assert not COMPANY_WORDS.search(answer), answer
    client.post(switch, {})  # off
    followed = client.post(switch, {"share": "on"}, follow=True).content.decode()
    assert f"Your next {next_one} can read a summary of this 1:1." in followed
    # and in German, the school's word
    box = _share_box(_page(client, s["report"], s["series"], HTTP_ACCEPT_LANGUAGE="de"))
    assert ("Lehrkraft" if next_one == "teacher" else "Schulleitung") in box
    assert "Führungskraft" not in box


def test_a_companys_summary_keeps_its_words(
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
) -> None:
    s = _series(org, make_person, actor_of, Role.MANAGER, Role.MEMBER)
    html = _page(client, s["report"], s["series"])
    box = _share_box(html)
    assert "When your manager changes" in box
    assert "for your next manager, once the reporting line changes" in box
    assert "Share a summary of this 1:1 with my next manager" in box
    assert "teacher" not in box
    assert "not admins or people ops" in _private_note(html)
    switch = reverse("conversations:share_summary", kwargs={"pk": s["series"].pk})
    followed = client.post(switch, {"share": "on"}, follow=True).content.decode()
    assert "Your next manager can read a summary of this 1:1." in followed


def test_the_earlier_page_names_the_reader_in_the_schools_words(
    school: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    client: Client,
) -> None:
    s = _series(school, make_person, actor_of, Role.MANAGER, Role.MEMBER)
    services.hold(actor=actor_of(s["lead"]), meeting=services.open_meeting_of(s["series"]))
    new = make_person(school, Role.MANAGER, name="Nia New")
    student = s["report"]
    student.manager = new
    student.save(update_fields=["manager"])
    services.set_summary_sharing(actor=actor_of(student), series=s["series"], share=True)
    assert new.user is not None
    client.force_login(new.user)
    html = client.get(reverse("conversations:earlier", kwargs={"pk": student.pk})).content
    lead = re.search(r'<p class="lead">.*?</p>', html.decode(), re.S)
    assert lead is not None
    assert "their teacher now" in lead.group()
    assert not COMPANY_WORDS.search(lead.group())


def test_only_a_teachers_1_1_has_a_summary_in_a_school(
    school: Organisation,
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
) -> None:
    for where, word in ((school, "teacher or head teacher"), (org, "manager")):
        a = make_person(where, Role.MANAGER)
        b = make_person(where, name="Mo Mentee")
        series = services.start(
            actor=actor_of(b), with_id=a.pk, relationship="mentor", cadence="weekly"
        )
        with pytest.raises(ValidationFailed) as raised:
            services.set_summary_sharing(actor=actor_of(b), series=series, share=True)
        assert word in str(raised.value.errors), raised.value.errors


def _start_text(client: Client, person: Person, **headers: str) -> str:
    assert person.user is not None
    client.force_login(person.user)
    response = client.get(reverse("conversations:index"), **headers)
    assert response.status_code == 200
    found = re.search(r'<h2 id="start-h">.*?</p>', response.content.decode(), re.S)
    assert found is not None
    return found.group()


def test_a_schools_1_1_page_explains_starting_one_in_its_words(
    school: Organisation, org: Organisation, make_person: Callable[..., Person], client: Client
) -> None:
    text = _start_text(client, make_person(school, Role.MANAGER))
    assert "A 1:1 with your teacher or a student needs a line between you" in text
    assert "a teacher or head teacher up the line" in text
    assert not COMPANY_WORDS.search(text), text
    german = _start_text(client, make_person(school, Role.MANAGER), HTTP_ACCEPT_LANGUAGE="de")
    assert "Lehrkraft" in german
    assert "Schulleitung" in german
    assert "Führungskraft" not in german
    company = _start_text(client, make_person(org, Role.MANAGER))
    assert "A manager 1:1 needs a reporting line" in company
    assert "teacher" not in company
