"""The demo organisations and the synthetic generator for scale work.

The demo is deterministic (fixed names, fixed random seed) so screenshots, docs and
tests see the same organisation every time. Later features add their data through
:data:`DEMO_STEPS`, each a function of the two demo organisations.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core import services as core
from ampwork.core.errors import ValidationFailed
from ampwork.core.models import (
    AuditEvent,
    Organisation,
    Person,
    Role,
    Team,
    TeamMembership,
    User,
)

DEMO_PASSWORD = "ampwork-demo"
COMPANY_SLUG = "brightwater"
SCHOOL_SLUG = "hillside"

FIRST = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Liam",
    "Maya",
    "Noah",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tess",
    "Umar",
    "Vera",
    "Wen",
    "Xavi",
    "Yara",
    "Zane",
    "Aiko",
    "Bruno",
    "Carmen",
    "Dmitri",
    "Esme",
    "Felix",
    "Gita",
    "Hana",
    "Ivan",
    "Jade",
    "Kofi",
    "Lena",
    "Mateo",
    "Nia",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Patel",
    "Rossi",
    "Haddad",
    "Kim",
    "Novak",
    "Silva",
    "Becker",
    "Tanaka",
    "Murphy",
    "Costa",
    "Jensen",
    "Adeyemi",
    "Nguyen",
    "Schmidt",
    "García",
    "Ivanova",
    "Walsh",
    "Mensah",
    "Dubois",
    "Kowalski",
    "Sato",
    "Ahmed",
]
LOCATIONS = ["Berlin", "Lisbon", "Remote"]

# (unit, kind, parent unit, number of members besides the lead)
COMPANY_TREE: list[tuple[str, str, str | None, int]] = [
    ("Brightwater Labs", "department", None, 0),
    ("Engineering", "department", "Brightwater Labs", 0),
    ("Product & Design", "department", "Brightwater Labs", 0),
    ("Operations", "department", "Brightwater Labs", 0),
    ("Platform", "team", "Engineering", 9),
    ("Mobile", "team", "Engineering", 8),
    ("Data", "team", "Engineering", 7),
    ("Product", "team", "Product & Design", 6),
    ("Design", "team", "Product & Design", 5),
    ("Customer Success", "team", "Operations", 8),
    ("People & Finance", "team", "Operations", 5),
]
JOBS = {
    "Engineering": ("Software Engineer", ["L2", "L3", "L3", "L4", "L5"]),
    "Product & Design": ("Product Designer", ["L2", "L3", "L4"]),
    "Operations": ("Customer Success Specialist", ["L1", "L2", "L3"]),
}


@dataclass
class DemoResult:
    company: Organisation
    school: Organisation
    created: bool


DemoStep = Callable[[Organisation, Organisation], None]
DEMO_STEPS: list[DemoStep] = []


def demo_sign_ins() -> list[tuple[str, str, str]]:
    """(email, what they are, password) for the printed demo sign-ins."""
    return [
        (
            "admin@brightwater.example",
            _("admin of %(company)s and head teacher at %(school)s")
            % {"company": "Brightwater Labs", "school": "Hillside"},
            DEMO_PASSWORD,
        ),
        (
            "people@brightwater.example",
            _("people ops at %(company)s") % {"company": "Brightwater Labs"},
            DEMO_PASSWORD,
        ),
        (
            "manager@brightwater.example",
            _("manager of the %(team)s team") % {"team": "Platform"},
            DEMO_PASSWORD,
        ),
        (
            "member@brightwater.example",
            _("engineer in the %(team)s team") % {"team": "Platform"},
            DEMO_PASSWORD,
        ),
        (
            "teacher@hillside.example",
            _("teacher of %(class)s") % {"class": "Year 9 Science"},
            DEMO_PASSWORD,
        ),
        (
            "student@hillside.example",
            _("student in %(class)s") % {"class": "Year 9 Science"},
            DEMO_PASSWORD,
        ),
    ]


def ensure_demo() -> DemoResult:
    """Create the demo organisations unless they exist; reuse them if they do."""
    company = Organisation.objects.filter(slug=COMPANY_SLUG).first()
    school = Organisation.objects.filter(slug=SCHOOL_SLUG).first()
    if company and school:
        return DemoResult(company, school, created=False)
    with transaction.atomic():
        company, school = _build()
        for step in DEMO_STEPS:
            step(company, school)
        _settle_history(company, school)
    return DemoResult(company, school, created=True)


def others_than_demo(limit: int = 3) -> list[str]:
    """Names of organisations in the database besides the demo's (at most ``limit``, then
    "…"): ``ampwork demo --reset`` empties only a database that holds nothing else."""
    names = list(
        Organisation.objects.exclude(slug__in=[COMPANY_SLUG, SCHOOL_SLUG])
        .order_by("name")
        .values_list("name", flat=True)[: limit + 1]
    )
    return [*names[:limit], "…"] if len(names) > limit else names


# How long ago the demo's people joined and its teams were set up.
DEMO_HISTORY = dt.timedelta(days=180)


def _settle_history(*organisations: Organisation) -> None:
    """Date the demo's people, teams and their audit events to when the organisations were
    set up, months ago, not to the minute the demo was built: otherwise every pulse opened
    in a fresh demo warns that each group's people changed just before it opened."""
    then = timezone.now() - DEMO_HISTORY
    for model in (Person, Team, TeamMembership):
        model.objects.filter(organisation__in=organisations, created_at__gt=then).update(
            created_at=then
        )
    AuditEvent.objects.filter(
        Q(action__startswith="person.")
        | Q(action__startswith="team.")
        | Q(action__startswith="membership."),
        organisation__in=organisations,
        created_at__gt=then,
    ).update(created_at=then)


def _user(email: str, name: str, password_hash: str) -> User:
    user, _ = User.objects.get_or_create(
        email=email, defaults={"name": name, "password": password_hash}
    )
    return user


def _build() -> tuple[Organisation, Organisation]:
    rng = random.Random(20261121)
    password_hash = make_password(DEMO_PASSWORD)
    company = core.create_organisation(name="Brightwater Labs", slug=COMPANY_SLUG)
    school = core.create_organisation(
        name="Hillside Academy",
        slug=SCHOOL_SLUG,
        kind=Organisation.Kind.SCHOOL,
        okr_cadence=Organisation.Cadence.TRIMESTER,
    )
    names = _name_pool(rng)

    # --- the company: a 3-level tree, a lead per unit, members per team.
    teams: dict[str, Team] = {}
    for name, kind, parent, _size in COMPANY_TREE:
        teams[name] = Team.objects.create(
            organisation=company, name=name, kind=kind, parent=teams[parent] if parent else None
        )
    leads: dict[str, Person] = {}
    special = {
        "Brightwater Labs": (
            "admin@brightwater.example",
            "Helen Marsh",
            "Chief Executive",
            Role.ADMIN,
        ),
        "People & Finance": (
            "people@brightwater.example",
            "Priya Raman",
            "Head of People",
            Role.PEOPLE_OPS,
        ),
        "Platform": (
            "manager@brightwater.example",
            "Marco Bianchi",
            "Engineering Manager",
            Role.MANAGER,
        ),
    }
    hire_base = dt.date(2019, 1, 7)
    for name, _kind, parent, size in COMPANY_TREE:
        email, full, title, role = special.get(name, (None, None, None, Role.MANAGER))
        full = full or next(names)
        email = email or _email(full, "brightwater.example")
        title = title or ("Head of " + name if size == 0 else f"{name} Lead")
        family = JOBS.get(parent or "", JOBS.get(name, ("Manager", ["M1"])))
        job_family = parent if parent in JOBS else name if name in JOBS else "Leadership"
        lead = Person.objects.create(
            organisation=company,
            name=full,
            email=email,
            job_title=title,
            job_role="Manager",
            job_family=job_family,
            level="M2" if size else "M3",
            location=rng.choice(LOCATIONS),
            hire_date=hire_base + dt.timedelta(days=rng.randint(0, 900)),
            role=role,
            manager=leads.get(parent) if parent else None,
        )
        if email in {s[0] for s in special.values()}:
            lead.user = _user(email, full, password_hash)
            lead.save(update_fields=["user"])
        leads[name] = lead
        TeamMembership.objects.create(
            organisation=company, team=teams[name], person=lead, role=TeamMembership.Role.LEAD
        )
        job_role, levels = family
        for i in range(size):
            full = "Sam Carter" if (name == "Platform" and i == 0) else next(names)
            email = (
                "member@brightwater.example"
                if (name == "Platform" and i == 0)
                else _email(full, "brightwater.example")
            )
            member = Person.objects.create(
                organisation=company,
                name=full,
                email=email,
                job_title=job_role,
                job_role=job_role,
                job_family=job_family,
                level=rng.choice(levels),
                location=rng.choice(LOCATIONS),
                hire_date=hire_base + dt.timedelta(days=rng.randint(100, 2400)),
                manager=lead,
            )
            if email == "member@brightwater.example":
                member.user = _user(email, full, password_hash)
                member.save(update_fields=["user"])
            TeamMembership.objects.create(organisation=company, team=teams[name], person=member)

    # --- the school: the demo admin is head teacher too, to show switching organisations.
    admin_user = User.objects.get(email="admin@brightwater.example")
    academy = Team.objects.create(
        organisation=school, name="Hillside Academy", kind=Team.Kind.SCHOOL
    )
    science = Team.objects.create(
        organisation=school, name="Year 9 Science", kind=Team.Kind.CLASS, parent=academy
    )
    head = Person.objects.create(
        organisation=school,
        user=admin_user,
        name="Helen Marsh",
        email="admin@brightwater.example",
        job_title="Head teacher",
        role=Role.ADMIN,
    )
    TeamMembership.objects.create(
        organisation=school, team=academy, person=head, role=TeamMembership.Role.LEAD
    )
    teacher = Person.objects.create(
        organisation=school,
        name="Daniel Osei",
        email="teacher@hillside.example",
        job_title="Science teacher",
        role=Role.MANAGER,
        manager=head,
        user=_user("teacher@hillside.example", "Daniel Osei", password_hash),
    )
    TeamMembership.objects.create(
        organisation=school, team=science, person=teacher, role=TeamMembership.Role.LEAD
    )
    for i in range(24):
        full = "Lily Evans" if i == 0 else next(names)
        email = "student@hillside.example" if i == 0 else _email(full, "hillside.example")
        student = Person.objects.create(
            organisation=school,
            name=full,
            email=email,
            job_title="Year 9 student",
            manager=teacher,
            user=_user(email, full, password_hash) if i == 0 else None,
        )
        TeamMembership.objects.create(organisation=school, team=science, person=student)
    return company, school


def _name_pool(rng: random.Random) -> Any:
    pairs = [f"{f} {last}" for f in FIRST for last in LAST]
    rng.shuffle(pairs)
    return iter(pairs)


def _email(full: str, domain: str) -> str:
    ascii_name = full.lower().replace(" ", ".").encode("ascii", "ignore").decode()
    return f"{ascii_name}@{domain}"


# ---------------------------------------------------------------- synthetic organisations


@dataclass
class Generated:
    organisation: Organisation
    admin_email: str
    admin_password: str
    people: int
    teams: int


def generate(
    *, people: int, slug: str = "", progress: Callable[[int], None] | None = None, seed: int = 1
) -> Generated:
    """A synthetic organisation of ``people`` people in a realistic tree, built in bulk.

    Shape: divisions → departments → teams of about eight; every unit has a lead, members
    report to their team lead, leads to the lead of the unit above, and division leads to
    the admin at the top. One admin account (random password) can sign in.
    """
    if people < 2:
        raise ValidationFailed.single("people", _("must be at least 2"))
    rng = random.Random(seed)
    advance = progress or (lambda n: None)
    slug = slug or f"generated-{people}"
    with transaction.atomic():
        org = core.create_organisation(
            name=f"Generated organisation ({people:,} people)", slug=slug
        )
        password = secrets.token_urlsafe(12)
        admin_email = f"admin@{slug}.example"
        admin = core.create_admin(
            email=admin_email, password=password, name="Generated Admin", organisation=org
        )
        n_teams = max(1, math.ceil((people - 1) / 8))
        n_depts = max(1, math.ceil(n_teams / 6))
        n_divs = max(1, math.ceil(n_depts / 6))
        divisions = Team.objects.bulk_create(
            [
                Team(organisation=org, name=f"Division {d + 1}", kind=Team.Kind.DEPARTMENT)
                for d in range(n_divs)
            ]
        )
        depts = Team.objects.bulk_create(
            [
                Team(
                    organisation=org,
                    name=f"Department {d + 1}",
                    kind=Team.Kind.DEPARTMENT,
                    parent=divisions[d % n_divs],
                )
                for d in range(n_depts)
            ]
        )
        teams = Team.objects.bulk_create(
            [
                Team(
                    organisation=org,
                    name=f"Team {t + 1}",
                    kind=Team.Kind.TEAM,
                    parent=depts[t % n_depts],
                )
                for t in range(n_teams)
            ],
            batch_size=2000,
        )
        budget = people - 1
        counter = iter(range(1, people + 1))

        def make(units: list[Team], managers: list[Person | None], title: str) -> list[Person]:
            nonlocal budget
            rows = []
            for _unit, manager in zip(units, managers, strict=True):
                if budget <= 0:
                    break
                i = next(counter)
                rows.append(
                    Person(
                        organisation=org,
                        name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        email=f"person{i}@{slug}.example",
                        job_title=title,
                        job_role=title,
                        level=rng.choice(["L2", "L3", "L4", "L5"]),
                        location=rng.choice(LOCATIONS),
                        role=Role.MANAGER,
                        manager=manager,
                    )
                )
                budget -= 1
            made = Person.objects.bulk_create(rows, batch_size=2000)
            TeamMembership.objects.bulk_create(
                [
                    TeamMembership(
                        organisation=org, team=u, person=p, role=TeamMembership.Role.LEAD
                    )
                    for u, p in zip(units, made, strict=False)
                ],
                batch_size=5000,
            )
            advance(len(made))
            return made

        div_leads = make(divisions, [admin] * n_divs, "Director")
        dept_leads = make(
            depts, [_at(div_leads, d % n_divs) for d in range(n_depts)], "Head of Department"
        )
        team_leads = make(
            teams, [_at(dept_leads, t % n_depts) for t in range(n_teams)], "Team Lead"
        )
        chunk = 5000
        index = 0
        while budget > 0:
            rows = []
            for _step in range(min(chunk, budget)):
                t = index % n_teams
                index += 1
                i = next(counter)
                rows.append(
                    (
                        teams[t],
                        Person(
                            organisation=org,
                            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                            email=f"person{i}@{slug}.example",
                            job_title="Specialist",
                            job_role="Specialist",
                            level=rng.choice(["L1", "L2", "L3", "L4"]),
                            location=rng.choice(LOCATIONS),
                            manager=_at(team_leads, t),
                        ),
                    )
                )
            made = Person.objects.bulk_create([p for _, p in rows], batch_size=2000)
            TeamMembership.objects.bulk_create(
                [
                    TeamMembership(organisation=org, team=team, person=p)
                    for (team, _), p in zip(rows, made, strict=True)
                ],
                batch_size=5000,
            )
            budget -= len(made)
            advance(len(made))
    return Generated(org, admin_email, password, people, len(divisions) + len(depts) + len(teams))


def _at(items: list[Person], index: int) -> Person | None:
    return items[index] if index < len(items) else (items[-1] if items else None)


def speak(result: DemoResult, language: str) -> None:
    """``ampwork demo --language de``: both demo organisations read ``language`` by
    default and every one of their people chose it (pages, emails, notifications)."""
    with transaction.atomic():
        for org in (result.company, result.school):
            org.default_language = language
            org.save(update_fields=["default_language"])
        Person.objects.filter(organisation__in=[result.company, result.school]).update(
            language=language
        )
