"""Demo pay for Brightwater Labs: bands, a small market file, a year of history, a planted
adjusted gap of about −6% for women, and three people paid well below their peers."""

from __future__ import annotations

import datetime as dt
import math
import random

from django.utils import timezone

from ampwork.core.models import Organisation, Person
from ampwork.core.permissions import Actor

from . import services
from .generate import LEVEL_BASE, PLACE_FACTOR, PLANTED_GAP, scales
from .models import CompensationRecord, MarketBenchmark, PayAttribute, PayBand

ROLE_FACTOR = {
    "Software Engineer": 1.1,
    "Product Designer": 1.0,
    "Customer Success Specialist": 0.8,
    "Manager": 1.0,
}


def seed(company: Organisation, school: Organisation) -> None:
    rng = random.Random(42)
    people = list(Person.objects.filter(organisation=company).order_by("id"))
    bands, market = scales(
        company,
        {(p.job_role, p.level) for p in people if p.job_role and p.level},
        ROLE_FACTOR,
        "Demo market survey",
    )
    PayBand.objects.bulk_create(bands)
    MarketBenchmark.objects.bulk_create(market)
    today = timezone.localdate()
    outliers = {p.pk for p in rng.sample([p for p in people if p.role == "member"], 3)}
    for person in people:
        woman = rng.random() < 0.45
        mid = LEVEL_BASE.get(person.level, 60_000) * ROLE_FACTOR.get(person.job_role, 1.0)
        pay = mid * PLACE_FACTOR.get(person.location, 1.0) * math.exp(rng.gauss(0, 0.04))
        if woman:
            pay *= math.exp(PLANTED_GAP)
        if person.pk in outliers:
            pay *= 0.74
        bonus = (
            round(pay * 0.1, -2)
            if person.job_role == "Manager"
            else (round(pay * rng.choice([0, 0, 0.05]), -2))
        )
        for years_ago, rise in ((1, 0.96), (0, 1.0)):
            CompensationRecord.objects.create(
                organisation=company,
                person=person,
                currency="EUR",
                effective=today - dt.timedelta(days=200 + 365 * years_ago),
                base_pay=round(pay * rise, -2),
                variable_pay=bonus,
            )
        PayAttribute.objects.create(
            organisation=company,
            person=person,
            gender="female" if woman else "male",
            performance=round(rng.uniform(2.5, 4.5), 1),
        )
    services.run_audit(actor=Actor.system(company), today=today)
