"""The 1:1 API end to end: start, agenda, action items, hold — and its refusals."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from ampwork.core.models import Organisation, Person, Role

pytestmark = pytest.mark.django_db


def test_a_meeting_through_the_api(
    org: Organisation,
    make_person: Callable[..., Person],
    bearer: Callable[[Person], dict[str, str]],
    client: Client,
) -> None:
    lead = make_person(org, Role.MANAGER, name="Lee Lead")
    report = make_person(org, manager=lead, name="Ray Report")
    as_lead, as_report = bearer(lead), bearer(report)

    def call(method: str, url: str, body: Any, auth: dict[str, str]) -> Any:
        data = json.dumps(body) if body is not None else ""
        return client.generic(
            method, f"/api/v1{url}", data, content_type="application/json", **auth
        )

    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    started = call(
        "POST",
        "/one-on-ones",
        {"with_id": lead.pk, "relationship": "manager", "first_meeting": tomorrow},
        as_report,
    )
    assert started.status_code == 201, started.content
    series = started.json()
    assert series["relation"] == "manager"
    assert series["next_meeting_date"] == tomorrow
    (listed,) = call("GET", "/one-on-ones", None, as_lead).json()
    assert listed["relation"] == "report"
    meeting = f"/one-on-ones/meetings/{series['next_meeting_id']}"
    point = call("POST", f"{meeting}/talking-points", {"text": "Pairing"}, as_report).json()
    other = call("POST", f"{meeting}/talking-points", {"text": "Budget"}, as_lead).json()
    marked = call(
        "PATCH", f"/one-on-ones/talking-points/{other['id']}", {"discussed": True}, as_report
    )
    assert marked.json()["discussed"] is True
    item = call(
        "POST",
        f"{meeting}/action-items",
        {"text": "Book the room", "owner_id": lead.pk, "due": tomorrow},
        as_report,
    ).json()
    assert (item["done"], item["overdue"]) == (False, False)
    ticked = call("PATCH", f"/one-on-ones/action-items/{item['id']}", {"done": True}, as_lead)
    assert ticked.json()["done"] is True
    call("PATCH", f"/one-on-ones/action-items/{item['id']}", {"done": False}, as_lead)
    held = call("POST", f"{meeting}/hold", None, as_lead)
    assert held.status_code == 200
    following = held.json()
    assert following["id"] != series["next_meeting_id"]
    assert [p["text"] for p in following["talking_points"]] == ["Pairing"]
    assert following["talking_points"][0]["carried_from_id"] == point["id"]
    assert [a["text"] for a in following["action_items"]] == ["Book the room"]
    # the held meeting takes no more agenda: a field-level 422
    late = call("POST", f"{meeting}/talking-points", {"text": "Too late"}, as_lead)
    assert late.status_code == 422
    assert late.json()["detail"][0]["loc"] == ["body", "meeting"]
    # strict bodies: unknown fields and wrong owners are refused
    next_meeting = f"/one-on-ones/meetings/{following['id']}"
    extra = call("POST", f"{next_meeting}/talking-points", {"text": "x", "private": 1}, as_lead)
    assert extra.status_code == 422
    stranger = make_person(org)
    wrong = call(
        "POST",
        f"{next_meeting}/action-items",
        {"text": "x", "owner_id": stranger.pk},
        as_lead,
    )
    assert wrong.status_code == 422
    assert call("GET", next_meeting, None, bearer(stranger)).status_code == 404
