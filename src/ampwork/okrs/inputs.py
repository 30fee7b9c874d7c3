"""Model rows → the plain inputs of :mod:`.progress` (no queries: relations are prefetched)."""

from __future__ import annotations

from django.utils import timezone

from . import progress
from .models import KeyResult


def kr_input(kr: KeyResult) -> progress.KRInput:
    return progress.KRInput(
        id=kr.pk,
        objective_id=kr.objective_id,
        kind=kr.kind,
        start=kr.start,
        target=kr.target,
        current=kr.current,
        done=kr.done,
        low=kr.low,
        high=kr.high,
        weight=kr.weight,
        milestones=tuple((m.weight, m.done) for m in kr.milestones.all()),
        last_check_in=kr.last_check_in,
        created=timezone.localdate(kr.created_at),
        score=kr.score,
    )
