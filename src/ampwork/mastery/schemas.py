"""The mastery API's input and output schemas (reviews, feedback, recognition, skills,
a person's flow map, Goldilocks flags and attainment)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

from ampwork.apitools import Day, Id, InSchema

Rating = Annotated[int, Field(ge=1, le=7)]


Level = Annotated[int, Field(ge=1, le=5)]


class ReplyOut(Schema):
    id: int
    author_id: int | None
    author_name: str
    body: str
    created_at: dt.datetime


class ReviewOut(Schema):
    id: int
    person_id: int
    person_name: str
    week: dt.date
    wins: str
    setbacks: str
    next_steps: str
    challenge: int | None
    skill: int | None
    updated_at: dt.datetime
    replies: list[ReplyOut]


class ReviewIn(InSchema):
    week: Day | None = None
    wins: Annotated[str, Field(max_length=4000)] = ""
    setbacks: Annotated[str, Field(max_length=4000)] = ""
    next_steps: Annotated[str, Field(max_length=4000)] = ""
    challenge: Rating | None = None
    skill: Rating | None = None


class ReplyIn(InSchema):
    body: Annotated[str, Field(min_length=1, max_length=4000)]


class FeedbackOut(Schema):
    id: int
    giver_id: int | None
    giver_name: str
    receiver_id: int
    receiver_name: str
    body: str
    request_id: int | None
    share_with_managers: bool
    created_at: dt.datetime


class FeedbackIn(InSchema):
    receiver_id: Id | None = None
    body: Annotated[str, Field(min_length=1, max_length=4000)]
    request_id: Id | None = None
    share_with_managers: bool = False


class RequestOut(Schema):
    id: int
    requester_id: int
    requester_name: str
    asked_id: int
    asked_name: str
    about: str
    created_at: dt.datetime


class RequestIn(InSchema):
    asked_id: Id
    about: Annotated[str, Field(min_length=1, max_length=300)]


class RecognitionOut(Schema):
    id: int
    author_id: int | None
    author_name: str
    recipients: list[int]
    body: str
    objective_id: int | None
    key_result_id: int | None
    created_at: dt.datetime


class RecognitionIn(InSchema):
    recipient_ids: Annotated[list[Id], Field(min_length=1, max_length=50)]
    body: Annotated[str, Field(min_length=1, max_length=1000)]
    objective_id: Id | None = None
    key_result_id: Id | None = None


class SkillOut(Schema):
    id: int
    name: str
    description: str
    levels: list[str]


class SkillIn(InSchema):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    description: Annotated[str, Field(max_length=500)] = ""
    levels: Annotated[
        list[Annotated[str, Field(max_length=300)]], Field(min_length=5, max_length=5)
    ]


class RatingOut(Schema):
    id: int
    skill_id: int
    person_id: int
    rater_id: int | None
    by_self: bool
    level: int
    note: str
    date: dt.date


class RatingIn(InSchema):
    person_id: Id | None = None
    level: Level
    note: Annotated[str, Field(max_length=300)] = ""
    date: Day | None = None


class GrowthIn(InSchema):
    person_id: Id | None = None
    target_level: Level
    objective_id: Id | None = None
    note: Annotated[str, Field(max_length=300)] = ""


class GrowthOut(Schema):
    id: int
    person_id: int
    skill_id: int
    target_level: int
    objective_id: int | None
    note: str


class FlowPointOut(Schema):
    week: dt.date
    challenge: int
    skill: int
    z_challenge: float
    z_skill: float
    quadrant: str


class FlowOut(Schema):
    enough: bool
    weeks_rated: int
    message: str
    recent: str | None
    points: list[FlowPointOut]


class FlagOut(Schema):
    kind: str
    label: str
    evidence: list[str]
    conversation: str
    key_result_ids: list[int]


class CalibrationOut(Schema):
    enough: bool
    message: str
    flags: list[FlagOut]


class AttainmentOut(Schema):
    cycle: str
    closed: bool
    average: float
    key_results: int


class MasteryOut(Schema):
    person_id: int
    flow: FlowOut
    goldilocks: CalibrationOut
    attainment: list[AttainmentOut]
