"""Reads of pay data, always scoped by organisation; records for the audit; the gate."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ampwork.core import summaries
from ampwork.core.l10n import format_day
from ampwork.core.models import Organisation, Person, TeamMembership

from . import audit, charts, gate
from .audit import Record
from .csvinput import factor_value
from .models import (
    AuditRun,
    CompensationRecord,
    CurrencyRate,
    FairnessSettings,
    MarketBenchmark,
    PayAttribute,
    PayBand,
)


def reporting_currency(org: Organisation) -> str:
    found = FairnessSettings.objects.filter(organisation=org).first()
    return found.reporting_currency if found else "EUR"


def currencies(org: Organisation) -> set[str]:
    return {
        reporting_currency(org),
        *CurrencyRate.objects.filter(organisation=org).values_list("currency", flat=True),
    }


def _rates(org: Organisation, reporting: str) -> dict[str, float]:
    rates = dict(CurrencyRate.objects.filter(organisation=org).values_list("currency", "rate"))
    rates[reporting] = 1.0
    return rates


def _lookup(table: dict[tuple[str, str, str], Any], person: Person) -> Any:
    return table.get((person.job_role, person.level, person.location)) or table.get(
        (person.job_role, person.level, "")
    )


def _factors(stored: dict[str, Any]) -> dict[str, Any]:
    """Factor values as the audit reads them: numbers as numbers (imports keep cells as
    text), text as text."""
    return {k: factor_value(v) if isinstance(v, str) else v for k, v in stored.items()}


@dataclass
class AuditData:
    records: list[Record]
    reference: str
    comparison: str
    currency: str
    names: dict[str, str] = field(default_factory=dict)


def latest_records(org: Organisation) -> dict[int, CompensationRecord]:
    """The newest effective compensation record of each active person: one query."""
    newest: dict[int, CompensationRecord] = {}
    for row in CompensationRecord.objects.filter(
        organisation=org, person__active=True, effective__lte=timezone.localdate()
    ).order_by("person_id", "-effective", "-id"):
        newest.setdefault(row.person_id, row)
    return newest


def records(org: Organisation, today: dt.date | None = None) -> AuditData:
    """Everyone's current pay in the reporting currency, with bands, market and attributes."""
    today = today or timezone.localdate()
    currency = reporting_currency(org)
    rates = _rates(org, currency)
    pay = latest_records(org)
    people = {p.pk: p for p in Person.objects.filter(pk__in=pay)}
    bands = {(b.job_role, b.level, b.location): b for b in PayBand.objects.filter(organisation=org)}
    market = {
        (m.job_role, m.level, m.location): m
        for m in MarketBenchmark.objects.filter(organisation=org)
    }
    attributes = {a.person_id: a for a in PayAttribute.objects.filter(organisation=org)}
    teams: dict[int, str] = {}
    for person_id, name in (
        TeamMembership.objects.filter(organisation=org)
        .order_by("team__name")
        .values_list("person_id", "team__name")
    ):
        teams.setdefault(person_id, name)
    out = []
    for person_id, row in pay.items():
        person = people[person_id]
        rate = rates[row.currency]
        band, bench = _lookup(bands, person), _lookup(market, person)
        band_rate = rates.get(band.currency, 0) if band else 0
        bench_rate = rates.get(bench.currency, 0) if bench else 0
        attrs = attributes.get(person_id)
        out.append(
            Record(
                employee_id=str(person_id),
                base_pay=row.annual_base * rate,
                variable_pay=row.variable_pay * rate,
                complementary_pay=row.complementary_pay * rate,
                fte=row.fte,
                role=person.job_role,
                level=person.level,
                location=person.location,
                group=attrs.gender if attrs else "",
                tenure_years=(today - person.hire_date).days / 365.25 if person.hire_date else None,
                performance=attrs.performance if attrs else None,
                band_min=band.minimum * band_rate if band and band_rate else None,
                band_max=band.maximum * band_rate if band and band_rate else None,
                market_p25=bench.p25 * bench_rate if bench and bench_rate else None,
                market_p50=bench.p50 * bench_rate if bench and bench_rate else None,
                market_p75=bench.p75 * bench_rate if bench and bench_rate else None,
                factors=_factors(attrs.factors) if attrs else {},
                team=teams.get(person_id, ""),
                currency=currency,
            )
        )
    groups = Counter(r.group for r in out if r.group)
    reference, comparison = "male", "female"
    if not {reference, comparison} <= set(groups):
        common = [g for g, _ in groups.most_common(2)] + ["", ""]
        reference, comparison = common[0], common[1]
    return AuditData(
        out,
        reference,
        comparison,
        reporting_currency(org),
        {str(pk): p.name for pk, p in people.items()},
    )


@dataclass
class Gate:
    status: str
    reasons: list[str]
    run: AuditRun | None


def gate_of(org: Organisation) -> Gate:
    """The fairness gate the advisor reads: the newest audit, if it is recent enough."""
    run = AuditRun.objects.filter(organisation=org).order_by("-run_at", "-id").first()
    if run is None:
        return Gate("red", [_("no pay audit has been run")], None)
    if not gate.is_current(run.run_at, timezone.now()):
        return Gate(
            "red",
            [
                _("the last pay audit is from %(day)s, more than 12 months ago")
                % {"day": format_day(run.run_at)}
            ],
            run,
        )
    return Gate(run.status, _reasons(run), run)


def _reasons(run: AuditRun) -> list[str]:
    """The run's reasons in the reader's language: judged again from the figures the run
    kept (the same rules, so the same status), else as they were written when it ran."""
    if "adjusted_gap" in run.summary:
        try:
            status, reasons = gate.judge(run.summary)
        except (KeyError, TypeError, ValueError, ArithmeticError):
            return list(run.reasons)
        if status == run.status:
            return reasons
    return list(run.reasons)


@dataclass
class MyPay:
    record: CompensationRecord | None
    annual: float | None
    band: PayBand | None
    compa_ratio: float | None
    range_penetration: float | None
    currency: str


def my_pay(person: Person) -> MyPay:
    """A person's own pay against their band: pay transparency, for them alone."""
    row = (
        CompensationRecord.objects.filter(person=person, effective__lte=timezone.localdate())
        .order_by("-effective", "-id")
        .first()
    )
    if row is None:
        return MyPay(None, None, None, None, None, "")
    bands = {
        (b.job_role, b.level, b.location): b
        for b in PayBand.objects.filter(
            organisation_id=person.organisation_id, job_role=person.job_role, level=person.level
        )
    }
    band = _lookup(bands, person)
    annual = row.annual_base / row.fte
    compa = penetration = None
    if band is not None and band.currency == row.currency:
        compa = annual / band.midpoint
        penetration = (annual - band.minimum) / (band.maximum - band.minimum)
    return MyPay(row, annual, band, compa, penetration, row.currency)


# ---------------------------------------------------------------- the overview page

TEAMS_SHOWN = 20  # the costliest teams in "Cost to fix"; the rest summed in one line


@dataclass
class Flagged:
    person_id: str
    name: str
    reasons: list[str]
    pay: float  # annual full-time pay, reporting currency
    to: float
    cost: float


@dataclass
class Overview:
    """What the overview page shows: the audit's figures, every flagged person with their
    pay (costliest first), the costliest teams, and the chart; indexed here so the page
    only displays (no loop over people inside a loop over people)."""

    reference: str
    comparison: str
    currency: str
    people: int  # records audited
    result: dict[str, Any]  # the audit without its per-person rows
    flagged: list[Flagged]
    teams: list[tuple[str, float]]
    other_teams: tuple[int, float]  # how many more teams, and their cost
    left_out: str
    intervals: dict[str, Any] | None
    chart: str
    dots: bool  # one dot a person (else boxes: charts.DOTS)


def overview(org: Organisation) -> summaries.Fresh[Overview | None]:
    """The overview, computed once per change of pay data or people (``core.summaries``);
    None without pay data."""
    today = timezone.localdate()
    return summaries.summary(
        "fairness.overview",
        (org.pk, today, translation.get_language()),  # its chart and reasons are text
        ("core", "fairness"),
        lambda: _overview(org, today),
    )


def _overview(org: Organisation, today: dt.date) -> Overview | None:
    data = records(org, today)
    if not data.records:
        return None
    result = audit.audit(data.records, data.reference, data.comparison)
    pay = {p["employee_id"]: p["annual_pay"] for p in result["people"]}
    costs = {p["employee_id"]: p for p in result["remediation"]["people"]}
    flagged = [
        Flagged(
            f["employee_id"],
            data.names.get(f["employee_id"], ""),
            f["reasons"],
            pay[f["employee_id"]],
            costs[f["employee_id"]]["to"],
            costs[f["employee_id"]]["cost"],
        )
        for f in result["flags"]
    ]
    flagged.sort(key=lambda f: (-f.cost, f.name))
    teams, others = costliest(result["remediation"]["by_team"])
    shown = {k: v for k, v in result.items() if k != "people"}
    return Overview(
        data.reference,
        data.comparison,
        data.currency,
        len(data.records),
        shown,
        flagged,
        teams,
        others,
        audit.left_out_text(result["left_out"]),
        intervals(result["adjusted_gap"]),
        charts.pay_by_level(data.records, [data.reference, data.comparison]),
        len(data.records) <= charts.DOTS,
    )


def costliest(
    by_team: dict[str, float], shown: int = TEAMS_SHOWN
) -> tuple[list[tuple[str, float]], tuple[int, float]]:
    """The ``shown`` costliest teams (by name where costs tie), and how many more there
    are with their cost together."""
    ranked = sorted(by_team.items(), key=lambda kv: (-kv[1], kv[0]))
    rest = ranked[shown:]
    return ranked[:shown], (len(rest), sum(cost for _, cost in rest))


def intervals(adjusted: dict[str, Any] | None) -> dict[str, Any] | None:
    """The adjusted gap and its 95% intervals in percent, as the gate's reasons write them
    (gate.percent_text): each bound in log points d is 100·(exp(d) − 1) percent; the
    classical interval and each robust one (None where undefined)."""
    if adjusted is None:
        return None

    def percent(bounds: list[float]) -> list[str]:
        return [gate.percent_text(gate.log_points_percent(b)) for b in bounds]

    return {
        "percent": gate.percent_text(
            Decimal(repr(float(adjusted["percent"]))), threshold=gate.GAP_RED
        ),
        "classical": percent(adjusted["ci95"]),
        "robust": {
            name: percent(r["ci95"]) if r else None for name, r in adjusted["robust"].items()
        },
    }
