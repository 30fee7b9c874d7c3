"""Writes for pay data: CSV imports (all or nothing) and running the audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ampwork.core.errors import FieldError, ValidationFailed
from ampwork.core.imports import Plan, read_rows
from ampwork.core.models import Person
from ampwork.core.permissions import Actor, require
from ampwork.core.services import record
from ampwork.logs import logged_import

from . import audit, gate, selectors
from .csvinput import factor_problem, factor_value
from .models import (
    PERIODS_PER_YEAR,
    AuditRun,
    CompensationRecord,
    CurrencyRate,
    FairnessSettings,
    MarketBenchmark,
    PayAttribute,
    PayBand,
)
from .money import amount_problem

COLUMNS: dict[str, dict[str, str | Promise]] = {
    "compensation": {
        "email": gettext_lazy("The person's email (required)"),
        "effective": gettext_lazy("Date the pay takes effect, YYYY-MM-DD (required)"),
        "base_pay": gettext_lazy("Base pay per period, more than zero (required)"),
        "currency": gettext_lazy(
            "ISO code, e.g. EUR (required; needs a rate unless it is the reporting currency)"
        ),
        "period": gettext_lazy("annual (default), monthly, weekly or hourly"),
        "fte": gettext_lazy("Share of full time, 0–1 (default 1)"),
        "variable_pay": gettext_lazy("Bonus and commission for the year"),
        "complementary_pay": gettext_lazy(
            "Allowances and benefits in kind for the year (EU: complementary pay)"
        ),
        "gender": gettext_lazy("Restricted: for the gap analysis only"),
        "performance": gettext_lazy("Restricted: a number, used as a control"),
    },
    "market": {
        "job_role": gettext_lazy("Role (required)"),
        "level": gettext_lazy("Level (required)"),
        "location": gettext_lazy("Location (empty: anywhere)"),
        "currency": gettext_lazy("ISO code (required)"),
        "p25": gettext_lazy("25th percentile of annual pay (required)"),
        "p50": gettext_lazy("Median (required)"),
        "p75": gettext_lazy("75th percentile (required)"),
        "source": gettext_lazy("Where the numbers come from"),
        "as_of": gettext_lazy("Date of the data, YYYY-MM-DD"),
    },
    "bands": {
        "job_role": gettext_lazy("Role (required)"),
        "level": gettext_lazy("Level (required)"),
        "location": gettext_lazy("Location (empty: anywhere)"),
        "currency": gettext_lazy("ISO code (required)"),
        "minimum": gettext_lazy("Range minimum, annual (required)"),
        "maximum": gettext_lazy("Range maximum (required)"),
    },
    "rates": {
        "currency": gettext_lazy("ISO code (required)"),
        "rate": gettext_lazy("Units of the reporting currency per unit of this one (required)"),
    },
}
RATE_MIN, RATE_MAX = 1e-9, 1e9  # units of the reporting currency per unit: beyond is a typo
REQUIRED = {
    "compensation": {"email", "effective", "base_pay", "currency"},
    "market": {"job_role", "level", "currency", "p25", "p50", "p75"},
    "bands": {"job_role", "level", "currency", "minimum", "maximum"},
    "rates": {"currency", "rate"},
}


def settings_of(actor: Actor) -> FairnessSettings:
    found, _created = FairnessSettings.objects.get_or_create(organisation=actor.organisation)
    return found


class _Rows:
    """Reads a file and collects every problem with its line and column."""

    def __init__(self, kind: str, text: str, source: str) -> None:
        self.kind, self.source = kind, source
        plan = Plan(kind, source)
        self.rows = read_rows(
            text,
            {name: str(text) for name, text in COLUMNS[kind].items()},
            REQUIRED[kind],
            plan,
            extra_prefixes=("factor:",) if kind == "compensation" else (),
        )
        self.errors: list[FieldError] = plan.errors

    def number(
        self,
        line: int,
        row: dict[str, str],
        name: str,
        *,
        required: bool = False,
        positive: bool = False,
    ) -> float | None:
        """A number from a cell: finite, not negative and at most a trillion
        (money.MAX_AMOUNT), so 1e308, inf and nan are refused with their line."""
        raw = row.get(name, "")
        if not raw:
            if required:
                self.errors.append(FieldError(name, _("is required"), line))
            return None
        try:
            value = float(raw.replace(",", ""))
        except ValueError:
            self.errors.append(
                FieldError(name, _("'%(value)s' is not a number") % {"value": raw}, line)
            )
            return None
        problem = amount_problem(value, positive=positive)
        if problem:
            self.errors.append(
                FieldError(
                    name, _("'%(value)s' %(problem)s") % {"value": raw, "problem": problem}, line
                )
            )
            return None
        return value

    def date(
        self, line: int, row: dict[str, str], name: str, *, required: bool = False
    ) -> dt.date | None:
        raw = row.get(name, "")
        if not raw:
            if required:
                self.errors.append(FieldError(name, _("is required"), line))
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            self.errors.append(
                FieldError(
                    name, _("'%(value)s' is not a date like 2026-03-31") % {"value": raw}, line
                )
            )
            return None

    def currency(self, line: int, row: dict[str, str], known: set[str] | None) -> str:
        code = row.get("currency", "").upper()
        if len(code) != 3 or not code.isalpha():
            self.errors.append(
                FieldError(
                    "currency", _("'%(value)s' is not a currency code") % {"value": code}, line
                )
            )
        elif known is not None and code not in known:
            self.errors.append(
                FieldError(
                    "currency",
                    _(
                        "no exchange rate for %(code)s: import a rate first (currencies are "
                        "never mixed silently)"
                    )
                    % {"code": code},
                    line,
                )
            )
        return code

    def fail(self) -> ValidationFailed:
        self.errors.sort(key=lambda e: (e.line or 0, e.field))
        return ValidationFailed(self.errors, self.source)


class _DryRun(Exception):
    pass


def check_pay(*, actor: Actor, kind: str, text: str, source: str = "pay.csv") -> int:
    """Everything an import would do, then undone: the preview's count, or its errors."""
    counted = 0
    try:
        with transaction.atomic():
            counted = import_pay(actor=actor, kind=kind, text=text, source=source)
            raise _DryRun
    except _DryRun:
        return counted


@logged_import()  # kind: the importer's argument
@transaction.atomic
def import_pay(
    *, actor: Actor, kind: str, text: str, source: str = "pay.csv", progress: Any = None
) -> int:
    """Import compensation, market data, pay bands or currency rates. All or nothing."""
    require(actor, "fairness.edit", actor.organisation)
    if actor.organisation.is_school:
        raise ValidationFailed.single("kind", _("pay data is for companies"))
    if kind not in COLUMNS:
        raise ValidationFailed.single(
            "kind", _("must be one of %(values)s") % {"values": ", ".join(COLUMNS)}
        )
    rows = _Rows(kind, text, source)
    if rows.errors:
        raise rows.fail()
    org = actor.organisation
    known = selectors.currencies(org)
    count = {"compensation": _compensation, "market": _market, "bands": _bands, "rates": _rates}[
        kind
    ](actor, rows, known)
    record(actor, org, f"pay.imported.{kind}", None, source=source, count=count)
    return count


def _compensation(actor: Actor, rows: _Rows, known: set[str]) -> int:
    org = actor.organisation
    people = {
        e.lower(): pk
        for e, pk in Person.objects.filter(organisation=org).values_list("email", "id")
    }
    made: list[CompensationRecord] = []
    attributes: dict[int, dict[str, Any]] = {}
    for line, row in rows.rows:
        person = people.get(row.get("email", "").lower())
        if person is None:
            rows.errors.append(
                FieldError(
                    "email",
                    _("nobody here has the email %(email)s") % {"email": row.get("email")},
                    line,
                )
            )
        effective = rows.date(line, row, "effective", required=True)
        base = rows.number(line, row, "base_pay", required=True, positive=True)
        currency = rows.currency(line, row, known)
        fte = rows.number(line, row, "fte")
        if fte is not None and not 0 < fte <= 1.5:
            rows.errors.append(
                FieldError(
                    "fte", _("%(value)s is not a share of full time") % {"value": f"{fte:g}"}, line
                )
            )
        period = row.get("period", "") or "annual"
        if period not in PERIODS_PER_YEAR:
            rows.errors.append(
                FieldError(
                    "period",
                    _("'%(value)s' is not one of %(values)s")
                    % {"value": period, "values": ", ".join(PERIODS_PER_YEAR)},
                    line,
                )
            )
        variable = rows.number(line, row, "variable_pay") or 0.0
        complementary = rows.number(line, row, "complementary_pay") or 0.0
        performance = rows.number(line, row, "performance")
        if person is None or effective is None or base is None:
            continue
        made.append(
            CompensationRecord(
                organisation=org,
                person_id=person,
                effective=effective,
                base_pay=base,
                variable_pay=variable,
                complementary_pay=complementary,
                currency=currency,
                fte=fte or 1.0,
                period=period,
            )
        )
        extra: dict[str, float | str] = {}
        for k, v in row.items():
            if k.startswith("factor:") and v:
                problem = factor_problem(v)
                if problem:
                    rows.errors.append(
                        FieldError(
                            k, _("'%(value)s' %(problem)s") % {"value": v, "problem": problem}, line
                        )
                    )
                extra[k.removeprefix("factor:")] = factor_value(v)
        if row.get("gender") or performance is not None or extra:
            attributes[person] = {
                "gender": row.get("gender", "").lower(),
                "performance": performance,
                "factors": extra,
            }
    if rows.errors:
        raise rows.fail()
    CompensationRecord.objects.bulk_create(made, batch_size=2000)
    for person, values in attributes.items():
        PayAttribute.objects.update_or_create(organisation=org, person_id=person, defaults=values)
    return len(made)


def _market(actor: Actor, rows: _Rows, known: set[str]) -> int:
    items: list[Any] = []
    for line, row in rows.rows:
        values = [
            rows.number(line, row, p, required=True, positive=True) for p in ("p25", "p50", "p75")
        ]
        currency = rows.currency(line, row, known)
        as_of = rows.date(line, row, "as_of")
        if None not in values and not values[0] <= values[1] <= values[2]:  # type: ignore[operator]
            rows.errors.append(FieldError("p50", _("needs p25 ≤ p50 ≤ p75"), line))
        for name in ("job_role", "level"):
            if not row.get(name):
                rows.errors.append(FieldError(name, _("is required"), line))
        if None in values:
            continue
        items.append((row, values, currency, as_of))
    if rows.errors:
        raise rows.fail()
    for row, (p25, p50, p75), currency, as_of in items:
        MarketBenchmark.objects.update_or_create(
            organisation=actor.organisation,
            job_role=row["job_role"],
            level=row["level"],
            location=row.get("location", ""),
            defaults={
                "p25": p25,
                "p50": p50,
                "p75": p75,
                "currency": currency,
                "source": row.get("source", ""),
                "as_of": as_of,
            },
        )
    return len(items)


def _bands(actor: Actor, rows: _Rows, known: set[str]) -> int:
    items: list[Any] = []
    for line, row in rows.rows:
        low = rows.number(line, row, "minimum", required=True, positive=True)
        high = rows.number(line, row, "maximum", required=True, positive=True)
        currency = rows.currency(line, row, known)
        if low is not None and high is not None and high <= low:
            rows.errors.append(FieldError("maximum", _("must be above the minimum"), line))
        for name in ("job_role", "level"):
            if not row.get(name):
                rows.errors.append(FieldError(name, _("is required"), line))
        items.append((row, low, high, currency))
    if rows.errors:
        raise rows.fail()
    for row, low, high, currency in items:
        PayBand.objects.update_or_create(
            organisation=actor.organisation,
            job_role=row["job_role"],
            level=row["level"],
            location=row.get("location", ""),
            defaults={"minimum": low, "maximum": high, "currency": currency},
        )
    return len(items)


def _rates(actor: Actor, rows: _Rows, known: set[str]) -> int:
    items: list[Any] = []
    for line, row in rows.rows:
        rate = rows.number(line, row, "rate", required=True, positive=True)
        if rate is not None and not RATE_MIN <= rate <= RATE_MAX:
            rows.errors.append(
                FieldError(
                    "rate",
                    _("%(value)s is not a plausible exchange rate") % {"value": f"{rate:g}"},
                    line,
                )
            )
        currency = rows.currency(line, row, None)
        items.append((currency, rate))
    if rows.errors:
        raise rows.fail()
    for currency, rate in items:
        CurrencyRate.objects.update_or_create(
            organisation=actor.organisation, currency=currency, defaults={"rate": rate}
        )
    return len(items)


@transaction.atomic
def run_audit(*, actor: Actor, today: dt.date | None = None) -> AuditRun:
    """Audit the organisation's current pay and keep the result: the fairness gate."""
    require(actor, "fairness.edit", actor.organisation)
    data = selectors.records(actor.organisation, today)
    if not data.records:
        raise ValidationFailed.single(
            "compensation", _("import compensation first: there is no pay to audit")
        )
    result = audit.audit(data.records, data.reference, data.comparison)
    status, reasons = gate.judge(result)
    run = AuditRun.objects.create(
        organisation=actor.organisation,
        run_by=actor.user,
        status=status,
        reasons=reasons,
        summary=gate.summary(result, data),
    )
    record(actor, actor.organisation, "pay.audited", run, status=status)
    return run
