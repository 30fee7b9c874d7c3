"""Pay data for a generated organisation (``ampwork generate``), for scale work: the
benchmarks and the tests that compare a page's work at two sizes."""

from __future__ import annotations

import datetime as dt
import math
import random

from django.utils import timezone

from ampwork.core.models import Organisation, Person

from .models import CompensationRecord, MarketBenchmark, PayAttribute, PayBand

LEVEL_BASE = {
    "L1": 46_000,
    "L2": 55_000,
    "L3": 67_000,
    "L4": 80_000,
    "L5": 96_000,
    "M2": 98_000,
    "M3": 122_000,
}
ROLE_FACTOR = {"Director": 1.5, "Head of Department": 1.3, "Team Lead": 1.15, "Specialist": 1.0}
PLACE_FACTOR = {"Berlin": 1.05, "Lisbon": 0.88, "Remote": 1.0}
PLANTED_GAP = -0.06  # women's pay, in log points


def scales(
    org: Organisation,
    roles: set[tuple[str, str]],
    role_factor: dict[str, float],
    source: str,
) -> tuple[list[PayBand], list[MarketBenchmark]]:
    """A pay band (±20% of the midpoint) and market quartiles (p50 2% above it) for every
    (role, level) and place: the midpoint is the level's base × the role's and the place's
    factors. Unsaved: the caller creates them."""
    bands, market = [], []
    for role, level in sorted(roles):
        for place, factor in PLACE_FACTOR.items():
            mid = LEVEL_BASE.get(level, 60_000) * role_factor.get(role, 1.0) * factor
            bands.append(
                PayBand(
                    organisation=org,
                    job_role=role,
                    level=level,
                    location=place,
                    currency="EUR",
                    minimum=round(mid * 0.8, -2),
                    maximum=round(mid * 1.2, -2),
                )
            )
            p50 = mid * 1.02
            market.append(
                MarketBenchmark(
                    organisation=org,
                    job_role=role,
                    level=level,
                    location=place,
                    currency="EUR",
                    p25=round(p50 * 0.88, -2),
                    p50=round(p50, -2),
                    p75=round(p50 * 1.12, -2),
                    source=source,
                )
            )
    return bands, market


def generate_pay(org: Organisation, seed: int = 42, underpaid: float = 0.01) -> int:
    """Bands and market data for every role, level and place; two yearly pay records and
    pay attributes for everyone (as fairness/demo.py, in bulk); a planted gap of −6% for
    women and a share of specialists (``underpaid``, at least 3) paid 26% below their
    peers. Returns how many were planted."""
    rng = random.Random(seed)
    people = list(
        Person.objects.filter(organisation=org)
        .order_by("id")
        .values_list("id", "job_role", "level", "location")
    )
    bands, market = scales(
        org, {(r, lv) for _, r, lv, _ in people if r and lv}, ROLE_FACTOR, "Benchmark market survey"
    )
    PayBand.objects.bulk_create(bands)
    MarketBenchmark.objects.bulk_create(market)
    today = timezone.localdate()
    specialists = [p for p, role, _, _ in people if role == "Specialist"]
    low = set(rng.sample(specialists, max(3, int(len(specialists) * underpaid))))
    records, attributes = [], []
    for pk, role, level, place in people:
        woman = rng.random() < 0.45
        mid = LEVEL_BASE.get(level, 60_000) * ROLE_FACTOR.get(role, 1.0)
        pay = mid * PLACE_FACTOR.get(place, 1.0) * math.exp(rng.gauss(0, 0.04))
        if woman:
            pay *= math.exp(PLANTED_GAP)
        if pk in low:
            pay *= 0.74
        bonus = round(pay * (0.1 if role != "Specialist" else rng.choice([0, 0, 0.05])), -2)
        for years_ago, rise in ((1, 0.96), (0, 1.0)):
            records.append(
                CompensationRecord(
                    organisation=org,
                    person_id=pk,
                    currency="EUR",
                    effective=today - dt.timedelta(days=200 + 365 * years_ago),
                    base_pay=round(pay * rise, -2),
                    variable_pay=bonus,
                )
            )
        attributes.append(
            PayAttribute(
                organisation=org,
                person_id=pk,
                gender="female" if woman else "male",
                performance=round(rng.uniform(2.5, 4.5), 1),
            )
        )
    CompensationRecord.objects.bulk_create(records, batch_size=5000)
    PayAttribute.objects.bulk_create(attributes, batch_size=5000)
    return len(low)
