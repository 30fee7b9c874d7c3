"""A closed pulse round for a generated organisation (``ampwork generate``), for scale work:
the benchmarks and the tests that compare a page's work at two sizes."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from ampwork.core.models import Organisation
from ampwork.core.permissions import Actor

from . import instrument, services
from .models import Invitation, Response, Round


def generate_round(org: Organisation, seed: int = 11) -> Round:
    """One round opened 30 days ago (links made, none sent), answered by about 85% of the
    invited, written as the pool writes them (shuffled, apart from the invitations), closed."""
    rng = random.Random(seed)
    actor = Actor.system(org)
    today = timezone.localdate()
    opens = today - dt.timedelta(days=30)
    round_ = services.create_round(
        actor=actor, name="Benchmark pulse", opens=opens, closes=opens + dt.timedelta(days=10)
    )
    at = dt.datetime.combine(opens, dt.time(9), tzinfo=timezone.get_current_timezone())
    services.open_round(actor=actor, round=round_, send=False, at=at)
    items = instrument.items_for(False)
    used: list[int] = []
    answers: list[Response] = []
    for invitation_id, group_id in (
        Invitation.objects.filter(round=round_).order_by("id").values_list("id", "group_id")
    ):
        if rng.random() > 0.85:
            continue
        used.append(invitation_id)
        mood = rng.gauss(3.3, 0.6)
        scored = {i.code: max(1, min(5, round(mood + rng.gauss(0, 0.5)))) for i in items}
        scored = {i.code: 6 - scored[i.code] if i.reverse else scored[i.code] for i in items}
        answers.append(
            Response(
                round=round_,
                group_id=group_id,
                submitted_on=opens + dt.timedelta(days=rng.randint(0, 9)),
                answers=scored,
                enps=max(0, min(10, round(rng.gauss(7, 2)))),
                comment="Meetings eat the afternoons." if rng.random() < 0.1 else "",
            )
        )
    for chunk in range(0, len(used), 5000):
        Invitation.objects.filter(pk__in=used[chunk : chunk + 5000]).update(used=True)
    rng.shuffle(answers)
    Response.objects.bulk_create(answers, batch_size=2000)
    round_.status = Round.Status.CLOSED
    round_.save(update_fields=["status"])
    return round_
