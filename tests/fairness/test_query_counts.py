"""The fairness pages' query counts do not grow with the organisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ampwork.core.models import Person
from ampwork.demo.services import generate
from ampwork.fairness.models import CompensationRecord, MarketBenchmark, PayAttribute, PayBand

SIZES = [50, 400]
PAGES = {
    "/fairness/": 18,
    "/fairness/reports/eu/": 16,
    "/fairness/reports/uk/?format=csv": 16,
    "/fairness/me/": 10,
    "/api/v1/fairness/reports/eu": 14,
    "/api/v1/fairness/gate": 6,
}


@pytest.fixture(params=SIZES, ids=[f"{n}-people" for n in SIZES])
def paid(request: pytest.FixtureRequest, db: Any) -> Person:
    result = generate(people=request.param, slug=f"pay-{request.param}")
    org = result.organisation
    people = list(Person.objects.filter(organisation=org))
    CompensationRecord.objects.bulk_create(
        CompensationRecord(
            organisation=org,
            person=p,
            effective=dt.date(2025, 1, 1),
            base_pay=50_000 + 97 * (p.pk % 300),
            currency="EUR",
        )
        for p in people
    )
    PayAttribute.objects.bulk_create(
        PayAttribute(organisation=org, person=p, gender="female" if p.pk % 2 else "male")
        for p in people
    )
    for role, level in {(p.job_role, p.level) for p in people}:
        PayBand.objects.create(
            organisation=org,
            job_role=role,
            level=level,
            currency="EUR",
            minimum=40_000,
            maximum=80_000,
        )
        MarketBenchmark.objects.create(
            organisation=org,
            job_role=role,
            level=level,
            currency="EUR",
            p25=48_000,
            p50=55_000,
            p75=62_000,
        )
    admin = Person.objects.get(organisation=org, email=result.admin_email)
    return admin


@pytest.mark.parametrize(("page", "limit"), list(PAGES.items()))
def test_fairness_pages_are_bounded(
    page: str,
    limit: int,
    paid: Person,
    prepared_get: Callable[[str, Person], Callable[[], Any]],
    django_assert_max_num_queries: Any,
) -> None:
    get = prepared_get(page, paid)
    with django_assert_max_num_queries(limit):
        response = get()
    assert response.status_code == 200, response.content[:200]
