"""Reads of rostering: what an organisation holds, for the importer, in a fixed number of
queries whatever the roster's size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership
from ampwork.pulse import instrument

from . import consent
from .models import ConsentPolicy, Guardian, GuardianOf, PulseConsent, RosterRecord
from .oneroster import GuardianNow, PersonNow, State


def roster_state(org: Organisation, *, me: Person | None = None) -> State:
    """Everything :func:`ampwork.classroom.oneroster.plan` compares a bundle with: six
    queries, none per row."""
    state = State(me=me.pk if me else None)
    for pk, kind, sid, team_id, person_id, active in RosterRecord.objects.filter(
        organisation=org
    ).values_list("pk", "kind", "sourced_id", "team_id", "person_id", "active"):
        state.records[(kind, sid)] = (pk, team_id, person_id, active)
    for pk, name, email, role, active in Person.objects.filter(organisation=org).values_list(
        "pk", "name", "email", "role", "active"
    ):
        state.people[pk] = PersonNow(pk, name, email, role, active)
        state.emails[email.lower()] = pk
    for pk, name, parent_id in Team.objects.filter(organisation=org).values_list(
        "pk", "name", "parent_id"
    ):
        state.teams[pk] = (name, parent_id)
    records = RosterRecord.objects.filter(organisation=org)
    for pk, team_id, person_id, role in TeamMembership.objects.filter(
        organisation=org,
        team_id__in=records.filter(kind="class", team__isnull=False).values("team_id"),
        person_id__in=records.filter(kind="user", person__isnull=False).values("person_id"),
    ).values_list("pk", "team_id", "person_id", "role"):
        state.memberships[(team_id, person_id)] = (pk, role)
    for pk, sid, name, email, active in Guardian.objects.filter(organisation=org).values_list(
        "pk", "sourced_id", "name", "email", "active"
    ):
        state.guardians[sid] = GuardianNow(pk, name, email, active)
    state.links = set(
        GuardianOf.objects.filter(organisation=org).values_list("guardian_id", "student_id")
    )
    return state


def guardian_count(org: Organisation) -> int:
    return Guardian.objects.filter(organisation=org, active=True).count()


# ---------------------------------------------------------------- consent for student pulses


@dataclass(frozen=True)
class PolicyNow:
    """A school's consent policy as it stands (``rule`` None: not set yet)."""

    rule: str | None
    topics_text: str
    topics: list[consent.Topic]
    set_by: str
    set_at: dt.datetime | None


def policy_of(org: Organisation) -> PolicyNow:
    found = ConsentPolicy.objects.filter(organisation=org).select_related("set_by").first()
    if found is None:
        return PolicyNow(None, "", [], "", None)
    try:
        topics = consent.parse_topics(found.topics)
    except ValueError:  # stored by set_policy, which checks it; a stricter rule since:
        # every line's words still count (the gate must not stop reading a school's topics)
        topics = consent.parse_topics_leniently(found.topics)
    return PolicyNow(
        found.rule, found.topics, topics, found.set_by.name if found.set_by else "", found.set_at
    )


@dataclass(frozen=True)
class Sensitivity:
    """What a round's questions touch: PPRA areas (codes) and the school's topics (names),
    each with the question texts that touch them."""

    areas: dict[str, list[str]]
    topics: dict[str, list[str]]

    def __bool__(self) -> bool:
        return bool(self.areas or self.topics)


def sensitivity(items: list[instrument.Item], topics: list[consent.Topic]) -> Sensitivity:
    """The school's wording of each item, and each age band's, is what students read, so
    it is what is matched."""
    areas: dict[str, list[str]] = {}
    touched: dict[str, list[str]] = {}
    for item in items:
        text = instrument.text_of(item, True)
        for area in sorted(item.areas):
            areas.setdefault(area, []).append(text)
        for wording in instrument.wordings_of(item):
            for name in consent.touched_topics([wording], topics):
                touched.setdefault(name, []).append(wording)
    # the two questions every student pulse ends with are read too
    for text in (*instrument.enps_wordings(), instrument.COMMENT_QUESTION):
        for name in consent.touched_topics([text], topics):
            touched.setdefault(name, []).append(text)
    return Sensitivity(areas, touched)


def students_among(org: Organisation, people: Iterable[int]) -> set[int]:
    """Which of these people are students (the member role) of the school."""
    return set(
        Person.objects.filter(organisation=org, pk__in=list(people), role=Role.MEMBER).values_list(
            "pk", flat=True
        )
    )


def consent_records(org: Organisation, round_id: int) -> dict[int, str]:
    """Each student's recorded answer for a round: ``consent.CONSENTED`` or ``OPTED_OUT``."""
    return dict(
        PulseConsent.objects.filter(organisation=org, round_id=round_id).values_list(
            "student_id", "status"
        )
    )


@dataclass(frozen=True)
class ConsentRow:
    student_id: int
    name: str
    status: str  # "" when nothing is recorded
    guardian: str
    recorded_by: str
    recorded_at: dt.datetime | None
    guardians: list[tuple[int, str]]


def consent_rows(org: Organisation, round_id: int, students: Iterable[int]) -> list[ConsentRow]:
    """One row per student, by name, with their record and their guardians: three queries."""
    records = {
        c.student_id: c
        for c in PulseConsent.objects.filter(organisation=org, round_id=round_id).select_related(
            "guardian", "recorded_by"
        )
    }
    guardians: dict[int, list[tuple[int, str]]] = {}
    for student_id, guardian_id, name in GuardianOf.objects.filter(
        organisation=org, student_id__in=list(students), guardian__active=True
    ).values_list("student_id", "guardian_id", "guardian__name"):
        guardians.setdefault(student_id, []).append((guardian_id, name))
    rows = []
    for pk, name in (
        Person.objects.filter(organisation=org, pk__in=list(students))
        .order_by("name", "pk")
        .values_list("pk", "name")
    ):
        c = records.get(pk)
        rows.append(
            ConsentRow(
                pk,
                name,
                c.status if c else "",
                c.guardian.name if c and c.guardian else "",
                c.recorded_by.name if c and c.recorded_by else "",
                c.recorded_at if c else None,
                guardians.get(pk, []),
            )
        )
    return rows
