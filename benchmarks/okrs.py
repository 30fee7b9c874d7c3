"""OKR scale benchmark: the alignment tree and the cycle dashboard against a plain SQL floor.

    python benchmarks/okrs.py --people 10000

Generates an organisation with 4 objectives, 12 key results and 96 check-ins per person
(10,000 people: about 40,000 objectives, 120,000 key results and 1,000,000 check-ins),
then times, as its admin:

- the alignment tree (selector, then the whole page),
- the cycle dashboard (selector, then the whole page),
- the floor: one plain SQL aggregate computing every objective's progress from its key
  results in the database (what the selectors do, without roll-up, pacing or rendering),
- a check-in through the service (the write now stores the numbers it changes), and
  ``okrs verify`` (every stored number against a computation from scratch).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from _common import add_clock_and_reuse, cpu_clock, setup_django

FLOOR = """
SELECT k.objective_id,
       SUM(k.weight * MIN(1.0, MAX(0.0, (COALESCE(k.current, k.start) - k.start)
                                        / NULLIF(k.target - k.start, 0)))) / SUM(k.weight)
FROM okrs_keyresult k JOIN okrs_objective o ON o.id = k.objective_id
WHERE o.cycle_id = %s
GROUP BY k.objective_id
"""
FLOOR_PG = FLOOR.replace("MIN(1.0, MAX(0.0,", "LEAST(1.0, GREATEST(0.0,")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    add_clock_and_reuse(parser)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client

    from ampwork.core.models import Organisation, Person
    from ampwork.core.permissions import Actor
    from ampwork.demo.services import generate
    from ampwork.okrs import selectors, services
    from ampwork.okrs.generate import generate_okrs
    from ampwork.okrs.models import CheckIn, Cycle, KeyResult, Objective
    from ampwork.okrs.services import derived

    t0 = time.perf_counter()
    earlier = Organisation.objects.filter(slug__startswith="okr-bench-").first()
    if args.reuse and earlier is not None:  # the data of an earlier run (AMPWORK_DATA_DIR)
        org = earlier
        cycle = Cycle.objects.get(organisation=org)
        admin = Person.objects.filter(organisation=org, role="admin").order_by("id").first()
        print(f"reusing {org.slug} ({connection.vendor})")
    else:
        result = generate(people=args.people, slug=f"okr-bench-{int(t0)}")
        cycle = generate_okrs(result.organisation)
        org = result.organisation
        admin = Person.objects.get(organisation=org, email=result.admin_email)
        print(f"generated in {time.perf_counter() - t0:.0f} s ({connection.vendor})")
    assert admin is not None
    print(
        f"{args.people:,} people: "
        f"{Objective.objects.filter(cycle=cycle).count():,} objectives, "
        f"{KeyResult.objects.filter(objective__cycle=cycle).count():,} key results, "
        f"{CheckIn.objects.filter(key_result__objective__cycle=cycle).count():,} check-ins"
    )
    actor = Actor(organisation=org, role="admin", user=admin.user, person=admin)
    client = Client()
    client.force_login(admin.user)  # type: ignore[arg-type]
    sql = FLOOR_PG if connection.vendor == "postgresql" else FLOOR
    clock = cpu_clock(connection) if args.cpu else time.perf_counter

    def median_ms(fn: Callable[[], object], repeat: int) -> float:
        fn()  # warm: templates compiled, caches filled
        times = []
        for _ in range(repeat):
            t0 = clock()
            fn()
            times.append(clock() - t0)
        return statistics.median(times) * 1000

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [cycle.pk])
            cursor.fetchall()

    rows = [
        ("floor: plain SQL aggregate", median_ms(floor, args.repeat)),
        (
            "alignment tree (selector)",
            median_ms(lambda: selectors.alignment(actor, cycle), args.repeat),
        ),
        (
            "alignment tree (page)",
            median_ms(lambda: client.get(f"/okrs/?cycle={cycle.pk}"), args.repeat),
        ),
        (
            "cycle dashboard (selector)",
            median_ms(lambda: selectors.dashboard(actor, cycle), args.repeat),
        ),
        (
            "cycle dashboard (page)",
            median_ms(lambda: client.get(f"/okrs/cycles/{cycle.pk}/"), args.repeat),
        ),
    ]
    kr = (
        KeyResult.objects.filter(objective__cycle=cycle, objective__owner_person__isnull=False)
        .order_by("id")
        .first()
    )
    assert kr is not None
    values = iter(range(10_000))
    rows.append(
        (
            "a check-in (write, with its refresh)",
            median_ms(
                lambda: services.check_in(actor=actor, key_result=kr, value=next(values)),
                args.repeat,
            ),
        )
    )
    t0 = time.perf_counter()
    found = derived.verify(org.pk)
    print(
        f"okrs verify: {found.objectives:,} objectives, {found.key_results:,} key results in "
        f"{time.perf_counter() - t0:.1f} s, {len(found.mismatches)} differ"
    )
    base = rows[0][1]
    print(f"{'what':<30} {'median ms':>10} {'× floor':>8}  ({'CPU' if args.cpu else 'wall'})")
    for name, ms in rows:
        print(f"{name:<30} {ms:>10.0f} {ms / base:>8.1f}")


if __name__ == "__main__":
    main()
