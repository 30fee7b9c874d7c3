"""Pulse results at scale: 100,000 responses across 500 teams, one aggregation pass for the
results and the heatmap, against a plain SQL GROUP BY over the same rows (the floor).

    python benchmarks/pulse.py --responses 100000 --teams 500
"""

from __future__ import annotations

import argparse
import random
import time

from _common import median_ms, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--teams", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from ampwork.core.models import Organisation, Person, Role, Team
    from ampwork.core.permissions import Actor
    from ampwork.pulse import instrument, selectors
    from ampwork.pulse.models import Response, Round

    rng = random.Random(1)
    org = Organisation.objects.create(name="Pulse bench", slug=f"pulse-{int(time.time())}")
    departments = Team.objects.bulk_create(
        [Team(organisation=org, name=f"Dept {i}") for i in range(args.teams // 10)]
    )
    teams = Team.objects.bulk_create(
        [
            Team(organisation=org, name=f"Team {i}", parent=departments[i % len(departments)])
            for i in range(args.teams - len(departments))
        ]
    )
    admin = Person.objects.create(
        organisation=org, name="Admin", email="a@bench.example", role=Role.ADMIN
    )
    today = timezone.localdate()
    round_ = Round.objects.create(
        organisation=org,
        name="Bench",
        instrument=instrument.VERSION,
        status=Round.Status.CLOSED,
        opens=today,
        closes=today,
        minimum=5,
    )
    items = instrument.items_for(False)
    t0 = time.perf_counter()
    batch = []
    for _ in range(args.responses):
        mood = rng.gauss(3.4, 0.7)
        batch.append(
            Response(
                round=round_,
                group=rng.choice(teams),
                submitted_on=today,
                enps=rng.randint(0, 10),
                answers={i.code: max(1, min(5, round(mood + rng.gauss(0, 0.6)))) for i in items},
            )
        )
    Response.objects.bulk_create(batch, batch_size=5000)
    print(
        f"{args.responses:,} responses in {len(teams) + len(departments)} teams "
        f"({connection.vendor}), made in {time.perf_counter() - t0:.0f} s"
    )
    actor = Actor(organisation=org, role=Role.ADMIN, person=admin)
    json_avg = (
        "AVG(CAST(json_extract(answers, '$.mast1') AS REAL))"
        if connection.vendor == "sqlite"
        else "AVG((answers->>'mast1')::float)"
    )
    floor_sql = (
        f"SELECT group_id, COUNT(*), AVG(enps), {json_avg} FROM surveys_response "
        "WHERE round_id = %s GROUP BY group_id"
    )

    def floor() -> None:
        with connection.cursor() as cursor:
            cursor.execute(floor_sql, [round_.pk])
            cursor.fetchall()

    base = median_ms(floor, args.repeat)
    ours = median_ms(lambda: selectors.round_results(actor, round_), args.repeat)
    print(f"floor: SQL GROUP BY (one item)   {base:>8.0f} ms")
    print(f"results + heatmap, every item    {ours:>8.0f} ms  ({ours / base:.1f}× the floor)")


if __name__ == "__main__":
    main()
