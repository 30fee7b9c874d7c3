"""The autonomy API's input and output schemas (ledgers, grids, time policy,
self-directed projects, ShipIt days)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from ampwork.apitools import Day, Id, InSchema, Moment

FourT = Literal["task", "technique", "time", "team"]  # the 4 Ts of autonomy


class StepOut(Schema):
    t: str | None
    level: int | None
    suggested: bool
    reasons: list[str]
    missing: list[str]


class EntryOut(Schema):
    t: str
    level: int
    why: str
    guardrails: str
    changed_by_id: int | None
    created_at: dt.datetime


class TimeOut(Schema):
    share_percent: int
    weekly_hours: float
    since: dt.date
    budget_hours: float
    used_hours: float
    share_used: float | None


class PersonAutonomyOut(Schema):
    person_id: int
    levels: dict[str, int]
    next_step: StepOut
    autonomy_index: float | None
    history: list[EntryOut]
    self_directed_time: TimeOut


class LevelIn(InSchema):
    t: FourT
    level: Annotated[int, Field(ge=0, le=3)]
    why: Annotated[str, Field(max_length=500)] = ""
    guardrails: Annotated[str, Field(max_length=300)] = ""


class DecisionIn(LevelIn):
    outcome: Literal["granted", "deferred", "declined"]
    note: Annotated[str, Field(max_length=500)] = ""


class GridRowOut(Schema):
    person_id: int
    name: str
    levels: dict[str, int]
    next_step: StepOut
    autonomy_index: float | None


class GridOut(Schema):
    team_id: int
    autonomy_index: float | None
    defaulting_to_control: list[str]
    rows: list[GridRowOut]


class PolicyIn(InSchema):
    share_percent: Annotated[int, Field(ge=0, le=50)]
    weekly_hours: Annotated[float, Field(ge=1, le=80, allow_inf_nan=False)]


class PolicyOut(Schema):
    share_percent: int
    weekly_hours: float


class ProjectIn(InSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    why: Annotated[str, Field(max_length=1000)] = ""
    objective_id: Id | None = None
    serves_purpose: bool = False


class ProjectPatch(InSchema):
    outcome: Literal["active", "shipped", "objective", "learning", "dropped"] | None = None
    learned: Annotated[str, Field(max_length=1000)] | None = None


class TimeIn(InSchema):
    day: Day
    hours: Annotated[float, Field(gt=0, le=24, allow_inf_nan=False)]


class ProjectOut(Schema):
    id: int
    person_id: int
    title: str
    why: str
    learned: str
    outcome: str
    objective_id: int | None
    serves_purpose: bool
    hours: float
    created_at: dt.datetime


class EventIn(InSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    theme: Annotated[str, Field(max_length=500)] = ""
    starts_at: Moment
    hours: Annotated[int, Field(ge=1, le=72)] = 24


class EventOut(Schema):
    id: int
    title: str
    theme: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    phase: str
    projects: int
    demos: int
    followed_up: int


class MemberOut(Schema):
    id: int
    name: str


class ProposalOut(Schema):
    id: int
    title: str
    pitch: str
    author_id: int | None
    members: list[MemberOut]
    demo_title: str
    demo_summary: str
    demo_link: str
    shipped: str
    demoed_at: dt.datetime | None
    kudos: int
    follow_up: str
    follow_up_note: str


class EventDetailOut(Schema):
    id: int
    title: str
    theme: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    phase: str
    follow_up_due: bool
    projects: list[ProposalOut]


class ProposalIn(InSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    pitch: Annotated[str, Field(max_length=1000)] = ""


class DemoIn(InSchema):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    summary: Annotated[str, Field(min_length=1, max_length=2000)]
    link: Annotated[str, Field(max_length=500)] = ""
    shipped: Annotated[str, Field(max_length=1000)] = ""


class FollowUpIn(InSchema):
    outcome: Literal["objective", "shipped", "dropped"]
    note: Annotated[str, Field(max_length=500)] = ""


class NothingIn(InSchema):
    pass
