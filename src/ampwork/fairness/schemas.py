"""The fairness API's input and output schemas (the gate, audits, reports, imports, one's
own pay). Report rows keyed by group take the organisation's own group names (e.g.
``{"quartile": 1, "n": 12, "male": 0.5, "female": 0.5}``), so they are open mappings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from ampwork.apitools import InSchema

GateStatus = Literal["green", "amber", "red"]


class GateOut(Schema):
    status: GateStatus
    reasons: list[str]
    last_audit_at: dt.datetime | None


class AuditOut(Schema):
    id: int
    run_at: dt.datetime
    status: str
    reasons: list[str]
    summary: dict[str, Any]


class ImportIn(InSchema):
    csv: Annotated[str, Field(min_length=1, max_length=20_000_000)]
    dry_run: bool = False


class ImportOut(Schema):
    kind: str
    count: int
    dry_run: bool


class MyPayOut(Schema):
    annual_pay: float | None
    currency: str
    effective: dt.date | None
    band_min: float | None
    band_max: float | None
    compa_ratio: float | None
    range_penetration: float | None


Gap = float | None
"""A pay gap in percent of the reference group's pay; null when a group is empty."""
ByGroup = dict[str, float | None]
"""A share per compared group, keyed by the group's name."""
QuartileRow = dict[str, int | float | None]
"""``quartile`` (1–4) and ``n``, then each compared group's share of the quartile."""


class LeftOutOut(Schema):
    n: int
    blank: int
    other: dict[str, int]


class GapOut(Schema):
    mean: Gap
    median: Gap


class CategoryOut(Schema):
    role: str
    level: str
    n: int
    n_reference: int
    n_comparison: int
    basic_mean_gap: Gap
    basic_median_gap: Gap
    variable_mean_gap: Gap
    variable_median_gap: Gap
    total_mean_gap: Gap
    total_median_gap: Gap
    flag_basic: bool
    flag_total: bool
    flag: bool


class VariablePayOut(Schema):
    mean_gap: Gap
    median_gap: Gap
    share: ByGroup


class UkReportOut(Schema):
    """``uk``: the six measures of the UK's gender pay gap reporting."""

    reference: str
    comparison: str
    compared: int
    left_out: LeftOutOut
    mean_pay_gap: Gap
    median_pay_gap: Gap
    mean_bonus_gap: Gap
    median_bonus_gap: Gap
    bonus_share: ByGroup
    quartiles: list[QuartileRow]


class EuReportOut(Schema):
    """``eu``: EU Directive 2023/970 art. 9(1)(a)–(g)."""

    reference: str
    comparison: str
    compared: int
    left_out: LeftOutOut
    raw_gap: GapOut
    quartiles: list[QuartileRow]
    categories: list[CategoryOut]
    a_mean_gap: Gap
    b_mean_variable_gap: Gap
    c_median_gap: Gap
    d_median_variable_gap: Gap
    e_receiving_variable: ByGroup
    variable_pay: VariablePayOut


class PayFlagOut(Schema):
    employee_id: str
    reasons: list[str]


class FullReportOut(Schema):
    """``full``: the whole audit, with each person's figures (``people``); ``eu`` and
    ``uk`` are the two reports' measures, ``adjusted_gap`` the regression (null without
    enough data). Methods and fields: docs/methods.md and docs/fairness.md."""

    currency: str
    reference: str
    comparison: str
    n: int
    compared: int
    left_out: LeftOutOut
    groups: dict[str, int]
    raw_gap: GapOut
    adjusted_gap: dict[str, Any] | None
    flags: list[PayFlagOut]
    people: list[dict[str, Any]]
    quartiles: list[QuartileRow]
    categories: list[CategoryOut]
    eu: dict[str, Any]
    uk: dict[str, Any]
    remediation: dict[str, Any]
