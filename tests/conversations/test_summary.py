"""Attacks on the summary for the next manager: the person alone switches it on (never the
lead); their current manager, when not the series' lead, reads it while it is on — the
shared agenda, action items and shared notes of held meetings, never a private note — and
nobody else reads it through this route: not the old lead, an admin, people ops, a
colleague."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ampwork.conversations import selectors, services
from ampwork.conversations.models import OneOnOne
from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor, can

pytestmark = pytest.mark.django_db

SECRET_LEAD = "Remy seems to be job hunting"
SECRET_REPORT = "I want to leave this team"
SHARED = "We agreed on Fridays off"
POINT = "Conference budget"
OPEN_POINT = "Rotation plan"
ACTION = "Book the conference"


@pytest.fixture
def moved(
    pair: dict[str, Any],
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
) -> dict[str, Any]:
    """A held meeting with an agenda, an action item, shared notes and both private notes;
    then the report moves to a new manager, who starts a 1:1 with them."""
    lead, report, meeting = actor_of(pair["lead"]), actor_of(pair["report"]), pair["meeting"]
    point = services.add_point(actor=report, meeting=meeting, text=POINT)
    services.mark_point(actor=lead, point=point, discussed=True)
    services.add_point(actor=report, meeting=meeting, text=OPEN_POINT)
    services.add_action(
        actor=lead,
        meeting=meeting,
        text=ACTION,
        owner_id=pair["report"].pk,
        due=timezone.localdate() + dt.timedelta(days=3),
    )
    services.save_shared_notes(actor=lead, meeting=meeting, text=SHARED)
    services.save_private_note(actor=lead, meeting=meeting, text=SECRET_LEAD)
    services.save_private_note(actor=report, meeting=meeting, text=SECRET_REPORT)
    services.hold(actor=lead, meeting=meeting)
    new = make_person(org, Role.MANAGER, name="Nina Newmanager")
    person = pair["report"]
    person.manager = new
    person.save(update_fields=["manager"])
    pair["series"].refresh_from_db()
    services.start(actor=actor_of(new), with_id=person.pk, relationship="report")
    return {**pair, "new": new}


def _share(moved: dict[str, Any], actor_of: Callable[[Person], Actor], on: bool) -> None:
    services.set_summary_sharing(actor=actor_of(moved["report"]), series=moved["series"], share=on)


def _get(client: Client, person: Person, url: str) -> tuple[int, str]:
    assert person.user is not None
    client.force_login(person.user)
    response = client.get(url)
    return response.status_code, response.content.decode()


def test_off_by_default_and_the_lead_cannot_switch_it(
    moved: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    series = moved["series"]
    assert series.share_summary is False
    assert not can(actor_of(moved["new"]), "one_on_ones.read_summary", series)
    with pytest.raises(NotAllowed):
        services.set_summary_sharing(actor=actor_of(moved["lead"]), series=series, share=True)
    series.refresh_from_db()
    assert series.share_summary is False
    # a third person does not even find the series
    with pytest.raises(NotAllowed):
        services.set_summary_sharing(actor=actor_of(moved["new"]), series=series, share=True)


def test_a_mentor_1on1_has_no_summary(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    mentee = actor_of(pair["colleague"])
    series = services.start(actor=mentee, with_id=pair["lead"].pk, relationship="mentor")
    assert series.kind == OneOnOne.Kind.MENTOR
    with pytest.raises(ValidationFailed):
        services.set_summary_sharing(actor=mentee, series=series, share=True)


def test_who_reads_it(moved: dict[str, Any], actor_of: Callable[[Person], Actor]) -> None:
    series, person_id = moved["series"], moved["report"].pk
    # without the person's opt-in: nobody
    with pytest.raises(NotFound):
        selectors.earlier_one_on_ones(actor_of(moved["new"]), person_id)
    _share(moved, actor_of, True)
    found = selectors.earlier_one_on_ones(actor_of(moved["new"]), person_id)
    assert [s.series.pk for s in found.summaries] == [series.pk]  # not the new manager's own
    (held,) = found.summaries[0].meetings
    assert {(p.text, p.discussed) for p in held.points} == {(POINT, True), (OPEN_POINT, False)}
    assert [(a.text, a.owner_id, a.done) for a in held.actions] == [(ACTION, person_id, False)]
    assert held.shared_notes == SHARED
    # the old lead, an admin, people ops, a colleague, the person: not through this route
    for who in ("lead", "admin", "ops", "colleague", "report"):
        assert not can(actor_of(moved[who]), "one_on_ones.read_summary", series), who
        with pytest.raises(NotFound):
            selectors.earlier_one_on_ones(actor_of(moved[who]), person_id)
    # switched off: hidden again
    _share(moved, actor_of, False)
    with pytest.raises(NotFound):
        selectors.earlier_one_on_ones(actor_of(moved["new"]), person_id)


def test_no_summary_while_the_lead_is_still_the_manager(
    pair: dict[str, Any], actor_of: Callable[[Person], Actor]
) -> None:
    services.set_summary_sharing(actor=actor_of(pair["report"]), series=pair["series"], share=True)
    with pytest.raises(NotFound):  # the reporting line did not change
        selectors.earlier_one_on_ones(actor_of(pair["lead"]), pair["report"].pk)


def test_pages(moved: dict[str, Any], client: Client, actor_of: Callable[[Person], Actor]) -> None:
    url = reverse("conversations:earlier", kwargs={"pk": moved["report"].pk})
    new_series = OneOnOne.objects.get(person=moved["report"], lead=moved["new"])
    new_meeting = reverse(
        "conversations:meeting", kwargs={"pk": services.open_meeting_of(new_series).pk}
    )
    status, html = _get(client, moved["new"], url)
    assert status == 404
    assert SHARED not in html
    assert url not in _get(client, moved["new"], new_meeting)[1]
    # the person switches it on from their page (htmx: the switch answers in place)
    old_meeting = reverse(
        "conversations:meeting", kwargs={"pk": services.open_meeting_of(moved["series"]).pk}
    )
    status, html = _get(client, moved["report"], old_meeting)
    assert "Share a summary of this 1:1 with my next manager" in html
    switch = reverse("conversations:share_summary", kwargs={"pk": moved["series"].pk})
    response = client.post(switch, {"share": "on"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Shared with my next manager" in response.content.decode()
    # the lead sees no switch, and cannot post it
    status, html = _get(client, moved["lead"], old_meeting)
    assert "Share a summary" not in html
    assert client.post(switch, {}).status_code == 403
    moved["series"].refresh_from_db()
    assert moved["series"].share_summary is True
    status, html = _get(client, moved["new"], url)
    assert status == 200
    assert "Earlier 1:1s of Remy Report" in html
    for text in (SHARED, POINT, OPEN_POINT, ACTION, "not discussed"):
        assert text in html
    assert SECRET_LEAD not in html
    assert SECRET_REPORT not in html
    # linked from the new manager's 1:1 with the person and from the 1:1s index
    assert url in _get(client, moved["new"], new_meeting)[1]
    assert url in _get(client, moved["new"], reverse("conversations:index"))[1]
    for who in ("lead", "admin", "ops", "colleague"):
        status, html = _get(client, moved[who], url)
        assert status == 404, who
        assert SHARED not in html
    # switched off by the person: gone again
    client.force_login(moved["report"].user)
    assert client.post(switch, {}).status_code == 302
    assert _get(client, moved["new"], url)[0] == 404


def test_the_api(moved: dict[str, Any], client: Client, bearer: Callable[..., Any]) -> None:
    earlier = f"/api/v1/one-on-ones/people/{moved['report'].pk}/earlier"
    switch = f"/api/v1/one-on-ones/{moved['series'].pk}/summary-sharing"

    def put(who: str, share: bool) -> Any:
        return client.put(
            switch,
            json.dumps({"share": share}),
            content_type="application/json",
            **bearer(moved[who]),
        )

    assert client.get(earlier, **bearer(moved["new"])).status_code == 404
    assert put("lead", True).status_code == 403
    assert put("new", True).status_code == 404
    answer = put("report", True)
    assert answer.status_code == 200
    assert answer.json()["share_summary"] is True
    response = client.get(earlier, **bearer(moved["new"]))
    assert response.status_code == 200
    body = response.json()
    assert body["person"]["name"] == "Remy Report"
    (summary,) = body["summaries"]
    (held,) = summary["meetings"]
    assert held["shared_notes"] == SHARED
    assert held["action_items"][0]["text"] == ACTION
    assert held["action_items"][0]["done"] is False
    text = response.content.decode()
    assert SECRET_LEAD not in text
    assert SECRET_REPORT not in text
    for who in ("lead", "admin", "ops", "colleague"):
        got = client.get(earlier, **bearer(moved[who]))
        assert got.status_code == 404, who
        assert SHARED not in got.content.decode()
    assert put("report", False).json()["share_summary"] is False
    assert client.get(earlier, **bearer(moved["new"])).status_code == 404
