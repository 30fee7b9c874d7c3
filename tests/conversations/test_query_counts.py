"""The 1:1 pages' query counts do not grow with the number of 1:1s or agenda items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ampwork.conversations import services
from ampwork.core.models import Organisation, Person, Role
from ampwork.core.permissions import Actor

pytestmark = pytest.mark.django_db


def _count(get: Callable[[], Any]) -> int:
    get()  # warm: sessions, content types
    with CaptureQueriesContext(connection) as queries:
        response = get()
    assert response.status_code == 200
    return len(queries)


def test_the_list_and_a_meeting_in_fixed_queries(
    org: Organisation,
    make_person: Callable[..., Person],
    actor_of: Callable[[Person], Actor],
    prepared_get: Callable[[str, Person], Callable[[], Any]],
) -> None:
    lead = make_person(org, Role.MANAGER)
    reports = [make_person(org, manager=lead) for _ in range(5)]
    first = services.start(actor=actor_of(lead), with_id=reports[0].pk, relationship="report")
    meeting = services.open_meeting_of(first)
    services.add_point(actor=actor_of(lead), meeting=meeting, text="one")
    services.add_action(actor=actor_of(lead), meeting=meeting, text="one", owner_id=lead.pk)
    listed_one = _count(prepared_get("/one-on-ones/", lead))
    page = f"/one-on-ones/meetings/{meeting.pk}/"
    page_one = _count(prepared_get(page, lead))
    api_one = _count(prepared_get(f"/api/v1/one-on-ones/meetings/{meeting.pk}", lead))
    for report in reports[1:]:
        services.start(actor=actor_of(lead), with_id=report.pk, relationship="report")
    for i in range(5):
        services.add_point(actor=actor_of(reports[0]), meeting=meeting, text=f"point {i}")
        services.add_action(
            actor=actor_of(reports[0]), meeting=meeting, text=f"do {i}", owner_id=reports[0].pk
        )
    held = services.hold(actor=actor_of(lead), meeting=meeting)
    assert _count(prepared_get("/one-on-ones/", lead)) == listed_one
    assert _count(prepared_get(f"/one-on-ones/meetings/{held.pk}/", lead)) == page_one
    api_many = _count(prepared_get(f"/api/v1/one-on-ones/meetings/{held.pk}", lead))
    assert api_many == api_one
