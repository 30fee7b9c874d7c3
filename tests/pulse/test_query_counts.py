"""Pulse pages: the query count does not grow with the organisation or the responses."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from ampwork.core.models import Person
from ampwork.core.permissions import Actor
from ampwork.demo.services import generate
from ampwork.pulse import services
from ampwork.pulse.models import Invitation, Response, Round

SIZES = [50, 400]
PAGES = {
    "/pulse/": 9,
    # results read the frozen groups and the pool of the round and of the one before
    "/pulse/rounds/{round}/": 18,
    "/pulse/rounds/{round}/export.csv": 17,
    "/api/v1/pulse/rounds/{round}/results": 16,
}


@pytest.fixture(params=SIZES, ids=[f"{n}-people" for n in SIZES])
def answered(request: pytest.FixtureRequest, db: Any) -> tuple[Person, int]:
    result = generate(people=request.param, slug=f"pulse-{request.param}")
    admin = Person.objects.get(organisation=result.organisation, email=result.admin_email)
    actor = Actor(organisation=result.organisation, role="admin", user=admin.user, person=admin)
    today = timezone.localdate()
    for days in (40, 5):
        round = services.create_round(
            actor=actor,
            name=f"P{days}",
            opens=today - dt.timedelta(days=days),
            closes=today + dt.timedelta(days=3),
        )
        services.open_round(actor=actor, round=round, send=False)
        rng = random.Random(days)
        Response.objects.bulk_create(
            Response(
                round=round,
                group_id=i.group_id,
                submitted_on=today,
                answers={"mast1": rng.randint(1, 5), "mast2": rng.randint(1, 5)},
                enps=rng.randint(0, 10),
            )
            for i in Invitation.objects.filter(round=round)
        )
    return admin, Round.objects.filter(organisation=result.organisation).first().pk  # type: ignore[union-attr]


@pytest.mark.parametrize(("page", "limit"), list(PAGES.items()))
def test_pulse_pages_are_bounded(
    page: str,
    limit: int,
    answered: tuple[Person, int],
    prepared_get: Callable[[str, Person], Callable[[], Any]],
    django_assert_max_num_queries: Any,
) -> None:
    admin, round = answered
    url = page.format(round=round)
    get = prepared_get(url, admin)
    with django_assert_max_num_queries(limit):
        response = get()
    assert response.status_code == 200
