"""The 1:1 pages: starting one from the form, the agenda's writes in place (htmx) and as
plain forms, a refused write's message, and holding from the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ampwork.conversations.models import Meeting, OneOnOne, TalkingPoint
from ampwork.core.models import Organisation, Person, Role

pytestmark = pytest.mark.django_db


def test_start_from_the_form(
    org: Organisation, make_person: Callable[..., Person], web: Callable[[Person], Client]
) -> None:
    lead = make_person(org, Role.MANAGER)
    report = make_person(org, manager=lead, name="Rita Report")
    client = web(lead)
    page = client.get(reverse("conversations:index")).content.decode()
    assert "Rita Report" in page
    response = client.post(
        reverse("conversations:start"),
        {"with_id": report.pk, "relationship": "report", "cadence": "fortnightly"},
    )
    series = OneOnOne.objects.get(person=report, lead=lead)
    assert series.cadence == "fortnightly"
    meeting = Meeting.objects.get(one_on_one=series)
    assert response["Location"] == reverse("conversations:meeting", kwargs={"pk": meeting.pk})
    # a second time: refused with the reason, nothing written
    again = client.post(
        reverse("conversations:start"),
        {"with_id": report.pk, "relationship": "report"},
        follow=True,
    )
    assert "already have a 1:1" in again.content.decode()
    assert OneOnOne.objects.count() == 1


def test_the_agenda_in_place_and_without_javascript(pair: dict[str, Any], client: Client) -> None:
    assert pair["report"].user is not None
    client.force_login(pair["report"].user)
    url = reverse("conversations:add_point", kwargs={"pk": pair["meeting"].pk})
    in_place = client.post(url, {"text": "From htmx"}, HTTP_HX_REQUEST="true")
    assert in_place.status_code == 200
    html = in_place.content.decode()
    assert html.lstrip().startswith('<section class="card agenda" id="agenda"')
    assert "From htmx" in html
    plain = client.post(url, {"text": "From a plain form"})
    assert plain.status_code == 302
    assert TalkingPoint.objects.filter(meeting=pair["meeting"]).count() == 2
    # a refused write in place: the whole page again, with the message
    empty = client.post(url, {"text": "  "}, HTTP_HX_REQUEST="true")
    assert empty["HX-Redirect"] == reverse(
        "conversations:meeting", kwargs={"pk": pair["meeting"].pk}
    )
    assert "is required" in client.get(empty["HX-Redirect"]).content.decode()


def test_hold_from_the_page_twice(pair: dict[str, Any], client: Client) -> None:
    assert pair["lead"].user is not None
    client.force_login(pair["lead"].user)
    url = reverse("conversations:hold", kwargs={"pk": pair["meeting"].pk})
    first = client.post(url, follow=True)
    assert "Meeting held" in first.content.decode()
    second = client.post(url, follow=True)
    assert "held already" in second.content.decode()
    assert first.redirect_chain[-1] == second.redirect_chain[-1]
    assert Meeting.objects.filter(one_on_one=pair["series"]).count() == 2
