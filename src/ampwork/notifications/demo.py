"""Demo notifications that match the demo's own rows (mastery's demo): Sam, the Platform
engineer, was given feedback by Marco and by a teammate, is asked for feedback by that
teammate, and was recognised by Marco; the teammate was recognised by Sam; everyone who
signs in has this week's check-in due; managers and admins have the advisor's findings.
The oldest are read, the newest not. Built from core's people and teams only."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core import l10n
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership

from .models import Notification

Row = tuple[Person, str, str, str, float, bool]  # recipient, kind, title, url, days ago, read


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
    gave = _("%(name)s gave you feedback")
    recognised = _("%(name)s recognised you")
    asks = _("%(name)s asks for your feedback")
    return [
        (sam, "feedback_received", gave % {"name": marco.name}, feedback, 9, True),
        (sam, "feedback_received", gave % {"name": mate.name}, feedback, 5, False),
        (sam, "recognition", recognised % {"name": marco.name}, recognition, 3, False),
        (sam, "feedback_requested", asks % {"name": mate.name}, feedback, 2, False),
        (mate, "feedback_requested", asks % {"name": sam.name}, feedback, 6, True),
        (mate, "recognition", recognised % {"name": sam.name}, recognition, 20, True),
    ]


def seed(company: Organisation, school: Organisation) -> None:
    now = timezone.now()
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    rows = _company(company)
    for org in (company, school):
        due = (
            _("Your weekly reflection and check-in for the week of %(date)s are due")
            if org.is_school
            else _("Your weekly review and check-in for the week of %(date)s are due")
        ) % {"date": l10n.format_day(monday, "day_month_long")}
        for person in Person.objects.filter(organisation=org, user__isnull=False, active=True):
            rows.append(
                (
                    person,
                    "checkin_due",
                    due,
                    "/mastery/review/",
                    0.2,
                    False,
                )
            )
            if person.role in (Role.ADMIN, Role.MANAGER):
                rows.append(
                    (
                        person,
                        "manager_finding",
                        _("The advisor has open findings for you"),
                        "/advisor/",
                        1.2,
                        True,
                    )
                )
    Notification.objects.bulk_create(
        Notification(
            organisation=person.organisation,
            recipient=person,
            kind=kind,
            title=title,
            url=url,
            created_at=now - dt.timedelta(days=days),
            read_at=now - dt.timedelta(days=days) + dt.timedelta(hours=2) if read else None,
        )
        for person, kind, title, url, days, read in rows
    )
