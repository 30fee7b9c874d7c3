"""Writes for closing a cycle: final scores, the retrospective, carrying objectives on."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ampwork.core.errors import FieldError, ValidationFailed
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record
from ampwork.okrs import progress
from ampwork.okrs.inputs import kr_input
from ampwork.okrs.models import Cycle, KeyResult, Milestone, Objective

from . import derived, published


@transaction.atomic
def close_cycle(
    *,
    actor: Actor,
    cycle: Cycle,
    overrides: dict[int, tuple[float, str]] | None = None,
    retrospective: str = "",
    carry: Iterable[int] = (),
    next_cycle: Cycle | None = None,
) -> Cycle:
    """Score every key result (computed, or overridden with a reason), keep a retrospective,
    and carry unfinished objectives into the next cycle."""
    require(actor, "cycles.edit", cycle)
    if not cycle.is_open:
        raise ValidationFailed.single(
            "cycle", _("%(cycle)s is already closed") % {"cycle": cycle.name}
        )
    overrides = overrides or {}
    key_results = list(
        KeyResult.objects.filter(objective__cycle=cycle).prefetch_related("milestones")
    )
    known = {k.pk for k in key_results}
    errors = [
        FieldError(f"score[{pk}]", _("no such key result in this cycle"))
        for pk in overrides
        if pk not in known
    ]
    for pk, (score, reason) in overrides.items():
        if not 0 <= score <= 1:
            errors.append(FieldError(f"score[{pk}]", _("a score is from 0.0 to 1.0")))
        if not reason.strip():
            errors.append(
                FieldError(f"reason[{pk}]", _("say why the score differs from the computed one"))
            )
    carry = list(carry)
    if carry and (next_cycle is None or not next_cycle.is_open or next_cycle.pk == cycle.pk):
        errors.append(FieldError("next_cycle", _("choose an open cycle to carry objectives into")))
    if errors:
        raise ValidationFailed(errors)
    for kr in key_results:
        if kr.pk in overrides:
            kr.score, kr.score_reason = (
                progress.round_score(overrides[kr.pk][0]),
                overrides[kr.pk][1].strip(),
            )
        else:
            kr.score = progress.round_score(progress.kr_progress(kr_input(kr)))  # exact
            kr.score_reason = ""
    KeyResult.objects.bulk_update(key_results, ["score", "score_reason"])
    derived.refresh_cycles([cycle.pk])
    copies = [
        _carry(objective, next_cycle)  # type: ignore[arg-type]
        for objective in Objective.objects.filter(cycle=cycle, pk__in=carry)
    ]
    derived.refresh([c.pk for c in copies])
    cycle.status, cycle.retrospective, cycle.closed_at = (
        Cycle.Status.CLOSED,
        retrospective.strip(),
        timezone.now(),
    )
    cycle.save(update_fields=["status", "retrospective", "closed_at"])
    record(actor, actor.organisation, "cycle.closed", cycle, carried=len(carry))
    published.cycle_closed(cycle)
    return cycle


def _carry(objective: Objective, into: Cycle) -> Objective:
    copy = Objective.objects.create(
        organisation=objective.organisation,
        cycle=into,
        owner_kind=objective.owner_kind,
        owner_team=objective.owner_team,
        owner_person=objective.owner_person,
        author=objective.author,
        title=objective.title,
        description=objective.description,
        kind=objective.kind,
        work_style=objective.work_style,
        visibility=objective.visibility,
        carried_from=objective,
    )
    for kr in objective.key_results.prefetch_related("milestones"):
        fresh = KeyResult.objects.create(
            organisation=kr.organisation,
            objective=copy,
            title=kr.title,
            kind=kr.kind,
            # a numeric result continues from where it got to
            start=kr.current
            if kr.kind == KeyResult.Kind.NUMERIC and kr.current is not None
            else kr.start,
            target=kr.target,
            unit=kr.unit,
            low=kr.low,
            high=kr.high,
            weight=kr.weight,
            owner=kr.owner,
            position=kr.position,
            done=kr.done,
        )
        Milestone.objects.bulk_create(
            Milestone(
                key_result=fresh, title=m.title, weight=m.weight, done=m.done, position=m.position
            )
            for m in kr.milestones.all()
        )
    objective.status = Objective.Status.CARRIED
    objective.save(update_fields=["status"])
    return copy
