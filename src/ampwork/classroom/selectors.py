"""Reads of rostering: what an organisation holds, for the importer, in a fixed number of
queries whatever the roster's size."""

from __future__ import annotations

from ampwork.core.models import Organisation, Person, Team, TeamMembership

from .models import Guardian, GuardianOf, RosterRecord
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
