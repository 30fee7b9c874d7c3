"""Reading a pay file: CSV with a header row, checked whole, errors naming line and column."""

from __future__ import annotations

import datetime as dt
import math

from django.utils.translation import gettext as _

from ampwork.core.errors import FieldError, ValidationFailed
from ampwork.core.imports import Plan, read_rows

from .audit import Record
from .money import MAX_AMOUNT, amount_problem

REQUIRED = ("employee_id", "base_pay")
MONEY = (
    "base_pay",
    "variable_pay",
    "complementary_pay",
    "band_min",
    "band_max",
    "market_p25",
    "market_p50",
    "market_p75",
)
NUMBERS = (
    "base_pay",
    "variable_pay",
    "complementary_pay",
    "fte",
    "performance",
    "band_min",
    "band_max",
    "market_p25",
    "market_p50",
    "market_p75",
)
TEXT = ("employee_id", "role", "level", "location", "team", "currency")
KNOWN = (*NUMBERS, *TEXT, "hire_date")


def factor_value(raw: str) -> float | str:
    """A factor cell: a number when it reads as a finite one, else its text."""
    try:
        number = float(raw.replace(",", ""))
    except ValueError:
        return raw
    return number if math.isfinite(number) else raw


def factor_problem(raw: str) -> str | None:
    """Why a factor cell that reads as a number cannot be used, or None."""
    try:
        number = float(raw.replace(",", ""))
    except ValueError:
        return None
    if not math.isfinite(number):
        return _("is not a finite number")
    if abs(number) > MAX_AMOUNT:
        return _("is implausibly large")
    return None


def number_problem(name: str, value: float) -> str | None:
    """Why a number in column ``name`` cannot be used, or None."""
    if name in MONEY:
        return amount_problem(value, positive=False)
    if not math.isfinite(value):
        return _("is not a finite number")
    if value < 0:
        return _("must be zero or more")
    if abs(value) > MAX_AMOUNT:
        return _("is implausibly large")
    return None


def read(
    text: str, source: str, group_column: str = "gender", today: dt.date | None = None
) -> list[Record]:
    """Every row as a Record, or ValidationFailed listing every problem (line, column)."""
    today = today or dt.date.today()
    # the one CSV reader every import uses: NUL bytes, a broken quote, duplicate or unknown
    # columns and a row with more cells than the header are refused with file and line
    plan = Plan(kind="pay", source=source)
    columns = {name: name for name in (*KNOWN, group_column)}
    rows = read_rows(text, columns, set(REQUIRED), plan, extra_prefixes=("factor:",))
    if plan.errors:
        raise plan.fail()
    errors: list[FieldError] = []
    records: list[Record] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        values: dict[str, float | None] = {}
        for name in NUMBERS:
            raw = cells.get(name, "")
            if not raw:
                values[name] = None
                continue
            try:
                number = float(raw.replace(",", ""))
            except ValueError:
                errors.append(
                    FieldError(name, _("'%(value)s' is not a number") % {"value": raw}, line)
                )
                continue
            problem = number_problem(name, number)
            if problem:
                errors.append(
                    FieldError(
                        name,
                        _("'%(value)s' %(problem)s") % {"value": raw, "problem": problem},
                        line,
                    )
                )
                continue
            values[name] = number
        employee = cells.get("employee_id", "")
        if not employee:
            errors.append(FieldError("employee_id", _("is required"), line))
        elif employee in seen:
            errors.append(
                FieldError(
                    "employee_id", f"'{employee}' appears twice (also line {seen[employee]})", line
                )
            )
        seen.setdefault(employee, line)
        if values.get("base_pay") is None and "base_pay" not in [
            e.field for e in errors if e.line == line
        ]:
            errors.append(FieldError("base_pay", _("is required"), line))
        elif values.get("base_pay") == 0:
            errors.append(FieldError("base_pay", _("must be more than zero"), line))
        fte = values.get("fte")
        if fte is not None and not 0 < fte <= 1.5:
            errors.append(
                FieldError(
                    "fte",
                    _("%(value)s is not a share of full time (0–1)") % {"value": f"{fte:g}"},
                    line,
                )
            )
        tenure = None
        if cells.get("hire_date"):
            try:
                hired = dt.date.fromisoformat(cells["hire_date"])
                tenure = max(0.0, (today - hired).days / 365.25)
            except ValueError:
                errors.append(
                    FieldError(
                        "hire_date", f"'{cells['hire_date']}' is not a date like 2021-03-31", line
                    )
                )
        low, high = values.get("band_min"), values.get("band_max")
        if low is not None and high is not None and low >= high:
            errors.append(FieldError("band_max", _("must be above band_min"), line))
        factors: dict[str, object] = {}
        for name, raw in cells.items():
            if name.startswith("factor:") and raw:
                problem = factor_problem(raw)
                if problem:
                    errors.append(
                        FieldError(
                            name,
                            _("'%(value)s' %(problem)s") % {"value": raw, "problem": problem},
                            line,
                        )
                    )
                factors[name.removeprefix("factor:")] = factor_value(raw)
        if errors and errors[-1].line == line:
            continue
        records.append(
            Record(
                employee_id=employee,
                base_pay=values["base_pay"] or 0.0,
                variable_pay=values.get("variable_pay") or 0.0,
                complementary_pay=values.get("complementary_pay") or 0.0,
                fte=fte or 1.0,
                role=cells.get("role", ""),
                level=cells.get("level", ""),
                location=cells.get("location", ""),
                group=cells.get(group_column, "").lower(),
                tenure_years=tenure,
                performance=values.get("performance"),
                band_min=values.get("band_min"),
                band_max=values.get("band_max"),
                market_p25=values.get("market_p25"),
                market_p50=values.get("market_p50"),
                market_p75=values.get("market_p75"),
                factors=factors,
                team=cells.get("team", ""),
                currency=cells.get("currency", ""),
            )
        )
    if errors:
        raise ValidationFailed(errors, source)
    return records
