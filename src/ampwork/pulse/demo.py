"""Demo pulses: three monthly rounds at Brightwater Labs with autonomy improving, a team
that answers too few to be shown, and an open unattributed round in the class."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ampwork.core.models import Organisation, Team
from ampwork.core.permissions import Actor

from . import instrument, services
from .models import Invitation, Response, Round

COMMENTS = [
    "More say over which projects we pick would help.",
    "The weekly reviews are useful.",
    "Meetings eat the afternoons.",
    "I like that we choose how we work.",
    "Not sure how my work helps customers.",
    "Great team, heavy on-call.",
    "Pairing across teams has been good.",
    "Would love more time for learning.",
    "Priorities change too often.",
    "Proud of what we shipped this month.",
    "Recognition feels genuine.",
    "Remote days make it easier to focus.",
]


def _answers(
    rng: random.Random, mood: float, school: bool, lift: dict[str, float]
) -> dict[str, int]:
    out = {}
    for item in instrument.items_for(school):
        if rng.random() < 0.04:  # a skipped question
            continue
        scored = round(mood + lift.get(item.subscale, 0.0) + rng.gauss(0, 0.5))
        scored = max(1, min(5, scored))
        out[item.code] = 6 - scored if item.reverse else scored
    return out


def seed(company: Organisation, school: Organisation) -> None:
    rng = random.Random(11)
    today = timezone.localdate()
    actor = Actor.system(company)
    quiet = Team.objects.get(organisation=company, name="People & Finance")
    for step, days_ago in enumerate((95, 65, 35)):
        round_ = services.create_round(
            actor=actor,
            name=f"AMP Pulse {(today - dt.timedelta(days=days_ago)):%B %Y}",
            opens=today - dt.timedelta(days=days_ago),
            closes=today - dt.timedelta(days=days_ago - 10),
        )
        services.open_round(actor=actor, round=round_, send=False, at=_moment(round_.opens))
        lift = {
            "autonomy_task": 0.25 * step,
            "autonomy_technique": 0.3 * step,
            "mastery": 0.1 * step,
            "purpose": -0.1 + 0.05 * step,
        }
        quiet_answered = 0
        used: list[int] = []
        answers: list[Response] = []
        for invitation in Invitation.objects.filter(round=round_).order_by("person_id"):
            if invitation.group_id == quiet.pk:
                if quiet_answered >= 4:  # only four ever answer: always suppressed
                    continue
                quiet_answered += 1
            elif rng.random() > 0.82:
                continue
            used.append(invitation.pk)
            answers.append(
                Response(
                    round=round_,
                    group_id=invitation.group_id,
                    submitted_on=round_.opens + dt.timedelta(days=rng.randint(0, 9)),
                    answers=_answers(rng, rng.gauss(3.3, 0.6), False, lift),
                    enps=max(0, min(10, round(rng.gauss(7 + 0.4 * step, 2)))),
                    comment=rng.choice(COMMENTS) if rng.random() < 0.3 else "",
                )
            )
        # as the pool would have written them: apart from the invitations, shuffled
        Invitation.objects.filter(pk__in=used).update(used=True)
        rng.shuffle(answers)
        Response.objects.bulk_create(answers)
        round_.status = Round.Status.CLOSED
        round_.save(update_fields=["status"])
    # the class: one shared link, no identities at all
    science = Team.objects.get(organisation=school, name="Year 9 Science")
    teacher_actor = Actor.system(school)
    round_ = services.create_round(
        actor=teacher_actor,
        name="How is Year 9 Science going?",
        opens=today - dt.timedelta(days=3),
        closes=today + dt.timedelta(days=7),
        team_ids=[science.pk],
        mode=Round.Mode.UNATTRIBUTED,
        audience_size=24,  # the teacher's count of the class
    )
    services.open_round(actor=teacher_actor, round=round_, send=False, at=_moment(round_.opens))
    Response.objects.bulk_create(
        Response(
            round=round_,
            group=science,
            submitted_on=today - dt.timedelta(days=rng.randint(0, 3)),
            answers=_answers(rng, 3.5, True, {}),
            enps=max(0, min(10, round(rng.gauss(7, 2)))),
        )
        for _ in range(18)
    )


def _moment(day: dt.date) -> dt.datetime:
    """A round opened on a past day (the demo's people and teams are made now, after it:
    they are no change "shortly before opening")."""
    return dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_current_timezone())
