"""Writes for autonomy: set a level (a new ledger entry), decide on a suggestion; the
self-directed time policy, projects and the hours logged on them."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed, clean_text
from ampwork.core.events import publish
from ampwork.core.l10n import format_day
from ampwork.core.models import Organisation, Person, Team
from ampwork.core.permissions import Actor, require

from . import rules
from .models import (
    Decision,
    Kudos,
    LedgerEntry,
    Project,
    Proposal,
    ShipItEvent,
    TimeLog,
    TimePolicy,
)
from .selectors import levels_for

if TYPE_CHECKING:  # an objective handed over by OKRs' front door, for its type only
    from ampwork.okrs.models import Objective


def _check(t: str, level: int) -> None:
    if t not in rules.TS:
        raise ValidationFailed.single(
            "t", _("must be one of %(values)s") % {"values": ", ".join(rules.TS)}
        )
    if not 0 <= level <= rules.TOP:
        raise ValidationFailed.single("level", _("is from 0 (directed) to 3 (self-directed)"))


@transaction.atomic
def set_level(
    *,
    actor: Actor,
    person: Person | None = None,
    team: Team | None = None,
    t: str,
    level: int,
    why: str = "",
    guardrails: str = "",
) -> LedgerEntry:
    """Record a new level for a person, or a team's default. Never rewrites the past."""
    subject = person if person is not None else team
    require(actor, "autonomy.manage", subject)
    _check(t, level)
    return LedgerEntry.objects.create(
        organisation=actor.organisation,
        person=person,
        team=team,
        t=t,
        level=level,
        why=why.strip()[:500],
        guardrails=guardrails.strip()[:300],
        changed_by=actor.person,
    )


# the same deferral or decline again within this time is the same decision sent twice
REPEAT_WINDOW = dt.timedelta(minutes=10)


def _refuse_a_repeat(
    person: Person, t: str, level: int, outcome: str, expected_level: int | None
) -> None:
    """A decision made from a page that is out of date, or sent twice (a double click, a
    resent form), records nothing: the person's row is locked, so two identical posts
    are applied one after the other and the second finds the first."""
    Person.objects.select_for_update().filter(pk=person.pk).first()
    current = levels_for(person.organisation, [person.pk])[person.pk][t]
    values = {
        "t": rules.T_LABELS[t],
        "name": person.name,
        "current": current,
        "expected": expected_level,
        "level": level,
    }
    if expected_level is not None and expected_level != current:
        raise ValidationFailed.single(
            "expected_level",
            _(
                "%(t)s for %(name)s is now at level %(current)s, not %(expected)s: "
                "someone decided since this page was shown (or the form was sent twice). "
                "Nothing was recorded."
            )
            % values,
        )
    if outcome == Decision.Outcome.GRANTED and level <= current:
        raise ValidationFailed.single(
            "level",
            _("%(t)s for %(name)s is already at level %(current)s: nothing was recorded") % values,
        )
    latest = Decision.objects.filter(person=person).order_by("-decided_at", "-id").first()
    if (
        outcome != Decision.Outcome.GRANTED
        and latest is not None
        and (latest.t, latest.level, latest.outcome) == (t, level, outcome)
        # a double click or a resent form, not deferring again months later
        and timezone.now() - latest.decided_at < REPEAT_WINDOW
    ):
        values["date"] = format_day(latest.decided_at)
        raise ValidationFailed.single(
            "outcome",
            (
                _("%(t)s → %(level)s was already deferred on %(date)s: nothing was recorded")
                if latest.outcome == Decision.Outcome.DEFERRED
                else _("%(t)s → %(level)s was already declined on %(date)s: nothing was recorded")
            )
            % values,
        )


@transaction.atomic
def decide(
    *,
    actor: Actor,
    person: Person,
    t: str,
    level: int,
    outcome: str,
    note: str = "",
    guardrails: str = "",
    expected_level: int | None = None,
) -> Decision:
    """Grant, defer or decline a suggested step. ``expected_level`` is the level of ``t``
    the decider saw (the forms send it): a decision on a level that has changed since is
    refused, and so is a grant to a level already reached or a repeat of the newest
    deferral or decline — a double submit records one step."""
    require(actor, "autonomy.manage", person)
    _check(t, level)
    if outcome not in Decision.Outcome.values:
        raise ValidationFailed.single("outcome", _("grant, defer or decline"))
    _refuse_a_repeat(person, t, level, outcome, expected_level)
    if outcome == Decision.Outcome.GRANTED:
        set_level(
            actor=actor,
            person=person,
            t=t,
            level=level,
            why=note or _("suggested step granted"),
            guardrails=guardrails,
        )
    decision = Decision.objects.create(
        organisation=actor.organisation,
        person=person,
        t=t,
        level=level,
        outcome=outcome,
        note=note.strip()[:500],
        decided_by=actor.person,
    )
    if outcome in (Decision.Outcome.GRANTED, Decision.Outcome.DEFERRED):
        # the step, never the note (the ledger is the person's, their managers' and admins')
        publish(
            actor.organisation.pk,
            f"autonomy.step_{outcome}",
            {
                "decision_id": decision.pk,
                "person_id": person.pk,
                "t": t,
                "level": level,
                "decided_by_id": decision.decided_by_id,
            },
        )
    return decision


def announce_shipit(*, org: Organisation, now: dt.datetime | None = None) -> list[str]:
    """Tell the organisation (through core.events: the notification centre) of each ShipIt
    day that starts tomorrow or is running now. Run daily (``ampwork autonomy
    shipit-notices``); the notification centre tells each person once per day and phase.
    Returns the titles announced."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    told = []
    window = ShipItEvent.objects.filter(
        organisation=org,
        starts_at__lt=now + dt.timedelta(days=2),
        ends_at__gt=now,
    )
    for event in window:
        if timezone.localdate(event.starts_at) == tomorrow and now < event.starts_at:
            phase = "tomorrow"
        elif rules.shipit_phase(event.starts_at, event.ends_at, now) == "running":
            phase = "now"
        else:
            continue
        publish(
            org.pk,
            "shipit.phase",
            {"event_id": event.pk, "name": event.title, "phase": phase},
        )
        told.append(f"{event.title} ({phase})")
    return told


def policy_of(organisation: Organisation) -> TimePolicy:
    found, _created = TimePolicy.objects.get_or_create(organisation=organisation)
    return found


@transaction.atomic
def set_policy(*, actor: Actor, share_percent: int, weekly_hours: float) -> TimePolicy:
    """The organisation's self-directed time (admins): e.g. 20% of a 40-hour week."""
    require(actor, "organisation.edit", actor.organisation)
    if not 0 <= share_percent <= 50:
        raise ValidationFailed.single("share_percent", _("is from 0 to 50 (% of working time)"))
    if not math.isfinite(weekly_hours) or not 1 <= weekly_hours <= 80:
        raise ValidationFailed.single("weekly_hours", _("is from 1 to 80 hours a week"))
    found = policy_of(actor.organisation)
    found.share_percent = share_percent
    found.weekly_hours = Decimal(str(weekly_hours)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    found.save(update_fields=["share_percent", "weekly_hours"])
    return found


def _me(actor: Actor) -> Person:
    """The acting person: self-directed projects and ShipIt days are people's own."""
    if actor.person is None:
        raise NotAllowed(_("only people of the organisation have projects and ShipIt teams"))
    return actor.person


def _owner(actor: Actor, project: Project) -> Person:
    me = _me(actor)
    if project.person_id != me.pk:
        raise NotAllowed(_("a self-directed project is changed only by its owner"))
    return me


def _objective(actor: Actor, objective_id: int | None) -> Objective | None:
    if objective_id is None:
        return None
    from ampwork.okrs import selectors as okr_selectors

    try:
        return okr_selectors.get_objective(actor, objective_id)
    except NotFound:
        raise ValidationFailed.single("objective_id", _("no such objective")) from None


@transaction.atomic
def add_project(
    *,
    actor: Actor,
    title: str,
    why: str = "",
    objective_id: int | None = None,
    serves_purpose: bool = False,
) -> Project:
    """Start a self-directed project: your own choice, so only for yourself."""
    person = _me(actor)
    return Project.objects.create(
        organisation=actor.organisation,
        person=person,
        title=clean_text(title, "title", 200),
        why=clean_text(why, "why", 1000, required=False),
        objective=_objective(actor, objective_id),
        serves_purpose=serves_purpose,
    )


@transaction.atomic
def update_project(
    *, actor: Actor, project: Project, outcome: str | None = None, learned: str | None = None
) -> Project:
    """Record what came of it and what was learned."""
    _owner(actor, project)
    if outcome is not None:
        if outcome not in Project.Outcome.values:
            raise ValidationFailed.single(
                "outcome",
                _("must be one of %(values)s") % {"values": ", ".join(Project.Outcome.values)},
            )
        project.outcome = outcome
    if learned is not None:
        project.learned = clean_text(learned, "learned", 1000, required=False)
    project.save(update_fields=["outcome", "learned"])
    return project


@transaction.atomic
def log_time(*, actor: Actor, project: Project, day: dt.date, hours: float) -> TimeLog:
    """Hours spent on your own project on one day (not in the future, at most 24)."""
    person = _owner(actor, project)
    if day > timezone.localdate():
        raise ValidationFailed.single("day", _("cannot be in the future"))
    if not math.isfinite(hours):
        raise ValidationFailed.single("hours", _("must be a number"))
    rounded = Decimal(str(hours)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if not Decimal("0.1") <= rounded <= 24:
        raise ValidationFailed.single("hours", _("is from 0.1 to 24"))
    return TimeLog.objects.create(
        organisation=actor.organisation,
        project=project,
        person=person,
        day=day,
        hours=rounded,
    )


# --- ShipIt days -------------------------------------------------------------------


@transaction.atomic
def create_event(
    *,
    actor: Actor,
    title: str,
    starts_at: dt.datetime,
    hours: int = 24,
    theme: str = "",
) -> ShipItEvent:
    """A ShipIt day (managers, people ops, admins): a window of ``hours`` (24 by default)."""
    require(actor, "autonomy.shipit", actor.organisation)
    if not 1 <= hours <= 72:
        raise ValidationFailed.single("hours", _("is from 1 to 72"))
    return ShipItEvent.objects.create(
        organisation=actor.organisation,
        title=clean_text(title, "title", 200),
        theme=clean_text(theme, "theme", 500, required=False),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        created_by=actor.person,
    )


def _open(event: ShipItEvent, field: str) -> None:
    if timezone.now() >= event.ends_at:
        raise ValidationFailed.single(field, _("the ShipIt day is over"))


@transaction.atomic
def propose(*, actor: Actor, event: ShipItEvent, title: str, pitch: str = "") -> Proposal:
    """Pitch an idea (anyone, until the event ends); its author joins its team."""
    me = _me(actor)
    _open(event, "title")
    proposal = Proposal.objects.create(
        organisation=actor.organisation,
        event=event,
        author=me,
        title=clean_text(title, "title", 200),
        pitch=clean_text(pitch, "pitch", 1000, required=False),
    )
    _join(me, proposal)
    return proposal


def _join(me: Person, proposal: Proposal) -> None:
    for other in me.shipit_teams.filter(event=proposal.event).exclude(pk=proposal.pk):
        other.members.remove(me)  # one team per person per event
    proposal.members.add(me)


@transaction.atomic
def join(*, actor: Actor, proposal: Proposal) -> Proposal:
    """Join a team (and leave any other of the same event): people form their own teams."""
    _open(proposal.event, "proposal")
    _join(_me(actor), proposal)
    return proposal


@transaction.atomic
def leave(*, actor: Actor, proposal: Proposal) -> Proposal:
    _open(proposal.event, "proposal")
    proposal.members.remove(_me(actor))
    return proposal


def _on_team(actor: Actor, proposal: Proposal) -> Person:
    me = _me(actor)
    if not proposal.members.filter(pk=me.pk).exists():
        raise NotAllowed(_("only the project's team does this"))
    return me


@transaction.atomic
def demo(
    *,
    actor: Actor,
    proposal: Proposal,
    title: str,
    summary: str,
    link: str = "",
    shipped: str = "",
) -> Proposal:
    """The team's demo: what they built and what shipped (once the event has started)."""
    _on_team(actor, proposal)
    if timezone.now() < proposal.event.starts_at:
        raise ValidationFailed.single("title", _("demos come once the ShipIt day has started"))
    link = clean_text(link, "link", 500, required=False)
    if link and not link.startswith(("https://", "http://")):
        raise ValidationFailed.single("link", _("must start with https:// or http://"))
    proposal.demo_title = clean_text(title, "title", 200)
    proposal.demo_summary = clean_text(summary, "summary", 2000)
    proposal.demo_link = link
    proposal.shipped = clean_text(shipped, "shipped", 1000, required=False)
    proposal.demoed_at = timezone.now()
    proposal.save(update_fields=["demo_title", "demo_summary", "demo_link", "shipped", "demoed_at"])
    return proposal


@transaction.atomic
def kudos(*, actor: Actor, proposal: Proposal) -> Kudos:
    """Thank a team for its demo — once, and not your own team."""
    me = _me(actor)
    if proposal.demoed_at is None:
        raise ValidationFailed.single("proposal", _("has no demo yet"))
    if proposal.members.filter(pk=me.pk).exists():
        raise ValidationFailed.single("proposal", _("is your own team's"))
    found, _created = Kudos.objects.get_or_create(
        organisation=actor.organisation, proposal=proposal, person=me
    )
    return found


@transaction.atomic
def follow_up(*, actor: Actor, proposal: Proposal, outcome: str, note: str = "") -> Proposal:
    """What came of it, a month on: became an objective, shipped, or dropped. The team or
    whoever runs ShipIt days records it, once the event is over."""
    require(actor, "shipit.follow_up", proposal)
    if timezone.now() < proposal.event.ends_at:
        raise ValidationFailed.single("outcome", _("comes after the ShipIt day"))
    if outcome not in ("objective", "shipped", "dropped"):
        raise ValidationFailed.single("outcome", _("must be one of objective, shipped, dropped"))
    proposal.follow_up = outcome
    proposal.follow_up_note = clean_text(note, "note", 500, required=False)
    proposal.followed_up_at = timezone.now()
    proposal.save(update_fields=["follow_up", "follow_up_note", "followed_up_at"])
    return proposal
