"""Synthetic OKRs for scale work: a cycle with objectives, key results and check-ins for
every person of an organisation, written in bulk."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from ampwork.core.models import Organisation, Person, TeamMembership

from .models import CheckIn, Cycle, KeyResult, Objective, ObjectiveLink
from .services import derived


@transaction.atomic
def generate_okrs(
    org: Organisation,
    *,
    objectives_per_person: int = 4,
    key_results_per_objective: int = 3,
    check_ins_per_key_result: int = 8,
    seed: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Cycle:
    rng = random.Random(seed)
    advance = progress or (lambda n: None)
    today = timezone.localdate()
    start = today - dt.timedelta(days=7 * check_ins_per_key_result + 3)
    cycle = Cycle.objects.create(
        organisation=org,
        name=f"Generated {today:%Y-%m-%d}",
        start=start,
        end=start + dt.timedelta(days=91),
    )
    team_of = dict(
        TeamMembership.objects.filter(organisation=org).values_list("person_id", "team_id")
    )
    team_ids = sorted(set(team_of.values()))
    team_objectives = Objective.objects.bulk_create(
        [
            Objective(
                organisation=org,
                cycle=cycle,
                owner_kind="team",
                owner_team_id=t,
                title=f"Team outcome {t}",
            )
            for t in team_ids
        ],
        batch_size=2000,
    )
    by_team = {o.owner_team_id: o for o in team_objectives}
    people = list(
        Person.objects.filter(organisation=org, active=True).values_list("id", "manager_id")
    )
    objectives: list[Objective] = []
    for pid, manager_id in people:
        for i in range(objectives_per_person):
            author = pid if i % 2 == 0 or manager_id is None else manager_id
            objectives.append(
                Objective(
                    organisation=org,
                    cycle=cycle,
                    owner_kind="person",
                    owner_person_id=pid,
                    author_id=author,
                    title=f"Outcome {i + 1} of person {pid}",
                    kind="aspirational" if i % 3 == 0 else "committed",
                )
            )
    objectives = Objective.objects.bulk_create(objectives, batch_size=5000)
    advance(len(objectives) // 10)
    links = [
        ObjectiveLink(organisation=org, child=o, parent=by_team[team_of[o.owner_person_id or 0]])
        for n, o in enumerate(objectives)
        if n % 2 == 0 and team_of.get(o.owner_person_id or 0) in by_team
    ]
    ObjectiveLink.objects.bulk_create(links, batch_size=5000)
    key_results: list[KeyResult] = []
    for o in [*team_objectives, *objectives]:
        for k in range(key_results_per_objective):
            begin = rng.choice([0, 10, 50, 100])
            target = begin + rng.choice([-1, 1]) * rng.choice([5, 20, 40])
            key_results.append(
                KeyResult(
                    organisation=org,
                    objective=o,
                    title=f"Metric {k + 1}",
                    start=begin,
                    target=target,
                    owner_id=o.owner_person_id,
                    position=k,
                )
            )
    key_results = KeyResult.objects.bulk_create(key_results, batch_size=5000)
    advance(len(objectives) // 10)
    batch: list[CheckIn] = []
    updates: list[KeyResult] = []
    for kr in key_results:
        pace = rng.uniform(0.2, 1.3)
        value = kr.start
        day = start
        for week in range(check_ins_per_key_result):
            day = start + dt.timedelta(days=7 * (week + 1))
            share = min(1.0, pace * (week + 1) / 13 + rng.uniform(-0.05, 0.05))
            value = round(kr.start + (kr.target - kr.start) * max(0.0, share), 2)
            batch.append(
                CheckIn(
                    organisation=org,
                    key_result=kr,
                    value=value,
                    confidence=rng.randint(2, 9),
                    date=day,
                )
            )
        if check_ins_per_key_result:
            kr.current, kr.last_check_in = value, day
            updates.append(kr)
        if len(batch) >= 20_000:
            CheckIn.objects.bulk_create(batch, batch_size=5000)
            batch = []
    CheckIn.objects.bulk_create(batch, batch_size=5000)
    KeyResult.objects.bulk_update(updates, ["current", "last_check_in"], batch_size=2000)
    derived.refresh_cycles([cycle.pk])
    advance(len(objectives) - 2 * (len(objectives) // 10))
    return cycle
