"""Writes for pulse rounds: create, open (invitations, one-time links), answer, close."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from ampwork.core.errors import NotAllowed, NotFound, ValidationFailed
from ampwork.core.models import Person, Team, TeamMembership
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record

from . import instrument
from .models import Invitation, Question, Response, Round


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_round(
    *,
    actor: Actor,
    name: str,
    opens: dt.date,
    closes: dt.date,
    team_ids: Iterable[int] = (),
    mode: str = Round.Mode.INVITED,
    questions: Sequence[tuple[str, bool]] = (),
) -> Round:
    require(actor, "pulse.manage", actor.organisation)
    name = name.strip()
    if not name:
        raise ValidationFailed.single("name", "is required")
    if closes < opens:
        raise ValidationFailed.single("closes", "must not be before the opening day")
    if mode not in Round.Mode.values:
        raise ValidationFailed.single("mode", "must be invited or unattributed")
    team_ids = list(team_ids)
    teams = list(Team.objects.filter(organisation=actor.organisation, pk__in=team_ids))
    if len(teams) != len(set(team_ids)):
        raise ValidationFailed.single("team_ids", "no such team in this organisation")
    pulse = Round.objects.create(
        organisation=actor.organisation,
        name=name,
        instrument=instrument.VERSION,
        mode=mode,
        opens=opens,
        closes=closes,
        created_by=actor.user,
    )
    pulse.teams.set(teams)
    for i, (text, reverse) in enumerate(questions):
        if text.strip():
            Question.objects.create(
                round=pulse, code=f"own{i + 1}", text=text.strip()[:300], reverse=reverse
            )
    return pulse


def audience(pulse: Round) -> dict[int, int | None]:
    """Who is asked, with the reporting group each answer will count in: their team (the
    first, by name) inside the round's teams — or any team, for the whole organisation."""
    teams = set(pulse.teams.values_list("id", flat=True))
    scope = set()
    if teams:
        children: dict[int | None, list[int]] = {}
        for pk, parent in Team.objects.filter(organisation=pulse.organisation).values_list(
            "id", "parent_id"
        ):
            children.setdefault(parent, []).append(pk)
        stack = list(teams)
        while stack:
            team = stack.pop()
            if team not in scope:
                scope.add(team)
                stack.extend(children.get(team, []))
    out: dict[int, int | None] = {}
    for person_id, team_id in (
        TeamMembership.objects.filter(organisation=pulse.organisation, person__active=True)
        .order_by("team__name", "team_id")
        .values_list("person_id", "team_id")
    ):
        if scope and team_id not in scope:
            continue
        out.setdefault(person_id, team_id)
    if not teams:
        for person_id in Person.objects.filter(
            organisation=pulse.organisation, active=True
        ).values_list("id", flat=True):
            out.setdefault(person_id, None)
    return out


@dataclass
class Opened:
    round: Round
    invited: int
    shared_token: str | None


@transaction.atomic
def open_round(*, actor: Actor, pulse: Round, send: bool = True) -> Opened:
    """Open a round: fix its anonymity minimum, and make the one-time links (or the shared
    link of an unattributed round). Links are sent by email and stored only as digests."""
    require(actor, "pulse.manage", pulse)
    if pulse.status != Round.Status.DRAFT:
        raise ValidationFailed.single("status", "only a draft round can be opened")
    pulse.minimum = actor.organisation.anonymity_min_group
    pulse.status = Round.Status.OPEN
    shared = None
    invited = 0
    if pulse.mode == Round.Mode.UNATTRIBUTED:
        shared = secrets.token_urlsafe(24)
        pulse.shared_token_digest = digest(shared)
    else:
        messages = []
        links: list[Invitation] = []
        people = dict(
            Person.objects.filter(organisation=pulse.organisation).values_list("id", "email")
        )
        for person_id, group in audience(pulse).items():
            token = secrets.token_urlsafe(24)
            links.append(
                Invitation(round=pulse, person_id=person_id, group_id=group, digest=digest(token))
            )
            messages.append(
                (
                    f"{pulse.name}: two minutes, anonymous",
                    f"Your link (it works once): {settings.BASE_URL}/pulse/answer/{token}/\n\n"
                    "Your answers are stored without your name, your link or the time of day; "
                    "results are only shown for groups of at least "
                    f"{pulse.minimum} people.",
                    settings.DEFAULT_FROM_EMAIL,
                    [people[person_id]],
                )
            )
        Invitation.objects.bulk_create(links, batch_size=2000)
        invited = len(links)
        if send and messages:
            send_mass_mail(messages, fail_silently=True)
    pulse.save(update_fields=["minimum", "status", "shared_token_digest"])
    record(actor, actor.organisation, "pulse.opened", pulse, invited=invited)
    return Opened(pulse, invited, shared)


@transaction.atomic
def remind(*, actor: Actor, pulse: Round) -> int:
    """Email a fresh one-time link to everyone whose link is still unused.

    Links are stored only as digests, so a reminder replaces the unused link with a new
    one. Nobody is shown who has or has not answered: only how many were reminded.
    """
    require(actor, "pulse.manage", pulse)
    if pulse.status != Round.Status.OPEN or pulse.mode != Round.Mode.INVITED:
        raise ValidationFailed.single("status", "reminders are for open, invited pulses")
    emails = dict(Person.objects.filter(organisation=pulse.organisation).values_list("id", "email"))
    messages = []
    pending = list(Invitation.objects.filter(round=pulse, used_on__isnull=True))
    for invitation in pending:
        token = secrets.token_urlsafe(24)
        invitation.digest = digest(token)
        messages.append(
            (
                f"Reminder: {pulse.name} closes on {pulse.closes:%d %B}",
                f"Two minutes, anonymous. Your new link (it works once): "
                f"{settings.BASE_URL}/pulse/answer/{token}/",
                settings.DEFAULT_FROM_EMAIL,
                [emails[invitation.person_id]],
            )
        )
    Invitation.objects.bulk_update(pending, ["digest"], batch_size=2000)
    send_mass_mail(messages, fail_silently=True)
    record(actor, actor.organisation, "pulse.reminded", pulse, count=len(pending))
    return len(pending)


@transaction.atomic
def close_round(*, actor: Actor, pulse: Round) -> Round:
    require(actor, "pulse.manage", pulse)
    pulse.status = Round.Status.CLOSED
    pulse.save(update_fields=["status"])
    record(actor, actor.organisation, "pulse.closed", pulse)
    return pulse


def find_invitation(token: str) -> tuple[Round, Invitation | None]:
    """The round a link belongs to: a person's one-time link, or a round's shared link."""
    hashed = digest(token)
    invitation = (
        Invitation.objects.select_related("round__organisation").filter(digest=hashed).first()
    )
    if invitation is not None:
        return invitation.round, invitation
    pulse = (
        Round.objects.select_related("organisation")
        .filter(shared_token_digest=hashed, mode=Round.Mode.UNATTRIBUTED)
        .first()
    )
    if pulse is None or not token:
        raise NotFound("this link is not valid")
    return pulse, None


def items_of(pulse: Round) -> list[instrument.Item]:
    own = [instrument.Item(q.code, "own", q.text, q.text, q.reverse) for q in pulse.questions.all()]
    return [*instrument.items_for(pulse.organisation.is_school), *own]


@transaction.atomic
def answer(
    *,
    pulse: Round,
    invitation: Invitation | None,
    answers: dict[str, Any],
    enps: int | None = None,
    comment: str = "",
) -> None:
    """Store one response. The response keeps no trace of who gave it: the invitation is
    marked used (the day only) and the two rows share nothing but the round."""
    today = timezone.localdate()
    if pulse.status != Round.Status.OPEN or not pulse.opens <= today <= pulse.closes:
        raise ValidationFailed.single("round", "this pulse is not open")
    if pulse.mode == Round.Mode.INVITED:
        if invitation is None:
            raise NotAllowed("this pulse needs your own link")
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.used_on is not None:
            raise ValidationFailed.single("token", "this link has already been used")
    codes = {item.code for item in items_of(pulse)}
    clean: dict[str, int] = {}
    for code, value in answers.items():
        if code not in codes:
            raise ValidationFailed.single(code, "is not a question of this pulse")
        if value in (None, ""):
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | str)
            or str(value) not in {"1", "2", "3", "4", "5"}
        ):
            raise ValidationFailed.single(code, "answer from 1 to 5")
        clean[code] = int(value)
    if enps is not None and not 0 <= enps <= 10:
        raise ValidationFailed.single("enps", "answer from 0 to 10")
    if not clean and enps is None:
        raise ValidationFailed.single("answers", "answer at least one question")
    group = None
    if invitation is not None:
        group = locked.group_id
        locked.used_on = today
        locked.save(update_fields=["used_on"])
    else:
        teams = list(pulse.teams.values_list("id", flat=True))
        group = teams[0] if len(teams) == 1 else None
    Response.objects.create(
        round=pulse,
        group_id=group,
        submitted_on=today,
        enps=enps,
        comment=comment.strip()[:2000],
        answers=clean,
    )
