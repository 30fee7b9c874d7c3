"""A school's retention policy: purge what students who left wrote or were asked, a set
number of months after they left (``SchoolPrivacy.retention_months``, ``retention.due``).

What is purged, per kind (``KINDS``): their reflections (mastery's weekly reviews and the
replies to them, through mastery's front door), who they were in closed pulse rounds (their
invitations keep the round's counts but lose the person: ``pulse.services.forget_people``;
answers never carried a person), and the consent records guardians gave for them. Open (and
draft) rounds wait until they close. A dry run counts the same rows and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from ampwork.core.errors import NotFound
from ampwork.core.models import Organisation, Person, Role, Team, TeamMembership
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record
from ampwork.mastery import selectors as mastery_selectors
from ampwork.mastery import services as mastery_services
from ampwork.pulse import selectors as pulse_selectors
from ampwork.pulse import services as pulse_services

from . import retention
from .models import PulseConsent, SchoolPrivacy


@dataclass(frozen=True)
class Kind:
    """One kind of a leaver's records: how many there are, and how to purge them (the
    number purged), for an organisation and its leavers' person ids."""

    label: str
    count: Callable[[Organisation, list[int]], int]
    purge: Callable[[Organisation, list[int]], int]


def _closed_consents(org: Organisation, people: list[int]) -> QuerySet[PulseConsent]:
    """Their consent records of closed rounds: a draft's or an open round's still decide who
    is asked."""
    return PulseConsent.objects.filter(
        organisation=org, student_id__in=people, round__status="closed"
    )


def _consents(org: Organisation, people: list[int]) -> int:
    return _closed_consents(org, people).count()


def _purge_consents(org: Organisation, people: list[int]) -> int:
    return int(_closed_consents(org, people).delete()[0])


def _invitations(org: Organisation, people: list[int]) -> int:
    return pulse_selectors.forgettable(org.pk, people)[0]


def _forget(org: Organisation, people: list[int]) -> int:
    return pulse_services.forget_people(org_id=org.pk, person_ids=people)


KINDS: list[Kind] = [
    Kind(
        gettext_noop("Reflections (weekly reviews, with their replies)"),
        mastery_selectors.reflection_count,
        mastery_services.purge_reflections,
    ),
    Kind(gettext_noop("Pulse invitations of closed rounds (who was asked)"), _invitations, _forget),
    Kind(gettext_noop("Consent records"), _consents, _purge_consents),
]


@dataclass
class Plan:
    """What a purge would do today: the policy, the leavers due, and each kind's count."""

    months: int | None
    today: dt.date
    due: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    unknown_day: int = 0  # students made inactive with no day recorded: never purged
    in_class: int = 0  # inactive students still in a class (a disabled sign-in): kept
    waiting: int = 0  # invitations of rounds still open: purged once they close

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _inactive(org: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(organisation=org, role=Role.MEMBER, active=False)


def _in_a_class(org: Organisation) -> QuerySet[TeamMembership]:
    return TeamMembership.objects.filter(organisation=org).exclude(team__kind=Team.Kind.SCHOOL)


def leavers(org: Organisation) -> list[tuple[int, dt.date | None]]:
    """The school's students who left, each with the day they left (None: not recorded).
    An inactive student still in a class has not left (a roster's enabledUser=false only
    disables their sign-in): never a leaver, whatever day is recorded."""
    return [
        (pk, None if left_at is None else timezone.localdate(left_at))
        for pk, left_at in _inactive(org)
        .exclude(pk__in=_in_a_class(org).values("person_id"))
        .values_list("pk", "left_at")
    ]


def plan(org: Organisation, today: dt.date | None = None) -> Plan:
    """Counts per kind of what is due today; writes nothing."""
    today = today or timezone.localdate()
    months = (
        SchoolPrivacy.objects.filter(organisation=org)
        .values_list("retention_months", flat=True)
        .first()
    )
    out = Plan(months, today)
    gone = leavers(org)
    out.unknown_day = sum(1 for _, day in gone if day is None)
    out.in_class = _inactive(org).filter(pk__in=_in_a_class(org).values("person_id")).count()
    out.due = sorted(pk for pk, day in gone if retention.due(day, today, months))
    out.counts = {kind.label: kind.count(org, out.due) for kind in KINDS}
    out.waiting = pulse_selectors.forgettable(org.pk, out.due)[1] if out.due else 0
    return out


def _school(actor: Actor) -> None:
    if not actor.organisation.is_school:
        raise NotFound("retention is for schools")
    require(actor, "privacy.school", actor.organisation)


def dry_run(*, actor: Actor, today: dt.date | None = None) -> Plan:
    """What :func:`purge` would do today, for a head teacher (or the CLI): nothing written."""
    _school(actor)
    return plan(actor.organisation, today)


@transaction.atomic
def purge(*, actor: Actor, today: dt.date | None = None) -> Plan:
    """Purge what is due today, in one transaction; the counts purged per kind."""
    _school(actor)
    org = actor.organisation
    due = plan(org, today)
    done = Plan(due.months, due.today, due.due, {}, due.unknown_day, due.in_class, due.waiting)
    if due.due:
        done.counts = {kind.label: kind.purge(org, due.due) for kind in KINDS}
    else:
        done.counts = dict.fromkeys(due.counts, 0)
    if done.total:  # a night with nothing to purge leaves no entry
        record(actor, org, "privacy.purged", org, students=len(due.due), counts=done.counts)
    return done
