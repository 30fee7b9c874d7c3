"""API schemas for the pulse: rounds, their results and answers.

``ResultsOut`` names the round ``round_id``; ``SurveyResultsOut`` is the same body under the
deprecated ``/surveys/{survey_id}/results`` path, which still calls it ``survey_id``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from ampwork.apitools import Id, InSchema


class RoundOut(Schema):
    id: int
    name: str
    status: str
    mode: str
    opens: dt.date
    closes: dt.date
    minimum: int | None


class GroupResult(Schema):
    group: int
    name: str
    suppressed: bool
    reason: str | None = None
    n: int | None = None
    participation: float | None = None
    subscales: dict[str, dict[str, Any]] | None = None
    enps: float | None = None
    comments: list[str] | None = None


class ResultsBody(Schema):
    """A round's results, everything but the round's id (which comes first in the body)."""

    status: str = Field(description="draft, open or closed")
    minimum: int | None
    results_available: bool = Field(
        description="Results exist only once the round is closed: before, groups is empty "
        "and only responses and participation (all groups together) are given"
    )
    results_from: dt.date | None = Field(
        None, description="While the round is not closed: the day it closes"
    )
    responses: int = Field(description="How many answered in all")
    participation: float | None = Field(
        None,
        description="responses over those invited (or a shared link's audience size), "
        "all groups together",
    )
    groups: list[GroupResult]
    shared_link_answers: int | None = Field(
        None, description="A shared link's round: the answers that came through the link"
    )
    audience_size: int | None = Field(
        None, description="A shared link's round: the most answers it takes"
    )
    audience_changed: dict[int, int] | None = Field(
        None,
        description="Groups whose people or teams changed in the 14 days before opening, "
        "with how many changes",
    )


class _RoundId(Schema):
    round_id: int


class _SurveyId(Schema):
    survey_id: int


# pydantic orders inherited fields from the last base to the first: the id comes first
class ResultsOut(ResultsBody, _RoundId):
    pass


class SurveyResultsOut(ResultsBody, _SurveyId):
    """The deprecated path's body: ``survey_id`` instead of ``round_id``."""


class ResultsFilter(Schema):
    team: Id | None = Field(None, description="Only this team (with the teams inside it)")


class AnswerIn(InSchema):
    token: Annotated[str, Field(min_length=1, max_length=100)]
    answers: Annotated[dict[Annotated[str, Field(max_length=20)], int], Field(max_length=60)]
    enps: Annotated[int, Field(ge=0, le=10)] | None = None
    comment: Annotated[str, Field(max_length=2000)] = ""
    class_code: Annotated[str, Field(max_length=40)] = ""
    language: Annotated[str, Field(max_length=12)] = Field(
        "",
        description="The language the AMP items were shown in (en, de, fr, es; the texts of "
        "pulse/translations.py): recorded with the answer; empty or another: English",
    )


class AnswerOut(Schema):
    received: bool
