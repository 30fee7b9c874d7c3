"""Demo notifications that match the demo's own rows (mastery's demo): Sam, the Platform
engineer, was given feedback by Marco and by a teammate, is asked for feedback by that
teammate, and was recognised by Marco; the teammate was recognised by Sam; everyone who
signs in has this week's check-in due; managers and admins have the advisor's findings.
The oldest are read, the newest not. Built from core's people and teams only."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ampwork.core.languages import speaking_to
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership

from . import services
from .models import Notification

Row = tuple[Person, services.Note, float, bool]  # recipient, note, days ago, read


def _platform(org: Organisation) -> tuple[Person, list[Person]]:
    team = Team.objects.get(organisation=org, name="Platform")
    rows = list(
        TeamMembership.objects.filter(team=team).select_related("person").order_by("person__name")
    )
    lead = next(m.person for m in rows if m.role == TeamMembership.Role.LEAD)
    return lead, [m.person for m in rows if m.role != TeamMembership.Role.LEAD]


def _company(org: Organisation) -> list[Row]:
    marco, platform = _platform(org)
    sam = Person.objects.get(organisation=org, email="member@brightwater.example")
    mate = platform[1] if platform[0] == sam else platform[0]
    feedback, recognition = "/mastery/feedback/", "/mastery/recognition/"

    def note(to: Person, kind: str, message: str, by: Person, url: str) -> services.Note:
        return services.keyed((to.pk,), kind, message, {"name": by.name}, url)

    return [
        (sam, note(sam, "feedback_received", "feedback_given", marco, feedback), 9, True),
        (sam, note(sam, "feedback_received", "feedback_given", mate, feedback), 5, False),
        (sam, note(sam, "recognition", "recognised", marco, recognition), 3, False),
        (sam, note(sam, "feedback_requested", "feedback_requested", mate, feedback), 2, False),
        (mate, note(mate, "feedback_requested", "feedback_requested", sam, feedback), 6, True),
        (mate, note(mate, "recognition", "recognised", sam, recognition), 20, True),
    ]


def seed(company: Organisation, school: Organisation) -> None:
    """The rows are made as ``services.notify`` makes them (``services.stored_row``): a
    message key and its parameters, so that each reader reads them in their language."""
    now = timezone.now()
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    rows = _company(company)
    for org in (company, school):
        message = "reflection_due" if org.is_school else "review_due"
        for person in Person.objects.filter(organisation=org, user__isnull=False, active=True):
            due = services.keyed(
                (person.pk,),
                "checkin_due",
                message,
                {"date": monday.isoformat()},
                "/mastery/review/",
                once=True,
            )
            rows.append((person, due, 0.2, False))
            if person.role in (Role.ADMIN, Role.MANAGER):
                found = services.keyed(
                    (person.pk,), "manager_finding", "findings_open", {}, "/advisor/"
                )
                rows.append((person, found, 1.2, True))
    made = []
    for person, note, days, read in rows:
        with speaking_to(person):
            row = services.stored_row(person.organisation_id, person, note, str(note.title))
        row.created_at = now - dt.timedelta(days=days)
        row.read_at = now - dt.timedelta(days=days) + dt.timedelta(hours=2) if read else None
        made.append(row)
    Notification.objects.bulk_create(made)
