"""Writes for check-ins: recording one and showing the newest on its key result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ampwork.core.errors import ValidationFailed
from ampwork.core.permissions import Actor, require
from ampwork.okrs.models import CheckIn, KeyResult

from . import derived, published


@transaction.atomic
def check_in(
    *,
    actor: Actor,
    key_result: KeyResult,
    value: float | None = None,
    done: bool | None = None,
    milestones_done: Iterable[int] | None = None,
    confidence: int | None = None,
    note: str = "",
    date: dt.date | None = None,
) -> CheckIn:
    """Record a check-in; the key result then shows its newest check-in by date.

    The key result's row is locked first, so check-ins posted at the same moment are
    applied one after another and none is lost.
    """
    require(actor, "key_results.check_in", key_result)
    locked = KeyResult.objects.select_for_update().get(pk=key_result.pk)
    if not locked.objective.cycle.is_open:
        raise ValidationFailed.single("key_result", _("its cycle is closed"))
    date = date or timezone.localdate()
    kind = locked.kind
    if confidence is not None and not 0 <= confidence <= 10:
        raise ValidationFailed.single("confidence", _("must be from 0 to 10"))
    if kind in (KeyResult.Kind.NUMERIC, KeyResult.Kind.RANGE) and value is None:
        raise ValidationFailed.single("value", _("is required for this key result"))
    if kind == KeyResult.Kind.BOOLEAN and done is None:
        raise ValidationFailed.single("done", _("say whether it is done"))
    ids: list[int] = []
    if kind == KeyResult.Kind.MILESTONES:
        known = set(locked.milestones.values_list("id", flat=True))
        ids = sorted(set(milestones_done or []))
        if not set(ids) <= known:
            raise ValidationFailed.single(
                "milestones_done", _("names a milestone of another key result")
            )
    entry = CheckIn.objects.create(
        organisation=locked.organisation,
        key_result=locked,
        value=value,
        done=done,
        milestones_done=ids,
        confidence=confidence,
        note=note.strip()[:280],
        date=date,
        author=actor.person,
    )
    _apply_latest(locked)
    derived.refresh([locked.objective_id])
    published.check_in(entry, locked)
    return entry


def _apply_latest(key_result: KeyResult) -> None:
    latest = key_result.check_ins.order_by("-date", "-id").first()
    if latest is None:
        return
    key_result.last_check_in = latest.date
    if latest.value is not None:
        key_result.current = latest.value
    if latest.done is not None:
        key_result.done = latest.done
    if latest.confidence is not None:
        key_result.confidence = latest.confidence
    key_result.save(update_fields=["last_check_in", "current", "done", "confidence"])
    if key_result.kind == KeyResult.Kind.MILESTONES:
        done = set(latest.milestones_done)
        for milestone in key_result.milestones.all():
            if milestone.done != (milestone.pk in done):
                milestone.done = milestone.pk in done
                milestone.save(update_fields=["done"])


def checkin_field_name(field: str) -> str:
    """A check-in field's name as a row shows it before its error (the web check-in of
    both the OKR and the weekly review pages)."""
    names = {
        "confidence": pgettext("check-in field", "confidence"),
        "value": pgettext("check-in field", "value"),
        "done": pgettext("check-in field", "done"),
        "milestones_done": pgettext("check-in field", "milestones_done"),
        "key_result": pgettext("check-in field", "key_result"),
        "note": pgettext("check-in field", "note"),
    }
    return names.get(field, field)
