"""The advisor API's input and output schemas (checklist, findings, readiness, reward
style, incentives)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from ampwork.apitools import Id, InSchema


class ChecklistItemOut(Schema):
    key: str
    text: str
    auto: bool
    done: bool
    by_data: bool
    reason: str
    ticked_by: str | None
    ticked_at: dt.datetime | None
    note: str


class ChecklistStepOut(Schema):
    key: str
    title: str
    why: str
    tips: list[str]
    warnings: list[str]
    items: list[ChecklistItemOut]


class ChecklistOut(Schema):
    team_id: int | None
    done: int
    total: int
    steps: list[ChecklistStepOut]


class TickIn(InSchema):
    done: bool
    note: Annotated[str, Field(max_length=300)] = ""
    team_id: Id | None = None


class AckOut(Schema):
    note: str
    by: str | None
    at: dt.datetime


class FindingOut(Schema):
    key: str
    rule: str
    title: str
    classic: bool
    evidence: list[str]
    source: str
    next_step: str
    link: str | None  # None when the reader may not open the evidence page
    acknowledged: AckOut | None


class AckIn(InSchema):
    note: Annotated[str, Field(min_length=1, max_length=500)]


StageLevel = Literal["not started", "under way", "established"]
WorkStyle = Literal["algorithmic", "heuristic"]


class StageOut(Schema):
    name: str
    level: StageLevel
    reasons: list[str]


class ReadinessOut(Schema):
    team_id: int | None
    policy: str
    stages: list[StageOut]
    focus: str
    next_step: str
    link: str


class StyleIn(InSchema):
    objective_id: Id | None = None
    job_role: Annotated[str, Field(max_length=120)] = ""
    known_procedure: bool
    countable: bool
    quality_judged: bool
    novel: bool


class StyleOut(Schema):
    work_style: WorkStyle
    reasons: list[str]
    recommendation: str
    objective_id: int | None
    job_role: str


class IncentiveIn(InSchema):
    what: Annotated[str, Field(min_length=1, max_length=200)]
    outcome: Annotated[str, Field(min_length=1, max_length=300)]
    style: Literal["if_then", "now_that"]
    amount: Annotated[Decimal, Field(ge=0, lt=Decimal("1e10"), allow_inf_nan=False)] | None = None
    currency: Annotated[str, Field(max_length=3)] = ""
    reward_kind: Annotated[str, Field(max_length=100)] = ""
    objective_id: Id | None = None
    key_result_id: Id | None = None
    job_role: Annotated[str, Field(max_length=120)] = ""


class IncentiveOut(Schema):
    id: int
    what: str
    outcome: str
    style: str
    amount: Decimal | None
    currency: str
    reward_kind: str
    objective_id: int | None
    key_result_id: int | None
    job_role: str
    created_at: dt.datetime
