"""API schemas for cycles, objectives, key results and check-ins."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from ampwork.apitools import Day, Id, InSchema, Limit, Offset

Title = Annotated[str, Field(min_length=1, max_length=200)]
Number = Annotated[float, Field(ge=-1e12, le=1e12, allow_inf_nan=False)]
Weight = Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)]
Confidence = Annotated[int, Field(ge=0, le=10)]
OwnerKind = Literal["organisation", "team", "person"]
ObjectiveKind = Literal["committed", "aspirational"]
WorkStyle = Literal["heuristic", "algorithmic"]
Visibility = Literal["organisation", "private"]
KRKind = Literal["numeric", "boolean", "milestones", "range"]


class CycleOut(Schema):
    id: int
    name: str
    start: dt.date
    end: dt.date
    status: str


class CycleIn(InSchema):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    start: Day
    end: Day


class CyclePatch(InSchema):
    name: Annotated[str, Field(min_length=1, max_length=100)] = "-"
    start: Day = dt.date(2000, 1, 1)
    end: Day = dt.date(2000, 1, 2)


class MilestoneOut(Schema):
    id: int
    title: str
    weight: float
    done: bool


class MilestoneIn(InSchema):
    title: Title
    weight: Weight = 1.0


class KeyResultOut(Schema):
    id: int
    objective_id: int
    title: str
    kind: str
    start: float
    target: float
    current: float | None
    unit: str
    low: float | None
    high: float | None
    done: bool
    weight: float
    owner_id: int | None
    confidence: int
    last_check_in: dt.date | None
    score: float | None
    score_reason: str
    progress: float = Field(
        description="(current − start) / (target − start), clamped to 0–1; see docs/methods.md"
    )
    pacing: str
    stale: bool
    milestones: list[MilestoneOut]


class KeyResultIn(InSchema):
    objective_id: Id
    title: Title
    kind: KRKind = "numeric"
    start: Number = 0.0
    target: Number = 1.0
    unit: Annotated[str, Field(max_length=30)] = ""
    low: Number | None = None
    high: Number | None = None
    weight: Weight = 1.0
    owner_id: Id | None = None
    milestones: Annotated[list[MilestoneIn], Field(max_length=50)] = []


class KeyResultPatch(InSchema):
    title: Title = "-"
    start: Number = 0.0
    target: Number = 1.0
    unit: Annotated[str, Field(max_length=30)] = ""
    low: Number | None = None
    high: Number | None = None
    weight: Weight = 1.0
    owner_id: Id | None = None


class ObjectiveOut(Schema):
    id: int
    cycle_id: int
    owner_kind: str
    owner_team_id: int | None
    owner_person_id: int | None
    author_id: int | None
    self_authored: bool
    title: str
    description: str
    kind: str
    work_style: str
    visibility: str
    status: str
    progress: float
    lowest_key_result_progress: float | None
    pacing: str
    expected_progress: float
    score: float | None
    score_band: str | None
    parents: list[dict[str, int | str]]
    key_results: list[KeyResultOut]


class ObjectiveIn(InSchema):
    cycle_id: Id
    title: Title
    owner_kind: OwnerKind = "person"
    owner_team_id: Id | None = None
    owner_person_id: Id | None = Field(None, description="Defaults to you")
    description: Annotated[str, Field(max_length=5000)] = ""
    kind: ObjectiveKind = "committed"
    work_style: WorkStyle = "heuristic"
    visibility: Visibility = "organisation"
    parent_id: Id | None = None
    link_kind: Literal["contributes", "supports"] = "contributes"


class ObjectivePatch(InSchema):
    title: Title = "-"
    description: Annotated[str, Field(max_length=5000)] = ""
    kind: ObjectiveKind = "committed"
    work_style: WorkStyle = "heuristic"
    visibility: Visibility = "organisation"
    status: Literal["active", "done", "dropped"] = "active"


class ObjectivePage(Schema):
    items: list[ObjectiveOut]
    count: int


class ObjectiveFilter(Schema):
    cycle_id: Id | None = None
    owner_person_id: Id | None = None
    owner_team_id: Id | None = None
    limit: Limit = 50
    offset: Offset = 0


class KeyResultFilter(Schema):
    objective_id: Id | None = None
    owner_id: Id | None = None
    limit: Limit = 50
    offset: Offset = 0


class KeyResultPage(Schema):
    items: list[KeyResultOut]
    count: int


class CheckInOut(Schema):
    id: int
    key_result_id: int
    value: float | None
    done: bool | None
    milestones_done: list[int]
    confidence: int | None
    note: str
    date: dt.date
    author_id: int | None


class CheckInIn(InSchema):
    """Numeric and range key results take ``value``; done/not-done ones take ``done``;
    milestone ones take ``milestones_done`` (the ids of the milestones now done)."""

    value: Number | None = None
    done: bool | None = None
    milestones_done: Annotated[list[Id], Field(max_length=100)] | None = None
    confidence: Confidence | None = None
    note: Annotated[str, Field(max_length=280)] = ""
    date: Day | None = Field(None, description="Defaults to today")


class LinkIn(InSchema):
    parent_id: Id
    kind: Literal["contributes", "supports"] = "contributes"


class LinkOut(Schema):
    child_id: int
    parent_id: int
    kind: str
