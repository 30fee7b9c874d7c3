"""Demo OKRs: last quarter (closed and scored) and this quarter (open), with weekly
check-ins — some on track, some at risk, a sandbagger who always scores 1.0, a stale key
result — and a class's term objectives. Dates are relative to today."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.utils import timezone

from ampwork.core.models import Organisation, Person, Team
from ampwork.core.permissions import Actor

from . import services
from .models import Cycle, KeyResult, Objective

Trajectory = Callable[[float], float]  # share of the cycle elapsed → share of the way done


def _quarter(day: dt.date) -> tuple[dt.date, dt.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    end = dt.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, end - dt.timedelta(days=1)


def _name(start: dt.date) -> str:
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


def on_track(f: float) -> float:
    return min(1.0, f * 1.05)


def at_risk(f: float) -> float:
    return f * 0.72


def off_track(f: float) -> float:
    return f * 0.3


def sandbag(f: float) -> float:
    return min(1.0, f * 2.2)


def seed(company: Organisation, school: Organisation) -> None:
    rng = random.Random(7)
    today = timezone.localdate()
    this_start, this_end = _quarter(today)
    last_start, last_end = _quarter(this_start - dt.timedelta(days=1))
    system = Actor.system(company)
    last = services.create_cycle(
        actor=system, name=_name(last_start), start=last_start, end=last_end
    )
    this = services.create_cycle(
        actor=system, name=_name(this_start), start=this_start, end=this_end
    )
    people = {p.email: p for p in Person.objects.filter(organisation=company)}
    teams = {t.name: t for t in Team.objects.filter(organisation=company)}
    admin = people["admin@brightwater.example"]
    marco = people["manager@brightwater.example"]
    sam = people["member@brightwater.example"]
    mobile_lead = next(p for p in people.values() if p.job_title == "Mobile Lead")
    mobile = [
        p
        for p in Person.objects.filter(memberships__team=teams["Mobile"])
        if p.pk != mobile_lead.pk
    ]
    sandbagger = mobile[0]
    cs_lead = next(p for p in people.values() if p.job_title == "Customer Success Lead")
    product_lead = next(p for p in people.values() if p.job_title == "Product Lead")
    data_person = (
        Person.objects.filter(memberships__team=teams["Data"])
        .exclude(job_title="Data Lead")
        .order_by("name")
        .first()
    )
    assert data_person is not None

    def objective(
        cycle: Cycle,
        title: str,
        *,
        owner: Person | None = None,
        team: Team | None = None,
        author: Person | None = None,
        kind: str = "committed",
        parent: Objective | None = None,
        work_style: str = "heuristic",
    ) -> Objective:
        obj = Objective.objects.create(
            organisation=company,
            cycle=cycle,
            title=title,
            kind=kind,
            work_style=work_style,
            owner_kind="person" if owner else "team" if team else "organisation",
            owner_person=owner,
            owner_team=team,
            author=author or owner or admin,
        )
        if parent is not None:
            services.link(actor=system, child=obj, parent_id=parent.pk)
        return obj

    def kr(
        obj: Objective,
        title: str,
        start: float,
        target: float,
        unit: str,
        path: Trajectory,
        cycle: Cycle,
        *,
        owner: Person | None = None,
        stop_days_ago: int = 0,
    ) -> KeyResult:
        key_result = services.create_key_result(
            actor=system,
            objective=obj,
            title=title,
            start=start,
            target=target,
            unit=unit,
            owner_id=(owner or obj.owner_person or marco).pk,
        )
        _history(
            key_result,
            start,
            target,
            path,
            cycle,
            today,
            rng,
            stop_days_ago,
            owner or obj.owner_person or marco,
        )
        return key_result

    for cycle in (last, this):
        company_objective = objective(cycle, "Customers trust us with their most important work")
        kr(
            company_objective,
            "Net promoter score from 31 to 45",
            31,
            45,
            "",
            on_track,
            cycle,
            owner=admin,
        )
        kr(
            company_objective,
            "Enterprise churn from 6% to 3% a quarter",
            6,
            3,
            "%",
            at_risk,
            cycle,
            owner=cs_lead,
        )
        platform = objective(
            cycle,
            "Shipping is boring: small, safe, frequent",
            team=teams["Platform"],
            author=marco,
            parent=company_objective,
        )
        kr(
            platform,
            "Lead time for changes from 26 h to 4 h",
            26,
            4,
            " h",
            on_track,
            cycle,
            owner=marco,
        )
        kr(platform, "Deploys a week from 6 to 30", 6, 30, "", on_track, cycle, owner=sam)
        support = objective(
            cycle,
            "Customers get answers within a day",
            team=teams["Customer Success"],
            author=cs_lead,
            parent=company_objective,
        )
        kr(
            support,
            "Median first reply from 30 h to 8 h",
            30,
            8,
            " h",
            at_risk,
            cycle,
            owner=cs_lead,
        )
        kr(support, "CSAT from 82% to 90%", 82, 90, "%", on_track, cycle, owner=cs_lead)
        product = objective(
            cycle,
            "New customers find value in their first week",
            team=teams["Product"],
            author=product_lead,
            parent=company_objective,
        )
        kr(
            product,
            "Week-one activation from 34% to 50%",
            34,
            50,
            "%",
            off_track,
            cycle,
            owner=product_lead,
        )
        own = objective(
            cycle,
            "Own the ingest service end to end",
            owner=sam,
            kind="aspirational",
            parent=platform,
        )
        kr(own, "Ingest incidents I resolve without help from 0 to 6", 0, 6, "", on_track, cycle)
        kr(own, "p95 ingest latency from 900 ms to 300 ms", 900, 300, " ms", at_risk, cycle)
        easy = objective(
            cycle, "Polish the mobile onboarding", owner=sandbagger, kind="aspirational"
        )
        kr(easy, "Onboarding screens redesigned from 0 to 3", 0, 3, "", sandbag, cycle)
        kr(easy, "App-store rating from 4.4 to 4.5", 4.4, 4.5, "", sandbag, cycle)
        dashboards = objective(
            cycle, "Every team reads its own numbers", owner=data_person, parent=company_objective
        )
        kr(
            dashboards,
            "Teams with a weekly metrics review from 2 to 8",
            2,
            8,
            "",
            on_track,
            cycle,
            stop_days_ago=24 if cycle is this else 0,
        )  # stale this quarter

    # a team lead hands one objective to every member of Mobile (set top-down)
    lead = Actor(organisation=company, role="manager", person=mobile_lead)
    services.assign_template(  # last quarter too: Mobile's objectives come from above
        actor=lead,
        cycle=last,
        team=teams["Mobile"],
        title="Release every two weeks without a hotfix",
        kind="committed",
        key_results=[
            {"title": "Hotfixes a quarter from 5 to 0", "kind": "numeric", "start": 5, "target": 0}
        ],
    )
    copies = services.assign_template(
        actor=lead,
        cycle=this,
        team=teams["Mobile"],
        title="Crash-free sessions stay above 99.5%",
        kind="committed",
        key_results=[
            {
                "title": "Crash-free sessions from 99.1% to 99.6%",
                "kind": "numeric",
                "start": 99.1,
                "target": 99.6,
                "unit": "%",
            }
        ],
    )
    for copy in copies:
        for key_result in copy.key_results.all():
            _history(
                key_result,
                99.1,
                99.6,
                on_track if rng.random() < 0.7 else at_risk,
                this,
                today,
                rng,
                0,
                copy.owner_person or mobile_lead,
            )
    services.close_cycle(
        actor=system,
        cycle=last,
        retrospective="Reply times improved less than planned: we underestimated "
        "the weekend backlog. Deploy work went well.",
    )
    _school(school, rng, today)
    # objectives above were made directly (with their history): store their numbers
    services.derived.refresh_cycles(
        list(Cycle.objects.filter(organisation__in=[company, school]).values_list("id", flat=True))
    )


def _history(
    key_result: KeyResult,
    start: float,
    target: float,
    path: Trajectory,
    cycle: Cycle,
    today: dt.date,
    rng: random.Random,
    stop_days_ago: int,
    author: Person,
) -> None:
    last_day = min(today - dt.timedelta(days=stop_days_ago), cycle.end)
    day = cycle.start + dt.timedelta(days=6)
    span = (cycle.end - cycle.start).days
    actor = Actor(organisation=key_result.organisation, role="admin", person=author)
    notes = [
        "",
        "",
        "steady week",
        "blocked on review for two days",
        "good progress",
        "helped by the new runbook",
        "",
    ]
    while day <= last_day:
        share = path((day - cycle.start).days / span)
        noise = rng.uniform(-0.03, 0.03)
        value = round(start + (target - start) * max(0.0, min(1.0, share + noise)), 2)
        confidence = max(
            0, min(10, round(3 + 6 * share / max((day - cycle.start).days / span, 0.01) / 1.4))
        )
        services.check_in(
            actor=actor,
            key_result=key_result,
            value=value,
            confidence=confidence,
            note=rng.choice(notes),
            date=day,
        )
        day += dt.timedelta(days=7)


def _school(school: Organisation, rng: random.Random, today: dt.date) -> None:
    system = Actor.system(school)
    start = dt.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    term = services.create_cycle(
        actor=system, name=f"Autumn term {start.year}", start=start, end=dt.date(start.year, 12, 19)
    )
    teacher = Person.objects.get(organisation=school, email="teacher@hillside.example")
    science = Team.objects.get(organisation=school, name="Year 9 Science")
    class_objective = Objective.objects.create(
        organisation=school,
        cycle=term,
        owner_kind="team",
        owner_team=science,
        author=teacher,
        title="Everyone can explain how plants make food, in their own words",
    )
    services.create_key_result(
        actor=system,
        objective=class_objective,
        title="Students passing the explain-it check from 0 to 24",
        start=0,
        target=24,
        owner_id=teacher.pk,
    )
    for student in Person.objects.filter(organisation=school, role="member").order_by("name")[:6]:
        own = Objective.objects.create(
            organisation=school,
            cycle=term,
            owner_kind="person",
            owner_person=student,
            author=student,
            title=rng.choice(
                [
                    "Design my own experiment on plant growth",
                    "Get confident presenting to the class",
                    "Understand the carbon cycle well enough to teach it",
                ]
            ),
        )
        key_result = services.create_key_result(
            actor=system,
            objective=own,
            title="Practice sessions from 0 to 8",
            start=0,
            target=8,
            owner_id=student.pk,
        )
        if term.start <= today <= term.end:
            _history(
                key_result,
                0,
                8,
                on_track if rng.random() > 0.4 else at_risk,
                term,
                today,
                rng,
                0,
                student,
            )
