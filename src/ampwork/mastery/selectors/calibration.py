"""Key results as plain facts, Goldilocks calibration, attainment, flow maps."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from ampwork.core.models import Organisation
from ampwork.okrs import progress
from ampwork.okrs import selectors as okr_selectors

from .. import flow, goldilocks
from ..models import (
    Review,
)
from .weeks import FLOW_WEEKS, week_of


def kr_facts(org: Organisation, people: Iterable[int]) -> dict[int, list[goldilocks.KRFacts]]:
    """Every key result the people own (dropped objectives aside), with its value and
    confidence history: read through OKRs' front door. Three queries for any number of
    people."""
    ids = list(people)
    out: dict[int, list[goldilocks.KRFacts]] = {pk: [] for pk in ids}
    for owned in okr_selectors.owned_key_results(org, ids):
        kr = owned.input
        explained = progress.kr_progress(kr)
        out[owned.owner_id].append(
            goldilocks.KRFacts(
                id=kr.id,
                title=owned.title,
                kind=owned.objective_kind,
                cycle_id=owned.cycle_id,
                cycle_name=owned.cycle_name,
                cycle_start=owned.cycle_start,
                closed=owned.cycle_closed,
                score=kr.score,
                progress=explained.value,
                progress_exact=explained.exact,
                confidences=owned.confidences,
                objective_id=kr.objective_id,
                last_check_in=kr.last_check_in,
            )
        )
    return out


def calibrations(org: Organisation, people: Iterable[int]) -> dict[int, goldilocks.Calibration]:
    return {pk: goldilocks.calibrate(facts) for pk, facts in kr_facts(org, people).items()}


@dataclass
class CycleAttainment:
    name: str
    closed: bool
    average: float
    count: int


def attainment(facts: list[goldilocks.KRFacts]) -> list[CycleAttainment]:
    """Per cycle, the mean score (closed) or progress to date (open) of the person's KRs."""
    by_cycle: dict[int, list[goldilocks.KRFacts]] = defaultdict(list)
    for kr in facts:
        if kr.value is not None:
            by_cycle[kr.cycle_id].append(kr)
    out = []
    for krs in sorted(by_cycle.values(), key=lambda k: k[0].cycle_start):
        values = [k.value for k in krs if k.value is not None]
        out.append(
            CycleAttainment(
                krs[0].cycle_name, krs[0].closed, sum(values) / len(values), len(values)
            )
        )
    return out


def flows(people: Iterable[int], today: dt.date | None = None) -> dict[int, flow.FlowMap]:
    """Each person's flow map from the last :data:`FLOW_WEEKS` weeks: one query."""
    today = today or timezone.localdate()
    since = week_of(today) - dt.timedelta(weeks=FLOW_WEEKS)
    ids = list(people)
    weeks: dict[int, list[tuple[dt.date, int | None, int | None]]] = {pk: [] for pk in ids}
    for pk, week, challenge, skill in Review.objects.filter(
        person_id__in=ids, week__gt=since
    ).values_list("person_id", "week", "challenge", "skill"):
        weeks[pk].append((week, challenge, skill))
    return {pk: flow.flow_map(rows) for pk, rows in weeks.items()}
